/**
 * OCR, both ways. Sync: one call, the document stored, its key returned. Async: the job is started with the task
 * token recorded against the document (so the completion, which only knows the job and the document id, can answer
 * it); the completion reads the whole result and answers the token with success or with a stable error code.
 */
import { validateDocument, type Document } from '../document';
import { DocpipeError, isDocpipeError } from '../errors';
import type { PipelineDeps } from './deps';
import { PIPELINE_ERRORS } from './errors';
import { objectKeys } from './identity';
import type { OcrResult, RegisteredDocument } from './state';

export async function recognizeSync(deps: PipelineDeps, input: RegisteredDocument): Promise<OcrResult> {
  // The upload's version, as Register read it: the key may hold a newer upload by now (a document of its own).
  const object = await deps.store.get(input.key, { version: input.version });
  const document = await deps.ocr.recognize({ documentId: input.documentId, bytes: object.bytes, contentType: input.contentType, sha256: input.sha256, name: input.name });
  return storeRecognised(deps, input.documentId, document, deps.ocr.name);
}

export async function startOcrJob(deps: PipelineDeps, input: RegisteredDocument, taskToken: string): Promise<{ jobId: string }> {
  // The token first: a fast job may complete before start() returns.
  await deps.table.update(input.documentId, { taskToken }, { expectedStatus: ['processing'] });
  const { jobId } = await deps.ocrJobs.start({ documentId: input.documentId, key: input.key, version: input.version, contentType: input.contentType, sha256: input.sha256, name: input.name });
  await deps.table.update(input.documentId, { ocrJobId: jobId });
  return { jobId };
}

export interface OcrJobNotification {
  jobId: string;
  /** SUCCEEDED, FAILED, ERROR (Textract's JobStatus in the SNS message). */
  status: string;
  /** The JobTag: the document id. */
  documentId: string;
  message?: string;
}

/** Answers the waiting execution; `answered: false` when no execution waits (a late or repeated notification). */
export async function completeOcrJob(deps: PipelineDeps, notification: OcrJobNotification): Promise<{ answered: boolean; outcome?: 'succeeded' | 'failed' }> {
  const record = await deps.table.get(notification.documentId);
  if (!record?.taskToken || record.status !== 'processing') return { answered: false };
  const token = record.taskToken;
  if (notification.status !== 'SUCCEEDED') {
    await deps.callbacks.fail(token, PIPELINE_ERRORS.OCR_FAILED, `The OCR job ${notification.jobId} ended ${notification.status}${notification.message ? `: ${notification.message}` : ''}.`);
    return { answered: true, outcome: 'failed' };
  }
  let result: OcrResult;
  try {
    const document = await deps.ocrJobs.collect(notification.jobId, { documentId: record.documentId, key: record.sourceKey, version: record.sourceVersion, contentType: record.contentType ?? 'application/octet-stream', sha256: record.sha256 ?? '', name: record.name });
    result = await storeRecognised(deps, record.documentId, document, deps.ocrJobs.name);
  } catch (error) {
    // Transient trouble: throw, and the notification is delivered again. Anything else fails the task for good.
    if (isDocpipeError(error) && error.retryable) throw error;
    const code = isDocpipeError(error) ? error.code : PIPELINE_ERRORS.OCR_FAILED;
    await deps.callbacks.fail(token, code, (error as Error).message ?? String(error));
    return { answered: true, outcome: 'failed' };
  }
  await deps.callbacks.succeed(token, result);
  return { answered: true, outcome: 'succeeded' };
}

async function storeRecognised(deps: PipelineDeps, documentId: string, candidate: Document, vendor: string): Promise<OcrResult> {
  const document = validateDocument({ ...candidate, id: documentId });
  if (document.pages.length === 0) throw new DocpipeError(PIPELINE_ERRORS.OCR_FAILED, `OCR found no pages in document ${documentId}.`);
  const documentKey = objectKeys.workingDocument(documentId);
  await deps.store.put(documentKey, JSON.stringify(document), { contentType: 'application/json' });
  return { documentKey, pageCount: document.pages.length, vendor };
}
