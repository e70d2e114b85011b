/** ocr-sync (state OcrSync): one synchronous OCR call; the document is stored and its key returned. */
import type { PipelineDeps } from '../domain/pipeline/deps';
import { recognizeSync } from '../domain/pipeline/ocr';
import { RegisteredDocument } from '../domain/pipeline/state';
import { parseInput } from './input';
import { withObservability } from './observability';
import { awsPipelineDepsWithOcr, type Provide } from './pipeline-deps';

export function createOcrSyncHandler(deps: Provide<PipelineDeps>) {
  return async (raw: unknown) => recognizeSync(await deps(), parseInput(RegisteredDocument, raw, 'ocr-sync'));
}

export const handler = withObservability('ocr-sync', createOcrSyncHandler(awsPipelineDepsWithOcr), (output, metrics) => metrics.addMetric('OcrPages', 'Count', output.pageCount));
