/**
 * ExecutionStarter: starts a state machine execution under a name derived from what it processes, so that starting
 * twice is harmless (Step Functions refuses a second execution with the same name; locally the same rule is kept).
 */
export interface ExecutionStarter {
  /** `duplicate` when an execution with this name was already started. */
  start(name: string, input: unknown): Promise<'started' | 'duplicate'>;
}
