/**
 * The ASL files path by path on aws-local-stepfunctions, with scripted task handlers: which states each path enters
 * (the transitions Step Functions Standard bills), what each task receives, and where errors go.
 */
import { join } from 'node:path';
import { DocpipeError } from '../../lambdas/domain/errors';
import { reasonOf } from '../../lambdas/domain/pipeline/failure';
import { LocalStateMachine, LocalTaskTokens, type LocalTask } from '../../lambdas/local/state-machine-runner';
import { statesOf } from './support';

const DIR = join(__dirname, '..', '..', 'state-machines');
const named = (name: string, message = name): Error => Object.assign(new Error(message), { name });
const INPUT = { documentId: 'doc_1', clientId: 'acme', key: 'clients/acme/a.png', version: 'v1' };

function extraction(tasks: Partial<Record<string, LocalTask>>, tokens = new LocalTaskTokens(), heartbeatMs?: number) {
  const calls: Record<string, unknown[]> = {};
  const record = (key: string, task?: LocalTask): LocalTask => async (input, context) => {
    (calls[key] ??= []).push(input);
    return task ? task(input, context) : {};
  };
  const machine = new LocalStateMachine({
    definitionPath: join(DIR, 'extraction.asl.json'),
    tokens,
    heartbeatMs,
    retryMs: 1,
    tasks: {
      RegisterDocumentFunctionArn: record('register', tasks.register ?? ((input) => ({ ...(input as object), contentType: 'image/png', sizeBytes: 10, pageCount: 1, sha256: 'x', ocrMode: 'sync' }))),
      OcrSyncFunctionArn: record('ocrSync', tasks.ocrSync ?? (() => ({ documentKey: 'work/doc_1/document.json', pageCount: 1, vendor: 'test' }))),
      StartOcrJobFunctionArn: record('startOcrJob', tasks.startOcrJob),
      PredictPagesFunctionArn: record('predict', tasks.predict ?? (() => ({ labels: ['invoice'], needsReview: false }))),
      MarkFailedFunctionArn: record('markFailed', tasks.markFailed ?? (() => ({ deliveries: [{ deliveryId: 'dlv_1' }, { deliveryId: 'dlv_2' }] }))),
      ExportStateMachineArn: record('startExport', tasks.startExport ?? (() => ({ ExecutionArn: 'arn' }))),
      WebhookDeliveryStateMachineArn: record('startDelivery', tasks.startDelivery ?? (() => ({ ExecutionArn: 'arn' }))),
    },
  });
  return { machine, calls };
}

