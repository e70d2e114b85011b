/**
 * The async OCR completion (completeOcrJob, behind ocr-job-completed): it answers the task token of the job the
 * document waits for, once. A stale job's completion, one that comes before its job id is recorded, and a repeated
 * delivery (SNS delivers at least once) never answer the wrong try, and never touch the working document.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import { GetDocumentAnalysisCommand, TextractClient } from '@aws-sdk/client-textract';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { SfnTaskCallbacks } from '../../lambdas/aws/sfn-executions';
import { TextractOcr } from '../../lambdas/aws/textract-ocr';
import { normalizeTextract } from '../../lambdas/domain/adapters/textract';
import type { Document } from '../../lambdas/domain/document';
import { DocpipeError } from '../../lambdas/domain/errors';
import type { PipelineDeps } from '../../lambdas/domain/pipeline/deps';
import { completeOcrJob, startOcrJob, type OcrJobNotification } from '../../lambdas/domain/pipeline/ocr';
import { predictPages } from '../../lambdas/domain/pipeline/predict';
import type { RegisteredDocument } from '../../lambdas/domain/pipeline/state';
import { createOcrJobCompletedHandler, recordOcrCompletions } from '../../lambdas/handlers/ocr-job-completed';
import { EncryptedObjectStore } from '../../lambdas/local/encrypted-object-store';
import { FileDocumentTable } from '../../lambdas/local/file-document-table';
import { InProcessPageModel } from '../../lambdas/local/in-process-page-model';
import type { DocumentRecord } from '../../lambdas/ports/document-table';
import type { OcrJobRequest } from '../../lambdas/ports/ocr-jobs';
import type { OcrRequest, OcrVendor } from '../../lambdas/ports/ocr-vendor';
import { fixture, newPipeline, tempDir } from './support';

const analysis = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'textract', 'textractor-multipage-analysis.json'), 'utf8'));
const recognised = (documentId: string): Document => normalizeTextract(analysis, { documentId });

const textract = mockClient(TextractClient);
const sfn = mockClient(SFNClient);
beforeEach(() => [textract, sfn].forEach((m) => m.reset()));

const record = (changes: Partial<DocumentRecord> = {}): DocumentRecord => ({ documentId: 'doc_1', clientId: 'acme', status: 'processing', sourceKey: 'clients/acme/a.pdf', sourceVersion: 'v1', contentType: 'application/pdf', sha256: 'a'.repeat(64), createdAt: 'x', updatedAt: 'x', ...changes });
const registered: RegisteredDocument = { documentId: 'doc_1', clientId: 'acme', key: 'clients/acme/a.pdf', version: 'v1', contentType: 'application/pdf', sizeBytes: 1, pageCount: 2, sha256: 'a'.repeat(64), ocrMode: 'async' } as RegisteredDocument;
const completion = (jobId: string, status = 'SUCCEEDED', message?: string): OcrJobNotification => ({ jobId, status, documentId: 'doc_1', ...(message ? { message } : {}) });

/** A local table and store, OCR jobs that hand out given ids, and callbacks that record what they answer. */
async function setup(initial: Partial<DocumentRecord>) {
  const dir = tempDir('docpipe-ocr-completion-');
  const table = new FileDocumentTable(join(dir, 'documents'));
  await table.create(record(initial));
  const store = new EncryptedObjectStore(join(dir, 'objects'), join(dir, 'objects.key'));
  const answers: unknown[][] = [];
  const collected: string[] = [];
  const ocrJobs = {
    name: 'textract',
    nextJobId: 'job-2',
    /** Runs inside start(), before it returns: where a fast job's completion can land. */
    duringStart: async (): Promise<void> => undefined,
    async start(): Promise<{ jobId: string }> {
      await this.duringStart();
      return { jobId: this.nextJobId };
    },
    async collect(jobId: string, request: OcrJobRequest): Promise<Document> {
      collected.push(jobId);
      return recognised(request.documentId);
    },
  };
  const callbacks = {
    succeed: async (token: string, output: unknown) => void answers.push(['succeed', token, output]),
    fail: async (token: string, error: string, cause: string) => void answers.push(['fail', token, error, cause]),
    heartbeat: async () => undefined,
  };
  const deps = { table, store, ocrJobs, callbacks } as unknown as PipelineDeps;
  return { table, store, ocrJobs, callbacks, deps, answers, collected };
}

