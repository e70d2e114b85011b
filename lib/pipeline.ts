import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { join } from 'node:path';
import { DocpipeFunction } from './function';
import type { PageModel } from './page-model';
import type { Storage } from './storage';

export interface PipelineProps {
  readonly key: kms.IKey;
  readonly storage: Storage;
  readonly bus: events.IEventBus;
  readonly pageModel: PageModel;
  /** Largest document accepted, bytes. Default 500 MB (Textract's async limit). */
  readonly maxDocumentBytes?: number;
  /** Most pages accepted. Default 3000. */
  readonly maxDocumentPages?: number;
  /** Review threshold for page predictions. Default 0.6. */
  readonly confidenceThreshold?: number;
  /** The webhook retry schedule, seconds. Default 0,5,300,1800,7200,18000,36000,36000. */
  readonly webhookScheduleSeconds?: number[];
}

const ASL = (name: string) => join(__dirname, '..', 'state-machines', `${name}.asl.json`);

/**
 * The three state machines (extraction, export, webhook delivery) from the same ASL files the local runner executes,
 * their task functions, and Textract's completion channel (an SNS topic Textract publishes to through its own role,
 * and the function that collects every result page and answers the waiting task token).
 */
export class Pipeline extends Construct {
  readonly functions: Record<string, DocpipeFunction> = {};
  readonly extraction: sfn.StateMachine;
  readonly export: sfn.StateMachine;
  readonly webhookDelivery: sfn.StateMachine;
  readonly textractTopic: sns.Topic;

