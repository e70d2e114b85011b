import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { DocpipeFunction } from './function';
import type { PageModel } from './page-model';
import { AslStateMachine, grantStartExecution } from './state-machine';
import type { Storage } from './storage';

export interface ExtractionProps {
  readonly key: kms.IKey;
  readonly storage: Storage;
  readonly environment: Record<string, string>;
  readonly pageModel: PageModel;
  readonly export: sfn.IStateMachine;
  readonly webhookDelivery: sfn.IStateMachine;
  /** The function that records a failure (shared with the export state machine). */
  readonly markFailed: DocpipeFunction;
  /**
   * Concurrent Textract callers (reserved concurrency of the sync, start and collect functions): with the state
   * machines' backoff on OCR_THROTTLED, this keeps docpipe inside the account's Textract TPS quotas. Default 5.
   */
  readonly ocrConcurrency?: number;
}

/**
 * The extraction state machine (state-machines/extraction.asl.json): register and check the document, OCR it (sync
 * for single images, else an async Textract job that announces its end on an encrypted SNS topic; the completion
 * function reads every result page and answers the waiting task token), page predictions, then the export.
 */
export class Extraction extends Construct {
  readonly functions: Record<'register' | 'ocrSync' | 'startOcrJob' | 'ocrJobCompleted' | 'predict', DocpipeFunction>;
  readonly stateMachine: sfn.StateMachine;
  readonly textractTopic: sns.Topic;

  constructor(scope: Construct, id: string, props: ExtractionProps) {
    super(scope, id);
    const { key, storage } = props;
    const ocrConcurrency = props.ocrConcurrency ?? 5;
    this.textractTopic = new sns.Topic(this, 'TextractCompletions', { masterKey: key, enforceSSL: true, displayName: 'docpipe: Textract job completions' });
    const textractRole = new iam.Role(this, 'TextractPublishRole', { assumedBy: new iam.ServicePrincipal('textract.amazonaws.com'), description: 'Lets Textract announce finished jobs on the docpipe topic' });
    this.textractTopic.grantPublish(textractRole); // with the key's Decrypt and GenerateDataKey, all that publishing needs

    const environment = { ...props.environment, TEXTRACT_TOPIC_ARN: this.textractTopic.topicArn, TEXTRACT_ROLE_ARN: textractRole.roleArn, ...props.pageModel.environment };
    const fn = (name: string, handler: string, extra: { timeout?: Duration; memorySize?: number; reservedConcurrentExecutions?: number } = {}) => new DocpipeFunction(this, name, { handler, key, environment, ...extra });
    this.functions = {
      register: fn('RegisterDocument', 'register-document', { memorySize: 1024, timeout: Duration.minutes(2) }),
      ocrSync: fn('OcrSync', 'ocr-sync', { timeout: Duration.minutes(2), reservedConcurrentExecutions: ocrConcurrency }),
      startOcrJob: fn('StartOcrJob', 'start-ocr-job', { reservedConcurrentExecutions: ocrConcurrency }),
      ocrJobCompleted: fn('OcrJobCompleted', 'ocr-job-completed', { memorySize: 1024, timeout: Duration.minutes(5), reservedConcurrentExecutions: ocrConcurrency }),
      predict: fn('PredictPages', 'predict-pages', { timeout: Duration.minutes(2) }),
    };
    const [register, ocrSync, startOcrJob, ocrJobCompleted, predict] = [this.functions.register, this.functions.ocrSync, this.functions.startOcrJob, this.functions.ocrJobCompleted, this.functions.predict].map((f) => f.function);

    // Least privilege: each function gets what its step touches.
    // The document record: registration writes it, the async OCR keeps the task token and job id in it.
    for (const f of [register, startOcrJob, ocrJobCompleted]) storage.documentsTable.grantReadWriteData(f);
    storage.ingestBucket.grantRead(register);
    storage.ingestBucket.grantRead(ocrSync);
    storage.ingestBucket.grantRead(startOcrJob); // Textract reads the original with the caller's permissions
    storage.ocrBucket.grantPut(ocrSync);
    storage.ocrBucket.grantPut(ocrJobCompleted);
    storage.ocrBucket.grantRead(predict);
    storage.ocrBucket.grantPut(predict);
    // Textract has no resource-level permissions: the actions are named one by one, the resource cannot be. The
    // pipeline calls the AnalyzeDocument family only (lambdas/aws/textract-ocr.ts).
    ocrSync.addToRolePolicy(new iam.PolicyStatement({ actions: ['textract:AnalyzeDocument'], resources: ['*'] }));
    startOcrJob.addToRolePolicy(new iam.PolicyStatement({ actions: ['textract:StartDocumentAnalysis'], resources: ['*'] }));
    ocrJobCompleted.addToRolePolicy(new iam.PolicyStatement({ actions: ['textract:GetDocumentAnalysis'], resources: ['*'] }));
    textractRole.grantPassRole(startOcrJob.grantPrincipal);
    this.textractTopic.addSubscription(new subscriptions.LambdaSubscription(ocrJobCompleted));
    props.pageModel.grantInvoke(predict);

    this.stateMachine = new AslStateMachine(this, 'Machine', {
      definition: 'extraction',
      substitutions: {
        RegisterDocumentFunctionArn: register.functionArn,
        OcrSyncFunctionArn: ocrSync.functionArn,
        StartOcrJobFunctionArn: startOcrJob.functionArn,
        PredictPagesFunctionArn: predict.functionArn,
        MarkFailedFunctionArn: props.markFailed.function.functionArn,
        ExportStateMachineArn: props.export.stateMachineArn,
        WebhookDeliveryStateMachineArn: props.webhookDelivery.stateMachineArn,
      },
      key,
      timeout: Duration.hours(2),
    }).stateMachine;
    for (const f of [register, ocrSync, startOcrJob, predict, props.markFailed.function]) f.grantInvoke(this.stateMachine);
    grantStartExecution(props.export, key, this.stateMachine);
    grantStartExecution(props.webhookDelivery, key, this.stateMachine);
    // Only the completion answers the task token (start-ocr-job fails the task by throwing); granting it to
    // start-ocr-job as well would make the state machine and that function depend on each other.
    this.stateMachine.grantTaskResponse(ocrJobCompleted);
  }
}
