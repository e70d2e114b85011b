/**
 * Typed errors with stable codes. A code is a contract: clients see it in `document.failed` events and the CLI
 * prints it as `error <CODE>: <message>`, so codes are only ever added, never renamed.
 */
export const ERROR_CODES = {
  /** The input is not JSON at all. */
  INVALID_JSON: 'INVALID_JSON',
  /** JSON that is not a response of any known OCR vendor, or not of the expected shape. */
  UNRECOGNISED_RESPONSE: 'UNRECOGNISED_RESPONSE',
  /** A Textract response whose shape is wrong (missing Blocks, block without Id, ...). */
  TEXTRACT_INVALID_RESPONSE: 'TEXTRACT_INVALID_RESPONSE',
  /** A Google Document AI document whose shape is wrong (a list where an object should be, a span out of range, ...). */
  GOOGLE_DOCAI_INVALID_RESPONSE: 'GOOGLE_DOCAI_INVALID_RESPONSE',
  /** A Textract response with no blocks: nothing to normalise. */
  TEXTRACT_EMPTY_RESPONSE: 'TEXTRACT_EMPTY_RESPONSE',
  /** An async Textract job that failed (JobStatus FAILED). */
  TEXTRACT_JOB_FAILED: 'TEXTRACT_JOB_FAILED',
  /** An async Textract job that has not finished (JobStatus IN_PROGRESS). */
  TEXTRACT_JOB_IN_PROGRESS: 'TEXTRACT_JOB_IN_PROGRESS',
  /** A paginated result whose last chunk still has a NextToken: pages are missing. */
  TEXTRACT_INCOMPLETE_RESULT: 'TEXTRACT_INCOMPLETE_RESULT',
  /** The document does not satisfy the common format schema or one of its references does not resolve. */
  DOCUMENT_INVALID: 'DOCUMENT_INVALID',
  /** An option value the caller gave is not allowed. */
  INVALID_ARGUMENT: 'INVALID_ARGUMENT',
  /** A file that could not be read. */
  FILE_NOT_READABLE: 'FILE_NOT_READABLE',
} as const;

export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES] | (string & {});

export class DocpipeError extends Error {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;
  /** Whether trying again later can succeed (throttling, timeouts); permanent errors must not be retried. */
  readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, options: { details?: Record<string, unknown>; retryable?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DocpipeError';
    this.code = code;
    this.details = options.details;
    this.retryable = options.retryable ?? false;
  }

  toJSON(): { code: string; message: string; details?: Record<string, unknown> } {
    return { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) };
  }
}

export function isDocpipeError(error: unknown): error is DocpipeError {
  return error instanceof DocpipeError;
}
