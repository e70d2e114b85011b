import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { join } from 'node:path';

export interface AslStateMachineProps {
  /** The file under state-machines/, without `.asl.json`: the same file the local runner executes. */
  readonly definition: string;
  /** `${Name}` placeholders in the file and the ARNs they stand for. Every placeholder must be given. */
  readonly substitutions: Record<string, string>;
  readonly key: kms.IKey;
  /** Longest an execution may run. */
  readonly timeout: Duration;
  /** Days of execution logs. Default one month. */
  readonly logRetention?: logs.RetentionDays;
}

export const STATE_MACHINES_DIR = join(__dirname, '..', 'state-machines');

/**
 * A Standard state machine from an ASL file in state-machines/ with its substitutions: encrypted with the CMK,
 * X-Ray traced, every state logged (without execution data: documents stay out of the logs) to an encrypted group.
 */
export class AslStateMachine extends Construct {
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: AslStateMachineProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'Logs', { encryptionKey: props.key, retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      // A name of its own: the role's grant on the key is conditioned on the state machine's ARN (the encryption
      // context), and without a name CDK cannot write that ARN, so the condition would match no state machine.
      stateMachineName: `${Stack.of(this).stackName}-${props.definition}`,
      definitionBody: sfn.DefinitionBody.fromFile(join(STATE_MACHINES_DIR, `${props.definition}.asl.json`)),
      definitionSubstitutions: props.substitutions,
      stateMachineType: sfn.StateMachineType.STANDARD,
      timeout: props.timeout,
      tracingEnabled: true,
      encryptionConfiguration: new sfn.CustomerManagedEncryptionConfiguration(props.key),
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });
    Validations.of(this).acknowledge({ id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]', reason: 'X-Ray tracing and CloudWatch Logs delivery (logs:CreateLogDelivery and friends) have no resource-level permissions.' });
  }
}

/**
 * Lets `starter` start executions of `target`, a state machine encrypted with `key`: states:StartExecution, and
 * the key for the execution's input, which Step Functions encrypts with the target's ARN as encryption context. The
 * key grant names that context, so that the starter can use the key for nothing else.
 */
export function grantStartExecution(target: sfn.IStateMachine, key: kms.IKey, starter: iam.IGrantable): void {
  target.grantStartExecution(starter);
  starter.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resources: [key.keyArn],
      conditions: { StringEquals: { 'kms:EncryptionContext:aws:states:stateMachineArn': target.stateMachineArn } },
    }),
  );
}
