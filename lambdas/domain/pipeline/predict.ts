/** Page predictions: the page model's class and confidence on every page, written into the stored document. */
import { validateDocument } from '../document';
import { DocpipeError, isDocpipeError } from '../errors';
import type { PipelineDeps } from './deps';
import { PIPELINE_ERRORS } from './errors';
import type { RecognisedDocument } from './state';
import { readStoredDocument } from './stored-document';

export interface PredictionSummary {
  labels: (string | null)[];
  needsReview: boolean;
  /** For the on-call metrics: pages flagged for review, mean confidence (drift shows here first), model latency. */
  reviewPages: number;
  meanConfidence: number;
  modelMs: number;
}

export async function predictPages(deps: PipelineDeps, input: RecognisedDocument): Promise<PredictionSummary> {
  const document = await readStoredDocument(deps.store, input.ocr.documentKey);
  let predictions;
  const started = Date.now();
  try {
    predictions = await deps.pageModel.predict(document.pages);
  } catch (error) {
    if (isDocpipeError(error)) throw error;
    // Whatever the model client threw: retryable, and after the retries the document goes on without predictions.
    throw new DocpipeError(PIPELINE_ERRORS.PAGE_MODEL_UNAVAILABLE, `The page model failed: ${(error as Error).message ?? String(error)}`, { retryable: true, cause: error });
  }
  // The model's own latency (the metric PageModelLatency): not the store write below.
  const modelMs = Date.now() - started;
  if (predictions.length !== document.pages.length) {
    throw new DocpipeError(PIPELINE_ERRORS.PAGE_MODEL_FAILED, `The page model answered ${predictions.length} predictions for ${document.pages.length} pages.`);
  }
  document.pages.forEach((page, i) => (page.predictions = predictions[i]));
  await deps.store.put(input.ocr.documentKey, JSON.stringify(validateDocument(document)), { contentType: 'application/json' });
  const reviewPages = predictions.filter((p) => p.needsReview === true).length;
  const meanConfidence = predictions.reduce((sum, p) => sum + (p.confidence ?? 0), 0) / Math.max(1, predictions.length);
  return { labels: predictions.map((p) => p.label ?? null), needsReview: reviewPages > 0, reviewPages, meanConfidence, modelMs };
}
