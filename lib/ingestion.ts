import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as eventSources from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { DocpipeFunction } from './function';
import { grantStartExecution } from './state-machine';

export interface IngestionProps {
  readonly key: kms.IKey;
  readonly bucket: s3.IBucket;
  readonly documentsTable: dynamodb.ITableV2;
  readonly extraction: sfn.IStateMachine;
  /** Concurrent starter invocations: keeps Textract within its TPS quota. Default 5. */
  readonly maxConcurrency?: number;
  /** Receives before a message goes to the dead-letter queue. Default 5. */
  readonly maxReceiveCount?: number;
}

/**
 * Uploads to executions: S3 "Object Created" events under `clients/` go through EventBridge to an SQS queue (with a
 * dead-letter queue), drained by the starter function with partial batch responses. The starter claims each object
 * version once and names each execution after the document, so a duplicated event starts nothing twice.
 */
export class Ingestion extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly starter: DocpipeFunction;

  constructor(scope: Construct, id: string, props: IngestionProps) {
    super(scope, id);
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: props.key, enforceSSL: true, retentionPeriod: Duration.days(14) });
    this.queue = new sqs.Queue(this, 'Uploads', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      enforceSSL: true,
      visibilityTimeout: Duration.minutes(3),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount ?? 5 },
    });
    new events.Rule(this, 'ObjectCreated', {
      description: 'docpipe: documents uploaded under clients/<clientId>/ start an extraction',
      eventPattern: { source: ['aws.s3'], detailType: ['Object Created'], detail: { bucket: { name: [props.bucket.bucketName] }, object: { key: [{ prefix: 'clients/' }] } } },
      targets: [new targets.SqsQueue(this.queue)],
    });
    this.starter = new DocpipeFunction(this, 'Starter', {
      handler: 'start-extraction',
      key: props.key,
      environment: { DOCUMENTS_TABLE: props.documentsTable.tableName, EXTRACTION_STATE_MACHINE_ARN: props.extraction.stateMachineArn },
    });
    this.starter.function.addEventSource(new eventSources.SqsEventSource(this.queue, { batchSize: 10, maxConcurrency: props.maxConcurrency ?? 5, reportBatchItemFailures: true }));
    props.documentsTable.grantReadWriteData(this.starter.function);
    grantStartExecution(props.extraction, props.key, this.starter.function);
  }
}
