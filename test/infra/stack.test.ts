/**
 * The infrastructure, as CDK assertions on the synthesised templates (bundling skipped: the real bundles are built
 * by the offline `cdk synth` test and measured by bench:bundles). cdk-nag runs inside every synth of buildApp.
 */
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP_CONTEXT, buildApp } from '../../bin/app';
import { API_ENVIRONMENT } from '../../lambdas/aws/api-deps';
import { ONBOARDING_OUTPUTS } from '../../lambdas/aws/api-gateway-client-onboarding';
import { parseConfig } from '../../lib/config';

const ROOT = join(__dirname, '..', '..');
type Resources = Record<string, { Type: string; Properties: Record<string, any> }>;

function synth(docpipe: Record<string, unknown> = {}) {
  const app = buildApp(new App({ context: { ...APP_CONTEXT, 'aws:cdk:bundling-stacks': [], docpipe } }));
  const assembly = app.synth();
  const template = (name: string) => Template.fromJSON(assembly.getStackByName(name).template);
  return { pipeline: template('Docpipe'), model: template('DocpipePageModel') };
}

const { pipeline, model } = synth({ alarmEmail: 'oncall@example.com' });
const resources = pipeline.toJSON().Resources as Resources;
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const logicalId = (prefix: string, type: string) => {
  const found = ofType(type).filter(([id]) => id.startsWith(prefix));
  if (found.length !== 1) throw new Error(`expected one ${type} named ${prefix}*, found ${found.map(([id]) => id)}`);
  return found[0][0];
};
const keyRef = { 'Fn::GetAtt': [logicalId('EncryptionKey', 'AWS::KMS::Key'), 'Arn'] };

