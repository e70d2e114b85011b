/**
 * Stable codes of the pipeline. The state machines match the retryable ones by name in their Retry clauses; the
 * rest end the document as `failed` with the code in its reason and in the `document.failed` event.
 */
export const PIPELINE_ERRORS = {
  /** The object key is not under `clients/<clientId>/`: docpipe cannot tell whose document it is. */
  OBJECT_KEY_WITHOUT_CLIENT: 'OBJECT_KEY_WITHOUT_CLIENT',
  OBJECT_KEY_IS_FOLDER: 'OBJECT_KEY_IS_FOLDER',
  /** A second event for a document already registered (the first run owns it). */
  DOCUMENT_ALREADY_REGISTERED: 'DOCUMENT_ALREADY_REGISTERED',
  /** The OCR vendor throttled the request (retryable). */
  OCR_THROTTLED: 'OCR_THROTTLED',
  /** The OCR vendor was unavailable or timed out (retryable). */
  OCR_UNAVAILABLE: 'OCR_UNAVAILABLE',
  /** The OCR vendor could not read the document, or its async job failed. */
  OCR_FAILED: 'OCR_FAILED',
  /** No OCR answer within the state's timeout (a lost completion notification). */
  OCR_TIMEOUT: 'OCR_TIMEOUT',
  /** The page model is throttled or down (retryable; after the retries the document goes on without predictions). */
  PAGE_MODEL_UNAVAILABLE: 'PAGE_MODEL_UNAVAILABLE',
  PAGE_MODEL_THROTTLED: 'PAGE_MODEL_THROTTLED',
  /** The page model failed for good: the document has no page predictions and needs review. */
  PAGE_MODEL_FAILED: 'PAGE_MODEL_FAILED',
  /** The object store, the document table or the event bus failed transiently (retryable). */
  STORE_UNAVAILABLE: 'STORE_UNAVAILABLE',
  TABLE_UNAVAILABLE: 'TABLE_UNAVAILABLE',
  EVENT_BUS_UNAVAILABLE: 'EVENT_BUS_UNAVAILABLE',
  /** An async OCR completion for a document that is not waiting for one. */
  OCR_JOB_UNKNOWN: 'OCR_JOB_UNKNOWN',
  /** An OCR completion came before its job's id was recorded on the document (retryable: delivered again). */
  OCR_JOB_NOT_RECORDED: 'OCR_JOB_NOT_RECORDED',
  /** A step timed out. */
  TASK_TIMEOUT: 'TASK_TIMEOUT',
  /** An unexpected error: a bug, reported with its message. */
  INTERNAL_ERROR: 'INTERNAL_ERROR',
} as const;
