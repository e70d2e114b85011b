import { DecryptCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { DynamoDeliveryStore } from '../../lambdas/aws/dynamo-delivery-store';
import { DynamoEndpointRegistry } from '../../lambdas/aws/dynamo-endpoint-registry';
import { KmsSecrets } from '../../lambdas/aws/kms-secrets';
import { LocalEndpointRegistry } from '../../lambdas/local/webhooks/local-endpoint-registry';

const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));
const dynamo = mockClient(documents);
const kms = mockClient(KMSClient);

beforeEach(() => {
  dynamo.reset();
  kms.reset();
});

const endpoint = (id: string, clientId: string, extra: object = {}) => ({ id, clientId, url: 'https://hooks.example.com', secretIds: ['s'], eventTypes: [], enabled: true, createdAt: '2026-01-01T00:00:00Z', ...extra });

describe('DynamoEndpointRegistry', () => {
  it('lists a client’s endpoints through the byClient index, every page, enabled and subscribed only', async () => {
    dynamo
      .on(QueryCommand)
      .resolvesOnce({ Items: [endpoint('a', 'acme'), endpoint('b', 'acme', { enabled: false })], LastEvaluatedKey: { id: 'b' } })
      .resolvesOnce({ Items: [endpoint('c', 'acme', { eventTypes: ['document.failed'] }), endpoint('d', 'acme', { eventTypes: ['document.completed'] })] });
    const registry = new DynamoEndpointRegistry(documents, 'endpoints');
    const found = await registry.listForClient('acme', 'document.completed');
    expect(found.map((e) => e.id)).toEqual(['a', 'd']);
    expect(dynamo).toHaveReceivedCommandTimes(QueryCommand, 2);
    const [first, second] = dynamo.commandCalls(QueryCommand).map((call) => call.args[0].input);
    expect(first).toMatchObject({ TableName: 'endpoints', IndexName: 'byClient', ExpressionAttributeValues: { ':c': 'acme' } });
    expect(second).toMatchObject({ ExclusiveStartKey: { id: 'b' } });
  });

  it('drops another client’s endpoint even if the index returned it', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [endpoint('x', 'globex')] });
    expect(await new DynamoEndpointRegistry(documents, 'endpoints').listForClient('acme')).toEqual([]);
  });

  it('writes without undefined attributes, reads and removes by id', async () => {
    dynamo.on(GetCommand).resolves({ Item: endpoint('a', 'acme') });
    const registry = new DynamoEndpointRegistry(documents, 'endpoints');
    await registry.put({ ...endpoint('a', 'acme'), failingSince: undefined });
    expect(dynamo).toHaveReceivedCommandWith(PutCommand, { TableName: 'endpoints', Item: endpoint('a', 'acme') });
    expect((await registry.get('a'))?.clientId).toBe('acme');
    await registry.remove('a');
    expect(dynamo).toHaveReceivedCommandWith(DeleteCommand, { Key: { id: 'a' } });
  });
});

