/** What the pipeline's steps need, as ports: the AWS wiring and the local wiring both provide all of it. */
import type { DeliveryDeps } from '../webhooks/delivery';
import type { DocumentTable } from '../../ports/document-table';
import type { EventBus } from '../../ports/event-bus';
import type { ExecutionStarter } from '../../ports/execution-starter';
import type { ObjectStore } from '../../ports/object-store';
import type { OcrJobs } from '../../ports/ocr-jobs';
import type { OcrVendor } from '../../ports/ocr-vendor';
import type { PageModel } from '../../ports/page-model';
import type { TaskCallbacks } from '../../ports/task-callbacks';

/** What the input checks found out about a document that passed them. */
export interface Inspection {
  /** Sniffed from the bytes: application/pdf, image/tiff, image/png, image/jpeg. */
  contentType: string;
  pageCount: number;
}

export interface OcrLimits {
  /** Largest single image sent to the sync API (Textract: 10 MB). */
  syncMaxBytes: number;
}

export const DEFAULT_OCR_LIMITS: OcrLimits = { syncMaxBytes: 10 * 1024 * 1024 };

export interface PipelineDeps {
  store: ObjectStore;
  table: DocumentTable;
  bus: EventBus;
  /** The input checks (magic bytes, size, pages, encryption, corruption); throws a DocpipeError with a stable code. */
  inspect: (bytes: Uint8Array) => Promise<Inspection>;
  ocr: OcrVendor;
  ocrJobs: OcrJobs;
  callbacks: TaskCallbacks;
  pageModel: PageModel;
  /**
   * A page whose confidence is under this is flagged for review whatever the model answered (a model of another
   * make may leave needsReview out, or set it by a threshold of its own). Default DEFAULT_REVIEW_THRESHOLD (0.6).
   */
  reviewThreshold?: number;
  webhooks: Pick<DeliveryDeps, 'endpoints' | 'deliveries' | 'now'>;
  ocrLimits?: OcrLimits;
  /** How long export URLs in events stay valid. Default 7 days. */
  exportUrlSeconds?: number;
  now?: () => Date;
}

export interface IngestDeps {
  table: DocumentTable;
  extraction: ExecutionStarter;
  now?: () => Date;
}
