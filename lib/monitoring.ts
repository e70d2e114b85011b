import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

export interface MonitoringProps {
  readonly key: kms.IKey;
  readonly queue: sqs.IQueue;
  readonly deadLetterQueue: sqs.IQueue;
  readonly stateMachines: Record<'extraction' | 'export' | 'webhookDelivery', sfn.IStateMachine>;
  readonly functions: lambda.IFunction[];
  /** docpipe's event bus: an endpoint disabled after days of failed deliveries is announced there, and told to on-call. */
  readonly bus: events.IEventBus;
  /** E-mail address subscribed to the alarm topic. Default none (subscribe a pager to `alarmTopic`). */
  readonly alarmEmail?: string;
  /** An upload waiting longer than this in the queue raises an alarm. Default 15 minutes. */
  readonly maxQueueAge?: Duration;
  /** Mean page-prediction confidence (daily) under this raises the drift alarm. Default 0.7. */
  readonly confidenceFloor?: number;
  /** Where the runbook lives, for the alarm texts. Default the repository path `docs/runbook.md`. */
  readonly runbookUrl?: string;
}

/** The namespace and dimension the handlers publish to through Powertools (EMF). */
const NAMESPACE = 'docpipe';
const DIMENSIONS = { service: 'docpipe' };

/**
 * What on-call sees: one dashboard (documents in/out/failed, pages, end-to-end latency, OCR throttles, page-model
 * latency and confidence, webhook success rate, queue depth and age) and alarms to one encrypted SNS topic. Every
 * alarm's description says what it means and what to do first, and points to its runbook section.
 */
export class Monitoring extends Construct {
  readonly alarmTopic: sns.Topic;
  readonly dashboard: cloudwatch.Dashboard;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const runbook = props.runbookUrl ?? 'docs/runbook.md';
    this.alarmTopic = new sns.Topic(this, 'Alarms', { masterKey: props.key, enforceSSL: true, displayName: 'docpipe alarms' });
    if (props.alarmEmail) this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    const docpipe = (metricName: string, statistic = 'Sum', period = Duration.minutes(5)) => new cloudwatch.Metric({ namespace: NAMESPACE, metricName, dimensionsMap: DIMENSIONS, statistic, period });

    // Not an alarm (no metric crosses a line): the event itself, worded for a person, to the same topic.
    new events.Rule(this, 'EndpointDisabled', {
      eventBus: props.bus,
      description: 'docpipe disabled a client webhook endpoint after days of failed deliveries: tell on-call',
      eventPattern: { source: ['docpipe'], detailType: ['docpipe.endpoint.disabled'] },
      targets: [
        new targets.SnsTopic(this.alarmTopic, {
          // A role of this rule's own publishes (and uses the key), rather than the events service for any account.
          authorizeUsingRole: true,
          message: events.RuleTargetInput.fromText(
            `docpipe disabled webhook endpoint ${events.EventField.fromPath('$.detail.endpointId')} of client ${events.EventField.fromPath('$.detail.clientId')}: ` +
              `${events.EventField.fromPath('$.detail.reason')} Its deliveries wait in the dead-letter store. First: check the endpoint with the client, ` +
              `then have them enable it and replay the dead deliveries. Runbook: ${runbook}#webhook-dead-letters`,
          ),
        }),
      ],
    });

    const alarm = (name: string, metric: cloudwatch.IMetric, options: { threshold: number; what: string; first: string; anchor: string; evaluationPeriods?: number; comparison?: cloudwatch.ComparisonOperator }) => {
      const created = new cloudwatch.Alarm(this, name, {
        metric,
        threshold: options.threshold,
        evaluationPeriods: options.evaluationPeriods ?? 1,
        comparisonOperator: options.comparison ?? cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: `${options.what} First: ${options.first} Runbook: ${runbook}#${options.anchor}`,
      });
      created.addAlarmAction(new actions.SnsAction(this.alarmTopic));
      created.addOkAction(new actions.SnsAction(this.alarmTopic));
      this.alarms.push(created);
      return created;
    };

