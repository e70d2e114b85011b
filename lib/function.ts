import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { join } from 'node:path';

/** esbuild settings of every function (bench/bundles.bench.ts builds with the same). */
export const BUNDLING: { minify: boolean; sourceMap: boolean; target: string; externalModules: string[] } = {
  minify: true,
  sourceMap: true,
  target: 'node24',
  // The AWS SDK v3 ships in the Node.js 24 runtime: leaving it out keeps every bundle small.
  externalModules: ['@aws-sdk/*'],
};

export interface DocpipeFunctionProps {
  /** The handler file under lambdas/handlers/, without extension. */
  readonly handler: string;
  readonly key: kms.IKey;
  /** Names and ARNs only: never a secret. */
  readonly environment?: Record<string, string>;
  /** Default 30 seconds. */
  readonly timeout?: Duration;
  /** Default 512 MB. */
  readonly memorySize?: number;
  /** Days of logs. Default one month. */
  readonly logRetention?: logs.RetentionDays;
  readonly reservedConcurrentExecutions?: number;
}

/**
 * One docpipe Lambda the same way every time: bundled by the local esbuild (no Docker), arm64, Node.js 24, minified
 * with source maps, X-Ray tracing, JSON logs in a log group encrypted with the CMK, and Powertools' service name.
 */
export class DocpipeFunction extends Construct {
  readonly function: nodejs.NodejsFunction;

  constructor(scope: Construct, id: string, props: DocpipeFunctionProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'Logs', { encryptionKey: props.key, retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
    // A role of its own instead of the managed basic-execution policy: it may write to its own log group only.
    const role = new iam.Role(this, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), description: `docpipe ${props.handler}` });
    logGroup.grantWrite(role);
    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry: join(__dirname, '..', 'lambdas', 'handlers', `${props.handler}.ts`),
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(30),
      tracing: lambda.Tracing.ACTIVE,
      logGroup,
      role,
      loggingFormat: lambda.LoggingFormat.JSON,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      environment: { POWERTOOLS_SERVICE_NAME: 'docpipe', POWERTOOLS_METRICS_NAMESPACE: 'docpipe', NODE_OPTIONS: '--enable-source-maps', ...props.environment },
      environmentEncryption: props.key,
      bundling: { ...BUNDLING, format: nodejs.OutputFormat.CJS, forceDockerBundling: false },
    });
    Validations.of(this).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray PutTraceSegments/PutTelemetryRecords and the Textract APIs have no resource-level permissions; the actions are listed one by one.',
    });
  }
}
