/** Which AWS SDK errors are worth retrying: throttling, 5xx and timeouts (the SDK's own retries came first). */
const THROTTLING = new Set(['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'ProvisionedThroughputExceededException', 'RequestLimitExceeded', 'SlowDown', 'LimitExceededException', 'ThrottledException']);
const TRANSIENT = new Set(['InternalServerError', 'InternalServerException', 'ServiceUnavailable', 'ServiceUnavailableException', 'InternalFailure', 'RequestTimeout', 'RequestTimeoutException', 'TimeoutError', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']);

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
