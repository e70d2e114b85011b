/**
 * OCR, both ways. Sync: one call, the document stored, its key returned. Async: the job is started with the task
 * token recorded against the document (so the completion, which only knows the job and the document id, can answer
 * it); the completion reads the whole result and answers the token with success or with a stable error code.
 */
import { DOCUMENT_TABLE_ERRORS } from '../../ports/document-table';
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
  // The token first: a fast job may complete before start() returns. The previous try's job id goes with its token,
  // so that a late completion of that job never passes for this try's (completeOcrJob compares the ids).
  await deps.table.update(input.documentId, { taskToken, ocrJobId: undefined }, { expectedStatus: ['processing'] });
  const { jobId } = await deps.ocrJobs.start({ documentId: input.documentId, key: input.key, version: input.version, contentType: input.contentType, sha256: input.sha256, name: input.name });
  // Only while the token is still this try's: a try that timed out meanwhile must not name its job on the next try's.
  await deps.table.update(input.documentId, { ocrJobId: jobId }, { expectedStatus: ['processing'], expectedTaskToken: taskToken });
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

/** Why a completion answered nothing: the handler logs it and drops the notification. */
export type OcrCompletionDropped =
  /** No execution waits: the document is not processing, or has no task token (answered already, or never asked). */
  | 'nothing-waits'
  /** The completion of another job than the one recorded: a try that timed out before its job ended. */
  | 'stale-job'
  /** Another delivery of the same notification took the token first (SNS delivers at least once). */
  | 'already-answered'
  /** Step Functions no longer knows the token (it timed out, or was answered). */
  | 'token-unknown';

export type OcrCompletion =
  | { answered: true; outcome: 'succeeded' }
  /** `code`: why the task was failed, for the handler's error metric (nothing is thrown: the task carries it). */
  | { answered: true; outcome: 'failed'; code: string }
  | { answered: false; dropped: OcrCompletionDropped };

/**
 * Answers the waiting execution, once. A late, stale or repeated notification answers nothing and changes nothing
 * (`answered: false`): the token is taken off the record, on condition that it is still there, before the working
 * document is written, so a repeated notification cannot overwrite the predictions written since.
 */
export async function completeOcrJob(deps: PipelineDeps, notification: OcrJobNotification): Promise<OcrCompletion> {
  const record = await deps.table.get(notification.documentId);
  if (!record?.taskToken || record.status !== 'processing') return { answered: false, dropped: 'nothing-waits' };
  if (!record.ocrJobId) {
    // startOcrJob records the token, starts the job, then records its id: a fast job's completion can come in
    // between, and so can the late completion of the previous try's job (the JobTag, the document id, is the same
    // for both, so it cannot tell them apart). Answering could fail this try with the old job's outcome; dropping
    // could lose this try's only completion. So neither: thrown as retryable, the notification is delivered again
    // (Lambda's asynchronous retries, a minute later; locally at once), by when the id is recorded.
    throw new DocpipeError(PIPELINE_ERRORS.OCR_JOB_NOT_RECORDED, `The OCR completion of job ${notification.jobId} came before the job id of document ${record.documentId} was recorded: to be delivered again.`, { retryable: true });
  }
  if (record.ocrJobId !== notification.jobId) return { answered: false, dropped: 'stale-job' };
  const token = record.taskToken;

  // Read the result before taking the token: reading has no side effects, and a transient error leaves the token in
  // place for the notification's next delivery.
  let document: Document | undefined;
  let failure: { code: string; message: string } | undefined;
  if (notification.status !== 'SUCCEEDED') {
    failure = { code: PIPELINE_ERRORS.OCR_FAILED, message: `The OCR job ${notification.jobId} ended ${notification.status}${notification.message ? `: ${notification.message}` : ''}.` };
  } else {
    try {
      document = await deps.ocrJobs.collect(notification.jobId, { documentId: record.documentId, key: record.sourceKey, version: record.sourceVersion, contentType: record.contentType ?? 'application/octet-stream', sha256: record.sha256 ?? '', name: record.name });
    } catch (error) {
      // Transient trouble: throw, and the notification is delivered again. Anything else fails the task for good.
      if (isDocpipeError(error) && error.retryable) throw error;
      failure = { code: isDocpipeError(error) ? error.code : PIPELINE_ERRORS.OCR_FAILED, message: (error as Error).message ?? String(error) };
    }
  }

  if (!(await takeToken(deps, record.documentId, token))) return { answered: false, dropped: 'already-answered' };
  try {
    if (document) {
      let result: OcrResult | undefined;
      try {
        result = await storeRecognised(deps, record.documentId, document, deps.ocrJobs.name);
      } catch (error) {
        if (isDocpipeError(error) && error.retryable) throw error;
        failure = { code: isDocpipeError(error) ? error.code : PIPELINE_ERRORS.OCR_FAILED, message: (error as Error).message ?? String(error) };
      }
      if (result) {
        await deps.callbacks.succeed(token, result);
        return { answered: true, outcome: 'succeeded' };
      }
    }
    await deps.callbacks.fail(token, failure!.code, failure!.message);
    return { answered: true, outcome: 'failed', code: failure!.code };
  } catch (error) {
    if (isDocpipeError(error) && error.code === PIPELINE_ERRORS.OCR_JOB_UNKNOWN) return { answered: false, dropped: 'token-unknown' };
    // Transient (the store, Step Functions): give the token back, so that the next delivery can answer it.
    if (isDocpipeError(error) && error.retryable) await giveTokenBack(deps, record.documentId, token);
    throw error;
  }
}

/** Takes the token off the record if it still holds it: true for exactly one of concurrent callers. */
async function takeToken(deps: PipelineDeps, documentId: string, token: string): Promise<boolean> {
  try {
    await deps.table.update(documentId, { taskToken: undefined }, { expectedStatus: ['processing'], expectedTaskToken: token });
    return true;
  } catch (error) {
    if (isDocpipeError(error) && (error.code === DOCUMENT_TABLE_ERRORS.DOCUMENT_STATUS_CONFLICT || error.code === DOCUMENT_TABLE_ERRORS.DOCUMENT_NOT_FOUND)) return false;
    throw error;
  }
}

/**
 * Puts the token back unless the record holds one (a retry's) or left `processing`. Best effort: if this fails too,
 * the token is answered by nobody and the state's heartbeat timeout retries it with a new job.
 */
async function giveTokenBack(deps: PipelineDeps, documentId: string, token: string): Promise<void> {
  try {
    await deps.table.update(documentId, { taskToken: token }, { expectedStatus: ['processing'], expectedTaskToken: null });
  } catch {
    // The error being thrown is the one to report.
  }
}

async function storeRecognised(deps: PipelineDeps, documentId: string, candidate: Document, vendor: string): Promise<OcrResult> {
  const document = validateDocument({ ...candidate, id: documentId });
  if (document.pages.length === 0) throw new DocpipeError(PIPELINE_ERRORS.OCR_FAILED, `OCR found no pages in document ${documentId}.`);
  const documentKey = objectKeys.workingDocument(documentId);
  await deps.store.put(documentKey, JSON.stringify(document), { contentType: 'application/json' });
  return { documentKey, pageCount: document.pages.length, vendor };
}
