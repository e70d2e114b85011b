/**
 * Runs our ASL files on this machine with aws-local-stepfunctions: the same definitions CDK deploys, with every
 * Task answered by a local handler instead of an AWS call.
 *
 * Placeholders (`${ExtractFunctionArn}`) are filled as CDK fills them, with local ARNs, and each Task state is
 * routed by the placeholder it names (`FunctionName` of a `lambda:invoke`, or any other `${...}` in its Resource
 * or Parameters), so one handler serves every state that calls the same function. Wait states and retry intervals
 * can be shortened; a trace records the states entered and the handlers' durations.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { DocpipeError, isDocpipeError } from '../domain/errors';

// aws-local-stepfunctions needs Promise.withResolvers (Node 22); Node 20 lacks it.
if (!(Promise as unknown as { withResolvers?: unknown }).withResolvers) {
  (Promise as unknown as { withResolvers: () => unknown }).withResolvers = function withResolvers<T>() {
    let resolve!: (value: T) => void;
    let reject!: (reason?: unknown) => void;
    const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
    return { promise, resolve, reject };
  };
}
// Loaded after the polyfill.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { StateMachine } = require('aws-local-stepfunctions') as typeof import('aws-local-stepfunctions');

export interface TaskContext {
  stateName: string;
  executionName: string;
  /** `$$.Task.Token` for `.waitForTaskToken` states. */
  taskToken: string;
}

interface TokenWaiter {
  resolve: (output: unknown) => void;
  reject: (error: Error) => void;
  heartbeat: () => void;
}

/**
 * The local side of SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat. A `.waitForTaskToken` state waits here
 * for its token after its handler returned; whoever holds the token (a completion handler, a test) answers through
 * it. An answer that arrives before the state started waiting is kept until it does.
 */
export class LocalTaskTokens {
  private readonly waiters = new Map<string, TokenWaiter>();
  private readonly early = new Map<string, { output?: unknown; error?: Error }>();

  succeed(token: string, output: unknown): void {
    const waiter = this.waiters.get(token);
    if (waiter) waiter.resolve(output);
    else this.early.set(token, { output });
  }

  fail(token: string, error: string, cause?: string): void {
    const failure = new Error(cause ?? error);
    failure.name = error;
    const waiter = this.waiters.get(token);
    if (waiter) waiter.reject(failure);
    else this.early.set(token, { error: failure });
  }

  /** Extends the heartbeat deadline; false when nothing waits for the token (as SFN's TaskTimedOut). */
  heartbeat(token: string): boolean {
    const waiter = this.waiters.get(token);
    waiter?.heartbeat();
    return waiter !== undefined;
  }

  /** Waits for the answer; `States.HeartbeatTimeout` when no heartbeat or answer comes within heartbeatMs. */
  wait(token: string, heartbeatMs?: number): Promise<unknown> {
    const early = this.early.get(token);
    if (early) {
      this.early.delete(token);
      return early.error ? Promise.reject(early.error) : Promise.resolve(early.output);
    }
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const arm = (): void => {
        if (heartbeatMs === undefined) return;
        if (timer) clearTimeout(timer);
        timer = setTimeout(() => settle(() => reject(statesError('States.HeartbeatTimeout', `No heartbeat or answer for task token within ${heartbeatMs} ms (local).`))), heartbeatMs);
      };
      const settle = (done: () => void): void => {
        if (timer) clearTimeout(timer);
        this.waiters.delete(token);
        done();
      };
      this.waiters.set(token, { resolve: (output) => settle(() => resolve(output)), reject: (error) => settle(() => reject(error)), heartbeat: arm });
      arm();
    });
  }
}

/** Shared by every local machine of the process, as one Step Functions account is. */
export const localTaskTokens = new LocalTaskTokens();

function statesError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/** A local stand-in for a Lambda function (its payload in, its result out) or another service integration. */
export type LocalTask = (input: unknown, context: TaskContext) => Promise<unknown> | unknown;

export interface LocalStateMachineOptions {
  /** Path of the ASL JSON file. */
  definitionPath: string;
  /** Handlers keyed by placeholder name, e.g. `{ DeliverWebhookFunctionArn: handler }`. */
  tasks: Record<string, LocalTask>;
  /** Values for placeholders that are not tasks (numbers, names); the rest get local ARNs. */
  substitutions?: Record<string, string>;
  /** How long every Wait state waits locally, in ms. Default 0. */
  waitMs?: number;
  /** How long every retrier waits locally, in ms. Default 5. */
  retryMs?: number;
  /**
   * How long a `.waitForTaskToken` state waits locally without an answer or heartbeat before it fails with
   * `States.HeartbeatTimeout`, in ms. Default: the state's HeartbeatSeconds (which the library ignores), else none
   * (the state's TimeoutSeconds still applies).
   */
  heartbeatMs?: number;
  /** Where task tokens are answered. Default: the process-wide `localTaskTokens`. */
  tokens?: LocalTaskTokens;
}

