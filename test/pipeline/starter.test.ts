/** start-extraction: SQS batches of S3 events, partial batch responses, one execution per object version. */
import type { Context, SQSEvent } from 'aws-lambda';
import { DocpipeError } from '../../lambdas/domain/errors';
import { documentIdFor } from '../../lambdas/domain/pipeline/identity';
import { createStartExtractionHandler } from '../../lambdas/handlers/start-extraction';
import { FileDocumentTable } from '../../lambdas/local/file-document-table';
import type { ExecutionStarter } from '../../lambdas/ports/execution-starter';
import { tempDir } from './support';

/** Behaves as Step Functions does with execution names: one per name. */
class NamedStarter implements ExecutionStarter {
  readonly started: { name: string; input: unknown }[] = [];
  failNext = 0;
  async start(name: string, input: unknown): Promise<'started' | 'duplicate'> {
    if (this.failNext > 0) {
      this.failNext--;
      throw new DocpipeError('EXECUTION_START_UNAVAILABLE', 'throttled', { retryable: true });
    }
    if (this.started.some((s) => s.name === name)) return 'duplicate';
    this.started.push({ name, input });
    return 'started';
  }
}

const s3Event = (key: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ version: '0', 'detail-type': 'Object Created', source: 'aws.s3', detail: { bucket: { name: 'docs' }, object: { key, size: 10, etag: 'e1', ...extra } } });
const sqs = (bodies: string[]): SQSEvent => ({
  Records: bodies.map((body, i) => ({ messageId: `m${i}`, receiptHandle: 'r', body, attributes: {} as never, messageAttributes: {}, md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:us-east-1:1:q', awsRegion: 'us-east-1' })),
});
const context = { functionName: 'start-extraction', awsRequestId: 'req', getRemainingTimeInMillis: () => 30000 } as unknown as Context;

describe('start-extraction (SQS starter)', () => {
  it('starts one execution per object version, named by the document id; duplicates and redeliveries start nothing', async () => {
    const table = new FileDocumentTable(tempDir());
    const starter = new NamedStarter();
    const handler = createStartExtractionHandler(() => ({ table, extraction: starter }));
    const result = await handler(sqs([s3Event('clients/acme/a+b.pdf'), s3Event('clients/acme/a+b.pdf'), s3Event('clients/acme/a+b.pdf', { 'version-id': 'v2' })]), context);
    expect(result.batchItemFailures).toEqual([]);
    expect(starter.started).toHaveLength(2);
    expect(starter.started[0]).toEqual({ name: documentIdFor('acme', 'clients/acme/a b.pdf', 'e1'), input: expect.objectContaining({ clientId: 'acme', key: 'clients/acme/a b.pdf', version: 'e1' }) });
    expect(starter.started[1].name).toBe(documentIdFor('acme', 'clients/acme/a b.pdf', 'v2'));
    // Redelivered a day later: still nothing new.
    await handler(sqs([s3Event('clients/acme/a+b.pdf')]), context);
    expect(starter.started).toHaveLength(2);
    expect(await table.get(starter.started[0].name)).toMatchObject({ status: 'received', clientId: 'acme', sourceVersion: 'e1' });
  });

  it('reports only the failed records: a transient start failure comes back, a key outside clients/ is dropped, a malformed message goes to the DLQ', async () => {
    const table = new FileDocumentTable(tempDir());
    const starter = new NamedStarter();
    starter.failNext = 1;
    const handler = createStartExtractionHandler(() => ({ table, extraction: starter }));
    const result = await handler(sqs([s3Event('clients/acme/one.png'), s3Event('uploads/one.png'), '{"not":"an s3 event"}', s3Event('clients/globex/two.png')]), context);
    expect(result.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['m0', 'm2']);
    expect(starter.started.map((s) => (s.input as { clientId: string }).clientId)).toEqual(['globex']);
    // The retried record: the claim is still `received`, so the start is made now.
    await handler(sqs([s3Event('clients/acme/one.png')]), context);
    expect(starter.started.map((s) => (s.input as { clientId: string }).clientId)).toEqual(['globex', 'acme']);
  });

  it("a folder the S3 console makes (an empty key ending in '/') is no document: dropped, nothing registered or started", async () => {
    const table = new FileDocumentTable(tempDir());
    const starter = new NamedStarter();
    const handler = createStartExtractionHandler(() => ({ table, extraction: starter }));
    const result = await handler(sqs([s3Event('clients/acme/invoices/2024/', { size: 0 }), s3Event('clients/acme/invoices/2024/one.png')]), context);
    expect(result.batchItemFailures).toEqual([]);
    expect(starter.started.map((s) => (s.input as { key: string }).key)).toEqual(['clients/acme/invoices/2024/one.png']);
    expect(await table.get(documentIdFor('acme', 'clients/acme/invoices/2024/', 'e1'))).toBeUndefined();
  });

  it('a misconfigured starter drops nothing: every record comes back, to end in the dead-letter queue', async () => {
    const handler = createStartExtractionHandler(() => {
      throw new DocpipeError('CONFIGURATION_MISSING', 'The environment variable DOCUMENTS_TABLE is not set.');
    });
    // Every record failed: Powertools fails the invocation, so SQS makes the whole batch visible again.
    await expect(handler(sqs([s3Event('clients/acme/one.png'), s3Event('clients/globex/two.png')]), context)).rejects.toThrow(/All records failed processing/);
  });
});
