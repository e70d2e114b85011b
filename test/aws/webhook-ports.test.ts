import { DecryptCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConditionalCheckFailedException, DynamoDBClient, TransactionCanceledException, type AttributeValue, type CancellationReason } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
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

  it('writes without undefined attributes, reads by id, and reads no counter item as an endpoint', async () => {
    dynamo.on(GetCommand).resolves({ Item: endpoint('a', 'acme') });
    const registry = new DynamoEndpointRegistry(documents, 'endpoints');
    await registry.put({ ...endpoint('a', 'acme'), failingSince: undefined });
    expect(dynamo).toHaveReceivedCommandWith(PutCommand, { TableName: 'endpoints', Item: endpoint('a', 'acme') });
    expect((await registry.get('a'))?.clientId).toBe('acme');
    dynamo.on(GetCommand).resolves({ Item: { id: 'count#acme', endpointCount: 3 } });
    expect(await registry.get('count#acme')).toBeUndefined();
  });
});

/** A cancelled transaction, with one reason per item as DynamoDB gives them. */
const cancelled = (...reasons: CancellationReason[]) => new TransactionCanceledException({ message: 'Transaction cancelled', $metadata: {}, CancellationReasons: reasons });
const checkFailed = (Item?: Record<string, AttributeValue>) => ({ Code: 'ConditionalCheckFailed', ...(Item ? { Item } : {}) });