describe('state-machines/extraction.asl.json', () => {
  it('sync happy path: 5 transitions; the export starts under the document id with the whole state', async () => {
    const { machine, calls } = extraction({});
    const run = await machine.run(INPUT);
    expect(run.status).toBe('SUCCEEDED');
    expect(statesOf(run)).toEqual(['Register', 'ChooseOcr', 'OcrSync', 'Predict', 'StartExport']);
    expect(run.transitions).toBe(5);
    expect(calls.register[0]).toEqual(INPUT);
    expect(calls.startExport[0]).toMatchObject({ Name: 'doc_1', Input: { documentId: 'doc_1', ocr: { documentKey: 'work/doc_1/document.json' }, predictions: { labels: ['invoice'] } } });
  });

  it('async path: the task gets the document and $$.Task.Token; the state output is what the token was answered with', async () => {
    const tokens = new LocalTaskTokens();
    const { machine, calls } = extraction({
      register: (input) => ({ ...(input as object), contentType: 'application/pdf', sizeBytes: 10, pageCount: 3, sha256: 'x', ocrMode: 'async' }),
      // Answered before the handler even returns, as a fast job may be: kept until the state waits.
      startOcrJob: (input) => {
        tokens.succeed((input as { taskToken: string }).taskToken, { documentKey: 'k', pageCount: 3, vendor: 'textract' });
        return { jobId: 'job-1' };
      },
    }, tokens);
    const run = await machine.run(INPUT);
    expect(statesOf(run)).toEqual(['Register', 'ChooseOcr', 'OcrAsync', 'Predict', 'StartExport']);
    expect(calls.startOcrJob[0]).toMatchObject({ document: { documentId: 'doc_1', ocrMode: 'async' }, taskToken: expect.stringMatching(/^local-token-/) });
    expect(calls.predict[0]).toMatchObject({ ocr: { documentKey: 'k', pageCount: 3, vendor: 'textract' } });
  });

  it('async path: a task failure sent through the token goes to MarkFailed with its code', async () => {
    const tokens = new LocalTaskTokens();
    const { machine, calls } = extraction({
      register: (input) => ({ ...(input as object), contentType: 'application/pdf', sizeBytes: 10, pageCount: 3, sha256: 'x', ocrMode: 'async' }),
      startOcrJob: (input) => {
        setTimeout(() => tokens.fail((input as { taskToken: string }).taskToken, 'OCR_FAILED', 'The job ended FAILED.'), 5);
        return { jobId: 'job-1' };
      },
      markFailed: () => ({ deliveries: [] }),
    }, tokens);
    const run = await machine.run(INPUT);
    expect(run.status).toBe('FAILED');
    expect(statesOf(run)).toEqual(['Register', 'ChooseOcr', 'OcrAsync', 'MarkFailed', 'NotifyFailure', 'DocumentFailed']);
    expect(calls.markFailed[0]).toMatchObject({ documentId: 'doc_1', failure: { Error: 'OCR_FAILED' } });
  });

  it('a failed check: MarkFailed, one delivery start per recorded delivery, named by it, then Fail', async () => {
    const { machine, calls } = extraction({ register: () => Promise.reject(named('UNSUPPORTED_TYPE', 'not a document')) });
    const run = await machine.run(INPUT);
    expect(run.status).toBe('FAILED');
    expect(run.error?.name).toBe('DOCUMENT_FAILED');
    expect(statesOf(run)).toEqual(['Register', 'MarkFailed', 'NotifyFailure', 'StartFailureDelivery', 'StartFailureDelivery', 'DocumentFailed']);
    expect(calls.markFailed[0]).toMatchObject({ ...INPUT, failure: { Error: 'UNSUPPORTED_TYPE', Cause: expect.stringContaining('not a document') } });
    expect(calls.startDelivery).toEqual([
      { StateMachineArn: expect.stringContaining('WebhookDelivery'), Name: 'dlv_1', Input: { deliveryId: 'dlv_1' } },
      { StateMachineArn: expect.stringContaining('WebhookDelivery'), Name: 'dlv_2', Input: { deliveryId: 'dlv_2' } },
    ]);
    expect(calls.ocrSync).toBeUndefined();
  });

  it('a duplicate stops quietly at Register: 2 transitions, no OCR, no failure', async () => {
    const { machine, calls } = extraction({ register: () => Promise.reject(named('DOCUMENT_ALREADY_REGISTERED')) });
    const run = await machine.run(INPUT);
    expect(run.status).toBe('SUCCEEDED');
    expect(statesOf(run)).toEqual(['Register', 'AlreadyRegistered']);
    expect(calls.markFailed).toBeUndefined();
  });

  it('OCR throttling is retried with backoff; a permanent OCR error is not', async () => {
    let throttles = 2;
    const { machine, calls } = extraction({ ocrSync: () => (throttles-- > 0 ? Promise.reject(named('OCR_THROTTLED')) : { documentKey: 'k', pageCount: 1, vendor: 'v' }) });
    const run = await machine.run(INPUT);
    expect(run.status).toBe('SUCCEEDED');
    expect(calls.ocrSync).toHaveLength(3);
    expect(run.trace.filter((t) => t.type === 'StateRetried')).toHaveLength(2);

    const failing = extraction({ ocrSync: () => Promise.reject(named('OCR_FAILED')) });
    const failed = await failing.machine.run(INPUT);
    expect(failing.calls.ocrSync).toHaveLength(1);
    expect(statesOf(failed)).toEqual(['Register', 'ChooseOcr', 'OcrSync', 'MarkFailed', 'NotifyFailure', 'StartFailureDelivery', 'StartFailureDelivery', 'DocumentFailed']);
  });

  it('the page model failing for good: on to the export with predictionsError, not to MarkFailed', async () => {
    const { machine, calls } = extraction({ predict: () => Promise.reject(named('PAGE_MODEL_UNAVAILABLE')) });
    const run = await machine.run(INPUT);
    expect(run.status).toBe('SUCCEEDED');
    expect(calls.predict).toHaveLength(4); // MaxAttempts 3
    expect(statesOf(run)).toEqual(['Register', 'ChooseOcr', 'OcrSync', 'Predict', 'StartExport']);
    expect(calls.startExport[0]).toMatchObject({ Input: { predictionsError: { Error: 'PAGE_MODEL_UNAVAILABLE' } } });
  });

  it('an export already started for the document counts as a duplicate', async () => {
    const { machine } = extraction({ startExport: () => Promise.reject(named('StepFunctions.ExecutionAlreadyExistsException')) });
    const run = await machine.run(INPUT);
    expect(run.status).toBe('SUCCEEDED');
    expect(statesOf(run).at(-1)).toBe('AlreadyRegistered');
  });

  it('no answer for the task token: States.HeartbeatTimeout, one retry, then MarkFailed', async () => {
    const { machine, calls } = extraction({ register: (input) => ({ ...(input as object), contentType: 'application/pdf', sizeBytes: 1, pageCount: 1, sha256: 'x', ocrMode: 'async' }), markFailed: () => ({ deliveries: [] }) }, new LocalTaskTokens(), 30);
    const run = await machine.run(INPUT);
    expect(calls.startOcrJob).toHaveLength(2);
    expect(calls.markFailed[0]).toMatchObject({ failure: { Error: 'States.HeartbeatTimeout' } });
    expect(run.status).toBe('FAILED');
  });
});

