/** register-document (state Register): claims the document, checks its bytes, chooses sync or async OCR. */
import type { PipelineDeps } from '../domain/pipeline/deps';
import { registerDocument } from '../domain/pipeline/register';
import { ExtractionInput } from '../domain/pipeline/state';
import { parseInput } from './input';
import { withObservability } from './observability';
import { awsPipelineDepsWithIntake, type Provide } from './pipeline-deps';

export function createRegisterDocumentHandler(deps: Provide<PipelineDeps>) {
  return async (raw: unknown) => registerDocument(await deps(), parseInput(ExtractionInput, raw, 'register-document'));
}

export const handler = withObservability('register-document', createRegisterDocumentHandler(awsPipelineDepsWithIntake), (output, metrics) => {
  metrics.addMetric(`OcrMode_${output.ocrMode}`, 'Count', 1);
  metrics.addMetric('DocumentPages', 'Count', output.pageCount);
});
