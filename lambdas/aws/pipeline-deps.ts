/**
 * The pipeline's ports on AWS, from the Lambda environment (names and ARNs only). Built once per container; the
 * Powertools tracer wraps every client, so each call shows in X-Ray.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { SFNClient } from '@aws-sdk/client-sfn';
import { TextractClient, type FeatureType } from '@aws-sdk/client-textract';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inspectDocument } from '../domain/intake/inspect';
import type { IngestDeps, PipelineDeps } from '../domain/pipeline/deps';
import { tracer } from '../handlers/observability';
import { DynamoDocumentTable } from './dynamo-document-table';
import { EventBridgeEventBus } from './eventbridge-event-bus';
import { bucketsFromEnvironment, ingestBucketFromEnvironment, requireEnv } from './environment';
import { S3ObjectStore } from './s3-object-store';
import { SageMakerPageModel } from './sagemaker-page-model';
import { SfnExecutionStarter, SfnTaskCallbacks } from './sfn-executions';
import { TextractOcr } from './textract-ocr';
import { webhookDepsFromEnvironment } from './webhook-deps';

const documentClient = () => DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({})), { marshallOptions: { removeUndefinedValues: true } });

export function pipelineDepsFromEnvironment(): PipelineDeps {
  const bucket = ingestBucketFromEnvironment();
  const features = process.env.TEXTRACT_FEATURES ? (process.env.TEXTRACT_FEATURES.split(',') as FeatureType[]) : undefined;
  const textract = new TextractOcr(tracer.captureAWSv3Client(new TextractClient({})), { bucket, snsTopicArn: requireEnv('TEXTRACT_TOPIC_ARN'), snsRoleArn: requireEnv('TEXTRACT_ROLE_ARN'), ...(features ? { features } : {}) });
  const syncMaxBytes = Number(process.env.SYNC_MAX_BYTES ?? '') || undefined;
  const threshold = Number(process.env.CONFIDENCE_THRESHOLD ?? '') || undefined;
  const webhooks = webhookDepsFromEnvironment();
  const maxBytes = Number(process.env.MAX_DOCUMENT_BYTES ?? '') || undefined;
  const maxPages = Number(process.env.MAX_DOCUMENT_PAGES ?? '') || undefined;
  return {
    store: new S3ObjectStore(tracer.captureAWSv3Client(new S3Client({})), bucketsFromEnvironment()),
    table: new DynamoDocumentTable(documentClient(), requireEnv('DOCUMENTS_TABLE')),
    bus: new EventBridgeEventBus(tracer.captureAWSv3Client(new EventBridgeClient({})), requireEnv('EVENT_BUS_NAME')),
    inspect: (bytes) => inspectDocument(bytes, { ...(maxBytes ? { maxBytes } : {}), ...(maxPages ? { maxPages } : {}) }),
    ocr: textract,
    ocrJobs: textract,
    callbacks: new SfnTaskCallbacks(tracer.captureAWSv3Client(new SFNClient({}))),
    pageModel: new SageMakerPageModel(tracer.captureAWSv3Client(new SageMakerRuntimeClient({})), { endpointName: requireEnv('PAGE_MODEL_ENDPOINT'), ...(threshold ? { threshold } : {}) }),
    ...(syncMaxBytes ? { ocrLimits: { syncMaxBytes } } : {}),
    webhooks: { endpoints: webhooks.endpoints, deliveries: webhooks.deliveries },
  };
}

export function ingestDepsFromEnvironment(): IngestDeps {
  return {
    table: new DynamoDocumentTable(documentClient(), requireEnv('DOCUMENTS_TABLE')),
    extraction: new SfnExecutionStarter(tracer.captureAWSv3Client(new SFNClient({})), requireEnv('EXTRACTION_STATE_MACHINE_ARN')),
  };
}
