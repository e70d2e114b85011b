/**
 * The API Lambda behind API Gateway, wired from its environment, with the AWS SDK mocked: the API key id resolves
 * to a client through the clients table (cached), upload URLs and export links are real SigV4 presigned URLs,
 * unknown keys are refused, and neither secrets nor bodies reach the logs.
 */
import { Readable } from 'node:stream';
import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { sdkStreamMixin } from '@smithy/util-stream';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoClientDirectory } from '../../lambdas/aws/dynamo-client-directory';
import { normalizeResponse } from '../../lambdas/domain/adapters';
import { apiPathOf, handler } from '../../lambdas/handlers/api';
import { InProcessPageModel } from '../../lambdas/local/in-process-page-model';
import type { DocumentRecord } from '../../lambdas/ports/document-table';

const ENV = { DOCUMENTS_BUCKET: 'docpipe-documents-test', DOCUMENTS_TABLE: 'documents', ENDPOINTS_TABLE: 'endpoints', SECRETS_TABLE: 'secrets', KMS_KEY_ID: 'alias/docpipe', CLIENTS_TABLE: 'clients', AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEEXAMPLE00', AWS_SECRET_ACCESS_KEY: 'example/secret/key/0000000000000000000000' };
const KEYS: Record<string, string> = { 'key-acme': 'acme', 'key-globex': 'globex' };

const dynamo = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
const kms = mockClient(KMSClient);

function event(method: string, path: string, { apiKeyId = 'key-acme' as string | null, body, query, base64 = false }: { apiKeyId?: string | null; body?: unknown; query?: Record<string, string>; base64?: boolean } = {}): APIGatewayProxyEvent {
  const raw = body === undefined ? null : typeof body === 'string' ? body : JSON.stringify(body);
  return {
    httpMethod: method,
    path,
    // As API Gateway sends it for a `/{proxy+}` resource.
    resource: '/{proxy+}',
    pathParameters: { proxy: path.slice(1) },
    queryStringParameters: query ?? null,
    body: raw !== null && base64 ? Buffer.from(raw).toString('base64') : raw,
    isBase64Encoded: base64,
    headers: {},
    requestContext: { requestId: 'req-123', identity: { apiKeyId } },
  } as unknown as APIGatewayProxyEvent;
}

async function invoke(e: APIGatewayProxyEvent) {
  const result = await handler(e, { awsRequestId: 'lambda-req' });
  return { ...result, json: result.body ? JSON.parse(result.body) : undefined };
}

const record = (overrides: Partial<DocumentRecord> = {}): DocumentRecord => ({
  documentId: 'doc_0123456789abcdef0123456789abcdef',
  clientId: 'acme',
  status: 'completed',
  sourceKey: 'clients/acme/uploads/upl_1/receipt.jpg',
  sourceVersion: 'v1',
  name: 'receipt.jpg',
  contentType: 'image/jpeg',
  pageCount: 1,
  sha256: 'ab'.repeat(32),
  taskToken: 'token-that-must-not-leak',
  documentKey: 'work/doc_0123456789abcdef0123456789abcdef/document.json',
  exportKeys: { document: 'exports/acme/doc_0123456789abcdef0123456789abcdef/document.json', tables: [{ name: 'page-1-table-1.csv', key: 'exports/acme/doc_0123456789abcdef0123456789abcdef/tables/page-1-table-1.csv' }] },
  createdAt: '2026-11-25T10:00:00.000Z',
  updatedAt: '2026-11-25T10:00:05.000Z',
  ...overrides,
});

describe('api Lambda handler', () => {
  const saved = { ...process.env };
  let logs: string[];
  let spies: jest.SpyInstance[];

  beforeAll(() => Object.assign(process.env, ENV));
  afterAll(() => {
    process.env = saved;
  });
  beforeEach(() => {
    dynamo.reset();
    s3.reset();
    kms.reset();
    dynamo.on(GetCommand, { TableName: 'clients' }).callsFake((input: { Key: { apiKeyId: string } }) => ({ Item: KEYS[input.Key.apiKeyId] ? { apiKeyId: input.Key.apiKeyId, clientId: KEYS[input.Key.apiKeyId] } : undefined }));
    logs = [];
    // Powertools writes to stdout and stderr: both are the logs.
    spies = [process.stdout, process.stderr].map((stream) =>
      jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
        logs.push(String(chunk));
        return true;
      }),
    );
  });
  afterEach(() => spies.forEach((spy) => spy.mockRestore()));

  it('answers POST uploads with a presigned S3 PUT for the caller’s prefix, and caches the key’s client', async () => {
    const response = await invoke(event('POST', '/v1/clients/acme/uploads', { body: { name: 'receipt.jpg', contentType: 'image/jpeg' } }));
    expect(response.statusCode).toBe(201);
    expect(response.headers).toMatchObject({ 'content-type': 'application/json', 'cache-control': 'no-store' });
    const { uploadUrl, key, method, headers } = response.json;
    expect(method).toBe('PUT');
    expect(headers).toEqual({ 'content-type': 'image/jpeg' });
    expect(key).toMatch(/^clients\/acme\/uploads\/upl_[0-9a-f]{20}\/receipt\.jpg$/);
    const url = new URL(uploadUrl);
    expect(url.hostname).toBe('docpipe-documents-test.s3.eu-west-1.amazonaws.com');
    expect(decodeURIComponent(url.pathname)).toBe(`/${key}`);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
    expect(url.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(url.searchParams.get('X-Amz-Credential')).toMatch(/^AKIAEXAMPLEEXAMPLE00\/\d{8}\/eu-west-1\/s3\/aws4_request$/);
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(url.searchParams.get('x-id')).toBe('PutObject');

    const again = await invoke(event('POST', '/v1/clients/acme/uploads', { body: Buffer.from(JSON.stringify({ name: 'b.pdf', expiresInSeconds: 300 })).toString('utf8'), base64: true }));
    expect(again.statusCode).toBe(201);
    expect(new URL(again.json.uploadUrl).searchParams.get('X-Amz-Expires')).toBe('300');
    // One lookup of the key for both requests: the container caches it.
    expect(dynamo.commandCalls(GetCommand, { TableName: 'clients' })).toHaveLength(1);
    expect(dynamo).toHaveReceivedCommandWith(GetCommand, { TableName: 'clients', Key: { apiKeyId: 'key-acme' } });
  });

  it('refuses an API key that belongs to no client, and a request without one, with 403 API_KEY_UNKNOWN', async () => {
    for (const apiKeyId of ['key-stranger', null]) {
      const response = await invoke(event('GET', '/v1/clients/acme/webhooks', { apiKeyId }));
      expect(response.statusCode).toBe(403);
      expect(response.json.error.code).toBe('API_KEY_UNKNOWN');
    }
    expect(dynamo).not.toHaveReceivedCommandWith(QueryCommand, { TableName: 'endpoints' });
  });

  it('refuses another client’s path with 403 API_FORBIDDEN before touching anything', async () => {
    const response = await invoke(event('GET', '/v1/clients/acme/documents/doc_0123456789abcdef0123456789abcdef', { apiKeyId: 'key-globex' }));
    expect(response.statusCode).toBe(403);
    expect(response.json.error.code).toBe('API_FORBIDDEN');
    expect(dynamo.commandCalls(GetCommand, { TableName: 'documents' })).toHaveLength(0);
  });

  it('reads a document: status, the page classes of its export, presigned export links; a foreign one is 404', async () => {
    const document = normalizeResponse(JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'documents', 'receipt.jpg.textract.json'), 'utf8')));
    const predictions = await new InProcessPageModel().predict(document.pages);
    document.pages.forEach((page, i) => (page.predictions = predictions[i]));
    dynamo.on(GetCommand, { TableName: 'documents' }).resolves({ Item: record({ pageCount: document.pages.length }) });
    s3.on(GetObjectCommand, { Key: record().exportKeys!.document }).resolves({ Body: sdkStreamMixin(Readable.from([Buffer.from(JSON.stringify(document))])), ContentType: 'application/json' } as never);

    const response = await invoke(event('GET', '/v1/clients/acme/documents/doc_0123456789abcdef0123456789abcdef'));
    expect(response.statusCode).toBe(200);
    expect(response.json).toMatchObject({ documentId: record().documentId, status: 'completed', name: 'receipt.jpg', pageCount: document.pages.length, needsReview: false });
    expect(response.json.pages).toEqual(predictions.map((p, i) => ({ number: i + 1, label: p.label, confidence: p.confidence, needsReview: p.needsReview ?? false })));
    const link = new URL(response.json.exports.document);
    expect(link.hostname).toBe('docpipe-documents-test.s3.eu-west-1.amazonaws.com');
    expect(decodeURIComponent(link.pathname)).toBe(`/${record().exportKeys!.document}`);
    expect(link.searchParams.get('X-Amz-Expires')).toBe('3600');
    expect(link.searchParams.get('x-id')).toBe('GetObject');
    expect(response.json.exports.tables[0].name).toBe('page-1-table-1.csv');
    expect(response.body).not.toMatch(/token-that-must-not-leak/);

    dynamo.on(GetCommand, { TableName: 'documents' }).resolves({ Item: record({ clientId: 'globex' }) });
    const foreign = await invoke(event('GET', '/v1/clients/acme/documents/doc_0123456789abcdef0123456789abcdef'));
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json.error.code).toBe('DOCUMENT_NOT_FOUND');
  });

  it('registers a webhook through KMS and DynamoDB, and logs neither the secret nor the body', async () => {
    kms.on(EncryptCommand).resolves({ CiphertextBlob: new Uint8Array([1, 2, 3]) });
    dynamo.on(PutCommand).resolves({});
    dynamo.on(TransactWriteCommand).resolves({});
    // An address literal: the guard checks it without DNS.
    const response = await invoke(event('POST', '/v1/clients/acme/webhooks', { body: { url: 'https://93.184.215.14/docpipe', events: ['document.failed'] } }));
    expect(response.statusCode).toBe(201);
    const { secret, endpoint } = response.json;
    expect(secret).toMatch(/^whsec_/);
    // The endpoint and its client's counter, in one transaction (the per-client limit).
    const [items] = dynamo.commandCalls(TransactWriteCommand).map((call) => call.args[0].input.TransactItems!);
    expect(items[0].Put).toMatchObject({ TableName: 'endpoints', Item: expect.objectContaining({ id: endpoint.id, clientId: 'acme', url: 'https://93.184.215.14/docpipe', eventTypes: ['document.failed'] }) });
    expect(items[1].Update).toMatchObject({ TableName: 'endpoints', Key: { id: 'count#acme' }, ConditionExpression: '#count < :max', ExpressionAttributeValues: { ':one': 1, ':max': 20 } });
    expect(kms).toHaveReceivedCommandWith(EncryptCommand, { KeyId: 'alias/docpipe' });
    const logged = logs.join('');
    expect(logged).toMatch(/"status":201/);
    expect(logged).toMatch(/"clientId":"acme"/);
    expect(logged).not.toContain(secret);
    expect(logged).not.toContain('93.184.215.14');
  });

  it('refuses a webhook into the cloud’s own network with 422', async () => {
    const response = await invoke(event('POST', '/v1/clients/acme/webhooks', { body: { url: 'https://169.254.169.254/latest/meta-data/' } }));
    expect(response.statusCode).toBe(422);
    expect(response.json.error.code).toBe('WEBHOOK_ADDRESS_FORBIDDEN');
    expect(dynamo).not.toHaveReceivedCommand(PutCommand);
  });

  it('answers a 409 WEBHOOK_ENDPOINT_LIMIT when the counter is full, and removes the secret it made', async () => {
    kms.on(EncryptCommand).resolves({ CiphertextBlob: new Uint8Array([1, 2, 3]) });
    dynamo.on(PutCommand).resolves({});
    dynamo.on(TransactWriteCommand).rejects(new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed', Item: { endpointCount: { N: '20' } } }] }));
    const response = await invoke(event('POST', '/v1/clients/acme/webhooks', { body: { url: 'https://93.184.215.14/docpipe' } }));
    expect([response.statusCode, response.json.error.code]).toEqual([409, 'WEBHOOK_ENDPOINT_LIMIT']);
    const secretId = dynamo.commandCalls(PutCommand, { TableName: 'secrets' })[0].args[0].input.Item!.id;
    expect(dynamo).toHaveReceivedCommandWith(DeleteCommand, { TableName: 'secrets', Key: { id: secretId } });
  });

  it.each([
    ['ProvisionedThroughputExceededException', 400],
    ['ThrottlingException', 400],
    ['InternalServerError', 500],
  ])('answers 503 API_UNAVAILABLE with Retry-After when the clients or the endpoints table fails with %s', async (name, httpStatusCode) => {
    const failure = () => Object.assign(new Error('DynamoDB says no'), { name, $metadata: { httpStatusCode } });
    // A key no test looked up before: the container's cache does not answer for it.
    dynamo.on(GetCommand, { TableName: 'clients', Key: { apiKeyId: `key-${name}` } }).rejects(failure());
    const clients = await invoke(event('GET', '/v1/clients/acme/webhooks', { apiKeyId: `key-${name}` }));
    dynamo.on(QueryCommand, { TableName: 'endpoints' }).rejects(failure());
    const endpoints = await invoke(event('GET', '/v1/clients/acme/webhooks'));
    for (const response of [clients, endpoints]) {
      expect(response.statusCode).toBe(503);
      expect(response.headers).toMatchObject({ 'retry-after': '1' });
      expect(response.json).toEqual({ error: { code: 'API_UNAVAILABLE', message: 'A store is unavailable for a moment: try again.', requestId: 'req-123' } });
    }
  });

  it('answers a failure of DynamoDB with a bare 500 carrying the request id, and logs the cause', async () => {
    dynamo.on(GetCommand, { TableName: 'documents' }).rejects(new Error('connect ECONNREFUSED 10.0.0.1:443'));
    const response = await invoke(event('GET', '/v1/clients/acme/documents/doc_0123456789abcdef0123456789abcdef'));
    expect(response.statusCode).toBe(500);
    expect(response.json).toEqual({ error: { code: 'INTERNAL_ERROR', message: 'Something went wrong on our side.', requestId: 'req-123' } });
    expect(logs.join('')).toMatch(/"apiRequestId":"req-123".*ECONNREFUSED/);
  });
});