describe('encryption at rest: the customer-managed key everywhere', () => {
  it('one CMK, rotated', () => {
    pipeline.resourceCountIs('AWS::KMS::Key', 1);
    pipeline.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('the ingest, OCR and results buckets: SSE-KMS with bucket keys; every bucket private and versioned', () => {
    const buckets = ofType('AWS::S3::Bucket');
    expect(buckets.map(([id]) => id.replace(/[A-F0-9]{8}$/, '')).sort()).toEqual(['StorageAccessLogs', 'StorageIngest', 'StorageOcr', 'StorageResults']);
    for (const [id, bucket] of buckets) {
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
      expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
      if (id.startsWith('StorageAccessLogs')) continue; // S3 server access logs cannot be written to an SSE-KMS bucket
      expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([{ BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyRef } }]);
      expect(bucket.Properties.LoggingConfiguration.DestinationBucketName).toEqual({ Ref: logicalId('StorageAccessLogs', 'AWS::S3::Bucket') });
    }
  });

  it('the access logs bucket takes logs under a bucket policy for the three buckets, its ACLs disabled', () => {
    const [[id, logs]] = ofType('AWS::S3::Bucket').filter(([name]) => name.startsWith('StorageAccessLogs'));
    expect(logs.Properties.AccessControl).toBeUndefined();
    expect(logs.Properties.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    const [[, policy]] = ofType('AWS::S3::BucketPolicy').filter(([, p]) => JSON.stringify(p.Properties.Bucket) === JSON.stringify({ Ref: id }));
    // One statement per source bucket: only that bucket, in this account, writes only under its own prefix.
    const deliveries = policy.Properties.PolicyDocument.Statement.filter((statement: any) => statement.Principal?.Service === 'logging.s3.amazonaws.com');
    expect(deliveries.map((statement: any) => statement.Condition.ArnLike['aws:SourceArn']['Fn::GetAtt'][0]).sort()).toEqual(
      ['StorageIngest', 'StorageOcr', 'StorageResults'].map((bucket) => logicalId(bucket, 'AWS::S3::Bucket')).sort(),
    );
    for (const delivery of deliveries) {
      expect(delivery).toMatchObject({ Effect: 'Allow', Action: 's3:PutObject', Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } } });
      const prefix = delivery.Condition.ArnLike['aws:SourceArn']['Fn::GetAtt'][0].replace(/^Storage/, '').replace(/[A-F0-9]{8}$/, '').toLowerCase();
      expect(JSON.stringify(delivery.Resource)).toContain(`/${prefix}/*`);
    }
  });

  it('every bucket denies requests without TLS', () => {
    const policies = ofType('AWS::S3::BucketPolicy');
    expect(policies).toHaveLength(4);
    for (const [, policy] of policies) {
      expect(policy.Properties.PolicyDocument.Statement).toEqual(expect.arrayContaining([expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]));
    }
  });

  it('tables, queues, topics, log groups, state machines, the event bus and the Lambda environments use the CMK', () => {
    for (const [, table] of ofType('AWS::DynamoDB::GlobalTable')) {
      expect(table.Properties.SSESpecification).toMatchObject({ SSEEnabled: true, SSEType: 'KMS' });
      for (const replica of table.Properties.Replicas) {
        expect(replica.SSESpecification.KMSMasterKeyId).toEqual(keyRef);
        expect(replica.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
      }
    }
    expect(ofType('AWS::DynamoDB::GlobalTable')).toHaveLength(5);
    for (const [, queue] of ofType('AWS::SQS::Queue')) expect(queue.Properties.KmsMasterKeyId).toEqual(keyRef);
    for (const [, topic] of ofType('AWS::SNS::Topic')) expect(topic.Properties.KmsMasterKeyId).toEqual(keyRef);
    const logGroups = ofType('AWS::Logs::LogGroup');
    expect(logGroups).toHaveLength(15); // 10 functions, 3 state machines, API access logs, the API firewall's logs
    for (const [, group] of logGroups) expect(group.Properties.KmsKeyId).toEqual(keyRef);
    for (const [, machine] of ofType('AWS::StepFunctions::StateMachine')) expect(machine.Properties.EncryptionConfiguration).toEqual({ Type: 'CUSTOMER_MANAGED_KMS_KEY', KmsKeyId: keyRef, KmsDataKeyReusePeriodSeconds: 300 });
    pipeline.hasResourceProperties('AWS::Events::EventBus', { KmsKeyIdentifier: keyRef });
    for (const [, fn] of ofType('AWS::Lambda::Function')) expect(fn.Properties.KmsKeyArn).toEqual(keyRef);
  });
});

describe('least privilege', () => {
  const statements = () =>
    ofType('AWS::IAM::Policy').flatMap(([id, policy]) => (policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]).map((s) => ({ id, actions: ([] as string[]).concat(s.Action), resource: s.Resource })));

  it('no "*" action and no "service:*" action anywhere', () => {
    const all = statements();
    expect(all.length).toBeGreaterThan(40);
    for (const { id, actions } of all) for (const action of actions) expect(`${id} ${action}`).not.toMatch(/ (\*|[a-z0-9-]+:\*)$/);
  });

  it('only the three OCR functions may call Textract, each only the one call its step makes', () => {
    const textract = statements().filter((s) => s.actions.some((a) => a.startsWith('textract:')));
    const byRole = Object.fromEntries(textract.map((s) => [s.id.replace(/RoleDefaultPolicy[A-F0-9]{8}$/, ''), s.actions.sort()]));
    expect(byRole).toEqual({
      ExtractionOcrSync: ['textract:AnalyzeDocument'],
      ExtractionStartOcrJob: ['textract:StartDocumentAnalysis'],
      ExtractionOcrJobCompleted: ['textract:GetDocumentAnalysis'],
    });
    // And those are all the calls the Textract port makes: a call added there without its grant fails here.
    const port = readFileSync(join(ROOT, 'lambdas', 'aws', 'textract-ocr.ts'), 'utf8');
    const calls = [...new Set([...port.matchAll(/new (\w+)Command\(/g)].map((m) => `textract:${m[1]}`))].sort();
    expect(calls).toEqual(Object.values(byRole).flat().sort());
  });

  it('the document record only for the steps that read or write it; the original only for the steps that read it', () => {
    const documentsTable = JSON.stringify({ 'Fn::GetAtt': [logicalId('StorageDocuments', 'AWS::DynamoDB::GlobalTable'), 'Arn'] });
    const ingestBucket = JSON.stringify({ 'Fn::GetAtt': [logicalId('StorageIngest', 'AWS::S3::Bucket'), 'Arn'] });
    const holders = (resource: string, prefix: string) =>
      [...new Set(statements().filter((s) => s.actions.some((a) => a.startsWith(prefix)) && JSON.stringify(s.resource).includes(resource)).map((s) => s.id.replace(/(Role)?DefaultPolicy[A-F0-9]{8}$/, '')))].sort();
    expect(holders(documentsTable, 'dynamodb:').filter((id) => id.startsWith('Extraction'))).toEqual(['ExtractionOcrJobCompleted', 'ExtractionRegisterDocument', 'ExtractionStartOcrJob']);
    expect(holders(ingestBucket, 's3:GetObject').filter((id) => id.startsWith('Extraction'))).toEqual(['ExtractionOcrSync', 'ExtractionRegisterDocument', 'ExtractionStartOcrJob']);
  });

  it("each state machine may use the key for its own executions: the grant's condition names it", () => {
    const machines = ofType('AWS::StepFunctions::StateMachine');
    expect(machines).toHaveLength(3);
    for (const [id, machine] of machines) {
      const name = machine.Properties.StateMachineName as string;
      expect(name).toMatch(/^Docpipe-/);
      const role = machine.Properties.RoleArn['Fn::GetAtt'][0] as string;
      const [[, policy]] = ofType('AWS::IAM::Policy').filter(([, p]) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === role));
      const keyGrant = policy.Properties.PolicyDocument.Statement.find((s: any) => s.Condition?.StringEquals?.['kms:EncryptionContext:aws:states:stateMachineArn']);
      const arn = keyGrant.Condition.StringEquals['kms:EncryptionContext:aws:states:stateMachineArn']['Fn::Join'][1] as unknown[];
      expect([id, arn[arn.length - 1]]).toEqual([id, `:stateMachine:${name}`]);
    }
  });

  it('whoever starts a state machine may use the key for that execution only (its input is encrypted with the target ARN as context)', () => {
    const machineRef = (prefix: string) => JSON.stringify({ Ref: logicalId(`${prefix}StateMachine`, 'AWS::StepFunctions::StateMachine') });
    const keyGrantsFor = (target: string) =>
      [...new Set(ofType('AWS::IAM::Policy').flatMap(([id, policy]) => (policy.Properties.PolicyDocument.Statement as any[]).filter((s) => JSON.stringify(s.Condition?.StringEquals?.['kms:EncryptionContext:aws:states:stateMachineArn'] ?? null) === machineRef(target) && ([] as string[]).concat(s.Action).includes('kms:GenerateDataKey')).map(() => id.replace(/(Role)?DefaultPolicy[A-F0-9]{8}$/, ''))))].sort();
    const startersOf = (target: string) =>
      [...new Set(statements().filter((s) => s.actions.includes('states:StartExecution') && JSON.stringify(s.resource) === machineRef(target)).map((s) => s.id.replace(/(Role)?DefaultPolicy[A-F0-9]{8}$/, '')))].sort();
    for (const target of ['ExtractionMachine', 'ExportMachine', 'WebhookDeliveryMachine']) {
      expect(startersOf(target).length).toBeGreaterThan(0);
      // Every starter of another state machine has the key for it; a state machine's own grant covers its own runs.
      const starters = startersOf(target).filter((id) => !id.startsWith(`${target}StateMachine`));
      expect([target, keyGrantsFor(target).filter((id) => starters.includes(id))]).toEqual([target, starters]);
    }
  });

  it('services use the key and the uploads queue for this account only', () => {
    const key = resources[logicalId('EncryptionKey', 'AWS::KMS::Key')];
    const services = (key.Properties.KeyPolicy.Statement as any[]).filter((s) => s.Principal?.Service);
    expect(services.length).toBeGreaterThan(3);
    for (const statement of services) {
      if (statement.Principal.Service === 'delivery.logs.amazonaws.com') continue; // CDK's own grant for the state machines' vended log delivery (decrypt only)
      expect([statement.Principal.Service, statement.Condition]).toEqual([statement.Principal.Service, expect.anything()]);
    }
    const [[, uploads]] = ofType('AWS::SQS::QueuePolicy').filter(([id]) => id.startsWith('IngestionUploads'));
    const send = uploads.Properties.PolicyDocument.Statement.find((s: any) => s.Principal?.Service === 'events.amazonaws.com');
    expect(send.Condition).toEqual({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } });
  });

  it('only the completion function answers task tokens; only the starter starts extractions', () => {
    const holders = (action: string) => [...new Set(statements().filter((s) => s.actions.includes(action)).map((s) => s.id.replace(/(Role)?DefaultPolicy[A-F0-9]{8}$/, '')))].sort();
    expect(holders('states:SendTaskSuccess')).toEqual(['ExtractionOcrJobCompleted']);
    expect(holders('sagemaker:InvokeEndpoint')).toEqual(['ExtractionPredictPages']);
    const starters = statements().filter((s) => s.actions.includes('states:StartExecution'));
    const extractionRef = { Ref: logicalId('ExtractionMachineStateMachine', 'AWS::StepFunctions::StateMachine') };
    expect(starters.filter((s) => JSON.stringify(s.resource) === JSON.stringify(extractionRef)).map((s) => s.id.replace(/RoleDefaultPolicy[A-F0-9]{8}$/, ''))).toEqual(['IngestionStarter']);
  });

  it('the page model is invoked by name, not by wildcard', () => {
    const invoke = statements().find((s) => s.actions.includes('sagemaker:InvokeEndpoint'))!;
    expect(JSON.stringify(invoke.resource)).toContain(':endpoint/docpipe-page-model');
  });

  it('functions: Node.js 24 on arm64, traced, JSON logs, with no secret in the environment', () => {
    // docpipe's ten, and no function of CDK's own (whose log group the CMK would not encrypt).
    const functions = ofType('AWS::Lambda::Function');
    expect(functions).toHaveLength(10);
    for (const [id, fn] of functions) {
      expect([id, fn.Properties.Runtime, fn.Properties.Architectures]).toEqual([id, 'nodejs24.x', ['arm64']]);
      expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
      expect(fn.Properties.LoggingConfig.LogFormat).toBe('JSON');
      const variables = fn.Properties.Environment.Variables as Record<string, unknown>;
      for (const [name, value] of Object.entries(variables)) {
        expect(name).not.toMatch(/SECRET$|PASSWORD|TOKEN$/);
        if (typeof value === 'string') expect(value).not.toMatch(/whsec_|-----BEGIN/);
      }
    }
  });

  it('the OCR functions have reserved concurrency (Textract TPS), the starter an SQS maximum concurrency', () => {
    for (const name of ['ExtractionOcrSync', 'ExtractionStartOcrJob', 'ExtractionOcrJobCompleted']) expect(resources[logicalId(`${name}Function`, 'AWS::Lambda::Function')].Properties.ReservedConcurrentExecutions).toBe(5);
    pipeline.hasResourceProperties('AWS::Lambda::EventSourceMapping', { ScalingConfig: { MaximumConcurrency: 5 }, FunctionResponseTypes: ['ReportBatchItemFailures'] });
  });
});

