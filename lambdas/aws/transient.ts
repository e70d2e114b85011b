import { DocpipeError } from '../domain/errors';

/** Which AWS SDK errors are worth retrying: throttling, 5xx and timeouts (the SDK's own retries came first). */
const THROTTLING = new Set(['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'ProvisionedThroughputExceededException', 'RequestLimitExceeded', 'SlowDown', 'LimitExceededException', 'ThrottledException']);
// TransactionConflictException: a DynamoDB write to an item that a transaction is writing at that moment.
const TRANSIENT = new Set(['InternalServerError', 'InternalServerException', 'ServiceUnavailable', 'ServiceUnavailableException', 'InternalFailure', 'RequestTimeout', 'RequestTimeoutException', 'TimeoutError', 'TransactionConflictException', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']);

/** The name a transient AWS failure goes by when no port names it more precisely: every state machine retries it. */
export const AWS_UNAVAILABLE = 'AWS_UNAVAILABLE';

export function throttlingAwsError(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return THROTTLING.has(e?.name ?? '') || e?.$metadata?.httpStatusCode === 429;
}

export function transientAwsError(error: unknown): boolean {
  const e = error as { name?: string; code?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };
  if (throttlingAwsError(error) || TRANSIENT.has(e?.name ?? '') || TRANSIENT.has(e?.code ?? '') || e?.$retryable) return true;
  const status = e?.$metadata?.httpStatusCode;
  return status !== undefined && status >= 500;
}

/**
 * Runs an AWS call; a transient failure leaves it as a retryable DocpipeError AWS_UNAVAILABLE (the API answers 503
 * API_UNAVAILABLE with Retry-After, the state machines retry the step), anything else as it was.
 */
export async function retryableOnTransient<T>(service: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (transientAwsError(error)) throw new DocpipeError(AWS_UNAVAILABLE, `${service} failed transiently (${(error as Error).name}).`, { retryable: true, cause: error });
    throw error;
  }
}
