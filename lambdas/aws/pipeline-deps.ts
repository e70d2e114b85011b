/**
 * The pipeline's ports on AWS, from the Lambda environment (names and ARNs only). Built once per container; the
 * Powertools tracer wraps every client, so each call shows in X-Ray.
 */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { SFNClient } from '@aws-sdk/client-sfn';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { DocpipeError } from '../domain/errors';
import type { IngestDeps, PipelineDeps } from '../domain/pipeline/deps';
import { tracer } from '../handlers/observability';
import { DynamoDocumentTable } from './dynamo-document-table';
import { EventBridgeEventBus } from './eventbridge-event-bus';
import { documentClient } from './dynamo-document-client';
import { bucketsFromEnvironment, positiveEnv, requireEnv } from './environment';
import { S3ObjectStore } from './s3-object-store';
import { SageMakerPageModel } from './sagemaker-page-model';
import { SfnExecutionStarter, SfnTaskCallbacks } from './sfn-executions';
import { webhookDepsFromEnvironment } from './webhook-deps';

/** A port this function was not built with: its bundle leaves the code out (see lambdas/handlers/pipeline-deps.ts). */
const absent = (what: string) => () => {
  throw new DocpipeError('CONFIGURATION_MISSING', `This function was not built with ${what}.`);
};

/**
 * The ports every pipeline function shares. `inspect` (the intake checks, with a PDF parser) and `ocr`/`ocrJobs`
 * (Textract and its adapter) come in `extra` from the functions that use them, so that the others stay small.
 */
export function pipelineDepsFromEnvironment(extra: Partial<PipelineDeps> = {}): PipelineDeps {
  const syncMaxBytes = positiveEnv('SYNC_MAX_BYTES');
  const threshold = positiveEnv('CONFIDENCE_THRESHOLD');
  const webhooks = webhookDepsFromEnvironment();
  // Only the prediction step is given the page model's endpoint: the export functions share these ports without it.
  const pageModelEndpoint = process.env.PAGE_MODEL_ENDPOINT;
  return {
    store: new S3ObjectStore(tracer.captureAWSv3Client(new S3Client({})), bucketsFromEnvironment()),
    table: new DynamoDocumentTable(documentClient(), requireEnv('DOCUMENTS_TABLE')),
    bus: new EventBridgeEventBus(tracer.captureAWSv3Client(new EventBridgeClient({})), requireEnv('EVENT_BUS_NAME')),
    inspect: absent('the intake checks'),
    ocr: { name: 'none', recognize: absent('an OCR vendor') },
    ocrJobs: { name: 'none', start: absent('an OCR vendor'), collect: absent('an OCR vendor') },
    callbacks: new SfnTaskCallbacks(tracer.captureAWSv3Client(new SFNClient({}))),
    pageModel: pageModelEndpoint
      ? new SageMakerPageModel(tracer.captureAWSv3Client(new SageMakerRuntimeClient(pageModelClientConfig())), { endpointName: pageModelEndpoint, ...(threshold ? { threshold } : {}) })
      : { predict: absent('the page model (PAGE_MODEL_ENDPOINT is not set)') },
    ...(threshold ? { reviewThreshold: threshold } : {}),
    ...(syncMaxBytes ? { ocrLimits: { syncMaxBytes } } : {}),
    webhooks: { endpoints: webhooks.endpoints, deliveries: webhooks.deliveries },
    ...extra,
  };
}

export function ingestDepsFromEnvironment(): IngestDeps {
  return {
    table: new DynamoDocumentTable(documentClient(), requireEnv('DOCUMENTS_TABLE')),
    extraction: new SfnExecutionStarter(tracer.captureAWSv3Client(new SFNClient({})), requireEnv('EXTRACTION_STATE_MACHINE_ARN')),
  };
}

/** The intake limits the stack configured (MAX_DOCUMENT_BYTES, MAX_DOCUMENT_PAGES), for inspectDocument. */
export function intakeLimitsFromEnvironment(): { maxBytes?: number; maxPages?: number } {
  const maxBytes = positiveEnv('MAX_DOCUMENT_BYTES');
  const maxPages = positiveEnv('MAX_DOCUMENT_PAGES');
  return { ...(maxBytes ? { maxBytes } : {}), ...(maxPages ? { maxPages } : {}) };
}

/**
 * An endpoint in another account is invoked through a role there (SageMaker endpoints have no resource policies):
 * PAGE_MODEL_ROLE_ARN, assumed with short-lived credentials that the SDK refreshes.
 */
export function pageModelClientConfig(): { credentials?: ReturnType<typeof fromTemporaryCredentials> } {
  const roleArn = process.env.PAGE_MODEL_ROLE_ARN;
  return roleArn ? { credentials: fromTemporaryCredentials({ params: { RoleArn: roleArn, RoleSessionName: 'docpipe-predict-pages' } }) } : {};
}