describe('ingestion and the state machines', () => {
  it('uploads under clients/ go from EventBridge to a queue with a dead-letter queue', () => {
    const ingest = logicalId('StorageIngest', 'AWS::S3::Bucket');
    expect(resources[ingest].Properties.NotificationConfiguration).toEqual({ EventBridgeConfiguration: { EventBridgeEnabled: true } });
    pipeline.resourceCountIs('Custom::S3BucketNotifications', 0);
    pipeline.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['aws.s3'], 'detail-type': ['Object Created'], detail: { bucket: { name: [{ Ref: ingest }] }, object: { key: [{ prefix: 'clients/' }] } } },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [logicalId('IngestionUploads', 'AWS::SQS::Queue'), 'Arn'] } })],
    });
    pipeline.hasResourceProperties('AWS::SQS::Queue', { RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [logicalId('IngestionDeadLetters', 'AWS::SQS::Queue'), 'Arn'] }, maxReceiveCount: 5 } });
  });

  it.each([
    ['extraction', 'ExtractionMachine', ['ExtractionRegisterDocumentFunction', 'ExtractionOcrSyncFunction', 'ExtractionStartOcrJobFunction', 'ExtractionPredictPagesFunction', 'ExportMarkFailedFunction'], ['ExportMachine', 'WebhookDeliveryMachine']],
    ['export', 'ExportMachine', ['ExportBuildExportsFunction', 'ExportMarkFailedFunction'], ['WebhookDeliveryMachine']],
    ['webhook-delivery', 'WebhookDeliveryMachine', ['WebhookDeliveryDeliverFunction'], []],
  ])('%s.asl.json: every placeholder resolves to a resource of this stack', (file, machine, functions, machines) => {
    const properties = resources[logicalId(`${machine}StateMachine`, 'AWS::StepFunctions::StateMachine')].Properties;
    // The definition is the ASL file itself, uploaded as an asset; CloudFormation substitutes the placeholders.
    expect(properties.DefinitionS3Location).toBeDefined();
    const asl = readFileSync(join(ROOT, 'state-machines', `${file}.asl.json`), 'utf8');
    const placeholders = [...new Set([...asl.matchAll(/\$\{([A-Za-z]+)\}/g)].map((m) => m[1]))].sort();
    const substitutions = properties.DefinitionSubstitutions as Record<string, unknown>;
    expect(Object.keys(substitutions).sort()).toEqual(placeholders);
    const targets = Object.values(substitutions).map((v) => JSON.stringify(v)).sort();
    const expected = [
      ...functions.map((fn) => JSON.stringify({ 'Fn::GetAtt': [logicalId(fn, 'AWS::Lambda::Function'), 'Arn'] })),
      ...machines.map((m) => JSON.stringify({ Ref: logicalId(`${m}StateMachine`, 'AWS::StepFunctions::StateMachine') })),
    ].sort();
    expect(targets).toEqual(expected);
  });

  it('every Lambda step times out before its function does, so a slow step ends as TASK_TIMEOUT, not as a crash', () => {
    const checked: string[] = [];
    for (const [machine, file] of [['ExtractionMachine', 'extraction'], ['ExportMachine', 'export']]) {
      const substitutions = resources[logicalId(`${machine}StateMachine`, 'AWS::StepFunctions::StateMachine')].Properties.DefinitionSubstitutions as Record<string, { 'Fn::GetAtt'?: [string, string] }>;
      const asl = JSON.parse(readFileSync(join(ROOT, 'state-machines', `${file}.asl.json`), 'utf8')) as { States: Record<string, { Type: string; Resource?: string; TimeoutSeconds?: number; Parameters?: { FunctionName?: string } }> };
      for (const [name, state] of Object.entries(asl.States)) {
        if (state.Type !== 'Task' || state.Resource !== 'arn:aws:states:::lambda:invoke' || state.TimeoutSeconds === undefined) continue;
        const placeholder = /^\$\{(\w+)\}$/.exec(state.Parameters!.FunctionName!)![1];
        const functionTimeout = resources[substitutions[placeholder]['Fn::GetAtt']![0]].Properties.Timeout as number;
        expect([name, state.TimeoutSeconds < functionTimeout]).toEqual([name, true]);
        checked.push(name);
      }
    }
    expect(checked.sort()).toEqual(['BuildExports', 'OcrSync', 'Predict', 'Register']);
  });

  it('state machines are Standard, traced, and log every state without execution data', () => {
    for (const [, machine] of ofType('AWS::StepFunctions::StateMachine')) {
      expect(machine.Properties.StateMachineType).toBe('STANDARD');
      expect(machine.Properties.TracingConfiguration).toEqual({ Enabled: true });
      expect(machine.Properties.LoggingConfiguration).toMatchObject({ Level: 'ALL', IncludeExecutionData: false });
    }
  });
});

