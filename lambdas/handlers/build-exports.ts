/** build-exports (state BuildExports): document JSON and table CSVs, final status, event, one delivery per endpoint. */
import type { PipelineDeps } from '../domain/pipeline/deps';
import { buildExports } from '../domain/pipeline/finish';
import { PredictedDocument } from '../domain/pipeline/state';
import { parseInput } from './input';
import { withObservability } from './observability';
import { awsPipelineDeps, type Provide } from './pipeline-deps';

export function createBuildExportsHandler(deps: Provide<PipelineDeps>) {
  return async (raw: unknown) => buildExports(await deps(), parseInput(PredictedDocument, raw, 'build-exports'));
}

export const handler = withObservability('build-exports', createBuildExportsHandler(awsPipelineDeps), (output, metrics) => {
  metrics.addMetric(`Documents_${output.status}`, 'Count', 1);
  metrics.addMetric('WebhookDeliveriesStarted', 'Count', output.deliveries.length);
  metrics.addMetric('DocumentsExported', 'Count', 1);
  metrics.addMetric('PagesExported', 'Count', output.pages);
  metrics.addMetric('EndToEndLatency', 'Milliseconds', output.latencyMs);
});
