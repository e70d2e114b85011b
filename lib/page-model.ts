import { IgnoreMode, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as ecrAssets from 'aws-cdk-lib/aws-ecr-assets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { join } from 'node:path';
import { Encryption } from './encryption';

export interface PageModelProps {
  /** The SageMaker endpoint that answers page predictions (ours from PageModelStack, or any with the same contract). */
  readonly endpointName: string;
  /** For an endpoint in another account: its ARN (region and account taken from it). Default: this account. */
  readonly endpointArn?: string;
  /**
   * For an endpoint in another account: the role there that may invoke it (PageModelStack `invokerAccounts` creates
   * one). SageMaker endpoints have no resource policies, so the pipeline assumes this role. Default: none.
   */
  readonly invokerRoleArn?: string;
}

/** Where page predictions come from: an endpoint name, and the permission to invoke it (directly, or through a role). */
export class PageModel extends Construct {
  readonly endpointName: string;
  readonly endpointArn: string;
  readonly invokerRoleArn?: string;

  constructor(scope: Construct, id: string, props: PageModelProps) {
    super(scope, id);
    this.endpointName = props.endpointName;
    this.invokerRoleArn = props.invokerRoleArn;
    this.endpointArn = props.endpointArn ?? Stack.of(this).formatArn({ service: 'sagemaker', resource: 'endpoint', resourceName: props.endpointName.toLowerCase() });
  }

  grantInvoke(grantee: iam.IGrantable): iam.Grant {
    if (this.invokerRoleArn) return iam.Grant.addToPrincipal({ grantee, actions: ['sts:AssumeRole'], resourceArns: [this.invokerRoleArn] });
    return iam.Grant.addToPrincipal({ grantee, actions: ['sagemaker:InvokeEndpoint'], resourceArns: [this.endpointArn] });
  }

  /** What the predict function needs to know: the endpoint, and the role to assume when it is elsewhere. */
  get environment(): Record<string, string> {
    return { PAGE_MODEL_ENDPOINT: this.endpointName, ...(this.invokerRoleArn ? { PAGE_MODEL_ROLE_ARN: this.invokerRoleArn } : {}) };
  }
}

export interface PageModelVariant {
  /** Name recorded on every prediction it answers. */
  readonly name: string;
  /** Default ml.m5.large. */
  readonly instanceType?: string;
  /** Share of the traffic, relative to the other variants. Default 1. */
  readonly weight?: number;
}

export interface PageModelStackProps extends StackProps {
  /** Encrypts the endpoint's storage volumes. Default: a key of its own (the model may live in another account). */
  readonly key?: kms.IKey;
  /** Default `docpipe-page-model`. */
  readonly endpointName?: string;
  /** One variant, or two for an A/B test. Default one variant `primary`. */
  readonly variants?: PageModelVariant[];
  /** Accounts whose pipelines may invoke the endpoint (cross-account). Default none. */
  readonly invokerAccounts?: string[];
}

/**
 * The reference page model on SageMaker: the inference container built from model/Dockerfile (at deploy time; it
 * cannot be built here), a Model, an EndpointConfig with one or two production variants, and the Endpoint. Deployed
 * apart from the pipeline, as the data-science account would.
 */
export class PageModelStack extends Stack {
  readonly endpointName: string;

  constructor(scope: Construct, id: string, props: PageModelStackProps) {
    super(scope, id, props);
    this.endpointName = props.endpointName ?? 'docpipe-page-model';
    const key = props.key ?? new Encryption(this, 'Encryption', { alias: 'alias/docpipe-page-model' }).key;
    const image = new ecrAssets.DockerImageAsset(this, 'Image', { directory: join(__dirname, '..'), file: 'model/Dockerfile', platform: ecrAssets.Platform.LINUX_AMD64, ignoreMode: IgnoreMode.DOCKER });
    const role = new iam.Role(this, 'ExecutionRole', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'), description: 'Runs the docpipe page model container' });
    image.repository.grantPull(role);
    Validations.of(role).acknowledge({ id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]', reason: 'ecr:GetAuthorizationToken has no resource-level permissions; image pulls are scoped to the one repository.' });
    const model = new sagemaker.CfnModel(this, 'Model', { executionRoleArn: role.roleArn, primaryContainer: { image: image.imageUri, mode: 'SingleModel' }, enableNetworkIsolation: true });
    const variants = props.variants ?? [{ name: 'primary' }];
    const config = new sagemaker.CfnEndpointConfig(this, 'Config', {
      kmsKeyId: key.keyArn,
      productionVariants: variants.map((v) => ({ variantName: v.name, modelName: model.attrModelName, instanceType: v.instanceType ?? 'ml.m5.large', initialInstanceCount: 1, initialVariantWeight: v.weight ?? 1 })),
    });
    new sagemaker.CfnEndpoint(this, 'Endpoint', { endpointName: this.endpointName, endpointConfigName: config.attrEndpointConfigName });
    key.grantEncryptDecrypt(role);
    for (const account of props.invokerAccounts ?? []) {
      new iam.Role(this, `Invoker${account}`, {
        assumedBy: new iam.AccountPrincipal(account),
        description: `Lets account ${account}'s docpipe pipeline invoke the page model`,
        inlinePolicies: { invoke: new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ actions: ['sagemaker:InvokeEndpoint'], resources: [this.formatArn({ service: 'sagemaker', resource: 'endpoint', resourceName: this.endpointName })] })] }) },
      });
    }
  }
}
