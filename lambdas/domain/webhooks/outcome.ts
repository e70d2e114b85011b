/**
 * What an attempt's result means. Success is any 2xx. Timeouts, connection errors, 408, 409, 425, 429 and 5xx are
 * worth retrying; other 4xx mean the request itself is refused and will be refused again; 3xx is a failure too,
 * because redirects are never followed (a redirect could point the delivery at an address the guard refused).
 */
export type AttemptVerdict = 'succeeded' | 'retry' | 'permanent';

const RETRYABLE_4XX = new Set([408, 409, 425, 429]);

export function verdictOf(status: number | undefined): AttemptVerdict {
  if (status === undefined) return 'retry'; // no response: timeout or connection error
  if (status >= 200 && status < 300) return 'succeeded';
  if (status >= 500 || RETRYABLE_4XX.has(status)) return 'retry';
  return 'permanent';
}