describe('on-call: alarms and dashboard', () => {
  const alarms = ofType('AWS::CloudWatch::Alarm');
  const runbook = readFileSync(join(ROOT, 'docs', 'runbook.md'), 'utf8');
  const topic = { Ref: logicalId('MonitoringAlarms', 'AWS::SNS::Topic') };

  it('every required alarm exists', () => {
    const names = alarms.map(([id]) => id.replace(/[A-F0-9]{8}$/, '').replace(/^Monitoring/, '')).sort();
    expect(names).toEqual(['DeadLetterQueueNotEmpty', 'ExportExecutionsFailed', 'ExtractionExecutionsFailed', 'LambdaErrors', 'LambdaThrottles', 'OldestUploadTooOld', 'PageModelErrors', 'PredictionConfidenceFalling', 'WebhookDeadLetters', 'WebhookDeliveryExecutionsFailed']);
  });

  it('every alarm notifies the on-call topic, says what to do first, and links a runbook section that exists', () => {
    for (const [id, alarm] of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([topic]);
      expect(alarm.Properties.OKActions).toEqual([topic]);
      const description = alarm.Properties.AlarmDescription as string;
      expect(description).toMatch(/ First: .+ Runbook: docs\/runbook\.md#[a-z-]+$/);
      const anchor = /#([a-z-]+)$/.exec(description)![1];
      const headings = [...runbook.matchAll(/^##+ (.+)$/gm)].map((m) => m[1].toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-'));
      expect([id, headings]).toEqual([id, expect.arrayContaining([anchor])]);
    }
  });

  it('an endpoint disabled after days of failed deliveries is told to on-call, with what to do first', () => {
    const [[, rule]] = ofType('AWS::Events::Rule').filter(([id]) => id.startsWith('MonitoringEndpointDisabled'));
    expect(rule.Properties.EventBusName).toEqual({ Ref: logicalId('Events', 'AWS::Events::EventBus') });
    // The event the webhook delivery publishes (lambdas/aws/webhook-deps.ts).
    const publisher = readFileSync(join(ROOT, 'lambdas', 'aws', 'webhook-deps.ts'), 'utf8');
    expect(publisher).toContain(`Source: '${rule.Properties.EventPattern.source[0]}', DetailType: '${rule.Properties.EventPattern['detail-type'][0]}'`);
    const [target] = rule.Properties.Targets;
    expect(target.Arn).toEqual(topic);
    expect(target.RoleArn).toBeDefined();
    const text = target.InputTransformer.InputTemplate as string;
    expect(text).toMatch(/First: .*Runbook: docs\/runbook.md#webhook-dead-letters/);
    expect(runbook).toContain('## Webhook dead letters');
  });

  it('the alarm topic is encrypted and e-mails the configured address', () => {
    pipeline.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com', TopicArn: topic });
  });

  it('the drift alarm fires when the mean confidence falls under the floor', () => {
    pipeline.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'PredictionConfidence', Namespace: 'docpipe', Statistic: 'Average', Threshold: 0.7, ComparisonOperator: 'LessThanThreshold' });
  });

  it('the dashboard shows what on-call needs', () => {
    const body = JSON.stringify(resources[logicalId('MonitoringDashboard', 'AWS::CloudWatch::Dashboard')].Properties.DashboardBody);
    for (const title of ['Documents in / out / failed', 'Pages', 'End-to-end latency (ms)', 'OCR throttles and errors', 'Page model latency (ms)', 'Page prediction confidence (mean)', 'Webhook success rate (%)', 'Ingestion queue depth', 'Oldest upload in the queue (s)', 'API requests blocked by the firewall']) {
      expect(body).toContain(JSON.stringify(title).slice(1, -1).replace(/"/g, '\\"'));
    }
    for (const metric of ['EndToEndLatency', 'Error_OCR_THROTTLED', 'PageModelLatency', 'WebhookAttempt_succeeded', 'ApproximateAgeOfOldestMessage', 'BlockedRequests', 'PerIpRateLimit']) expect(body).toContain(metric);
    // What the alarm texts send on-call to find there: the function (Lambda alarms), the variants and classes (drift).
    for (const title of ['Lambda errors by function', 'Lambda throttles by function', 'Prediction confidence by variant (mean)', 'Pages by class']) expect(body).toContain(title);
    // The dimensions the predict-pages handler publishes (lambdas/handlers/predict-pages.ts) are the ones searched.
    const handler = readFileSync(join(ROOT, 'lambdas', 'handlers', 'predict-pages.ts'), 'utf8');
    expect(handler).toContain("metrics.addMetric('PredictionConfidence', 'None', meanConfidence, { variant })");
    expect(handler).toContain("metrics.addMetric('PagesClassified', 'Count', pages, { class: label })");
    expect(body).toMatch(/SEARCH\('\{docpipe,service,variant\} MetricName=\W+PredictionConfidence\W+', 'Average'/);
    expect(body).toMatch(/SEARCH\('\{docpipe,service,class\} MetricName=\W+PagesClassified\W+', 'Sum'/);
  });

  it('the page model alarm watches every error code the page model client and the prediction step raise', () => {
    const [[, alarm]] = alarms.filter(([id]) => id.startsWith('MonitoringPageModelErrors'));
    const watched = (alarm.Properties.Metrics as { MetricStat?: { Metric: { MetricName: string } } }[]).flatMap((m) => (m.MetricStat ? [m.MetricStat.Metric.MetricName] : []));
    const sources = ['lambdas/aws/sagemaker-page-model.ts', 'lambdas/domain/pipeline/predict.ts'].map((file) => readFileSync(join(ROOT, file), 'utf8')).join('\n');
    const raised = [...new Set([...sources.matchAll(/'(PAGE_MODEL_[A-Z_]+)'|PIPELINE_ERRORS\.(PAGE_MODEL_[A-Z_]+)/g)].map((m) => `Error_${m[1] ?? m[2]}`))].sort();
    expect(raised.length).toBeGreaterThanOrEqual(3);
    expect(watched.sort()).toEqual(raised);
    // A quiet metric must not hide the others: every term is filled with 0.
    const expression = (alarm.Properties.Metrics as { Expression?: string }[]).find((m) => m.Expression)!.Expression!;
    expect(expression).toMatch(/^FILL\(m0, 0\)( \+ FILL\(m\d, 0\))+$/);
  });
});

describe('the client API', () => {
  it('every method needs an API key; the usage plan throttles per key', () => {
    const methods = ofType('AWS::ApiGateway::Method');
    expect(methods.map(([, m]) => m.Properties.HttpMethod).sort()).toEqual(['DELETE', 'GET', 'GET', 'GET', 'POST', 'POST', 'POST', 'POST']);
    for (const [, method] of methods) {
      expect(method.Properties.ApiKeyRequired).toBe(true);
      expect(method.Properties.Integration.Type).toBe('AWS_PROXY');
    }
    pipeline.hasResourceProperties('AWS::ApiGateway::UsagePlan', { Throttle: { RateLimit: 10, BurstLimit: 20 } });
    pipeline.hasResourceProperties('AWS::ApiGateway::Stage', { TracingEnabled: true, AccessLogSetting: Match.objectLike({ DestinationArn: Match.anyValue() }) });
  });

  it('the API function gets every variable its ports read', () => {
    const api = resources[logicalId('ClientApiHandlerFunction', 'AWS::Lambda::Function')];
    expect(Object.keys(api.Properties.Environment.Variables)).toEqual(expect.arrayContaining([...API_ENVIRONMENT]));
  });

  it('a WAF web ACL guards the stage: managed rule groups, a per-IP rate limit, logs without the API key', () => {
    pipeline.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'REGIONAL',
      DefaultAction: { Allow: {} },
      Rules: [
        Match.objectLike({ Priority: 0, Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesAmazonIpReputationList' } }, OverrideAction: { None: {} } }),
        Match.objectLike({ Priority: 1, Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesCommonRuleSet' } } }),
        Match.objectLike({ Priority: 2, Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesKnownBadInputsRuleSet' } } }),
        Match.objectLike({ Priority: 3, Action: { Block: {} }, Statement: { RateBasedStatement: { Limit: 2000, AggregateKeyType: 'IP' } } }),
      ],
    });
    const acl = logicalId('ApiFirewallWebAcl', 'AWS::WAFv2::WebACL');
    const [[, association]] = ofType('AWS::WAFv2::WebACLAssociation');
    expect(association.Properties.WebACLArn).toEqual({ 'Fn::GetAtt': [acl, 'Arn'] });
    expect(JSON.stringify(association.Properties.ResourceArn)).toContain(ofType('AWS::ApiGateway::Stage')[0][0]);
    const [[, logging]] = ofType('AWS::WAFv2::LoggingConfiguration');
    expect(logging.Properties.RedactedFields).toEqual([{ SingleHeader: { Name: 'x-api-key' } }]);
    const firewallLogs = resources[logicalId('ApiFirewallLogs', 'AWS::Logs::LogGroup')];
    expect(firewallLogs.Properties.LogGroupName).toMatch(/^aws-waf-logs-/);
    // WAF wants the log group's ARN without the ":*" that CloudFormation's Arn attribute ends with.
    expect(JSON.stringify(logging.Properties.LogDestinationConfigs)).not.toContain(':*');
  });

  it('the firewall can be turned off (the organisation brings its own), and its rate limit set', () => {
    const { pipeline: open } = synth({ apiFirewall: false });
    expect(Object.values(open.toJSON().Resources as Resources).filter((r) => r.Type.startsWith('AWS::WAFv2::'))).toEqual([]);
    const { pipeline: strict } = synth({ apiRequestsPerIpPer5Minutes: 300 });
    strict.hasResourceProperties('AWS::WAFv2::WebACL', { Rules: Match.arrayWith([Match.objectLike({ Statement: { RateBasedStatement: { Limit: 300, AggregateKeyType: 'IP' } } })]) });
  });

  it('the stack names the usage plan and the Clients table for `docpipe clients --aws-stack`', () => {
    const outputs = pipeline.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(outputs[ONBOARDING_OUTPUTS.usagePlanId].Value).toEqual({ Ref: logicalId('ClientApiPerClient', 'AWS::ApiGateway::UsagePlan') });
    expect(outputs[ONBOARDING_OUTPUTS.clientsTable].Value).toEqual({ Ref: logicalId('StorageClients', 'AWS::DynamoDB::GlobalTable') });
  });

  it('the routes are the ones `docpipe serve` offers', () => {
    const paths = ofType('AWS::ApiGateway::Resource').map(([, r]) => r.Properties.PathPart as string);
    expect(paths.sort()).toEqual(['clients', 'documents', 'enable', 'rotate', 'uploads', 'v1', 'webhooks', '{clientId}', '{documentId}', '{endpointId}'].sort());
  });
});

describe('the page model stack', () => {
  it('one variant by default, its own key, the endpoint named as the pipeline expects', () => {
    model.hasResourceProperties('AWS::SageMaker::EndpointConfig', { ProductionVariants: [Match.objectLike({ VariantName: 'primary', InitialVariantWeight: 1 })], KmsKeyId: Match.anyValue() });
    model.hasResourceProperties('AWS::SageMaker::Endpoint', { EndpointName: 'docpipe-page-model' });
    model.hasResourceProperties('AWS::SageMaker::Model', { EnableNetworkIsolation: true });
  });

  it('two variants for an A/B test, and an existing endpoint in another account instead', () => {
    const ab = synth({ pageModelVariants: [{ name: 'a', weight: 9 }, { name: 'b', weight: 1 }] });
    ab.model.hasResourceProperties('AWS::SageMaker::EndpointConfig', { ProductionVariants: [Match.objectLike({ VariantName: 'a', InitialVariantWeight: 9 }), Match.objectLike({ VariantName: 'b', InitialVariantWeight: 1 })] });
    const arn = 'arn:aws:sagemaker:eu-west-1:210987654321:endpoint/shared-page-model';
    const role = 'arn:aws:iam::210987654321:role/docpipe-page-model-invoker';
    const app = buildApp(new App({ context: { ...APP_CONTEXT, 'aws:cdk:bundling-stacks': [], docpipe: { deployPageModel: false, pageModelEndpointName: 'shared-page-model', pageModelEndpointArn: arn, pageModelRoleArn: role } } }));
    const assembly = app.synth();
    expect(assembly.stacks.map((s) => s.stackName)).toEqual(['Docpipe']);
    const crossAccount = Template.fromJSON(assembly.getStackByName('Docpipe').template);
    // SageMaker endpoints have no resource policy: the predict function assumes the model account's role, and only that.
    crossAccount.hasResourceProperties('AWS::IAM::Policy', { PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'sts:AssumeRole', Resource: role })]) } });
    crossAccount.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ PAGE_MODEL_ENDPOINT: 'shared-page-model', PAGE_MODEL_ROLE_ARN: role }) } });
    expect(JSON.stringify(crossAccount.toJSON())).not.toContain('sagemaker:InvokeEndpoint');
  });

  it('the model account creates a role per invoking pipeline account, allowed to invoke the endpoint only', () => {
    const { model: shared } = synth({ pageModelInvokerAccounts: ['210987654321'] });
    shared.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { AWS: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([':iam::210987654321:root'])]) }) } })] },
      Policies: [{ PolicyName: 'invoke', PolicyDocument: { Statement: [Match.objectLike({ Action: 'sagemaker:InvokeEndpoint' })] } }],
    });
  });
});

