import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export interface EncryptionProps {
  /** Alias of the key. Default `alias/docpipe`. */
  readonly alias?: string;
  /** What happens to the key when the stack is deleted. Default RETAIN (data encrypted with it stays readable). */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The customer-managed KMS key that encrypts everything docpipe stores: buckets, tables, queues, topics, log groups
 * and state machines. Rotated yearly. The services that write encrypted data on docpipe's behalf (CloudWatch Logs,
 * EventBridge into SQS, SNS from Textract and CloudWatch alarms) are allowed to use it, each for its own service.
 */
export class Encryption extends Construct {
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: EncryptionProps = {}) {
    super(scope, id);
    const { region, account } = Stack.of(this);
    this.key = new kms.Key(this, 'Key', {
      alias: props.alias ?? 'alias/docpipe',
      description: 'docpipe: encrypts every stored document, result, table, queue, topic and log',
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchLogs',
        principals: [new iam.ServicePrincipal(`logs.${region}.amazonaws.com`)],
        actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
        resources: ['*'],
        conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:${region}:${account}:log-group:*` } },
      }),
    );
    for (const service of ['events.amazonaws.com', 'sns.amazonaws.com', 'cloudwatch.amazonaws.com']) {
      this.key.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: `Service${service.split('.')[0]}`,
          principals: [new iam.ServicePrincipal(service)],
          actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          resources: ['*'],
          conditions: { StringEquals: { 'aws:SourceAccount': account } },
        }),
      );
    }
  }
}
