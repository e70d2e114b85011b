/**
 * ocr-job-completed: subscribed to the OCR vendor's SNS topic. Reads the whole result of the job (every NextToken
 * page), stores the document and answers the waiting execution's task token. A transient error throws, so that the
 * notification is delivered again; a late, stale (another job than the document's) or repeated notification is
 * dropped, and changes nothing.
 */
import * as z from 'zod';
import type { PipelineDeps } from '../domain/pipeline/deps';
import { completeOcrJob, type OcrCompletion } from '../domain/pipeline/ocr';
import { parseInput } from './input';
import { logger, withObservability, type MetricRecorder } from './observability';
import { awsPipelineDepsWithOcr, type Provide } from './pipeline-deps';

/** Textract's completion message (the SNS Message, JSON). */
export const TextractCompletion = z
  .object({ JobId: z.string().min(1), Status: z.string(), JobTag: z.string().min(1), StatusMessage: z.string().optional() })
  .loose();

export const SnsEvent = z.object({ Records: z.array(z.object({ Sns: z.object({ Message: z.string() }).loose() }).loose()).min(1) }).loose();

export function createOcrJobCompletedHandler(deps: Provide<PipelineDeps>) {
  return async (raw: unknown) => {
    const event = parseInput(SnsEvent, raw, 'ocr-job-completed');
    const resolved = await deps();
    const results = [];
    for (const record of event.Records) {
      let message: unknown;
      try {
        message = JSON.parse(record.Sns.Message);
      } catch {
        message = undefined;
      }
      const completion = parseInput(TextractCompletion, message, 'ocr-job-completed');
      const result = await completeOcrJob(resolved, { jobId: completion.JobId, status: completion.Status, documentId: completion.JobTag, message: completion.StatusMessage });
      // Late, stale or repeated (SNS delivers at least once): nothing was written or answered.
      if (!result.answered) logger.warn('OCR completion answered nothing: dropped', { jobId: completion.JobId, documentId: completion.JobTag, dropped: result.dropped });
      results.push({ documentId: completion.JobTag, ...result });
    }
    return { results };
  };
}

/** A failed job fails the waiting task without an error here: counted as if thrown, for the OCR errors graph. */
export function recordOcrCompletions(output: { results: OcrCompletion[] }, metrics: MetricRecorder): void {
  for (const result of output.results) if (result.answered && result.outcome === 'failed') metrics.addMetric(`Error_${result.code}`, 'Count', 1);
}

export const handler = withObservability('ocr-job-completed', createOcrJobCompletedHandler(awsPipelineDepsWithOcr), recordOcrCompletions);