describe('DynamoEndpointRegistry health updates: UpdateItems of an item that exists, never a whole-item put', () => {
  const gone = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
  const registry = () => new DynamoEndpointRegistry(documents, 'endpoints');

  it('markFailing keeps a run already under way and answers the endpoint as it is now', async () => {
    dynamo.on(UpdateCommand).resolves({ Attributes: endpoint('a', 'acme', { failingSince: '2026-01-01T00:00:00Z' }) });
    expect(await registry().markFailing('a', '2026-01-03T00:00:00Z')).toMatchObject({ id: 'a', failingSince: '2026-01-01T00:00:00Z' });
    const [input] = dynamo.commandCalls(UpdateCommand).map((call) => call.args[0].input);
    expect(input).toMatchObject({
      TableName: 'endpoints',
      Key: { id: 'a' },
      UpdateExpression: 'SET #failingSince = if_not_exists(#failingSince, :since)',
      ConditionExpression: 'attribute_exists(#id)',
      ExpressionAttributeNames: { '#id': 'id', '#failingSince': 'failingSince' },
      ExpressionAttributeValues: { ':since': '2026-01-03T00:00:00Z' },
      ReturnValues: 'ALL_NEW',
    });
    expect(dynamo).toHaveReceivedCommandTimes(PutCommand, 0);
  });

  it('does nothing to an endpoint that was removed (the condition fails)', async () => {
    dynamo.on(UpdateCommand).rejects(gone());
    expect(await registry().markFailing('a', '2026-01-03T00:00:00Z')).toBeUndefined();
    await expect(registry().markHealthy('a')).resolves.toBeUndefined();
    expect(await registry().disable('a', 'why', '2026-01-01T00:00:00Z')).toBeUndefined();
    for (const { args } of dynamo.commandCalls(UpdateCommand)) expect(args[0].input.ConditionExpression).toMatch(/^attribute_exists\(#id\)/);
    expect(dynamo).toHaveReceivedCommandTimes(PutCommand, 0);
  });

  it('markHealthy removes failingSince only', async () => {
    dynamo.on(UpdateCommand).resolves({});
    await registry().markHealthy('a');
    expect(dynamo).toHaveReceivedCommandWith(UpdateCommand, { Key: { id: 'a' }, UpdateExpression: 'REMOVE #failingSince', ConditionExpression: 'attribute_exists(#id)' });
  });

  it('disable writes enabled and disabledReason, only while enabled and failing since the same time', async () => {
    dynamo.on(UpdateCommand).resolves({ Attributes: endpoint('a', 'acme', { enabled: false, disabledReason: 'why' }) });
    expect(await registry().disable('a', 'why', '2026-01-01T00:00:00Z')).toMatchObject({ enabled: false, disabledReason: 'why' });
    expect(dynamo).toHaveReceivedCommandWith(UpdateCommand, {
      UpdateExpression: 'SET #enabled = :false, #disabledReason = :reason',
      ConditionExpression: 'attribute_exists(#id) AND #enabled = :true AND #failingSince = :since',
      ExpressionAttributeValues: { ':false': false, ':true': true, ':reason': 'why', ':since': '2026-01-01T00:00:00Z' },
    });
  });

  it('lets other errors through', async () => {
    dynamo.on(UpdateCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ProvisionedThroughputExceededException' }));
    await expect(registry().markFailing('a', '2026-01-03T00:00:00Z')).rejects.toMatchObject({ name: 'ProvisionedThroughputExceededException' });
  });
});

describe('LocalEndpointRegistry health updates', () => {
  const registry = () => new LocalEndpointRegistry(mkdtempSync(join(tmpdir(), 'docpipe-endpoints-')));

  it('never brings back a removed endpoint', async () => {
    const endpoints = registry();
    expect(await endpoints.markFailing('a', '2026-01-01T00:00:00Z')).toBeUndefined();
    await endpoints.markHealthy('a');
    expect(await endpoints.disable('a', 'why', '2026-01-01T00:00:00Z')).toBeUndefined();
    expect(await endpoints.get('a')).toBeUndefined();
  });

  it('patches only the health fields of the endpoint as it is now', async () => {
    const endpoints = registry();
    await endpoints.put(endpoint('a', 'acme', { secretIds: ['s2'] }));
    expect(await endpoints.markFailing('a', '2026-01-01T00:00:00Z')).toMatchObject({ secretIds: ['s2'], failingSince: '2026-01-01T00:00:00Z' });
    // A run under way keeps its start.
    expect(await endpoints.markFailing('a', '2026-01-02T00:00:00Z')).toMatchObject({ failingSince: '2026-01-01T00:00:00Z' });
    // A success in between (another start) cancels a disable decided on the older run.
    expect(await endpoints.disable('a', 'why', '2025-12-01T00:00:00Z')).toBeUndefined();
    expect(await endpoints.disable('a', 'why', '2026-01-01T00:00:00Z')).toMatchObject({ enabled: false, disabledReason: 'why', secretIds: ['s2'] });
    expect(await endpoints.disable('a', 'why', '2026-01-01T00:00:00Z')).toBeUndefined(); // told once
    await endpoints.markHealthy('a');
    expect(await endpoints.get('a')).toEqual(endpoint('a', 'acme', { secretIds: ['s2'], enabled: false, disabledReason: 'why' }));
  });
});

describe('DynamoDeliveryStore', () => {
  it('reads the dead-letter store since a time through the byStatus index', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [{ id: 'dlv_1', status: 'dead' }] });
    const store = new DynamoDeliveryStore(documents, 'deliveries');
    const dead = await store.listDead(new Date('2026-11-01T00:00:00Z'));
    expect(dead.map((d) => d.id)).toEqual(['dlv_1']);
    expect(dynamo).toHaveReceivedCommandWith(QueryCommand, {
      IndexName: 'byStatus',
      KeyConditionExpression: '#s = :dead AND updatedAt >= :since',
      ExpressionAttributeValues: { ':dead': 'dead', ':since': '2026-11-01T00:00:00.000Z' },
    });
  });

  it('reads an endpoint’s delivery log newest first', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [] });
    await new DynamoDeliveryStore(documents, 'deliveries').listForEndpoint('ep_1', 20);
    expect(dynamo).toHaveReceivedCommandWith(QueryCommand, { IndexName: 'byEndpoint', ScanIndexForward: false, Limit: 20 });
  });
});

