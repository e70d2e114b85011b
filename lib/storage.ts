import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface StorageProps {
  readonly key: kms.IKey;
  /** Days to keep results and raw OCR output. Default 90. */
  readonly retentionDays?: number;
  /** Default RETAIN: documents and results outlive the stack. */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Where docpipe keeps things: the documents bucket (clients' uploads under `clients/<clientId>/`, and under
 * `documents/<documentId>/` the raw OCR output, the document JSON and the table CSVs), and the tables of documents,
 * webhook endpoints, deliveries and sealed secrets. Every bucket: SSE-KMS with bucket keys, public access blocked,
 * TLS-only, versioned, access-logged; every table: the CMK and point-in-time recovery.
 */
export class Storage extends Construct {
  readonly documentsBucket: s3.Bucket;
  readonly accessLogsBucket: s3.Bucket;
  readonly documentsTable: dynamodb.TableV2;
  readonly endpointsTable: dynamodb.TableV2;
  readonly deliveriesTable: dynamodb.TableV2;
  readonly secretsTable: dynamodb.TableV2;

  constructor(scope: Construct, id: string, props: StorageProps) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const retention = Duration.days(props.retentionDays ?? 90);
    // Access logs cannot go to an SSE-KMS bucket: this one uses S3-managed keys and holds nothing but logs.
    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(365) }],
      removalPolicy,
    });
    this.documentsBucket = new s3.Bucket(this, 'Documents', {
      encryption: s3.BucketEncryption.KMS,
        encryptionKey: props.key,
        bucketKeyEnabled: true,
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        enforceSSL: true,
        versioned: true,
      // Object Created events go to EventBridge, from there to the ingest queue.
      eventBridgeEnabled: true,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'documents/',
      lifecycleRules: [
        { noncurrentVersionExpiration: Duration.days(30) },
        { prefix: 'documents/', expiration: retention },
        { prefix: 'clients/', expiration: retention },
      ],
      removalPolicy,
    });

    const table = (name: string, indexes: dynamodb.GlobalSecondaryIndexPropsV2[] = [], key = 'id') =>
      new dynamodb.TableV2(this, name, {
        partitionKey: { name: key, type: dynamodb.AttributeType.STRING },
        billing: dynamodb.Billing.onDemand(),
        encryption: dynamodb.TableEncryptionV2.customerManagedKey(props.key),
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        globalSecondaryIndexes: indexes,
        removalPolicy,
      });
    this.documentsTable = table('Documents', [{ indexName: 'byClient', partitionKey: { name: 'clientId', type: dynamodb.AttributeType.STRING }, sortKey: { name: 'createdAt', type: dynamodb.AttributeType.STRING } }], 'documentId');
    this.endpointsTable = table('Endpoints', [{ indexName: 'byClient', partitionKey: { name: 'clientId', type: dynamodb.AttributeType.STRING }, sortKey: { name: 'createdAt', type: dynamodb.AttributeType.STRING } }]);
    this.deliveriesTable = table('Deliveries', [
      { indexName: 'byStatus', partitionKey: { name: 'status', type: dynamodb.AttributeType.STRING }, sortKey: { name: 'updatedAt', type: dynamodb.AttributeType.STRING } },
      { indexName: 'byEndpoint', partitionKey: { name: 'endpointId', type: dynamodb.AttributeType.STRING }, sortKey: { name: 'createdAt', type: dynamodb.AttributeType.STRING } },
    ]);
    this.secretsTable = table('Secrets');
  }
}
