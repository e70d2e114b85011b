/**
 * ExecutionStarter and TaskCallbacks on this machine. Execution names are claimed with a create-only file, as Step
 * Functions keeps names unique per state machine, so a duplicate start is refused across processes too. Locally a
 * start runs the execution to its end before it returns (the caller wants the result); each run is recorded.
 */
import { join } from 'node:path';
import type { ExecutionStarter } from '../ports/execution-starter';
import type { TaskCallbacks } from '../ports/task-callbacks';
import { JsonFileStore } from './json-file-store';
import { localTaskTokens, type LocalRun, type LocalStateMachine, type LocalTaskTokens } from './state-machine-runner';

export interface RecordedRun {
  machine: string;
  name: string;
  input: unknown;
  run: LocalRun;
}

export class LocalExecutionStarter implements ExecutionStarter {
  private readonly names: JsonFileStore<{ name: string; startedAt: string }>;

  constructor(private readonly machineName: string, private readonly machine: () => LocalStateMachine, dir: string, private readonly onRun: (run: RecordedRun) => void) {
    this.names = new JsonFileStore(join(dir, machineName));
  }

  async start(name: string, input: unknown): Promise<'started' | 'duplicate'> {
    if (!this.names.create(name, { name, startedAt: new Date().toISOString() })) return 'duplicate';
    const run = await this.machine().run(input, { executionName: name });
    this.onRun({ machine: this.machineName, name, input, run });
    return 'started';
  }
}

/** The local stand-in for a `states:startExecution` Task: the same refusal of a duplicate name as Step Functions. */
export function startExecutionTask(starter: ExecutionStarter, machineName: string) {
  return async (parameters: unknown) => {
    const { Name, Input } = parameters as { Name: string; Input: unknown };
    if ((await starter.start(Name, Input)) === 'duplicate') {
      const error = new Error(`Execution ${Name} already exists.`);
      error.name = 'StepFunctions.ExecutionAlreadyExistsException';
      throw error;
    }
    return { ExecutionArn: `arn:aws:states:local:000000000000:execution:${machineName}:${Name}`, StartDate: new Date().toISOString() };
  };
}

export class LocalTaskCallbacks implements TaskCallbacks {
  constructor(private readonly tokens: LocalTaskTokens = localTaskTokens) {}

  async succeed(token: string, output: unknown): Promise<void> {
    this.tokens.succeed(token, output);
  }

  async fail(token: string, error: string, cause: string): Promise<void> {
    this.tokens.fail(token, error, cause);
  }

  async heartbeat(token: string): Promise<void> {
    this.tokens.heartbeat(token);
  }
}
