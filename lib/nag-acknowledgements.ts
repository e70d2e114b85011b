import { CfnElement, Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * cdk-nag findings docpipe accepts for the whole app, each with its reason. Findings that belong to one construct
 * are acknowledged there (DocpipeFunction, AslStateMachine, ClientApi), next to the code they are about.
 */
export function acknowledgeFindings(app: IConstruct): void {
  Validations.of(app).acknowledge(
    { id: 'AwsSolutions::AwsSolutions-IAM5[Action::kms:ReEncrypt*]', reason: 'From the CDK grant methods on the one customer-managed key; the wildcard covers ReEncryptFrom/ReEncryptTo of that key only.' },
    { id: 'AwsSolutions::AwsSolutions-IAM5[Action::kms:GenerateDataKey*]', reason: 'From the CDK grant methods on the one customer-managed key (SSE-KMS uploads, sealed secrets); scoped to that key.' },
    { id: 'AwsSolutions::AwsSolutions-IAM5[Action::s3:GetObject*]', reason: 'bucket.grantRead: object reads (and their versions and tags) in one docpipe bucket, never another.' },
    { id: 'AwsSolutions::AwsSolutions-IAM5[Action::s3:GetBucket*]', reason: 'bucket.grantRead: bucket metadata of one docpipe bucket.' },
    { id: 'AwsSolutions::AwsSolutions-IAM5[Action::s3:List*]', reason: 'bucket.grantRead: listing one docpipe bucket.' },
    { id: 'AwsSolutions::AwsSolutions-IAM5[Action::s3:Abort*]', reason: 'bucket.grantPut: aborting its own multipart uploads in one docpipe bucket.' },
  );
}

/**
 * Grants on a table include its indexes (`<table>/index/*`), grants on a bucket its objects (`<bucket>/*`), and
 * grantInvoke a function's versions (`<function>:*`): wildcards inside one named resource, which cdk-nag reports
 * by the resource's logical id. Acknowledged resource by resource, so that a new wildcard elsewhere still fails.
 */
export function acknowledgeResourceScopedGrants(scope: IConstruct, resources: { tables: IConstruct[]; buckets: IConstruct[]; functions: IConstruct[] }): void {
  const id = (construct: IConstruct) => Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
  Validations.of(scope).acknowledge(
    ...resources.tables.map((t) => ({ id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${id(t)}.Arn>/index/*]`, reason: 'table.grant*: the table\'s own secondary indexes.' })),
    ...resources.buckets.map((b) => ({ id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${id(b)}.Arn>/*]`, reason: 'bucket.grant*: objects of this one bucket.' })),
    ...resources.functions.map((f) => ({ id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${id(f)}.Arn>:*]`, reason: 'function.grantInvoke: the versions and aliases of this one function (Step Functions invokes it).' })),
  );
}