describe('DynamoEndpointRegistry limit: a counter item written in the same transaction as the endpoint', () => {
  const registry = () => new DynamoEndpointRegistry(documents, 'endpoints');

  it('creates: the endpoint put only if new, the client’s counter incremented only under the limit, as one transaction', async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    expect(await registry().create({ ...endpoint('ep_1', 'acme'), failingSince: undefined }, 20)).toBe(true);
    const [input] = dynamo.commandCalls(TransactWriteCommand).map((call) => call.args[0].input);
    expect(input.TransactItems).toEqual([
      { Put: { TableName: 'endpoints', Item: endpoint('ep_1', 'acme'), ConditionExpression: 'attribute_not_exists(#id)', ExpressionAttributeNames: { '#id': 'id' } } },
      {
        Update: {
          TableName: 'endpoints',
          Key: { id: 'count#acme' },
          UpdateExpression: 'SET #count = #count + :one',
          ConditionExpression: '#count < :max',
          ExpressionAttributeNames: { '#count': 'endpointCount' },
          ExpressionAttributeValues: { ':one': 1, ':max': 20 },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
    ]);
    expect(dynamo).toHaveReceivedCommandTimes(PutCommand, 0);
  });

  it('refuses at the limit, writing nothing', async () => {
    dynamo.on(TransactWriteCommand).rejects(cancelled({ Code: 'None' }, checkFailed({ id: { S: 'count#acme' }, endpointCount: { N: '20' } })));
    expect(await registry().create(endpoint('ep_1', 'acme'), 20)).toBe(false);
    expect(dynamo).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
    expect(dynamo).toHaveReceivedCommandTimes(PutCommand, 0);
  });

  it('starts a missing counter from the endpoints the client has, then creates', async () => {
    dynamo.on(TransactWriteCommand).rejectsOnce(cancelled({ Code: 'None' }, checkFailed())).resolves({});
    dynamo.on(QueryCommand).resolves({ Items: [endpoint('a', 'acme'), endpoint('b', 'acme', { enabled: false })] });
    dynamo.on(PutCommand).resolves({});
    expect(await registry().create(endpoint('ep_1', 'acme'), 20)).toBe(true);
    expect(dynamo).toHaveReceivedCommandWith(QueryCommand, { IndexName: 'byClient', ExpressionAttributeValues: { ':c': 'acme' } });
    expect(dynamo).toHaveReceivedCommandWith(PutCommand, { TableName: 'endpoints', Item: { id: 'count#acme', endpointCount: 2 }, ConditionExpression: 'attribute_not_exists(#id)' });
    expect(dynamo).toHaveReceivedCommandTimes(TransactWriteCommand, 2);
  });

  it('tries again when a concurrent transaction on the counter cancelled it, and answers AWS_UNAVAILABLE after 5 tries', async () => {
    dynamo.on(TransactWriteCommand).rejectsOnce(cancelled({ Code: 'None' }, { Code: 'TransactionConflict' })).resolves({});
    expect(await registry().create(endpoint('ep_1', 'acme'), 20)).toBe(true);
    expect(dynamo).toHaveReceivedCommandTimes(TransactWriteCommand, 2);

    dynamo.reset();
    dynamo.on(TransactWriteCommand).rejects(cancelled({ Code: 'None' }, { Code: 'TransactionConflict' }));
    await expect(registry().create(endpoint('ep_1', 'acme'), 20)).rejects.toMatchObject({ code: 'AWS_UNAVAILABLE', retryable: true });
    expect(dynamo).toHaveReceivedCommandTimes(TransactWriteCommand, 5);
  });

  it('removes: the delete of an endpoint that exists and the decrement of its client’s counter, as one transaction', async () => {
    dynamo.on(GetCommand).resolves({ Item: endpoint('ep_1', 'acme') });
    dynamo.on(TransactWriteCommand).resolves({});
    await registry().remove('ep_1');
    expect(dynamo).toHaveReceivedCommandWith(GetCommand, { Key: { id: 'ep_1' }, ConsistentRead: true });
    const [input] = dynamo.commandCalls(TransactWriteCommand).map((call) => call.args[0].input);
    expect(input.TransactItems).toEqual([
      { Delete: { TableName: 'endpoints', Key: { id: 'ep_1' }, ConditionExpression: 'attribute_exists(#id)', ExpressionAttributeNames: { '#id': 'id' } } },
      {
        Update: {
          TableName: 'endpoints',
          Key: { id: 'count#acme' },
          UpdateExpression: 'SET #count = #count - :one',
          ConditionExpression: '#count > :zero',
          ExpressionAttributeNames: { '#count': 'endpointCount' },
          ExpressionAttributeValues: { ':one': 1, ':zero': 0 },
        },
      },
    ]);
    expect(dynamo).toHaveReceivedCommandTimes(DeleteCommand, 0);
  });

  it('frees nothing for an endpoint removed meanwhile, and deletes one without a counter plainly', async () => {
    dynamo.on(GetCommand).resolves({ Item: endpoint('ep_1', 'acme') });
    dynamo.on(TransactWriteCommand).rejects(cancelled(checkFailed(), { Code: 'None' }));
    await registry().remove('ep_1');
    expect(dynamo).toHaveReceivedCommandTimes(DeleteCommand, 0);

    dynamo.on(TransactWriteCommand).rejects(cancelled({ Code: 'None' }, checkFailed()));
    dynamo.on(DeleteCommand).resolves({});
    await registry().remove('ep_1');
    expect(dynamo).toHaveReceivedCommandWith(DeleteCommand, { TableName: 'endpoints', Key: { id: 'ep_1' } });

    dynamo.reset();
    dynamo.on(GetCommand).resolves({});
    await registry().remove('ep_gone');
    expect(dynamo).toHaveReceivedCommandTimes(TransactWriteCommand, 0);
  });
});

describe('DynamoEndpointRegistry client changes: conditional UpdateItems of an endpoint that exists', () => {
  const registry = () => new DynamoEndpointRegistry(documents, 'endpoints');

  it('replaces the secrets only over the ones read', async () => {
    dynamo.on(UpdateCommand).resolves({});
    expect(await registry().replaceSecrets('a', ['s1', 's2'], ['s2', 's3'])).toBe('updated');
    expect(dynamo).toHaveReceivedCommandWith(UpdateCommand, {
      TableName: 'endpoints',
      Key: { id: 'a' },
      UpdateExpression: 'SET #secretIds = :secretIds',
      ConditionExpression: 'attribute_exists(#id) AND #secretIds = :expected',
      ExpressionAttributeNames: { '#id': 'id', '#secretIds': 'secretIds' },
      ExpressionAttributeValues: { ':secretIds': ['s2', 's3'], ':expected': ['s1', 's2'] },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
    expect(dynamo).toHaveReceivedCommandTimes(PutCommand, 0);
  });

  it('tells an endpoint that changed from one that is gone', async () => {
    dynamo
      .on(UpdateCommand)
      .rejectsOnce(new ConditionalCheckFailedException({ message: 'failed', $metadata: {}, Item: { id: { S: 'a' }, secretIds: { L: [{ S: 's9' }] } } }))
      .rejectsOnce(new ConditionalCheckFailedException({ message: 'failed', $metadata: {} }));
    expect(await registry().replaceSecrets('a', ['s1'], ['s1', 's2'])).toBe('changed');
    expect(await registry().replaceSecrets('a', ['s1'], ['s1', 's2'])).toBe('gone');
  });

  it('enables: enabled set, disabledReason and failingSince removed, of an endpoint that exists', async () => {
    dynamo.on(UpdateCommand).resolves({ Attributes: endpoint('a', 'acme') });
    expect(await registry().enable('a')).toEqual(endpoint('a', 'acme'));
    expect(dynamo).toHaveReceivedCommandWith(UpdateCommand, {
      Key: { id: 'a' },
      UpdateExpression: 'SET #enabled = :true REMOVE #disabledReason, #failingSince',
      ConditionExpression: 'attribute_exists(#id)',
      ReturnValues: 'ALL_NEW',
    });
    dynamo.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'failed', $metadata: {} }));
    expect(await registry().enable('a')).toBeUndefined();
    expect(dynamo).toHaveReceivedCommandTimes(PutCommand, 0);
  });
});