describe('KmsSecrets', () => {
  it('stores only the KMS ciphertext, bound to the secret id, and decrypts once per container', async () => {
    kms.on(EncryptCommand).resolves({ CiphertextBlob: Buffer.from('sealed') });
    dynamo.on(PutCommand).resolves({});
    const secrets = new KmsSecrets(new KMSClient({ region: 'eu-west-1' }), 'alias/docpipe', documents, 'secrets');
    const id = await secrets.put('whsec_value');
    expect(id).toMatch(/^sec_/);
    expect(kms).toHaveReceivedCommandWith(EncryptCommand, { KeyId: 'alias/docpipe', EncryptionContext: { secretId: id } });
    const stored = dynamo.commandCalls(PutCommand)[0].args[0].input.Item!;
    expect(stored).toEqual({ id, ciphertext: Buffer.from('sealed').toString('base64') });
    expect(JSON.stringify(stored)).not.toContain('whsec_value');

    dynamo.on(GetCommand).resolves({ Item: stored });
    kms.on(DecryptCommand).resolves({ Plaintext: Buffer.from('whsec_value') });
    expect(await secrets.get(id)).toBe('whsec_value');
    expect(await secrets.get(id)).toBe('whsec_value');
    expect(kms).toHaveReceivedCommandTimes(DecryptCommand, 1);
    expect(kms).toHaveReceivedCommandWith(DecryptCommand, { EncryptionContext: { secretId: id } });
  });

  it.each([
    ['KMS throttles', () => kms.on(DecryptCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } }))],
    ['KMS fails', () => kms.on(DecryptCommand).rejects(Object.assign(new Error('boom'), { name: 'KMSInternalException', $metadata: { httpStatusCode: 500 } }))],
    ['DynamoDB throttles', () => dynamo.on(GetCommand).rejects(Object.assign(new Error('slow down'), { name: 'ProvisionedThroughputExceededException' }))],
  ])('says SECRETS_UNAVAILABLE, retryable, when %s', async (_case, fail) => {
    dynamo.on(GetCommand).resolves({ Item: { id: 'sec_1', ciphertext: 'AAAA' } });
    fail();
    await expect(new KmsSecrets(new KMSClient({ region: 'eu-west-1' }), 'k', documents, 'secrets').get('sec_1')).rejects.toMatchObject({ code: 'SECRETS_UNAVAILABLE', retryable: true });
  });

  it('says SECRET_NOT_FOUND for an unknown id', async () => {
    dynamo.on(GetCommand).resolves({});
    await expect(new KmsSecrets(new KMSClient({ region: 'eu-west-1' }), 'k', documents, 'secrets').get('sec_x')).rejects.toMatchObject({ code: 'SECRET_NOT_FOUND' });
  });
});
