/**
 * Ingestion and registration. `ingestObject` (the starter) claims the document with a conditional write and starts
 * its execution under the document id; `registerDocument` (the first state) moves it to `processing` only from
 * `received`, checks the bytes before any OCR is paid for, and chooses sync or async OCR.
 */
import { createHash } from 'node:crypto';
import type { DocumentRecord } from '../../ports/document-table';
import { DocpipeError, isDocpipeError } from '../errors';
import { DEFAULT_OCR_LIMITS, type IngestDeps, type PipelineDeps } from './deps';
import { PIPELINE_ERRORS } from './errors';
import { clientIdFromKey, documentIdFor } from './identity';
import type { ExtractionInput, RegisteredDocument } from './state';

export interface IngestRequest {
  key: string;
  /** S3 version id, else the ETag. */
  version: string;
  /** When the API caller names the client; must match the key's prefix. */
  clientId?: string;
  clientReference?: string;
}

export interface IngestResult {
  documentId: string;
  clientId: string;
  outcome: 'started' | 'duplicate';
}

/** The record of an object version just received: its client (from the key), its document id, its name. */
export function receivedRecord(request: IngestRequest, now: Date): DocumentRecord {
  const clientId = clientIdFromKey(request.key);
  if (request.clientId !== undefined && request.clientId !== clientId) {
    throw new DocpipeError(PIPELINE_ERRORS.OBJECT_KEY_WITHOUT_CLIENT, `The key "${request.key}" is not under clients/${request.clientId}/.`);
  }
  const at = now.toISOString();
  return { documentId: documentIdFor(clientId, request.key, request.version), clientId, status: 'received', sourceKey: request.key, sourceVersion: request.version, name: request.key.split('/').pop(), clientReference: request.clientReference, createdAt: at, updatedAt: at };
}

export async function ingestObject(deps: IngestDeps, request: IngestRequest): Promise<IngestResult> {
  const record = receivedRecord(request, (deps.now ?? (() => new Date()))());
  const { documentId, clientId, name } = record;
  if (!(await deps.table.create(record))) {
    // Someone claimed it first. Only if that claim never got its execution started (a crash in between) do we start
    // it; the execution name (the document id) still keeps it to one run.
    const existing = await deps.table.get(documentId);
    if (existing && existing.status !== 'received') return { documentId, clientId, outcome: 'duplicate' };
  }
  const input: ExtractionInput = { documentId, clientId, key: request.key, version: request.version, ...(name ? { name } : {}), ...(request.clientReference ? { clientReference: request.clientReference } : {}) };
  const outcome = await deps.extraction.start(documentId, input);
  return { documentId, clientId, outcome };
}

export async function registerDocument(deps: PipelineDeps, input: ExtractionInput): Promise<RegisteredDocument> {
  const now = (deps.now ?? (() => new Date()))().toISOString();
  // Read and check first, claim last. A retry whose earlier try claimed the document finds its own claim and goes on.
  const existing = await deps.table.get(input.documentId);
  if (existing && existing.status !== 'received' && !isOwnClaim(existing, input)) throw alreadyRegistered(input.documentId);
  // The version the event named: the key may hold a newer upload by now, which is a document of its own.
  const object = await deps.store.get(input.key, { version: input.version });
  const sha256 = createHash('sha256').update(object.bytes).digest('hex');
  if (existing && existing.status !== 'received' && !isOwnClaim(existing, input, sha256)) throw alreadyRegistered(input.documentId);
  const facts = { sizeBytes: object.bytes.byteLength, sha256 };
  let inspection;
  try {
    inspection = await deps.inspect(object.bytes);
  } catch (error) {
    // The document still has to be claimed, so that MarkFailed finds it and a duplicate does not run again.
    await claim(deps, input, facts, now);
    throw error;
  }
  const limits = deps.ocrLimits ?? DEFAULT_OCR_LIMITS;
  const singleImage = (inspection.contentType === 'image/png' || inspection.contentType === 'image/jpeg') && inspection.pageCount <= 1;
  const ocrMode = singleImage && object.bytes.byteLength <= limits.syncMaxBytes ? 'sync' : 'async';
  await claim(deps, input, { ...facts, contentType: inspection.contentType, pageCount: inspection.pageCount }, now);
  return { ...input, contentType: inspection.contentType, sizeBytes: object.bytes.byteLength, pageCount: inspection.pageCount, sha256, ocrMode };
}

/**
 * Whether a record past `received` is this execution's own claim, written by an earlier try of Register whose answer
 * was lost (a transient table error after the write, Lambda.ServiceException after the function ran). Executions
 * are named by the document id, so no other execution can be working on it: Step Functions refuses a second name,
 * and locally LocalExecutionStarter claims each name with a create-only file, across processes too. So a record
 * still `processing` for this key and version (and these bytes, once read) can only be ours; a final one, or one
 * for another object, is not.
 */
function isOwnClaim(record: DocumentRecord, input: ExtractionInput, sha256?: string): boolean {
  return record.status === 'processing' && record.sourceKey === input.key && record.sourceVersion === input.version && (sha256 === undefined || record.sha256 === undefined || record.sha256 === sha256);
}

/** received -> processing, or a new record in processing; exactly one run gets past this (and its own retries). */
async function claim(deps: PipelineDeps, input: ExtractionInput, facts: Partial<DocumentRecord>, now: string): Promise<void> {
  const record: DocumentRecord = { documentId: input.documentId, clientId: input.clientId, status: 'processing', sourceKey: input.key, sourceVersion: input.version, name: input.name, clientReference: input.clientReference, ...facts, createdAt: now, updatedAt: now };
  if (await deps.table.create(record)) return;
  try {
    await deps.table.update(input.documentId, { ...facts, status: 'processing' }, { expectedStatus: ['received'] });
  } catch (error) {
    if (isDocpipeError(error) && error.code === 'DOCUMENT_STATUS_CONFLICT') {
      const current = await deps.table.get(input.documentId);
      if (current && isOwnClaim(current, input, facts.sha256)) return;
      throw alreadyRegistered(input.documentId);
    }
    throw error;
  }
}

function alreadyRegistered(documentId: string): DocpipeError {
  return new DocpipeError(PIPELINE_ERRORS.DOCUMENT_ALREADY_REGISTERED, `Document ${documentId} is already being processed or finished; this run stops.`);
}
