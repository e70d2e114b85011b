/**
 * The whole pipeline on this machine: the same three state machines and the same handlers as in AWS, with the local
 * ports (encrypted object store, file document table, local event bus, local OCR, in-process page model, local
 * webhook stores). `submit` puts a document where an upload would land and ingests it as the S3 event would;
 * it resolves when the document has its final status and its webhooks were delivered (or dead-lettered).
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { DeliveryDeps } from '../domain/webhooks/delivery';
import type { PipelineDeps } from '../domain/pipeline/deps';
import { inspectDocument } from '../domain/intake/inspect';
import { ingestObject, type IngestResult } from '../domain/pipeline/register';
import { createBuildExportsHandler } from '../handlers/build-exports';
import { createDeliverWebhookHandler } from '../handlers/deliver-webhook';
import { createMarkFailedHandler } from '../handlers/mark-failed';
import { createOcrJobCompletedHandler } from '../handlers/ocr-job-completed';
import { createOcrSyncHandler } from '../handlers/ocr-sync';
import { createPredictPagesHandler } from '../handlers/predict-pages';
import { createRegisterDocumentHandler } from '../handlers/register-document';
import { createStartOcrJobHandler } from '../handlers/start-ocr-job';
import type { DocumentRecord } from '../ports/document-table';
import type { OcrVendor } from '../ports/ocr-vendor';
import type { PageModel } from '../ports/page-model';
import { EncryptedObjectStore } from './encrypted-object-store';
import { FileDocumentTable } from './file-document-table';
import { InProcessPageModel } from './in-process-page-model';
import { LocalEventBus } from './local-event-bus';
import { LocalExecutionStarter, LocalTaskCallbacks, startExecutionTask, type RecordedRun } from './local-executions';
import { LocalOcrJobs } from './local-ocr-jobs';
import { LocalOcrVendor } from './ocr/local-ocr-vendor';
import { LocalStateMachine, LocalTaskTokens, type LocalTask } from './state-machine-runner';
import { localWebhookDeps } from './workspace';

export const STATE_MACHINES_DIR = join(__dirname, '..', '..', 'state-machines');

/** The Lambda functions the state machines name, by placeholder. */
export type PipelineTaskKey =
  | 'RegisterDocumentFunctionArn'
  | 'OcrSyncFunctionArn'
  | 'StartOcrJobFunctionArn'
  | 'PredictPagesFunctionArn'
  | 'BuildExportsFunctionArn'
  | 'MarkFailedFunctionArn'
  | 'DeliverWebhookFunctionArn';

export interface LocalPipelineOptions {
  /** The workspace (`.docpipe` by default): store, table, endpoints, deliveries, keys. */
  dir: string;
  ocr?: OcrVendor & { close?: () => Promise<void> };
  pageModel?: PageModel;
  /** The webhook retry schedule in seconds (waits are shortened locally anyway). */
  webhookScheduleSeconds?: number[];
  /** Local Wait states and retry intervals, in ms. */
  waitMs?: number;
  retryMs?: number;
  /** A lost async OCR completion fails the state after this long (ms). Default: the ASL's HeartbeatSeconds. */
  heartbeatMs?: number;
  /** Wraps a task (tests inject throttling or failures into the real handlers). */
  wrap?: Partial<Record<PipelineTaskKey, (task: LocalTask) => LocalTask>>;
  /** Base URL of exports when served by `docpipe serve`. */
  exportBaseUrl?: string;
}

export interface DocumentOutcome {
  documentId: string;
  clientId: string;
  ingest: IngestResult['outcome'];
  record?: DocumentRecord;
  runs: RecordedRun[];
}

export class LocalPipeline {
  readonly deps: PipelineDeps;
  readonly webhooks: DeliveryDeps;
  readonly bus: LocalEventBus;
  readonly store: EncryptedObjectStore;
  readonly table: FileDocumentTable;
  /** Every execution run, newest last: the traces. */
  readonly runs: RecordedRun[] = [];
  private readonly ocr: OcrVendor & { close?: () => Promise<void> };
  private readonly extractionStarter: LocalExecutionStarter;
  private readonly webhookStarter: LocalExecutionStarter;