describe('DynamoEndpointRegistry transient failures: retryable AWS_UNAVAILABLE (the API answers 503)', () => {
  const registry = () => new DynamoEndpointRegistry(documents, 'endpoints');
  const calls: [string, (r: DynamoEndpointRegistry) => Promise<unknown>][] = [
    ['get', (r) => r.get('a')],
    ['listForClient', (r) => r.listForClient('acme')],
    ['create', (r) => r.create(endpoint('a', 'acme'), 20)],
    ['remove', (r) => r.remove('a')],
    ['replaceSecrets', (r) => r.replaceSecrets('a', ['s'], ['s', 't'])],
    ['enable', (r) => r.enable('a')],
    ['markFailing', (r) => r.markFailing('a', '2026-01-01T00:00:00Z')],
  ];
  const failures: [string, Error][] = [
    ['throttled', Object.assign(new Error('Rate exceeded'), { name: 'ProvisionedThroughputExceededException', $metadata: { httpStatusCode: 400 } })],
    ['throttled by the account', Object.assign(new Error('Throughput exceeds the current capacity'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } })],
    ['failing', Object.assign(new Error('Internal server error'), { name: 'InternalServerError', $metadata: { httpStatusCode: 500 } })],
  ];

  it.each(calls.flatMap(([name, call]) => failures.map(([how, error]) => [name, how, call, error] as const)))('%s, DynamoDB %s', async (_name, _how, call, error) => {
    dynamo.on(GetCommand).resolves({ Item: endpoint('a', 'acme') });
    for (const command of [GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand] as const) dynamo.on(command as typeof GetCommand).rejects(error);
    await expect(call(registry())).rejects.toMatchObject({ code: 'AWS_UNAVAILABLE', retryable: true, cause: error });
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
    dynamo.on(UpdateCommand).rejects(Object.assign(new Error('Invalid UpdateExpression'), { name: 'ValidationException', $metadata: { httpStatusCode: 400 } }));
    await expect(registry().markFailing('a', '2026-01-03T00:00:00Z')).rejects.toMatchObject({ name: 'ValidationException' });
  });
});

describe('LocalEndpointRegistry health updates', () => {
  const registry = () => new LocalEndpointRegistry(mkdtempSync(join(tmpdir(), 'docpipe-endpoints-')));

  it('creates under the limit only, disabled endpoints counted, other clients not', async () => {
    const endpoints = registry();
    expect(await endpoints.create(endpoint('a', 'acme', { enabled: false }), 2)).toBe(true);
    expect(await endpoints.create(endpoint('x', 'globex'), 2)).toBe(true);
    expect(await endpoints.create(endpoint('b', 'acme'), 2)).toBe(true);
    expect(await endpoints.create(endpoint('c', 'acme'), 2)).toBe(false);
    expect(await endpoints.get('c')).toBeUndefined();
    await endpoints.remove('a');
    expect(await endpoints.create(endpoint('c', 'acme'), 2)).toBe(true);
  });

  it('changes only an endpoint that exists, and secrets only over the ones read', async () => {
    const endpoints = registry();
    expect(await endpoints.replaceSecrets('a', ['s'], ['s', 't'])).toBe('gone');
    expect(await endpoints.enable('a')).toBeUndefined();
    expect(await endpoints.get('a')).toBeUndefined();
    await endpoints.put(endpoint('a', 'acme', { secretIds: ['s'], enabled: false, disabledReason: 'why', failingSince: '2026-01-01T00:00:00Z' }));
    expect(await endpoints.replaceSecrets('a', ['r'], ['r', 't'])).toBe('changed');
    expect(await endpoints.replaceSecrets('a', ['s'], ['s', 't'])).toBe('updated');
    expect(await endpoints.enable('a')).toEqual(endpoint('a', 'acme', { secretIds: ['s', 't'], enabled: true }));
  });

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
