import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { DocpipeFunction } from './function';
import type { Storage } from './storage';

export interface ClientApiProps {
  readonly key: kms.IKey;
  readonly storage: Storage;
  readonly environment: Record<string, string>;
  /** Per-client steady rate, requests per second. Default 10. */
  readonly rateLimit?: number;
  /** Per-client burst. Default 20. */
  readonly burstLimit?: number;
}

/**
 * The client API (REST): presigned upload URLs, webhook endpoints (register, list, remove, rotate the secret) and
 * document status with export links, all under `/v1/clients/{clientId}`. Every method needs an API key; each client
 * has its own key on the usage plan (throttled per key), and the handler maps the key to its client (Clients table)
 * and refuses a path naming another client. One Lambda proxy behind every route; access logs encrypted.
 */
export class ClientApi extends Construct {
  readonly api: apigateway.RestApi;
  readonly usagePlan: apigateway.UsagePlan;
  readonly handler: DocpipeFunction;

  constructor(scope: Construct, id: string, props: ClientApiProps) {
    super(scope, id);
    const { key, storage } = props;
    this.handler = new DocpipeFunction(this, 'Handler', { handler: 'api', key, environment: props.environment, timeout: Duration.seconds(15) });
    const fn = this.handler.function;
    storage.ingestBucket.grantPut(fn); // presigned uploads are signed with this role
    storage.resultsBucket.grantRead(fn); // presigned export links
    storage.documentsTable.grantReadData(fn);
    storage.endpointsTable.grantReadWriteData(fn);
    storage.secretsTable.grantReadWriteData(fn);
    storage.clientsTable.grantReadData(fn);
    key.grantEncryptDecrypt(fn); // seals new webhook secrets

    const accessLogs = new logs.LogGroup(this, 'AccessLogs', { encryptionKey: key, retention: logs.RetentionDays.THREE_MONTHS, removalPolicy: RemovalPolicy.DESTROY });
    this.api = new apigateway.RestApi(this, 'Api', {
      description: 'docpipe client API',
      endpointConfiguration: { types: [apigateway.EndpointType.REGIONAL] },
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.DESTROY,
      deployOptions: {
        stageName: 'v1',
        tracingEnabled: true,
        loggingLevel: apigateway.MethodLoggingLevel.ERROR,
        dataTraceEnabled: false, // request bodies could hold secrets
        metricsEnabled: true,
        accessLogDestination: new apigateway.LogGroupLogDestination(accessLogs),
        accessLogFormat: apigateway.AccessLogFormat.jsonWithStandardFields(),
      },
      defaultMethodOptions: { apiKeyRequired: true },
      defaultIntegration: new apigateway.LambdaIntegration(fn, { proxy: true }),
    });
    // API Gateway checks the path parameters; the handler checks the bodies with zod (and answers with a code).
    const validator = this.api.addRequestValidator('Parameters', { validateRequestParameters: true, validateRequestBody: true });
    const method = (resource: apigateway.IResource, httpMethod: string, parameters: string[]) =>
      resource.addMethod(httpMethod, undefined, { requestValidator: validator, requestParameters: Object.fromEntries(parameters.map((p) => [`method.request.path.${p}`, true])) });

    const client = this.api.root.addResource('v1').addResource('clients').addResource('{clientId}');
    method(client.addResource('uploads'), 'POST', ['clientId']);
    const webhooks = client.addResource('webhooks');
    method(webhooks, 'GET', ['clientId']);
    method(webhooks, 'POST', ['clientId']);
    const endpoint = webhooks.addResource('{endpointId}');
    method(endpoint, 'DELETE', ['clientId', 'endpointId']);
    method(endpoint.addResource('rotate'), 'POST', ['clientId', 'endpointId']);
    method(endpoint.addResource('enable'), 'POST', ['clientId', 'endpointId']);
    const documents = client.addResource('documents');
    method(documents, 'GET', ['clientId']); // ?key=<upload key>: the document of an upload
    method(documents.addResource('{documentId}'), 'GET', ['clientId', 'documentId']);

    this.usagePlan = this.api.addUsagePlan('PerClient', {
      name: 'docpipe-clients',
      description: 'Every client API key: throttled per key',
      throttle: { rateLimit: props.rateLimit ?? 10, burstLimit: props.burstLimit ?? 20 },
      apiStages: [{ api: this.api, stage: this.api.deploymentStage }],
    });
    Validations.of(this).acknowledge(
      { id: 'AwsSolutions::AwsSolutions-APIG4', reason: 'Every method requires a per-client API key; the handler maps the key to its client and refuses any other client in the path.' },
      { id: 'AwsSolutions::AwsSolutions-COG4', reason: 'Clients are machines holding API keys, not Cognito users.' },
      { id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]', reason: 'The account-level role API Gateway needs to write access logs; AWS publishes no narrower policy for it.' },
    );
  }
}
