/** TaskCallbacks: answers a `.waitForTaskToken` state (SendTaskSuccess/Failure/Heartbeat; the runner locally). */
export interface TaskCallbacks {
  succeed(token: string, output: unknown): Promise<void>;
  /** `error` is the name Retry and Catch match (a stable docpipe code). */
  fail(token: string, error: string, cause: string): Promise<void>;
  heartbeat(token: string): Promise<void>;
}
