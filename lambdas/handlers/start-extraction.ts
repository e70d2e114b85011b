/**
 * start-extraction: S3 "Object Created" events (EventBridge -> SQS) to extraction executions. One claim per object
 * version (conditional write) and one execution per document id (its name), so redelivered or duplicated events
 * start nothing twice. Partial batch responses: only the records that failed transiently come back.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from 'zod';
import type { IngestDeps } from '../domain/pipeline/deps';
import { PIPELINE_ERRORS } from '../domain/pipeline/errors';
import { isDocpipeError } from '../domain/errors';
import { ingestObject, type IngestResult } from '../domain/pipeline/register';
import { parseInput } from './input';
import { logger, metrics } from './observability';
import { awsIngestDeps, type Provide } from './pipeline-deps';
import { MetricUnit } from '@aws-lambda-powertools/metrics';

/** The EventBridge event of an S3 object creation, as SQS delivers it (the message body). */
export const ObjectCreatedEvent = z
  .object({
    'detail-type': z.literal('Object Created'),
    detail: z.object({
      bucket: z.object({ name: z.string() }).loose(),
      object: z.object({ key: z.string().min(1), size: z.number().optional(), etag: z.string().optional(), 'version-id': z.string().optional() }).loose(),
    }).loose(),
  })
  .loose();

/** The version that makes the object unique: the version id when the bucket is versioned, else the ETag. */
export function objectVersion(object: z.infer<typeof ObjectCreatedEvent>['detail']['object']): string {
  return object['version-id'] ?? object.etag ?? 'unversioned';
}

export function createIngestRecordHandler(deps: Provide<IngestDeps>) {
  return async (record: SQSRecord): Promise<IngestResult | undefined> => {
    let body: unknown;
    try {
      body = JSON.parse(record.body);
    } catch {
      body = undefined;
    }
    const event = parseInput(ObjectCreatedEvent, body, 'start-extraction');
    // S3 event keys are URL-encoded, with + for spaces.
    const key = decodeURIComponent(event.detail.object.key.replace(/\+/g, ' '));
    try {
      const result = await ingestObject(await deps(), { key, version: objectVersion(event.detail.object) });
      logger.info('ingested', { ...result, key });
      metrics.addMetric(result.outcome === 'started' ? 'ExecutionsStarted' : 'DuplicateEvents', MetricUnit.Count, 1);
      return result;
    } catch (error) {
      // Only the object's own fault (a key outside clients/<id>/, a folder marker) is logged and dropped: retrying
      // cannot fix it. Anything else, a misconfigured function included, goes back to the queue and on to the
      // dead-letter queue.
      if (isDocpipeError(error) && (error.code === PIPELINE_ERRORS.OBJECT_KEY_WITHOUT_CLIENT || error.code === PIPELINE_ERRORS.OBJECT_KEY_IS_FOLDER)) {
        logger.warn('object not ingested', { key, code: error.code, reason: error.message });
        metrics.addMetric('ObjectsRejected', MetricUnit.Count, 1);
        return undefined;
      }
      throw error;
    }
  };
}

export function createStartExtractionHandler(deps: Provide<IngestDeps>) {
  const processor = new BatchProcessor(EventType.SQS);
  const recordHandler = createIngestRecordHandler(deps);
  return async (event: SQSEvent, context: Context) => {
    try {
      return await processPartialResponse(event, recordHandler, processor, { context });
    } finally {
      metrics.publishStoredMetrics();
    }
  };
}

export const handler = createStartExtractionHandler(awsIngestDeps);
