import { Duration } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { DocpipeFunction } from './function';
import { AslStateMachine } from './state-machine';
import type { Storage } from './storage';

export interface WebhookDeliveryProps {
  readonly key: kms.IKey;
  readonly storage: Storage;
  readonly bus: events.IEventBus;
  readonly environment: Record<string, string>;
  /** Longest a delivery may keep retrying. Default 3 days (the schedule ends after about 36 hours). */
  readonly timeout?: Duration;
}

/**
 * One execution per delivery (state-machines/webhook-delivery.asl.json): sign, POST, wait out the backoff, retry,
 * dead-letter. The deliver function unseals the endpoint's secrets with the CMK and records every attempt.
 */
export class WebhookDelivery extends Construct {
  readonly deliver: DocpipeFunction;
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: WebhookDeliveryProps) {
    super(scope, id);
    const { key, storage } = props;
    this.deliver = new DocpipeFunction(this, 'Deliver', { handler: 'deliver-webhook', key, environment: props.environment, timeout: Duration.seconds(30) });
    const fn = this.deliver.function;
    storage.endpointsTable.grantReadWriteData(fn); // disables an endpoint that failed for days
    storage.deliveriesTable.grantReadWriteData(fn);
    storage.secretsTable.grantReadData(fn);
    key.grantDecrypt(fn);
    props.bus.grantPutEventsTo(fn);
    this.stateMachine = new AslStateMachine(this, 'Machine', { definition: 'webhook-delivery', substitutions: { DeliverWebhookFunctionArn: fn.functionArn }, key, timeout: props.timeout ?? Duration.days(3) }).stateMachine;
    fn.grantInvoke(this.stateMachine);
  }
}