describe('state-machines/export.asl.json', () => {
  const STATE = { ...INPUT, ocr: { documentKey: 'k', pageCount: 1, vendor: 'v' } };
  function exporter(build: LocalTask) {
    const starts: unknown[] = [];
    const failed: unknown[] = [];
    const machine = new LocalStateMachine({
      definitionPath: join(DIR, 'export.asl.json'),
      retryMs: 1,
      tasks: {
        BuildExportsFunctionArn: build,
        MarkFailedFunctionArn: (input) => (failed.push(input), { deliveries: [{ deliveryId: 'dlv_f' }] }),
        WebhookDeliveryStateMachineArn: (input) => (starts.push(input), { ExecutionArn: 'arn' }),
      },
    });
    return { machine, starts, failed };
  }

  it('2 transitions plus one per delivery', async () => {
    const { machine, starts } = exporter(() => ({ status: 'completed', deliveries: [{ deliveryId: 'a' }, { deliveryId: 'b' }, { deliveryId: 'c' }] }));
    const run = await machine.run(STATE);
    expect(run.status).toBe('SUCCEEDED');
    expect(run.transitions).toBe(5);
    expect(starts.map((s) => (s as { Name: string }).Name)).toEqual(['a', 'b', 'c']);
  });

  it('no endpoints: 2 transitions', async () => {
    const run = await exporter(() => ({ status: 'completed', deliveries: [] })).machine.run(STATE);
    expect(statesOf(run)).toEqual(['BuildExports', 'Deliver']);
  });

  it('an export that fails is retried when transient, then ends in MarkFailed', async () => {
    let calls = 0;
    const { machine, failed, starts } = exporter(() => {
      calls++;
      return Promise.reject(named('STORE_UNAVAILABLE'));
    });
    const run = await machine.run(STATE);
    expect(calls).toBe(5); // MaxAttempts 4
    expect(run.status).toBe('FAILED');
    expect(failed[0]).toMatchObject({ documentId: 'doc_1', failure: { Error: 'STORE_UNAVAILABLE' } });
    expect(starts).toEqual([{ StateMachineArn: expect.any(String), Name: 'dlv_f', Input: { deliveryId: 'dlv_f' } }]);
  });
});

describe('the local runner', () => {
  it('refuses an ASL file with a Task that has no local handler', () => {
    expect(() => new LocalStateMachine({ definitionPath: join(DIR, 'export.asl.json'), tasks: { BuildExportsFunctionArn: () => ({}) } })).toThrow(/MarkFailed|WebhookDelivery/);
  });

  it('records handler durations in the trace', async () => {
    const machine = new LocalStateMachine({
      definitionPath: join(DIR, 'export.asl.json'),
      tasks: { BuildExportsFunctionArn: async () => (await new Promise((r) => setTimeout(r, 30)), { status: 'completed', deliveries: [] }), MarkFailedFunctionArn: () => ({}), WebhookDeliveryStateMachineArn: () => ({}) },
    });
    const run = await machine.run({});
    const task = run.trace.find((t) => t.type === 'TaskSucceeded' && t.state === 'BuildExports')!;
    expect(task.durationMs).toBeGreaterThanOrEqual(25);
  });

  it('names a failure as Lambda would: a DocpipeError by its code, a Node error (ENOENT) by its name, so it ends INTERNAL_ERROR as in AWS', async () => {
    const failures: { Error: string }[] = [];
    const machine = (build: () => never) =>
      new LocalStateMachine({
        definitionPath: join(DIR, 'export.asl.json'),
        retryMs: 0,
        tasks: { BuildExportsFunctionArn: build, MarkFailedFunctionArn: (input: unknown) => (failures.push((input as { failure: { Error: string } }).failure), { deliveries: [] }), WebhookDeliveryStateMachineArn: () => ({}) },
      });
    await machine(() => { throw Object.assign(new Error("ENOENT: no such file or directory, open 'x'"), { code: 'ENOENT' }) as never; }).run({ documentId: 'doc_1' });
    await machine(() => { throw new DocpipeError('OBJECT_NOT_FOUND', 'gone') as never; }).run({ documentId: 'doc_2' });
    expect(failures.map((f) => f.Error)).toEqual(['Error', 'OBJECT_NOT_FOUND']);
    expect(reasonOf({ Error: failures[0].Error, Cause: 'x' }).code).toBe('INTERNAL_ERROR');
  });
});
