import { DecryptCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { DynamoDeliveryStore } from '../../lambdas/aws/dynamo-delivery-store';
import { DynamoEndpointRegistry } from '../../lambdas/aws/dynamo-endpoint-registry';
import { KmsSecrets } from '../../lambdas/aws/kms-secrets';

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

  it('says SECRET_NOT_FOUND for an unknown id', async () => {
    dynamo.on(GetCommand).resolves({});
    await expect(new KmsSecrets(new KMSClient({ region: 'eu-west-1' }), 'k', documents, 'secrets').get('sec_x')).rejects.toMatchObject({ code: 'SECRET_NOT_FOUND' });
  });
});