export interface TraceEntry {
  type: string;
  state?: string;
  at: number;
  /** For handler calls: the handler's own time in ms. */
  durationMs?: number;
  error?: string;
}

export interface LocalRun {
  status: 'SUCCEEDED' | 'FAILED';
  output?: unknown;
  error?: { name: string; message: string };
  trace: TraceEntry[];
  /** State transitions, the unit Step Functions Standard bills: one per state entered and one per retry. */
  transitions: number;
  durationMs: number;
}

type AslState = { Type: string; Resource?: string; Parameters?: unknown; HeartbeatSeconds?: number; Retry?: unknown[]; Branches?: AslMachine[]; Iterator?: AslMachine; ItemProcessor?: AslMachine };
type AslMachine = { States: Record<string, AslState> };

const PLACEHOLDER = /\$\{([A-Za-z0-9_]+)\}/g;

/** Definitions (after substitution) that passed validation in this process. */
const VALIDATED = new Set<string>();

/** The local ARN for a placeholder: Lambda functions and state machines get ARNs of their kind. */
export function localArn(name: string): string {
  if (name.endsWith('FunctionArn')) return `arn:aws:lambda:us-east-1:000000000000:function:${name.slice(0, -'Arn'.length)}`;
  if (name.endsWith('StateMachineArn')) return `arn:aws:states:us-east-1:000000000000:stateMachine:${name.slice(0, -'Arn'.length)}`;
  if (name.endsWith('TopicArn')) return `arn:aws:sns:us-east-1:000000000000:${name.slice(0, -'Arn'.length)}`;
  return `local-${name}`;
}

export class LocalStateMachine {
  private readonly machine: InstanceType<typeof StateMachine>;
  private readonly definition: AslMachine;
  private readonly routes = new Map<string, string>();
  /** Task states that wait for a task token, with their heartbeat in ms (undefined: none). */
  private readonly tokenStates = new Map<string, number | undefined>();

  constructor(private readonly options: LocalStateMachineOptions) {
    const text = readFileSync(options.definitionPath, 'utf8').replace(PLACEHOLDER, (_match, name: string) => options.substitutions?.[name] ?? localArn(name));
    const original = readFileSync(options.definitionPath, 'utf8');
    this.definition = JSON.parse(text);
    this.route(JSON.parse(original), options.definitionPath);
    // Validated once per process and definition: asl-validator compiles its JSON schemas on every call (150-500 ms),
    // and each new pipeline in a process (each test, each bench round) builds its machines again.
    this.machine = new StateMachine(this.definition as never, { validationOptions: { checkArn: false, noValidate: VALIDATED.has(text) } });
    VALIDATED.add(text);
  }

  /** Maps each Task state to the placeholder it names, and checks that a handler exists for it. */
  private route(machine: AslMachine, where: string): void {
    for (const [name, state] of Object.entries(machine.States)) {
      if (state.Type === 'Task') {
        const names = [...JSON.stringify([state.Resource, state.Parameters]).matchAll(PLACEHOLDER)].map((m) => m[1]).filter((n) => !this.options.substitutions?.[n]);
        const key = names.find((n) => this.options.tasks[n]) ?? names[0];
        if (!key || !this.options.tasks[key]) {
          throw new DocpipeError('LOCAL_TASK_MISSING', `${where}: Task state "${name}" names ${key ? `\${${key}}` : 'no placeholder'}, and no local handler is registered for it.`);
        }
        if (this.routes.has(name) && this.routes.get(name) !== key) throw new DocpipeError('LOCAL_TASK_AMBIGUOUS', `${where}: two Task states are named "${name}".`);
        this.routes.set(name, key);
        if (state.Resource?.endsWith('.waitForTaskToken')) this.tokenStates.set(name, this.options.heartbeatMs ?? (state.HeartbeatSeconds ? state.HeartbeatSeconds * 1000 : undefined));
      }
      for (const branch of state.Branches ?? []) this.route(branch, where);
      const inner = state.ItemProcessor ?? state.Iterator;
      if (inner) this.route(inner, where);
    }
  }

