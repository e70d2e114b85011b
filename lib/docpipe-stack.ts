import { CfnOutput, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import { ClientApi } from './api';
import { ApiFirewall } from './api-firewall';
import type { DocpipeConfig } from './config';
import { Encryption } from './encryption';
import { Export } from './export';
import { Extraction } from './extraction';
import { Ingestion } from './ingestion';
import { Monitoring } from './monitoring';
import { acknowledgeResourceScopedGrants } from './nag-acknowledgements';
import { PageModel } from './page-model';
import { runtimeEnvironment } from './runtime-environment';
import { Storage } from './storage';
import { WebhookDelivery } from './webhook-delivery';

export interface DocpipeStackProps extends StackProps {
  readonly config: DocpipeConfig;
}

/** The docpipe pipeline: it only composes the constructs, each of which owns one concern. */
export class DocpipeStack extends Stack {
  readonly encryption: Encryption;
  readonly storage: Storage;
  readonly bus: events.EventBus;
  readonly webhookDelivery: WebhookDelivery;
  readonly export: Export;
  readonly extraction: Extraction;
  readonly ingestion: Ingestion;
  readonly api: ClientApi;
  /** The API's web ACL; undefined when the apiFirewall setting is off. */
  readonly apiFirewall?: ApiFirewall;
  readonly monitoring: Monitoring;

  constructor(scope: Construct, id: string, props: DocpipeStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.encryption = new Encryption(this, 'Encryption');
    const key = this.encryption.key;
    this.storage = new Storage(this, 'Storage', { key, retentionDays: config.retentionDays });
    // docpipe's own events (document.completed, document.failed, endpoint disabled): a bus of their own, encrypted.
    this.bus = new events.EventBus(this, 'Events', { description: 'docpipe document and endpoint events', kmsKey: key });
    const environment = runtimeEnvironment(this.storage, key, this.bus, config);
    const pageModel = new PageModel(this, 'PageModel', { endpointName: config.pageModelEndpointName, endpointArn: config.pageModelEndpointArn, invokerRoleArn: config.pageModelRoleArn });

    this.webhookDelivery = new WebhookDelivery(this, 'WebhookDelivery', { key, storage: this.storage, bus: this.bus, environment });
    this.export = new Export(this, 'Export', { key, storage: this.storage, bus: this.bus, environment, webhookDelivery: this.webhookDelivery.stateMachine });
    this.extraction = new Extraction(this, 'Extraction', {
      key,
      storage: this.storage,
      environment,
      pageModel,
      export: this.export.stateMachine,
      webhookDelivery: this.webhookDelivery.stateMachine,
      markFailed: this.export.markFailed,
      ocrConcurrency: config.ocrConcurrency,
    });
    this.ingestion = new Ingestion(this, 'Ingestion', { key, bucket: this.storage.ingestBucket, documentsTable: this.storage.documentsTable, extraction: this.extraction.stateMachine, maxConcurrency: config.ingestConcurrency });
    this.api = new ClientApi(this, 'ClientApi', { key, storage: this.storage, environment, rateLimit: config.apiRateLimit, burstLimit: config.apiBurstLimit });
    // What `docpipe clients --aws-stack` reads to give clients their keys (lambdas/aws/api-gateway-client-onboarding.ts).
    new CfnOutput(this, 'ClientUsagePlanId', { value: this.api.usagePlan.usagePlanId, description: 'The usage plan every client API key is put on' });
    new CfnOutput(this, 'ClientsTableName', { value: this.storage.clientsTable.tableName, description: 'API key id -> client id' });
    if (config.apiFirewall) {
      this.apiFirewall = new ApiFirewall(this, 'ApiFirewall', { stage: this.api.api.deploymentStage, key, requestsPerIpPer5Minutes: config.apiRequestsPerIpPer5Minutes });
    } else {
      Validations.of(this.api).acknowledge({ id: 'AwsSolutions::AwsSolutions-APIG3', reason: 'The apiFirewall setting is off (cdk.json context): the organisation puts its own web ACL in front of the stage.' });
    }

    // The functions the state machines invoke, and with the starter and the API all of docpipe's functions.
    const stepFunctions = [...Object.values(this.extraction.functions), this.export.buildExports, this.export.markFailed, this.webhookDelivery.deliver].map((f) => f.function);
    this.monitoring = new Monitoring(this, 'Monitoring', {
      key,
      queue: this.ingestion.queue,
      deadLetterQueue: this.ingestion.deadLetterQueue,
      stateMachines: { extraction: this.extraction.stateMachine, export: this.export.stateMachine, webhookDelivery: this.webhookDelivery.stateMachine },
      functions: [...stepFunctions, this.ingestion.starter.function, this.api.handler.function],
      bus: this.bus,
      alarmEmail: config.alarmEmail,
      confidenceFloor: config.confidenceFloor,
    });
    if (this.apiFirewall) {
      const firewall = this.apiFirewall;
      this.monitoring.dashboard.addWidgets(
        new cloudwatch.GraphWidget({ title: 'API requests blocked by the firewall', left: [firewall.metricBlockedRequests('ALL', { label: 'all rules' }), firewall.metricBlockedRequests(ApiFirewall.RATE_RULE, { label: 'per-IP rate limit' })], width: 24 }),
      );
    }
    const { storage } = this;
    acknowledgeResourceScopedGrants(this, {
      tables: [storage.documentsTable, storage.endpointsTable, storage.deliveriesTable, storage.secretsTable, storage.clientsTable],
      buckets: [storage.ingestBucket, storage.ocrBucket, storage.resultsBucket],
      functions: stepFunctions,
    });
  }
}