describe('completeOcrJob', () => {
  it('drops the completion of another job than the recorded one (a try that timed out): nothing read, nothing answered', async () => {
    const { deps, answers, collected, table } = await setup({ taskToken: 'token-2', ocrJobId: 'job-2' });
    expect(await completeOcrJob(deps, completion('job-1', 'FAILED', 'stale'))).toEqual({ answered: false, dropped: 'stale-job' });
    expect(await completeOcrJob(deps, completion('job-1'))).toEqual({ answered: false, dropped: 'stale-job' });
    expect(answers).toEqual([]);
    expect(collected).toEqual([]);
    expect((await table.get('doc_1'))?.taskToken).toBe('token-2');
    // The recorded job's completion still answers.
    expect(await completeOcrJob(deps, completion('job-2', 'FAILED', 'bad scan'))).toEqual({ answered: true, outcome: 'failed', code: 'OCR_FAILED' });
    expect(answers).toEqual([['fail', 'token-2', 'OCR_FAILED', 'The OCR job job-2 ended FAILED: bad scan.']]);
  });

  it('a fast job completing before its id is recorded: thrown back as retryable OCR_JOB_NOT_RECORDED, answered when delivered again', async () => {
    const { deps, ocrJobs, answers } = await setup({});
    let early: unknown;
    ocrJobs.duringStart = async () => {
      early = await completeOcrJob(deps, completion('job-2')).catch((error: unknown) => error);
    };
    await startOcrJob(deps, registered, 'token-2');
    expect(early).toBeInstanceOf(DocpipeError);
    expect(early).toMatchObject({ code: 'OCR_JOB_NOT_RECORDED', retryable: true });
    expect(answers).toEqual([]);
    // The redelivery (Lambda's asynchronous retry) finds the id recorded.
    expect(await completeOcrJob(deps, completion('job-2'))).toEqual({ answered: true, outcome: 'succeeded' });
    expect(answers).toEqual([['succeed', 'token-2', { documentKey: 'work/doc_1/document.json', pageCount: 2, vendor: 'textract' }]]);
  });

  it('the previous try\'s job completing while the retry starts its own never answers the retry\'s token', async () => {
    // Try 1 timed out waiting for job-1; try 2 records its token, and job-1's FAILED lands before job-2's id is recorded.
    const { deps, ocrJobs, answers, table } = await setup({ taskToken: 'token-1', ocrJobId: 'job-1' });
    let late: unknown;
    ocrJobs.duringStart = async () => {
      late = await completeOcrJob(deps, completion('job-1', 'FAILED', 'too late')).catch((error: unknown) => error);
    };
    await startOcrJob(deps, registered, 'token-2');
    expect(late).toMatchObject({ code: 'OCR_JOB_NOT_RECORDED', retryable: true });
    expect(await table.get('doc_1')).toMatchObject({ taskToken: 'token-2', ocrJobId: 'job-2' });
    // Delivered again, it is a stale job's; job-2's own completion answers token-2.
    expect(await completeOcrJob(deps, completion('job-1', 'FAILED', 'too late'))).toEqual({ answered: false, dropped: 'stale-job' });
    expect(await completeOcrJob(deps, completion('job-2'))).toEqual({ answered: true, outcome: 'succeeded' });
    expect(answers.map((a) => a.slice(0, 2))).toEqual([['succeed', 'token-2']]);
  });

  it('a job id recorded first, then its completion: answered at once', async () => {
    const { deps, answers } = await setup({});
    await startOcrJob(deps, registered, 'token-2');
    expect(await completeOcrJob(deps, completion('job-2'))).toEqual({ answered: true, outcome: 'succeeded' });
    expect(answers.map((a) => a.slice(0, 2))).toEqual([['succeed', 'token-2']]);
  });

  it('the same notification delivered twice at once: one delivery answers, the other changes nothing', async () => {
    const { deps, answers, table } = await setup({ taskToken: 'token-1', ocrJobId: 'job-1' });
    const results = await Promise.all([completeOcrJob(deps, completion('job-1')), completeOcrJob(deps, completion('job-1'))]);
    expect(results).toEqual(expect.arrayContaining([{ answered: true, outcome: 'succeeded' }, { answered: false, dropped: 'already-answered' }]));
    expect(answers).toHaveLength(1);
    expect((await table.get('doc_1'))?.taskToken).toBeUndefined();
  });

  it('a transient store error after taking the token gives it back, so that the redelivery answers', async () => {
    const { deps, store, answers, table } = await setup({ taskToken: 'token-1', ocrJobId: 'job-1' });
    const put = store.put.bind(store);
    let failures = 1;
    store.put = async (...args: Parameters<typeof put>) => {
      if (failures-- > 0) throw new DocpipeError('STORE_UNAVAILABLE', 'disk busy (test)', { retryable: true });
      return put(...args);
    };
    await expect(completeOcrJob(deps, completion('job-1'))).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect((await table.get('doc_1'))?.taskToken).toBe('token-1');
    expect(answers).toEqual([]);
    expect(await completeOcrJob(deps, completion('job-1'))).toEqual({ answered: true, outcome: 'succeeded' });
  });

  it('a token Step Functions no longer knows is dropped (answered: false), not thrown', async () => {
    const { deps, callbacks } = await setup({ taskToken: 'token-1', ocrJobId: 'job-1' });
    callbacks.succeed = async () => {
      throw new DocpipeError('OCR_JOB_UNKNOWN', 'The task token is no longer valid (TaskTimedOut).');
    };
    expect(await completeOcrJob(deps, completion('job-1'))).toEqual({ answered: false, dropped: 'token-unknown' });
  });
});

