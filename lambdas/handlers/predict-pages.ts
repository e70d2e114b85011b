/** predict-pages (state Predict): page class and confidence for every page, written into the stored document. */
import type { PipelineDeps } from '../domain/pipeline/deps';
import { predictPages } from '../domain/pipeline/predict';
import { RecognisedDocument } from '../domain/pipeline/state';
import { parseInput } from './input';
import { withObservability } from './observability';
import { awsPipelineDeps, type Provide } from './pipeline-deps';

export function createPredictPagesHandler(deps: Provide<PipelineDeps>) {
  return async (raw: unknown) => predictPages(await deps(), parseInput(RecognisedDocument, raw, 'predict-pages'));
}

export const handler = withObservability('predict-pages', createPredictPagesHandler(awsPipelineDeps), (output, metrics) => {
  metrics.addMetric('PagesNeedReview', 'Count', output.reviewPages);
  metrics.addMetric('PredictionConfidence', 'None', output.meanConfidence);
  metrics.addMetric('PageModelLatency', 'Milliseconds', output.modelMs);
  // The dashboard compares variants (A/B) and page classes: one record each, by a dimension of its own.
  for (const { variant, meanConfidence } of output.byVariant) metrics.addMetric('PredictionConfidence', 'None', meanConfidence, { variant });
  for (const { label, pages } of output.classes) metrics.addMetric('PagesClassified', 'Count', pages, { class: label });
});
