import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { Construct } from 'constructs';

export interface StorageProps {
  readonly key: kms.IKey;
  /** Days to keep the originals, the OCR output and the exports. Default 90. */
  readonly retentionDays?: number;
  /** Default RETAIN: documents and results outlive the stack. */
  readonly removalPolicy?: RemovalPolicy;
}

/** The object key prefixes and the bucket each lives in (the S3 ObjectStore routes keys the same way). */
export const BUCKET_PREFIXES = { ingest: 'clients/', ocr: 'work/', results: 'exports/' } as const;

/**
 * Where docpipe keeps things. Three buckets, so that each can have its own retention and access: `ingest`
 * (clients' uploads under `clients/<clientId>/`, the originals, kept even when a document fails), `ocr` (the OCR
 * output in the common format, per document under `work/<documentId>/`) and `results` (the exports clients read
 * through presigned links, under `exports/<clientId>/<documentId>/`). Tables: documents, webhook endpoints,
 * deliveries, sealed webhook secrets, and API keys to clients. Every bucket: SSE-KMS with bucket keys, public
 * access blocked, TLS only, versioned, access-logged; every table: the CMK and point-in-time recovery.
 */
export class Storage extends Construct {
  readonly ingestBucket: s3.Bucket;
  readonly ocrBucket: s3.Bucket;
  readonly resultsBucket: s3.Bucket;
  readonly accessLogsBucket: s3.Bucket;
  readonly documentsTable: dynamodb.TableV2;
  readonly endpointsTable: dynamodb.TableV2;
  readonly deliveriesTable: dynamodb.TableV2;
  readonly secretsTable: dynamodb.TableV2;
  readonly clientsTable: dynamodb.TableV2;

  constructor(scope: Construct, id: string, props: StorageProps) {
    super(scope, id);
    // S3 delivers access logs under a bucket policy that names the logging service and the source buckets, not the
    // legacy LogDeliveryWrite ACL: so the logs bucket keeps ACLs disabled, as AWS recommends. Set here, before any
    // bucket is made, so that it holds however the app is configured.
    this.node.setContext(cxapi.S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const retention = Duration.days(props.retentionDays ?? 90);
    // Access logs cannot go to an SSE-KMS bucket: this one uses S3-managed keys and holds nothing but logs.
    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(365), noncurrentVersionExpiration: Duration.days(30) }],
      removalPolicy,
    });
    const bucket = (id: string, extra: Partial<s3.BucketProps>) =>
      new s3.Bucket(this, id, {
        encryption: s3.BucketEncryption.KMS,
        encryptionKey: props.key,
        bucketKeyEnabled: true,
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        enforceSSL: true,
        versioned: true,
        serverAccessLogsBucket: this.accessLogsBucket,
        serverAccessLogsPrefix: `${id.toLowerCase()}/`,
        lifecycleRules: [{ expiration: retention, noncurrentVersionExpiration: Duration.days(30) }],
        removalPolicy,
        ...extra,
      });
    // Object Created events go to EventBridge, from there to the ingest queue. Browsers upload with presigned PUTs.
    this.ingestBucket = bucket('Ingest', { cors: [{ allowedMethods: [s3.HttpMethods.PUT], allowedOrigins: ['*'], allowedHeaders: ['*'], maxAge: 3600 }] });
    // Set on the bucket itself, which CloudFormation supports, rather than with `eventBridgeEnabled`: that one deploys
    // a custom resource, a Lambda function of CDK's own with a log group the CMK does not encrypt.
    (this.ingestBucket.node.defaultChild as s3.CfnBucket).notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };
    this.ocrBucket = bucket('Ocr', {});
    this.resultsBucket = bucket('Results', {});

    const table = (name: string, indexes: dynamodb.GlobalSecondaryIndexPropsV2[] = [], key = 'id') =>
      new dynamodb.TableV2(this, name, {
        partitionKey: { name: key, type: dynamodb.AttributeType.STRING },
        billing: dynamodb.Billing.onDemand(),
        encryption: dynamodb.TableEncryptionV2.customerManagedKey(props.key),
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        globalSecondaryIndexes: indexes,
        removalPolicy,
      });
    const byClient = { indexName: 'byClient', partitionKey: { name: 'clientId', type: dynamodb.AttributeType.STRING }, sortKey: { name: 'createdAt', type: dynamodb.AttributeType.STRING } };
    this.documentsTable = table('Documents', [byClient], 'documentId');
    this.endpointsTable = table('Endpoints', [byClient]);
    this.deliveriesTable = table('Deliveries', [
      { indexName: 'byStatus', partitionKey: { name: 'status', type: dynamodb.AttributeType.STRING }, sortKey: { name: 'updatedAt', type: dynamodb.AttributeType.STRING } },
      { indexName: 'byEndpoint', partitionKey: { name: 'endpointId', type: dynamodb.AttributeType.STRING }, sortKey: { name: 'createdAt', type: dynamodb.AttributeType.STRING } },
    ]);
    this.secretsTable = table('Secrets');
    this.clientsTable = table('Clients', [], 'apiKeyId');
  }

  /** The bucket names by role, as the Lambda environment carries them. */
  get bucketEnvironment(): Record<string, string> {
    return { INGEST_BUCKET: this.ingestBucket.bucketName, OCR_BUCKET: this.ocrBucket.bucketName, RESULTS_BUCKET: this.resultsBucket.bucketName };
  }
}
