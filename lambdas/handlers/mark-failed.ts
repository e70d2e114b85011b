/** mark-failed (state MarkFailed of both machines): status failed with the reason, document.failed, deliveries. */
import type { PipelineDeps } from '../domain/pipeline/deps';
import { markFailed } from '../domain/pipeline/failure';
import { FailedDocument } from '../domain/pipeline/state';
import { parseInput } from './input';
import { withObservability } from './observability';
import { awsPipelineDeps, type Provide } from './pipeline-deps';

export function createMarkFailedHandler(deps: Provide<PipelineDeps>) {
  return async (raw: unknown) => markFailed(await deps(), parseInput(FailedDocument, raw, 'mark-failed'));
}

export const handler = withObservability('mark-failed', createMarkFailedHandler(awsPipelineDeps), (_output, metrics) => metrics.addMetric('DocumentsFailed', 'Count', 1));
