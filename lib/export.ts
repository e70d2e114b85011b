import { Duration } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { DocpipeFunction } from './function';
import { AslStateMachine, grantStartExecution } from './state-machine';
import type { Storage } from './storage';

export interface ExportProps {
  readonly key: kms.IKey;
  readonly storage: Storage;
  readonly bus: events.IEventBus;
  readonly environment: Record<string, string>;
  readonly webhookDelivery: sfn.IStateMachine;
}

/**
 * The export state machine (state-machines/export.asl.json): the document JSON and table CSVs into the results
 * bucket, the final status, `document.completed` or `document.needs_review`, one webhook delivery per endpoint of
 * the document's client. MarkFailed records the reason and tells the client when an export cannot be built.
 */
export class Export extends Construct {
  readonly buildExports: DocpipeFunction;
  readonly markFailed: DocpipeFunction;
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: ExportProps) {
    super(scope, id);
    const { key, storage, environment } = props;
    this.buildExports = new DocpipeFunction(this, 'BuildExports', { handler: 'build-exports', key, environment, memorySize: 1024, timeout: Duration.minutes(2) });
    this.markFailed = new DocpipeFunction(this, 'MarkFailed', { handler: 'mark-failed', key, environment });
    const build = this.buildExports.function;
    storage.ocrBucket.grantRead(build);
    storage.resultsBucket.grantPut(build);
    storage.resultsBucket.grantRead(build); // the presigned export links are signed with this role
    for (const fn of [build, this.markFailed.function]) {
      storage.documentsTable.grantReadWriteData(fn);
      storage.endpointsTable.grantReadData(fn);
      storage.deliveriesTable.grantReadWriteData(fn);
      props.bus.grantPutEventsTo(fn);
    }
    this.stateMachine = new AslStateMachine(this, 'Machine', {
      definition: 'export',
      substitutions: { BuildExportsFunctionArn: build.functionArn, MarkFailedFunctionArn: this.markFailed.function.functionArn, WebhookDeliveryStateMachineArn: props.webhookDelivery.stateMachineArn },
      key,
      timeout: Duration.hours(1),
    }).stateMachine;
    build.grantInvoke(this.stateMachine);
    this.markFailed.function.grantInvoke(this.stateMachine);
    grantStartExecution(props.webhookDelivery, key, this.stateMachine);
  }
}