describe('apiPathOf', () => {
  it('rebuilds the path from the resource, without a stage or base path', () => {
    expect(apiPathOf({ path: '/prod/v1/clients/acme/webhooks', resource: '/{proxy+}', pathParameters: { proxy: 'v1/clients/acme/webhooks' } })).toBe('/v1/clients/acme/webhooks');
    expect(apiPathOf({ path: '/docpipe/v1/clients/acme/webhooks/ep_1/rotate', resource: '/v1/clients/{clientId}/webhooks/{endpointId}/rotate', pathParameters: { clientId: 'acme', endpointId: 'ep_1' } })).toBe('/v1/clients/acme/webhooks/ep_1/rotate');
    expect(apiPathOf({ path: '/base/v1/clients/acme/uploads', resource: '', pathParameters: null })).toBe('/v1/clients/acme/uploads');
  });
});

describe('DynamoClientDirectory', () => {
  beforeEach(() => dynamo.reset());

  it('caches known keys for minutes and unknown keys briefly; a disabled key is unknown', async () => {
    let now = 0;
    dynamo.on(GetCommand).callsFake((input: { Key: { apiKeyId: string } }) => ({ Item: { k1: { clientId: 'acme' }, k2: { clientId: 'globex', disabled: true } }[input.Key.apiKeyId] }));
    const directory = new DynamoClientDirectory(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })), 'clients', { now: () => now });
    expect(await directory.clientIdForApiKey('k1')).toBe('acme');
    expect(await directory.clientIdForApiKey('k2')).toBeUndefined();
    expect(await directory.clientIdForApiKey('k3')).toBeUndefined();
    now = 29_000;
    await directory.clientIdForApiKey('k1');
    await directory.clientIdForApiKey('k3');
    expect(dynamo.commandCalls(GetCommand)).toHaveLength(3);
    now = 31_000;
    await directory.clientIdForApiKey('k3');
    await directory.clientIdForApiKey('k1');
    expect(dynamo.commandCalls(GetCommand)).toHaveLength(4);
    now = 301_000;
    await directory.clientIdForApiKey('k1');
    expect(dynamo.commandCalls(GetCommand)).toHaveLength(5);
  });

  it('says AWS_UNAVAILABLE, retryable, when the table is throttled, and does not remember the failure', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ProvisionedThroughputExceededException', $metadata: { httpStatusCode: 400 } });
    dynamo.on(GetCommand).rejectsOnce(throttled).resolves({ Item: { clientId: 'acme' } });
    const directory = new DynamoClientDirectory(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })), 'clients');
    await expect(directory.clientIdForApiKey('k1')).rejects.toMatchObject({ code: 'AWS_UNAVAILABLE', retryable: true, cause: throttled });
    expect(await directory.clientIdForApiKey('k1')).toBe('acme');
  });
});