describe('ocr-job-completed on Textract and Step Functions', () => {
  it('a notification delivered again after Predict: no Textract call, no answer, the predictions stay', async () => {
    textract.on(GetDocumentAnalysisCommand).resolves(analysis);
    sfn.on(SendTaskSuccessCommand).resolves({});
    const { deps, store } = await setup({ taskToken: 'token-1', ocrJobId: 'job-1' });
    Object.assign(deps, {
      ocrJobs: new TextractOcr(new TextractClient({ region: 'us-east-1' }), { bucket: 'docs', snsTopicArn: 'arn:sns:topic', snsRoleArn: 'arn:iam:role' }),
      callbacks: new SfnTaskCallbacks(new SFNClient({ region: 'us-east-1' })),
      pageModel: new InProcessPageModel(),
    });
    const handler = createOcrJobCompletedHandler(() => deps);
    const sns = { Records: [{ Sns: { Message: JSON.stringify({ JobId: 'job-1', Status: 'SUCCEEDED', JobTag: 'doc_1', API: 'StartDocumentAnalysis' }) } }] };
    await expect(handler(sns)).resolves.toMatchObject({ results: [{ answered: true, outcome: 'succeeded' }] });
    await predictPages(deps, { ...registered, ocr: { documentKey: 'work/doc_1/document.json', pageCount: 2, vendor: 'textract' } });
    const predicted = Buffer.from((await store.get('work/doc_1/document.json')).bytes);
    expect(JSON.parse(predicted.toString()).pages.every((p: { predictions?: unknown }) => p.predictions)).toBe(true);
    const reads = textract.commandCalls(GetDocumentAnalysisCommand).length;

    await expect(handler(sns)).resolves.toMatchObject({ results: [{ answered: false, dropped: 'nothing-waits' }] });
    expect(textract.commandCalls(GetDocumentAnalysisCommand)).toHaveLength(reads);
    expect(sfn).toHaveReceivedCommandTimes(SendTaskSuccessCommand, 1);
    expect(Buffer.from((await store.get('work/doc_1/document.json')).bytes).equals(predicted)).toBe(true);
  });
});

describe('a stale OCR job, end to end (local)', () => {
  it('job 1 outlives the heartbeat and then fails: its completion is dropped, and the document completes from job 2', async () => {
    let calls = 0;
    let job1Failed!: () => void;
    const job1Done = new Promise<void>((resolve) => (job1Failed = resolve));
    const heartbeatMs = 1000;
    const vendor: OcrVendor = {
      name: 'textract',
      async recognize(request: OcrRequest): Promise<Document> {
        if (++calls === 1) {
          await new Promise((resolve) => setTimeout(resolve, heartbeatMs + 200));
          setTimeout(job1Failed, 100); // once its completion has been handled
          throw new DocpipeError('OCR_FAILED', 'job 1 failed after its try timed out (test)');
        }
        // Job 2 ends only after job 1's failure came in, so that it would have failed job 2's token.
        await job1Done;
        return recognised(request.documentId);
      },
    };
    const pipeline = newPipeline({ ocr: vendor, heartbeatMs });
    try {
      const outcome = await pipeline.submit(fixture('sample-invoice.pdf'), { clientId: 'acme', name: 'stale.pdf' });
      expect(calls).toBe(2);
      expect(outcome.record).toMatchObject({ status: 'completed' });
      const extraction = outcome.runs.find((r) => r.machine === 'extraction')!;
      expect(extraction.run.trace.filter((t) => t.type === 'TaskFailed' && t.state === 'OcrAsync').map((t) => t.error)).toEqual(['States.HeartbeatTimeout']);
    } finally {
      await pipeline.close();
    }
  });
});

describe('ocr-job-completed metrics', () => {
  it('a job that ended in failure counts as its error code, as a thrown one would; a success or a dropped one does not', () => {
    const published: string[] = [];
    recordOcrCompletions(
      { results: [{ answered: true, outcome: 'failed', code: 'OCR_FAILED' }, { answered: true, outcome: 'succeeded' }, { answered: false, dropped: 'stale-job' }] },
      { addMetric: (name, unit, value) => void published.push(`${name} ${unit} ${value}`) },
    );
    expect(published).toEqual(['Error_OCR_FAILED Count 1']);
  });
});
