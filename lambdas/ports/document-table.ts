/**
 * DocumentTable: one record per document with its status, owner and failure reason (DynamoDB in the cloud, a local
 * file store locally). Writes are conditional: `create` succeeds once per document id and status moves only from the
 * status the caller expects, so a duplicate event can never start or finish a second run.
 */
export const DOCUMENT_STATUSES = ['received', 'processing', 'completed', 'needs_review', 'failed'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];
/** Statuses a document ends in: every execution leaves its document in one of these. */
export const FINAL_STATUSES: readonly DocumentStatus[] = ['completed', 'needs_review', 'failed'];

export interface DocumentReason {
  code: string;
  message: string;
}

export interface DocumentRecord {
  documentId: string;
  clientId: string;
  status: DocumentStatus;
  /** Where the original is (it is never moved or deleted by the pipeline). */
  sourceKey: string;
  /** S3 version id or ETag of the original: with the key, what makes a document unique. */
  sourceVersion: string;
  clientReference?: string;
  name?: string;
  contentType?: string;
  sizeBytes?: number;
  pageCount?: number;
  sha256?: string;
  /** Why the document failed (status `failed`) or needs review. */
  reason?: DocumentReason;
  /** The common JSON and the table CSVs, as object keys. */
  documentKey?: string;
  exportKeys?: { document?: string; tables: { name: string; key: string }[] };
  /** The OCR job of the async path and the task token its completion answers. */
  ocrJobId?: string;
  taskToken?: string;
  createdAt: string;
  updatedAt: string;
}

/** The conditions of a write. The task token one lets exactly one OCR completion take the token it answers. */
export interface UpdateConditions {
  expectedStatus?: readonly DocumentStatus[];
  expectedTaskToken?: string | null;
}

export interface DocumentUpdate extends Partial<Omit<DocumentRecord, 'documentId' | 'clientId' | 'createdAt' | 'updatedAt'>> {}

export interface DocumentTable {
  /** Writes the record only when the id is new; false (nothing written) when it exists. */
  create(record: DocumentRecord): Promise<boolean>;
  get(documentId: string): Promise<DocumentRecord | undefined>;
  /**
   * Applies the changes when the current status is one of `expectedStatus` (any status when omitted) and, when
   * `expectedTaskToken` is given, the record holds that task token (`null`: holds none). Throws DocpipeError
   * DOCUMENT_NOT_FOUND or DOCUMENT_STATUS_CONFLICT otherwise; returns the updated record.
   */
  update(documentId: string, changes: DocumentUpdate, options?: UpdateConditions): Promise<DocumentRecord>;
  /** The client's documents, newest first. */
  listForClient(clientId: string, limit?: number): Promise<DocumentRecord[]>;
}

export const DOCUMENT_TABLE_ERRORS = {
  DOCUMENT_NOT_FOUND: 'DOCUMENT_NOT_FOUND',
  DOCUMENT_STATUS_CONFLICT: 'DOCUMENT_STATUS_CONFLICT',
} as const;
