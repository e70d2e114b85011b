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
  if (output.needsReview) metrics.addMetric('PagesNeedReview', 'Count', 1);
});
