/** ExecutionStarter and TaskCallbacks on Step Functions. */
import { ExecutionAlreadyExists, SendTaskFailureCommand, SendTaskHeartbeatCommand, SendTaskSuccessCommand, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { DocpipeError } from '../domain/errors';
import { PIPELINE_ERRORS } from '../domain/pipeline/errors';
import type { ExecutionStarter } from '../ports/execution-starter';
import type { TaskCallbacks } from '../ports/task-callbacks';
import { transientAwsError } from './transient';

export class SfnExecutionStarter implements ExecutionStarter {
  constructor(private readonly client: SFNClient, private readonly stateMachineArn: string) {}

  async start(name: string, input: unknown): Promise<'started' | 'duplicate'> {
    try {
      await this.client.send(new StartExecutionCommand({ stateMachineArn: this.stateMachineArn, name, input: JSON.stringify(input) }));
      return 'started';
    } catch (error) {
      // Same name with the same input answers 200 (idempotent); with another input, ExecutionAlreadyExists.
      if (error instanceof ExecutionAlreadyExists || (error as Error).name === 'ExecutionAlreadyExists') return 'duplicate';
      if (transientAwsError(error)) throw new DocpipeError('EXECUTION_START_UNAVAILABLE', `Step Functions failed transiently (${(error as Error).name}).`, { retryable: true, cause: error });
      throw error;
    }
  }
}

export class SfnTaskCallbacks implements TaskCallbacks {
  constructor(private readonly client: SFNClient) {}

  async succeed(token: string, output: unknown): Promise<void> {
    await this.call(() => this.client.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(output) })));
  }

  async fail(token: string, error: string, cause: string): Promise<void> {
    // Step Functions limits error to 256 and cause to 32768 characters.
    await this.call(() => this.client.send(new SendTaskFailureCommand({ taskToken: token, error: error.slice(0, 256), cause: cause.slice(0, 32768) })));
  }

  async heartbeat(token: string): Promise<void> {
    await this.call(() => this.client.send(new SendTaskHeartbeatCommand({ taskToken: token })));
  }

  private async call(send: () => Promise<unknown>): Promise<void> {
    try {
      await send();
    } catch (error) {
      const name = (error as Error).name;
      // The execution stopped waiting (timed out, or answered already): nothing left to answer.
      if (name === 'TaskTimedOut' || name === 'TaskDoesNotExist' || name === 'InvalidToken') throw new DocpipeError(PIPELINE_ERRORS.OCR_JOB_UNKNOWN, `The task token is no longer valid (${name}).`);
      if (transientAwsError(error)) throw new DocpipeError('EXECUTION_CALLBACK_UNAVAILABLE', `Step Functions failed transiently (${name}).`, { retryable: true, cause: error });
      throw error;
    }
  }
}