  constructor(scope: Construct, id: string, props: PipelineProps) {
    super(scope, id);
    const { key, storage } = props;
    this.textractTopic = new sns.Topic(this, 'TextractCompletions', { masterKey: key, enforceSSL: true });
    const textractRole = new iam.Role(this, 'TextractPublishRole', { assumedBy: new iam.ServicePrincipal('textract.amazonaws.com'), description: 'Lets Textract announce finished jobs on the docpipe topic' });
    this.textractTopic.grantPublish(textractRole);
    key.grantEncryptDecrypt(textractRole);

    const environment: Record<string, string> = {
      DOCUMENTS_BUCKET: storage.documentsBucket.bucketName,
      DOCUMENTS_TABLE: storage.documentsTable.tableName,
      ENDPOINTS_TABLE: storage.endpointsTable.tableName,
      DELIVERIES_TABLE: storage.deliveriesTable.tableName,
      SECRETS_TABLE: storage.secretsTable.tableName,
      KMS_KEY_ID: key.keyArn,
      EVENT_BUS_NAME: props.bus.eventBusName,
      TEXTRACT_TOPIC_ARN: this.textractTopic.topicArn,
      TEXTRACT_ROLE_ARN: textractRole.roleArn,
      PAGE_MODEL_ENDPOINT: props.pageModel.endpointName,
      CONFIDENCE_THRESHOLD: String(props.confidenceThreshold ?? 0.6),
      MAX_DOCUMENT_BYTES: String(props.maxDocumentBytes ?? 500 * 1024 * 1024),
      MAX_DOCUMENT_PAGES: String(props.maxDocumentPages ?? 3000),
      WEBHOOK_SCHEDULE_SECONDS: (props.webhookScheduleSeconds ?? [0, 5, 300, 1800, 7200, 18000, 36000, 36000]).join(','),
    };
    const fn = (name: string, handler: string, extra: { timeout?: Duration; memorySize?: number } = {}) => {
      this.functions[name] = new DocpipeFunction(this, name, { handler, key, environment, ...extra });
      return this.functions[name].function;
    };

    const register = fn('RegisterDocument', 'register-document', { memorySize: 1024, timeout: Duration.minutes(2) });
    const ocrSync = fn('OcrSync', 'ocr-sync', { timeout: Duration.minutes(2) });
    const startOcrJob = fn('StartOcrJob', 'start-ocr-job');
    const ocrJobCompleted = fn('OcrJobCompleted', 'ocr-job-completed', { memorySize: 1024, timeout: Duration.minutes(5) });
    const predict = fn('PredictPages', 'predict-pages', { timeout: Duration.minutes(2) });
    const buildExports = fn('BuildExports', 'build-exports', { memorySize: 1024, timeout: Duration.minutes(2) });
    const markFailed = fn('MarkFailed', 'mark-failed');
    const deliver = fn('DeliverWebhook', 'deliver-webhook', { timeout: Duration.seconds(30) });

    // Least privilege: each function gets what its step touches, through grant* methods.
    for (const f of [register, ocrSync, startOcrJob, ocrJobCompleted, predict, buildExports, markFailed]) storage.documentsTable.grantReadWriteData(f);
    storage.documentsBucket.grantRead(register);
    storage.documentsBucket.grantRead(ocrSync);
    storage.documentsBucket.grantPut(ocrSync);
    storage.documentsBucket.grantRead(startOcrJob);
    storage.documentsBucket.grantReadWrite(ocrJobCompleted);
    storage.documentsBucket.grantReadWrite(predict);
    storage.documentsBucket.grantReadWrite(buildExports);
    for (const f of [register, markFailed, deliver]) props.bus.grantPutEventsTo(f);
    ocrSync.addToRolePolicy(new iam.PolicyStatement({ actions: ['textract:AnalyzeDocument', 'textract:DetectDocumentText', 'textract:AnalyzeExpense'], resources: ['*'] }));
    startOcrJob.addToRolePolicy(new iam.PolicyStatement({ actions: ['textract:StartDocumentAnalysis', 'textract:StartDocumentTextDetection', 'textract:StartExpenseAnalysis'], resources: ['*'] }));
    ocrJobCompleted.addToRolePolicy(new iam.PolicyStatement({ actions: ['textract:GetDocumentAnalysis', 'textract:GetDocumentTextDetection', 'textract:GetExpenseAnalysis'], resources: ['*'] }));
    textractRole.grantPassRole(startOcrJob.grantPrincipal);
    this.textractTopic.addSubscription(new subscriptions.LambdaSubscription(ocrJobCompleted));
    props.pageModel.grantInvoke(predict);
    for (const f of [buildExports, markFailed]) {
      storage.endpointsTable.grantReadData(f);
      storage.deliveriesTable.grantReadWriteData(f);
    }
    storage.endpointsTable.grantReadWriteData(deliver);
    storage.deliveriesTable.grantReadWriteData(deliver);
    storage.secretsTable.grantReadData(deliver);
    key.grantDecrypt(deliver);

    const stateMachine = (name: string, file: string, substitutions: Record<string, string>, timeout: Duration) =>
      new sfn.StateMachine(this, name, {
        definitionBody: sfn.DefinitionBody.fromFile(ASL(file)),
        definitionSubstitutions: substitutions,
        stateMachineType: sfn.StateMachineType.STANDARD,
        timeout,
        tracingEnabled: true,
        encryptionConfiguration: new sfn.CustomerManagedEncryptionConfiguration(key),
        logs: { destination: new logs.LogGroup(this, `${name}Logs`, { encryptionKey: key, retention: logs.RetentionDays.ONE_MONTH }), level: sfn.LogLevel.ERROR, includeExecutionData: false },
      });
    this.webhookDelivery = stateMachine('WebhookDelivery', 'webhook-delivery', { DeliverWebhookFunctionArn: deliver.functionArn }, Duration.days(3));
    this.export = stateMachine('Export', 'export', { BuildExportsFunctionArn: buildExports.functionArn, MarkFailedFunctionArn: markFailed.functionArn, WebhookDeliveryStateMachineArn: this.webhookDelivery.stateMachineArn }, Duration.hours(1));
    this.extraction = stateMachine(
      'Extraction',
      'extraction',
      {
        RegisterDocumentFunctionArn: register.functionArn,
        OcrSyncFunctionArn: ocrSync.functionArn,
        StartOcrJobFunctionArn: startOcrJob.functionArn,
        PredictPagesFunctionArn: predict.functionArn,
        MarkFailedFunctionArn: markFailed.functionArn,
        ExportStateMachineArn: this.export.stateMachineArn,
        WebhookDeliveryStateMachineArn: this.webhookDelivery.stateMachineArn,
      },
      Duration.hours(2),
    );
    deliver.grantInvoke(this.webhookDelivery);
    for (const f of [buildExports, markFailed]) f.grantInvoke(this.export);
    for (const f of [register, ocrSync, startOcrJob, predict, markFailed]) f.grantInvoke(this.extraction);
    this.export.grantStartExecution(this.extraction);
    this.webhookDelivery.grantStartExecution(this.extraction);
    this.webhookDelivery.grantStartExecution(this.export);
    this.extraction.grantTaskResponse(ocrJobCompleted);
    this.extraction.grantTaskResponse(startOcrJob);
  }
}
