/**
 * When to try again. The default schedule follows what mature webhook services use: immediately, then 5 s, 5 min,
 * 30 min, 2 h, 5 h, 10 h and 10 h (about 27.5 hours in all, 8 attempts). Each wait gets +-20% jitter so that
 * deliveries that failed together do not retry together; a 429 or 503 with Retry-After waits at least that long.
 */
export const DEFAULT_SCHEDULE_SECONDS: readonly number[] = [0, 5, 300, 1800, 7200, 18000, 36000, 36000];

export interface RetryPolicy {
  /** Seconds to wait before each attempt; the first is normally 0. Default DEFAULT_SCHEDULE_SECONDS. */
  scheduleSeconds: readonly number[];
  /** Relative jitter, 0..1. Default 0.2. */
  jitter: number;
  /** The longest Retry-After honoured, in seconds. Default 36000 (the longest wait of the schedule). */
  maxRetryAfterSeconds: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { scheduleSeconds: DEFAULT_SCHEDULE_SECONDS, jitter: 0.2, maxRetryAfterSeconds: 36000 };

/**
 * Seconds to wait before attempt number `nextAttempt` (1-based: attempt 1 is the first), or undefined when the
 * schedule is used up.
 */
export function delayBefore(nextAttempt: number, policy: RetryPolicy = DEFAULT_RETRY_POLICY, retryAfterSeconds?: number, random: () => number = Math.random): number | undefined {
  const base = policy.scheduleSeconds[nextAttempt - 1];
  if (base === undefined) return undefined;
  const jittered = base * (1 + policy.jitter * (2 * random() - 1));
  const floor = retryAfterSeconds === undefined ? 0 : Math.min(retryAfterSeconds, policy.maxRetryAfterSeconds);
  return Math.max(0, Math.round(Math.max(jittered, floor)));
}

/** Retry-After as seconds: either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}