    alarm('DeadLetterQueueNotEmpty', props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }), {
      threshold: 1,
      what: 'Upload events could not be turned into executions after 5 tries and wait in the ingestion dead-letter queue: those documents are not being processed.',
      first: 'read one message and the starter function logs for its key, fix the cause, then redrive the queue.',
      anchor: 'dead-letter-queue-not-empty',
    });
    alarm('OldestUploadTooOld', props.queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(1), statistic: 'Maximum' }), {
      threshold: (props.maxQueueAge ?? Duration.minutes(15)).toSeconds(),
      evaluationPeriods: 3,
      what: 'Uploads wait in the ingestion queue longer than they should: the starter is failing, throttled, or held back by its maximum concurrency.',
      first: 'check the starter function errors and throttles, and the extraction state machine start failures.',
      anchor: 'oldest-upload-too-old',
    });
    for (const [name, machine] of Object.entries(props.stateMachines)) {
      const title = name[0].toUpperCase() + name.slice(1);
      alarm(`${title}ExecutionsFailed`, new cloudwatch.MathExpression({ expression: 'FILL(failed, 0) + FILL(timedOut, 0) + FILL(aborted, 0)', usingMetrics: { failed: machine.metricFailed(), timedOut: machine.metricTimedOut(), aborted: machine.metricAborted() }, period: Duration.minutes(15), label: `${name} executions failed, timed out or aborted` }), {
        threshold: name === 'extraction' ? 5 : 1,
        what: `${name} executions failed, timed out or were aborted${name === 'extraction' ? ' (5 or more in 15 minutes: rejected uploads end here too, so a few are expected)' : ''}.`,
        first: 'open the failed executions in the Step Functions console, read the error code of the failing state, and check that function’s logs.',
        anchor: 'executions-failed',
      });
    }
    // FILL: a metric published only when something happens has no data point in a quiet period, and a sum with a
    // missing term is missing too; filled with 0, one metric's errors are not hidden by the others' silence.
    const sumOver = (label: string, metrics: cloudwatch.IMetric[]) =>
      new cloudwatch.MathExpression({ expression: metrics.map((_, i) => `FILL(m${i}, 0)`).join(' + '), usingMetrics: Object.fromEntries(metrics.map((m, i) => [`m${i}`, m])), period: Duration.minutes(5), label });
    alarm('LambdaErrors', sumOver('Lambda errors', props.functions.map((f) => f.metricErrors({ period: Duration.minutes(5) }))), {
      threshold: 5,
      what: 'docpipe functions threw unexpected errors (5 or more in 5 minutes). Expected failures (bad documents) are not counted here: they end as failed documents.',
      first: 'find the function in the dashboard, then its "failed unexpectedly" log lines with the document id.',
      anchor: 'lambda-errors',
    });
    alarm('LambdaThrottles', sumOver('Lambda throttles', props.functions.map((f) => f.metricThrottles({ period: Duration.minutes(5) }))), {
      threshold: 10,
      evaluationPeriods: 2,
      what: 'docpipe functions are throttled: more documents arrive than the reserved OCR concurrency or the account limit lets through.',
      first: 'check the queue age; raise ocrConcurrency only if the Textract quota allows it.',
      anchor: 'lambda-throttles',
    });
    alarm('WebhookDeadLetters', docpipe('WebhookDeadLetters'), {
      threshold: 1,
      what: 'A webhook delivery used up its retries and went to the dead-letter store: a client did not receive an event.',
      first: 'list dead deliveries, check the endpoint with the client, then replay them.',
      anchor: 'webhook-dead-letters',
    });
    alarm('PageModelErrors', sumOver('page model errors', [docpipe('Error_PAGE_MODEL_UNAVAILABLE'), docpipe('Error_PAGE_MODEL_FAILED'), docpipe('Error_PAGE_MODEL_BAD_RESPONSE')]), {
      threshold: 3,
      what: 'The page model endpoint fails, or answers outside the page-model contract: documents go on without page predictions and end needs_review.',
      first: 'check the SageMaker endpoint status and its Invocation5XXErrors, and the predict-pages logs.',
      anchor: 'page-model-errors',
    });
    alarm('PredictionConfidenceFalling', docpipe('PredictionConfidence', 'Average', Duration.hours(6)), {
      threshold: props.confidenceFloor ?? 0.7,
      comparison: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 2,
      what: 'The mean page-prediction confidence fell under its floor for 12 hours: the documents changed (drift) or the model did.',
      first: 'compare the confidence and the page classes by variant on the dashboard (the "by variant" and "by class" graphs), sample low-confidence pages, and consider retraining.',
      anchor: 'prediction-confidence-falling',
    });

    const webhookSuccess = new cloudwatch.MathExpression({
      expression: '100 * FILL(ok, 0) / (FILL(ok, 0) + FILL(retry, 0) + FILL(dead, 0))',
      usingMetrics: { ok: docpipe('WebhookAttempt_succeeded'), retry: docpipe('WebhookAttempt_retry'), dead: docpipe('WebhookAttempt_dead') },
      label: 'webhook attempts succeeded (%)',
      period: Duration.minutes(5),
    });
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.hours(6),
      widgets: [
        [
          new cloudwatch.GraphWidget({ title: 'Documents in / out / failed', left: [docpipe('ExecutionsStarted'), docpipe('DocumentsExported'), docpipe('DocumentsFailed'), docpipe('DuplicateEvents'), docpipe('ObjectsRejected')], width: 8 }),
          new cloudwatch.GraphWidget({ title: 'Pages', left: [docpipe('DocumentPages'), docpipe('PagesExported'), docpipe('PagesNeedReview')], width: 8 }),
          new cloudwatch.GraphWidget({ title: 'End-to-end latency (ms)', left: [docpipe('EndToEndLatency', 'p50'), docpipe('EndToEndLatency', 'p90')], width: 8 }),
        ],
        [
          new cloudwatch.GraphWidget({ title: 'OCR throttles and errors', left: [docpipe('Error_OCR_THROTTLED'), docpipe('Error_OCR_UNAVAILABLE'), docpipe('Error_OCR_FAILED')], width: 8 }),
          new cloudwatch.GraphWidget({ title: 'Page model latency (ms)', left: [docpipe('PageModelLatency', 'p50'), docpipe('PageModelLatency', 'p90')], width: 8 }),
          new cloudwatch.GraphWidget({ title: 'Page prediction confidence (mean)', left: [docpipe('PredictionConfidence', 'Average', Duration.hours(1))], leftAnnotations: [{ value: props.confidenceFloor ?? 0.7, label: 'drift floor' }], width: 8 }),
        ],
        [
          new cloudwatch.GraphWidget({ title: 'Webhook success rate (%)', left: [webhookSuccess], leftYAxis: { min: 0, max: 100 }, width: 8 }),
          new cloudwatch.GraphWidget({ title: 'Ingestion queue depth', left: [props.queue.metricApproximateNumberOfMessagesVisible(), props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ label: 'dead letters' })], width: 8 }),
          new cloudwatch.GraphWidget({ title: 'Oldest upload in the queue (s)', left: [props.queue.metricApproximateAgeOfOldestMessage()], width: 8 }),
        ],
        [
          // What the drift alarm sends on-call to compare: one line per production variant, one per page class.
          new cloudwatch.GraphWidget({ title: 'Prediction confidence by variant (mean)', left: [new cloudwatch.MathExpression({ expression: `SEARCH('{${NAMESPACE},service,variant} MetricName="PredictionConfidence"', 'Average', 3600)`, label: '', period: Duration.hours(1) })], width: 12 }),
          new cloudwatch.GraphWidget({ title: 'Pages by class', left: [new cloudwatch.MathExpression({ expression: `SEARCH('{${NAMESPACE},service,class} MetricName="PagesClassified"', 'Sum', 3600)`, label: '', period: Duration.hours(1) })], width: 12 }),
        ],
        [
          // What the Lambda alarms send on-call to find: which function.
          new cloudwatch.GraphWidget({ title: 'Lambda errors by function', left: props.functions.map((f) => f.metricErrors({ period: Duration.minutes(5), label: f.node.path.split('/').slice(-2, -1)[0] })), width: 12 }),
          new cloudwatch.GraphWidget({ title: 'Lambda throttles by function', left: props.functions.map((f) => f.metricThrottles({ period: Duration.minutes(5), label: f.node.path.split('/').slice(-2, -1)[0] })), width: 12 }),
        ],
        [new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24 })],
      ],
    });
  }
}