describe('configuration', () => {
  it('defaults are documented values; a wrong setting names its path', () => {
    expect(parseConfig(undefined)).toMatchObject({ syncMaxBytes: 10 * 1024 * 1024, confidenceThreshold: 0.6, ocrConcurrency: 5, textractFeatures: ['TABLES', 'FORMS', 'LAYOUT'] });
    expect(() => parseConfig({ confidenceThreshold: 2 })).toThrow(/docpipe\.confidenceThreshold/);
    expect(() => parseConfig({ textractFeatures: ['OCR'] })).toThrow(/docpipe\.textractFeatures\.0/);
    expect(() => parseConfig({ confidenceTreshold: 0.5 })).toThrow(/confidenceTreshold/);
  });

  it('settings reach the handlers', () => {
    const { pipeline: configured } = synth({ confidenceThreshold: 0.8, textractFeatures: ['TABLES', 'QUERIES'], webhookScheduleSeconds: [0, 60] });
    configured.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ CONFIDENCE_THRESHOLD: '0.8', TEXTRACT_FEATURES: 'TABLES,QUERIES', WEBHOOK_SCHEDULE_SECONDS: '0,60' }) } });
  });
});

describe('wiring: every function builds its ports from the environment the stack gives it', () => {
  // Which ports a handler loads, read off its source: the provider it is built with.
  const portsOf = async (handler: string): Promise<Record<string, unknown>> => {
    const source = readFileSync(join(ROOT, 'lambdas', 'handlers', `${handler}.ts`), 'utf8');
    if (source.includes('awsPipelineDepsWithOcr')) {
      const [{ pipelineDepsFromEnvironment }, { textractFromEnvironment }, { TextractClient }] = await Promise.all([import('../../lambdas/aws/pipeline-deps'), import('../../lambdas/aws/textract-ocr'), import('@aws-sdk/client-textract')]);
      const ocr = textractFromEnvironment(new TextractClient({}));
      return { ...pipelineDepsFromEnvironment({ ocr, ocrJobs: ocr }) };
    }
    if (source.includes('awsPipelineDeps')) return { ...(await import('../../lambdas/aws/pipeline-deps')).pipelineDepsFromEnvironment() };
    if (source.includes('awsIngestDeps')) return { ...(await import('../../lambdas/aws/pipeline-deps')).ingestDepsFromEnvironment() };
    if (source.includes('awsApiDeps')) return { ...(await import('../../lambdas/aws/api-deps')).apiDepsFromEnvironment() };
    if (source.includes('webhookDepsFromEnvironment')) return { ...(await import('../../lambdas/aws/webhook-deps')).webhookDepsFromEnvironment() };
    throw new Error(`${handler}: no known provider of ports`);
  };
  const functions = ofType('AWS::Lambda::Function');
  const handlerOf = (fn: (typeof functions)[number][1]) => (resources[fn.Properties.Role['Fn::GetAtt'][0]].Properties.Description as string).replace(/^docpipe /, '');
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    jest.resetModules(); // the ports are built once per module load, as once per container
  });

  it.each(functions.map(([id, fn]) => [id, handlerOf(fn)]))('%s (%s)', async (id, handler) => {
    // A reference to another resource (an ARN, a name) is only known at deploy time: any string stands for it.
    const variables = Object.entries(resources[id].Properties.Environment.Variables as Record<string, unknown>).map(([name, value]) => [name, typeof value === 'string' ? value : `deployed-${name.toLowerCase()}`]);
    process.env = { ...Object.fromEntries(variables), AWS_REGION: 'us-east-1' };
    const ports = await portsOf(handler);
    expect(Object.keys(ports).length).toBeGreaterThan(0);
    // The step that predicts is the one that must reach the page model; the others build without it.
    if (handler === 'predict-pages') expect((ports.pageModel as object).constructor.name).toBe('SageMakerPageModel');
  });
});