  async run(input: unknown, { executionName = randomUUID() }: { executionName?: string } = {}): Promise<LocalRun> {
    const trace: TraceEntry[] = [];
    const started = performance.now();
    const taskToken = `local-token-${randomUUID()}`;
    const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
    const retryIntervals: Record<string, number> = {};
    const tokens = this.options.tokens ?? localTaskTokens;
    for (const [stateName, key] of this.routes) {
      const task = this.options.tasks[key];
      const waitsForToken = this.tokenStates.has(stateName);
      retryIntervals[stateName] = this.options.retryMs ?? 5;
      handlers[stateName] = async (stateInput: unknown) => {
        const lambda = isLambdaInvoke(stateInput);
        const t0 = performance.now();
        try {
          const result = await task(lambda ? (stateInput as { Payload: unknown }).Payload : stateInput, { stateName, executionName, taskToken });
          trace.push({ type: 'TaskSucceeded', state: stateName, at: t0 - started, durationMs: performance.now() - t0 });
          if (waitsForToken) {
            // The state's output is what SendTaskSuccess sends, not what the handler returned.
            const t1 = performance.now();
            const output = await tokens.wait(taskToken, this.tokenStates.get(stateName));
            trace.push({ type: 'TaskTokenAnswered', state: stateName, at: t1 - started, durationMs: performance.now() - t1 });
            return output ?? null;
          }
          // lambda:invoke answers { Payload, StatusCode }; the ASL reads $.Payload.
          return lambda ? { Payload: result ?? null, StatusCode: 200 } : result ?? null;
        } catch (error) {
          trace.push({ type: 'TaskFailed', state: stateName, at: t0 - started, durationMs: performance.now() - t0, error: errorName(error) });
          throw asStatesError(error);
        }
      };
    }
    const waits = Object.fromEntries(waitStates(this.definition).map((name) => [name, this.options.waitMs ?? 0]));
    const execution = this.machine.run(input as never, {
      overrides: { taskResourceLocalHandlers: handlers as never, waitTimeOverrides: waits, retryIntervalOverrides: retryIntervals },
      context: {
        Execution: { Id: `arn:aws:states:us-east-1:000000000000:execution:local:${executionName}`, Name: executionName, StartTime: new Date().toISOString(), Input: input },
        StateMachine: { Id: 'arn:aws:states:us-east-1:000000000000:stateMachine:local', Name: 'local' },
        Task: { Token: taskToken },
      } as never,
    });
    let transitions = 0;
    const logging = (async () => {
      for await (const event of execution.eventLogs) {
        const state = (event as { state?: { name?: string } }).state?.name;
        // Step Functions bills every state entered and every retry of a state as a transition.
        if (event.type === 'StateEntered' || event.type === 'StateRetried') transitions++;
        if (event.type === 'StateEntered' || event.type === 'StateRetried' || event.type === 'StateCaught' || event.type.startsWith('Execution')) {
          trace.push({ type: event.type, state, at: performance.now() - started });
        }
      }
    })();
    try {
      const output = await execution.result;
      await logging;
      return { status: 'SUCCEEDED', output, trace, transitions, durationMs: performance.now() - started };
    } catch (error) {
      await logging.catch(() => undefined);
      const cause = (error as { cause?: unknown }).cause ?? error;
      return { status: 'FAILED', error: { name: errorName(cause), message: (cause as Error).message ?? String(cause) }, trace, transitions, durationMs: performance.now() - started };
    }
  }
}

function isLambdaInvoke(input: unknown): boolean {
  return typeof input === 'object' && input !== null && 'FunctionName' in input && 'Payload' in input;
}

/** As in Lambda: a DocpipeError by its code (withObservability does that there), anything else by its name only (a Node error's `code`, such as ENOENT, is not a docpipe code). */
export function errorName(error: unknown): string {
  if (isDocpipeError(error)) return error.code;
  return (error as Error)?.name ?? 'Error';
}

/** Step Functions matches Retry and Catch on the error name; a Lambda reports a DocpipeError by its code. */
function asStatesError(error: unknown): Error {
  const named = new Error((error as Error)?.message ?? String(error));
  named.name = errorName(error);
  return named;
}

function waitStates(machine: AslMachine): string[] {
  const names: string[] = [];
  for (const [name, state] of Object.entries(machine.States)) {
    if (state.Type === 'Wait') names.push(name);
    for (const branch of state.Branches ?? []) names.push(...waitStates(branch));
    const inner = state.ItemProcessor ?? state.Iterator;
    if (inner) names.push(...waitStates(inner));
  }
  return names;
}
