/** Page predictions: the page model's class and confidence on every page, written into the stored document. */
import { validateDocument, type PagePrediction } from '../document';
import { DocpipeError, isDocpipeError } from '../errors';
import { DEFAULT_REVIEW_THRESHOLD } from '../page-model/model';
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
  /** Per production variant (A/B) and per page class, for the dashboard's comparison of variants. */
  byVariant: { variant: string; pages: number; meanConfidence: number }[];
  classes: { label: string; pages: number }[];
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
  // Never silently trusted: the threshold is docpipe's, not the model's to waive.
  const threshold = deps.reviewThreshold ?? DEFAULT_REVIEW_THRESHOLD;
  predictions = predictions.map((p) => ({ ...p, needsReview: p.needsReview === true || !(p.confidence >= threshold) }));
  document.pages.forEach((page, i) => (page.predictions = predictions[i]));
  await deps.store.put(input.ocr.documentKey, JSON.stringify(validateDocument(document)), { contentType: 'application/json' });
  const reviewPages = predictions.filter((p) => p.needsReview === true).length;
  const meanConfidence = predictions.reduce((sum, p) => sum + (p.confidence ?? 0), 0) / Math.max(1, predictions.length);
  return { labels: predictions.map((p) => p.label ?? null), needsReview: reviewPages > 0, reviewPages, meanConfidence, modelMs, byVariant: byVariantOf(predictions), classes: classesOf(predictions) };
}

const byVariantOf = (predictions: PagePrediction[]): PredictionSummary['byVariant'] => {
  const sums = new Map<string, { pages: number; confidence: number }>();
  for (const p of predictions) {
    const sum = sums.get(p.variant ?? 'default') ?? { pages: 0, confidence: 0 };
    sums.set(p.variant ?? 'default', { pages: sum.pages + 1, confidence: sum.confidence + p.confidence });
  }
  return [...sums].map(([variant, { pages, confidence }]) => ({ variant, pages, meanConfidence: confidence / pages }));
};

const classesOf = (predictions: PagePrediction[]): PredictionSummary['classes'] => {
  const counts = new Map<string, number>();
  for (const p of predictions) counts.set(p.label, (counts.get(p.label) ?? 0) + 1);
  return [...counts].map(([label, pages]) => ({ label, pages }));
}