  constructor(options: LocalPipelineOptions) {
    const { dir } = options;
    const tokens = new LocalTaskTokens();
    this.store = new EncryptedObjectStore(join(dir, 'objects'), join(dir, 'keys', 'objects.key'), options.exportBaseUrl);
    this.table = new FileDocumentTable(join(dir, 'documents'));
    this.bus = new LocalEventBus(join(dir, 'events.jsonl'));
    this.webhooks = localWebhookDeps(dir, { scheduleSeconds: options.webhookScheduleSeconds });
    this.ocr = options.ocr ?? new LocalOcrVendor();
    const ocrJobs = new LocalOcrJobs(this.ocr, this.store);
    this.deps = {
      store: this.store,
      table: this.table,
      bus: this.bus,
      inspect: (bytes) => inspectDocument(bytes),
      ocr: this.ocr,
      ocrJobs,
      callbacks: new LocalTaskCallbacks(tokens),
      pageModel: options.pageModel ?? new InProcessPageModel(),
      webhooks: this.webhooks,
    };
    const deps = () => this.deps;
    const completed = createOcrJobCompletedHandler(deps);
    ocrJobs.notify = (n) => completed({ Records: [{ Sns: { Message: JSON.stringify({ JobId: n.jobId, Status: n.status, JobTag: n.documentId, StatusMessage: n.message }) } }] });

    const record = (run: RecordedRun) => this.runs.push(run);
    const executions = join(dir, 'executions');
    const common = { waitMs: options.waitMs ?? 0, retryMs: options.retryMs ?? 5, heartbeatMs: options.heartbeatMs, tokens };
    const lambdas: Record<PipelineTaskKey, LocalTask> = {
      RegisterDocumentFunctionArn: createRegisterDocumentHandler(deps),
      OcrSyncFunctionArn: createOcrSyncHandler(deps),
      StartOcrJobFunctionArn: createStartOcrJobHandler(deps),
      PredictPagesFunctionArn: createPredictPagesHandler(deps),
      BuildExportsFunctionArn: createBuildExportsHandler(deps),
      MarkFailedFunctionArn: createMarkFailedHandler(deps),
      DeliverWebhookFunctionArn: createDeliverWebhookHandler(() => this.webhooks),
    };
    for (const [key, wrap] of Object.entries(options.wrap ?? {})) lambdas[key as PipelineTaskKey] = wrap!(lambdas[key as PipelineTaskKey]);

    let webhook: LocalStateMachine | undefined;
    let exporter: LocalStateMachine | undefined;
    let extraction: LocalStateMachine | undefined;
    this.webhookStarter = new LocalExecutionStarter('webhook-delivery', () => (webhook ??= new LocalStateMachine({ definitionPath: join(STATE_MACHINES_DIR, 'webhook-delivery.asl.json'), tasks: { DeliverWebhookFunctionArn: lambdas.DeliverWebhookFunctionArn }, ...common })), executions, record);
    const webhookTask = startExecutionTask(this.webhookStarter, 'webhook-delivery');
    const exportStarter = new LocalExecutionStarter(
      'export',
      () => (exporter ??= new LocalStateMachine({ definitionPath: join(STATE_MACHINES_DIR, 'export.asl.json'), tasks: { ...lambdas, WebhookDeliveryStateMachineArn: webhookTask }, ...common })),
      executions,
      record,
    );
    this.extractionStarter = new LocalExecutionStarter(
      'extraction',
      () => (extraction ??= new LocalStateMachine({ definitionPath: join(STATE_MACHINES_DIR, 'extraction.asl.json'), tasks: { ...lambdas, WebhookDeliveryStateMachineArn: webhookTask, ExportStateMachineArn: startExecutionTask(exportStarter, 'export') }, ...common })),
      executions,
      record,
    );
  }

  /** Stores the bytes as an upload under `clients/<clientId>/<name>` and ingests them; resolves at the final status. */
  async submit(bytes: Uint8Array, { clientId = 'local', name, clientReference }: { clientId?: string; name: string; clientReference?: string }): Promise<DocumentOutcome> {
    const key = `clients/${clientId}/${name}`;
    const info = await this.store.put(key, bytes, { contentType: 'application/octet-stream' });
    return this.ingest(key, info.version, clientReference);
  }

  /** What the starter does for an S3 event: one claim and one execution per object version. */
  async ingest(key: string, version: string, clientReference?: string): Promise<DocumentOutcome> {
    const result = await ingestObject({ table: this.table, extraction: this.extractionStarter }, { key, version, clientReference });
    return { documentId: result.documentId, clientId: result.clientId, ingest: result.outcome, record: await this.table.get(result.documentId), runs: await this.runsOf(result.documentId) };
  }

  /**
   * Starts the webhook delivery state machine for a recorded delivery, named by its id as the delivery maps name it
   * (so it runs once); resolves when the delivery succeeded or went dead.
   */
  async startDelivery(deliveryId: string): Promise<'started' | 'duplicate'> {
    return this.webhookStarter.start(deliveryId, { deliveryId });
  }

  /** The executions of one document: its extraction, its export and the deliveries of its events. */
  async runsOf(documentId: string): Promise<RecordedRun[]> {
    const mine: RecordedRun[] = [];
    for (const run of this.runs) {
      const input = run.input as { documentId?: string; deliveryId?: string };
      if (input.documentId === documentId) mine.push(run);
      else if (input.deliveryId) {
        const delivery = await this.webhooks.deliveries.get(input.deliveryId);
        if (delivery && (JSON.parse(delivery.payload) as { data?: { documentId?: string } }).data?.documentId === documentId) mine.push(run);
      }
    }
    return mine;
  }

  /** The common JSON of a finished document, from its export. */
  async documentJson(record: DocumentRecord): Promise<string | undefined> {
    if (!record.exportKeys?.document) return undefined;
    return Buffer.from((await this.store.get(record.exportKeys.document)).bytes).toString('utf8');
  }

  async close(): Promise<void> {
    await this.ocr.close?.();
  }
}

/** A content version for local uploads: the MD5 the store uses, as S3's ETag is for simple uploads. */
export function localVersion(bytes: Uint8Array): string {
  return createHash('md5').update(bytes).digest('hex');
}
