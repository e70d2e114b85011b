/**
 * What every handler shares, the Powertools way: structured JSON logs (with the document, delivery and
 * correlation ids of the input), EMF metrics published once per invocation, X-Ray tracing in Lambda, and one rule
 * for errors: a DocpipeError leaves the handler as an error named by its stable code, so that the state
 * machines' Retry and Catch can match it (`"ErrorEquals": ["OCR_THROTTLED"]`) and the code reaches the client.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { isDocpipeError } from '../domain/errors';
import { transientAwsError } from '../aws/transient';

/** The error name of a transient AWS failure that is not already a docpipe code. */
export const AWS_UNAVAILABLE = 'AWS_UNAVAILABLE';

export const logger = new Logger({ serviceName: 'docpipe' });
export const metrics = new Metrics({ namespace: 'docpipe', serviceName: 'docpipe' });
export const tracer = new Tracer({ serviceName: 'docpipe' });

/** Keys lifted from a handler's input into every log line of the invocation. */
const CORRELATION_KEYS = ['documentId', 'clientId', 'deliveryId', 'correlationId', 'executionName'] as const;

/** What a handler's `record` may publish: a metric with the service dimension, or with one more (`{ variant }`). */
export interface MetricRecorder {
  addMetric(name: string, unit: 'Count' | 'Milliseconds' | 'None', value: number, dimension?: Record<string, string>): void;
}

export function withObservability<I, O>(name: string, run: (input: I) => Promise<O>, record?: (output: O, m: MetricRecorder) => void) {
  return async (input: I, context?: { awsRequestId?: string; functionName?: string }): Promise<O> => {
    const keys: Record<string, unknown> = { handler: name };
    if (input && typeof input === 'object') for (const key of CORRELATION_KEYS) if (key in input) keys[key] = (input as Record<string, unknown>)[key];
    if (context?.awsRequestId) keys.requestId = context.awsRequestId;
    logger.appendKeys(keys);
    const started = Date.now();
    try {
      const output = await run(input);
      metrics.addMetric(`${name}.succeeded`, MetricUnit.Count, 1);
      record?.(output, {
        addMetric: (metric, unit, value, dimension) => {
          const powertoolsUnit = unit === 'None' ? MetricUnit.NoUnit : MetricUnit[unit];
          if (!dimension) {
            metrics.addMetric(metric, powertoolsUnit, value);
            return;
          }
          // A metric with a dimension of its own goes out as its own EMF record, beside the invocation's.
          const single = metrics.singleMetric();
          for (const [key, dimensionValue] of Object.entries(dimension)) single.addDimension(key, dimensionValue);
          single.addMetric(metric, powertoolsUnit, value);
        },
      });
      logger.info(`${name} done`, { durationMs: Date.now() - started });
      return output;
    } catch (error) {
      metrics.addMetric(`${name}.failed`, MetricUnit.Count, 1);
      if (isDocpipeError(error)) {
        // One metric per error code: the dashboard graphs Error_OCR_THROTTLED, the alarms watch the ones that matter.
        metrics.addMetric(`Error_${error.code}`, MetricUnit.Count, 1);
        // `reason`, not `message`: Powertools keeps `message` for the log line's own text and drops the key.
        logger.warn(`${name} failed`, { code: error.code, reason: error.message, durationMs: Date.now() - started });
        const named = new Error(error.message);
        named.name = error.code;
        throw named;
      }
      if (transientAwsError(error)) {
        // DynamoDB, S3, KMS... throttled or failing for a moment, past the SDK's own retries: named so that the
        // state machines retry the step with backoff (`AWS_UNAVAILABLE` in their Retry lists) instead of failing it.
        metrics.addMetric('Error_AWS_UNAVAILABLE', MetricUnit.Count, 1);
        logger.warn(`${name} failed transiently`, { error: (error as Error).name, reason: (error as Error).message, durationMs: Date.now() - started });
        const named = new Error(`${(error as Error).name}: ${(error as Error).message}`);
        named.name = AWS_UNAVAILABLE;
        throw named;
      }
      logger.error(`${name} failed unexpectedly`, error as Error);
      throw error;
    } finally {
      metrics.publishStoredMetrics();
      logger.removeKeys(Object.keys(keys));
    }
  };
}
