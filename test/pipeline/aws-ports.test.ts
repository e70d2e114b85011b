/** The AWS implementations of the pipeline's ports against aws-sdk-client-mock: requests made, errors mapped. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ExecutionAlreadyExists, SendTaskFailureCommand, SendTaskSuccessCommand, SFNClient, StartExecutionCommand, TaskTimedOut } from '@aws-sdk/client-sfn';
import { AnalyzeDocumentCommand, GetDocumentAnalysisCommand, StartDocumentAnalysisCommand, TextractClient, ThrottlingException, InvalidParameterException } from '@aws-sdk/client-textract';
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { sdkStreamMixin } from '@smithy/util-stream';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { DynamoDocumentTable } from '../../lambdas/aws/dynamo-document-table';
import { EventBridgeEventBus } from '../../lambdas/aws/eventbridge-event-bus';
import { bucketsFromEnvironment, ingestBucketFromEnvironment } from '../../lambdas/aws/environment';
import { pageModelClientConfig } from '../../lambdas/aws/pipeline-deps';
import { S3ObjectStore } from '../../lambdas/aws/s3-object-store';
import { SfnExecutionStarter, SfnTaskCallbacks } from '../../lambdas/aws/sfn-executions';
import { TextractOcr } from '../../lambdas/aws/textract-ocr';
import type { PipelineDeps } from '../../lambdas/domain/pipeline/deps';
import { createOcrJobCompletedHandler } from '../../lambdas/handlers/ocr-job-completed';
import { FileDocumentTable } from '../../lambdas/local/file-document-table';
import type { DocumentRecord } from '../../lambdas/ports/document-table';
import { tempDir } from './support';

const s3 = mockClient(S3Client);
const ddb = mockClient(DynamoDBDocumentClient);
const events = mockClient(EventBridgeClient);
const sfn = mockClient(SFNClient);
const textract = mockClient(TextractClient);
beforeEach(() => [s3, ddb, events, sfn, textract].forEach((m) => m.reset()));

const throttling = () => new ThrottlingException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } });
const stream = (text: string) => sdkStreamMixin(Readable.from([Buffer.from(text)]));
const analysis = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'textract', 'textractor-multipage-analysis.json'), 'utf8'));
const formResponse = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'documents', 'form.png.textract.json'), 'utf8'));

describe('S3ObjectStore', () => {
  const store = new S3ObjectStore(new S3Client({ region: 'us-east-1' }), 'docs');

  it('puts and gets with the bucket, content type and version', async () => {
    s3.on(PutObjectCommand).resolves({ ETag: '"e1"', VersionId: 'v1' });
    s3.on(GetObjectCommand).resolves({ Body: stream('hello'), ContentType: 'text/plain', VersionId: 'v1' } as never);
    expect(await store.put('a/b.txt', 'hello', { contentType: 'text/plain' })).toMatchObject({ version: 'v1', size: 5 });
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, { Bucket: 'docs', Key: 'a/b.txt', ContentType: 'text/plain' });
    const got = await store.get('a/b.txt');
    expect(Buffer.from(got.bytes).toString()).toBe('hello');
  });

  it('maps NoSuchKey to OBJECT_NOT_FOUND and SlowDown to the retryable STORE_UNAVAILABLE', async () => {
    s3.on(GetObjectCommand).rejectsOnce(Object.assign(new Error('nope'), { name: 'NoSuchKey' })).rejectsOnce(Object.assign(new Error('slow'), { name: 'SlowDown', $metadata: { httpStatusCode: 503 } }));
    await expect(store.get('x')).rejects.toMatchObject({ code: 'OBJECT_NOT_FOUND' });
    await expect(store.get('x')).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE', retryable: true });
  });

  it('reads the version asked for: a version id by VersionId, an ETag (unversioned bucket) only while the key still has it', async () => {
    s3.on(GetObjectCommand).callsFake(() => ({ Body: stream('v1 bytes'), VersionId: 'v1' }));
    const got = await store.get('clients/acme/a.pdf', { version: '3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY' });
    expect(Buffer.from(got.bytes).toString()).toBe('v1 bytes');
    expect(s3.commandCalls(GetObjectCommand)[0].args[0].input).toEqual({ Bucket: 'docs', Key: 'clients/acme/a.pdf', VersionId: '3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY' });
    await store.get('clients/acme/a.pdf', { version: 'd41d8cd98f00b204e9800998ecf8427e-2' });
    const byEtag = s3.commandCalls(GetObjectCommand)[1].args[0].input;
    expect(byEtag).toMatchObject({ IfMatch: '"d41d8cd98f00b204e9800998ecf8427e-2"' });
    expect(byEtag.VersionId).toBeUndefined();
    await store.get('clients/acme/a.pdf');
    expect(s3.commandCalls(GetObjectCommand)[2].args[0].input).toEqual({ Bucket: 'docs', Key: 'clients/acme/a.pdf' });
  });

  it('maps a failed If-Match to OBJECT_VERSION_CHANGED and a deleted version to OBJECT_NOT_FOUND, neither retryable', async () => {
    s3.on(GetObjectCommand)
      .rejectsOnce(Object.assign(new Error('At least one of the pre-conditions you specified did not hold'), { name: 'PreconditionFailed', $metadata: { httpStatusCode: 412 } }))
      .rejectsOnce(Object.assign(new Error('The specified version does not exist.'), { name: 'NoSuchVersion', $metadata: { httpStatusCode: 404 } }));
    await expect(store.get('clients/acme/a.pdf', { version: '"d41d8cd98f00b204e9800998ecf8427e"' })).rejects.toMatchObject({ code: 'OBJECT_VERSION_CHANGED', retryable: false });
    await expect(store.get('clients/acme/a.pdf', { version: 'v-gone' })).rejects.toMatchObject({ code: 'OBJECT_NOT_FOUND', retryable: false });
  });

  it('lists every page of a prefix', async () => {
    s3.on(ListObjectsV2Command).resolvesOnce({ Contents: [{ Key: 'p/2' }], IsTruncated: true, NextContinuationToken: 't' }).resolvesOnce({ Contents: [{ Key: 'p/1' }], IsTruncated: false });
    expect(await store.list('p/')).toEqual(['p/1', 'p/2']);
    expect(s3).toHaveReceivedCommandTimes(ListObjectsV2Command, 2);
  });

  it('with the deployed three buckets: uploads, OCR output and exports each in their own, from the environment', async () => {
    const env = { INGEST_BUCKET: 'in', OCR_BUCKET: 'ocr', RESULTS_BUCKET: 'out' };
    Object.assign(process.env, env);
    try {
      const credentials = { accessKeyId: 'AKIAEXAMPLEEXAMPLE00', secretAccessKey: 'example' };
      const routed = new S3ObjectStore(new S3Client({ region: 'us-east-1', credentials }), bucketsFromEnvironment());
      s3.on(PutObjectCommand).resolves({ ETag: '"e"' });
      await routed.put('clients/acme/a.pdf', 'x');
      await routed.put('work/doc_1/document.json', '{}');
      await routed.put('exports/acme/doc_1/document.json', '{}');
      expect(s3.commandCalls(PutObjectCommand).map((c) => [c.args[0].input.Bucket, c.args[0].input.Key])).toEqual([
        ['in', 'clients/acme/a.pdf'],
        ['ocr', 'work/doc_1/document.json'],
        ['out', 'exports/acme/doc_1/document.json'],
      ]);
      expect(await routed.urlFor('exports/acme/doc_1/document.json')).toMatch(/^https:\/\/out\.s3\.us-east-1\.amazonaws\.com\/exports\/acme\/doc_1\/document\.json\?/);
      expect(ingestBucketFromEnvironment()).toBe('in');
    } finally {
      for (const name of Object.keys(env)) delete process.env[name];
    }
  });
});

describe('DynamoDocumentTable', () => {
  const table = new DynamoDocumentTable(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })), 'documents', () => new Date('2026-01-01T00:00:00Z'));
  const record: DocumentRecord = { documentId: 'doc_1', clientId: 'acme', status: 'received', sourceKey: 'clients/acme/a.pdf', sourceVersion: 'v1', createdAt: 'x', updatedAt: 'x' };

  it('creates only when the id is new', async () => {
    ddb.on(PutCommand).resolvesOnce({}).rejectsOnce(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));
    expect(await table.create(record)).toBe(true);
    expect(await table.create(record)).toBe(false);
    expect(ddb).toHaveReceivedCommandWith(PutCommand, { TableName: 'documents', ConditionExpression: 'attribute_not_exists(documentId)' });
  });

  it('moves the status only from the expected one, removes cleared attributes, and names the conflict', async () => {
    ddb.on(UpdateCommand).resolvesOnce({ Attributes: { ...record, status: 'processing' } }).rejectsOnce(new ConditionalCheckFailedException({ message: 'no', $metadata: {}, Item: { status: { S: 'completed' } } }));
    expect(await table.update('doc_1', { status: 'processing', taskToken: undefined }, { expectedStatus: ['received'] })).toMatchObject({ status: 'processing' });
    const sent = ddb.commandCalls(UpdateCommand)[0].args[0].input;
    expect(sent.UpdateExpression).toMatch(/^SET .+ REMOVE #a\d$/);
    expect(sent.ConditionExpression).toBe('attribute_exists(#documentId) AND #status IN (:s0)');
    expect(sent.ExpressionAttributeValues).toMatchObject({ ':s0': 'received' });
    await expect(table.update('doc_1', { status: 'processing' }, { expectedStatus: ['received'] })).rejects.toMatchObject({ code: 'DOCUMENT_STATUS_CONFLICT', details: { status: 'completed' } });
  });

  it('writes on condition of the task token held (or none held), and names a token conflict', async () => {
    ddb.on(UpdateCommand).resolvesOnce({ Attributes: record }).resolvesOnce({ Attributes: record }).rejectsOnce(new ConditionalCheckFailedException({ message: 'no', $metadata: {}, Item: { status: { S: 'processing' } } }));
    await table.update('doc_1', { taskToken: undefined }, { expectedStatus: ['processing'], expectedTaskToken: 'token-1' });
    expect(ddb.commandCalls(UpdateCommand)[0].args[0].input).toMatchObject({ ConditionExpression: 'attribute_exists(#documentId) AND #status IN (:s0) AND #taskToken = :taskToken', ExpressionAttributeValues: { ':taskToken': 'token-1' } });
    await table.update('doc_1', { taskToken: 'token-1' }, { expectedTaskToken: null });
    expect(ddb.commandCalls(UpdateCommand)[1].args[0].input.ConditionExpression).toBe('attribute_exists(#documentId) AND attribute_not_exists(#taskToken)');
    await expect(table.update('doc_1', { taskToken: undefined }, { expectedStatus: ['processing'], expectedTaskToken: 'token-1' })).rejects.toMatchObject({ code: 'DOCUMENT_STATUS_CONFLICT', message: expect.stringContaining('no longer holds the task token') });
  });

  it('throttling is the retryable TABLE_UNAVAILABLE', async () => {
    ddb.on(PutCommand).rejects(Object.assign(new Error('slow'), { name: 'ProvisionedThroughputExceededException', $metadata: { httpStatusCode: 400 } }));
    await expect(table.create(record)).rejects.toMatchObject({ code: 'TABLE_UNAVAILABLE', retryable: true });
  });
});

describe('EventBridgeEventBus', () => {
  const bus = new EventBridgeEventBus(new EventBridgeClient({ region: 'us-east-1' }), 'docpipe-bus');
  const event = (i: number) => ({ type: 'document.completed', clientId: 'acme', documentId: `doc_${i}`, detail: { status: 'completed' } });

  it('sends at most 10 entries per call, source docpipe, detail-type the event type', async () => {
    events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [] });
    await bus.publish(Array.from({ length: 12 }, (_, i) => event(i)));
    expect(events).toHaveReceivedCommandTimes(PutEventsCommand, 2);
    const first = events.commandCalls(PutEventsCommand)[0].args[0].input.Entries!;
    expect(first).toHaveLength(10);
    expect(first[0]).toMatchObject({ EventBusName: 'docpipe-bus', Source: 'docpipe', DetailType: 'document.completed' });
    expect(JSON.parse(first[0].Detail!)).toMatchObject({ clientId: 'acme', documentId: 'doc_0' });
  });

  it('a partly refused batch is an error, not a silent drop', async () => {
    events.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'ThrottlingException' }] });
    await expect(bus.publish([event(1)])).rejects.toMatchObject({ code: 'EVENT_BUS_UNAVAILABLE', retryable: true });
  });
});

describe('Step Functions ports', () => {
  it('a second start under the same name is a duplicate', async () => {
    sfn.on(StartExecutionCommand).resolvesOnce({ executionArn: 'arn' }).rejectsOnce(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }));
    const starter = new SfnExecutionStarter(new SFNClient({ region: 'us-east-1' }), 'arn:sm');
    expect(await starter.start('doc_1', { a: 1 })).toBe('started');
    expect(await starter.start('doc_1', { a: 1 })).toBe('duplicate');
    expect(sfn).toHaveReceivedCommandWith(StartExecutionCommand, { stateMachineArn: 'arn:sm', name: 'doc_1', input: '{"a":1}' });
  });

  it('answers task tokens; a token nobody waits for any more is OCR_JOB_UNKNOWN', async () => {
    const callbacks = new SfnTaskCallbacks(new SFNClient({ region: 'us-east-1' }));
    sfn.on(SendTaskSuccessCommand).resolvesOnce({}).rejectsOnce(new TaskTimedOut({ message: 'late', $metadata: {} }));
    sfn.on(SendTaskFailureCommand).resolves({});
    await callbacks.succeed('t1', { documentKey: 'k' });
    expect(sfn).toHaveReceivedCommandWith(SendTaskSuccessCommand, { taskToken: 't1', output: '{"documentKey":"k"}' });
    await expect(callbacks.succeed('t1', {})).rejects.toMatchObject({ code: 'OCR_JOB_UNKNOWN' });
    await callbacks.fail('t2', 'OCR_FAILED', 'x'.repeat(40000));
    expect(sfn.commandCalls(SendTaskFailureCommand)[0].args[0].input.cause).toHaveLength(32768);
  });
});

describe('TextractOcr', () => {
  const ocr = new TextractOcr(new TextractClient({ region: 'us-east-1' }), { bucket: 'docs', snsTopicArn: 'arn:sns:topic', snsRoleArn: 'arn:iam:role' });
  const request = { documentId: 'doc_1', key: 'clients/acme/a.pdf', contentType: 'application/pdf', sha256: 'a'.repeat(64) };

  it('sync: AnalyzeDocument on the bytes, normalised into the common format', async () => {
    textract.on(AnalyzeDocumentCommand).resolves(formResponse);
    const document = await ocr.recognize({ ...request, contentType: 'image/png', bytes: new Uint8Array([1, 2, 3]) });
    expect(document.producer.vendor).toBe('textract');
    expect(document.pages).toHaveLength(1);
    expect(document.pages[0].words.length).toBeGreaterThan(50);
    expect(textract).toHaveReceivedCommandWith(AnalyzeDocumentCommand, { FeatureTypes: ['TABLES', 'FORMS', 'LAYOUT'] });
  });

  it('maps throttling to the retryable OCR_THROTTLED and a bad document to OCR_FAILED', async () => {
    textract.on(AnalyzeDocumentCommand).rejectsOnce(throttling()).rejectsOnce(new InvalidParameterException({ message: 'bad', $metadata: {} }));
    await expect(ocr.recognize({ ...request, bytes: new Uint8Array([1]) })).rejects.toMatchObject({ code: 'OCR_THROTTLED', retryable: true });
    await expect(ocr.recognize({ ...request, bytes: new Uint8Array([1]) })).rejects.toMatchObject({ code: 'OCR_FAILED', retryable: false });
  });

  it('async start: S3 location, SNS channel, the document id as token and tag', async () => {
    textract.on(StartDocumentAnalysisCommand).resolves({ JobId: 'job-1' });
    expect(await ocr.start(request)).toEqual({ jobId: 'job-1' });
    expect(textract).toHaveReceivedCommandWith(StartDocumentAnalysisCommand, {
      DocumentLocation: { S3Object: { Bucket: 'docs', Name: 'clients/acme/a.pdf' } },
      ClientRequestToken: 'doc_1',
      JobTag: 'doc_1',
      NotificationChannel: { SNSTopicArn: 'arn:sns:topic', RoleArn: 'arn:iam:role' },
    });
  });

  it('async start reads the version the event named (S3Object.Version); an ETag is no version id and is not passed', async () => {
    textract.on(StartDocumentAnalysisCommand).resolves({ JobId: 'job-1' });
    await ocr.start({ ...request, version: '3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY' });
    expect(textract.commandCalls(StartDocumentAnalysisCommand)[0].args[0].input.DocumentLocation).toEqual({ S3Object: { Bucket: 'docs', Name: 'clients/acme/a.pdf', Version: '3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY' } });
    await ocr.start({ ...request, version: 'd41d8cd98f00b204e9800998ecf8427e' });
    expect(textract.commandCalls(StartDocumentAnalysisCommand)[1].args[0].input.DocumentLocation).toEqual({ S3Object: { Bucket: 'docs', Name: 'clients/acme/a.pdf' } });
  });

  it('async collect: every NextToken page, into one document', async () => {
    const blocks = analysis.Blocks as unknown[];
    const third = Math.ceil(blocks.length / 3);
    const chunk = (i: number, next?: string) => ({ ...analysis, Blocks: blocks.slice(i * third, (i + 1) * third), NextToken: next });
    textract.on(GetDocumentAnalysisCommand).resolvesOnce(chunk(0, 'n1')).resolvesOnce(chunk(1, 'n2')).resolvesOnce(chunk(2));
    const document = await ocr.collect('job-1', request);
    expect(textract).toHaveReceivedCommandTimes(GetDocumentAnalysisCommand, 3);
    expect(textract.commandCalls(GetDocumentAnalysisCommand).map((c) => c.args[0].input.NextToken)).toEqual([undefined, 'n1', 'n2']);
    expect(document.pages).toHaveLength(2);
    expect(document.pages.flatMap((p) => p.words).length).toBe(blocks.filter((b) => (b as { BlockType: string }).BlockType === 'WORD').length);
  });

  it('async collect: a NextToken given twice is a non-retryable OCR_FAILED at once, not an endless loop', async () => {
    // Stopped by the test after 1,000 calls, in case collect does not stop by itself.
    let n = 0;
    textract.on(GetDocumentAnalysisCommand).callsFake(() => {
      if (++n > 1000) throw new Error('test: still looping');
      return { JobStatus: 'SUCCEEDED', DocumentMetadata: { Pages: 1 }, Blocks: [{ BlockType: 'PAGE', Id: 'p1', Page: 1 }], NextToken: 'same-token' };
    });
    await expect(ocr.collect('job-1', request)).rejects.toMatchObject({ code: 'OCR_FAILED', retryable: false, message: expect.stringContaining('NextToken it had already given') });
    expect(textract.commandCalls(GetDocumentAnalysisCommand).map((c) => c.args[0].input.NextToken)).toEqual([undefined, 'same-token']);
  });

  it('async collect: more result pages than the document\'s pages can fill (20 a page) is OCR_FAILED, however new each NextToken', async () => {
    let n = 0;
    textract.on(GetDocumentAnalysisCommand).callsFake(() => {
      if (n >= 1000) throw new Error('test: still looping');
      return { JobStatus: 'SUCCEEDED', DocumentMetadata: { Pages: 2 }, Blocks: [{ BlockType: 'PAGE', Id: `p${n}`, Page: 1 }], NextToken: `token-${++n}` };
    });
    await expect(ocr.collect('job-1', request)).rejects.toMatchObject({ code: 'OCR_FAILED', retryable: false, message: expect.stringContaining('more than a 2-page document can fill') });
    expect(textract).toHaveReceivedCommandTimes(GetDocumentAnalysisCommand, 40);
  });

  it('async collect of a FAILED job is OCR_FAILED', async () => {
    textract.on(GetDocumentAnalysisCommand).resolves({ JobStatus: 'FAILED', StatusMessage: 'UNSUPPORTED_DOCUMENT' });
    await expect(ocr.collect('job-1', request)).rejects.toMatchObject({ code: 'OCR_FAILED', message: expect.stringContaining('UNSUPPORTED_DOCUMENT') });
  });

  it('the completion handler: throttled on page 2 -> throws (SNS delivers again); then reads all pages and answers the token', async () => {
    const blocks = analysis.Blocks as unknown[];
    const half = Math.ceil(blocks.length / 2);
    textract
      .on(GetDocumentAnalysisCommand)
      .resolvesOnce({ ...analysis, Blocks: blocks.slice(0, half), NextToken: 'n1' })
      .rejectsOnce(throttling())
      .resolvesOnce({ ...analysis, Blocks: blocks.slice(0, half), NextToken: 'n1' })
      .resolvesOnce({ ...analysis, Blocks: blocks.slice(half) });
    sfn.on(SendTaskSuccessCommand).resolves({});
    s3.on(PutObjectCommand).resolves({ ETag: '"e"' });
    const record: DocumentRecord = { ...{ documentId: 'doc_1', clientId: 'acme', status: 'processing', sourceKey: request.key, sourceVersion: 'v1', contentType: 'application/pdf', sha256: request.sha256, taskToken: 'token-1', ocrJobId: 'job-1', createdAt: 'x', updatedAt: 'x' } };
    const table = new FileDocumentTable(tempDir());
    await table.create(record);
    const deps = {
      table,
      store: new S3ObjectStore(new S3Client({ region: 'us-east-1' }), 'docs'),
      ocrJobs: ocr,
      callbacks: new SfnTaskCallbacks(new SFNClient({ region: 'us-east-1' })),
    } as unknown as PipelineDeps;
    const handler = createOcrJobCompletedHandler(() => deps);
    const sns = { Records: [{ Sns: { Message: JSON.stringify({ JobId: 'job-1', Status: 'SUCCEEDED', JobTag: 'doc_1', API: 'StartDocumentAnalysis' }) } }] };
    await expect(handler(sns)).rejects.toMatchObject({ code: 'OCR_THROTTLED' });
    expect(sfn).not.toHaveReceivedCommand(SendTaskSuccessCommand);
    await expect(handler(sns)).resolves.toMatchObject({ results: [{ documentId: 'doc_1', answered: true, outcome: 'succeeded' }] });
    expect(sfn).toHaveReceivedCommandWith(SendTaskSuccessCommand, { taskToken: 'token-1', output: JSON.stringify({ documentKey: 'work/doc_1/document.json', pageCount: 2, vendor: 'textract' }) });
    const stored = JSON.parse(s3.commandCalls(PutObjectCommand)[0].args[0].input.Body as string);
    expect(stored).toMatchObject({ id: 'doc_1', producer: { vendor: 'textract', jobId: 'job-1' } });
  });
});

describe('the page model client', () => {
  it('assumes the model account role when PAGE_MODEL_ROLE_ARN is set, and uses its own credentials otherwise', () => {
    expect(pageModelClientConfig()).toEqual({});
    process.env.PAGE_MODEL_ROLE_ARN = 'arn:aws:iam::210987654321:role/docpipe-page-model-invoker';
    try {
      expect(typeof pageModelClientConfig().credentials).toBe('function');
    } finally {
      delete process.env.PAGE_MODEL_ROLE_ARN;
    }
  });
});
