/** start-ocr-job (state OcrAsync, .waitForTaskToken): records the task token and starts the async OCR job. */
import * as z from 'zod';
import type { PipelineDeps } from '../domain/pipeline/deps';
import { startOcrJob } from '../domain/pipeline/ocr';
import { RegisteredDocument } from '../domain/pipeline/state';
import { parseInput } from './input';
import { withObservability } from './observability';
import { awsPipelineDepsWithOcr, type Provide } from './pipeline-deps';

export const StartOcrJobInput = z.object({ document: RegisteredDocument, taskToken: z.string().min(1) });

export function createStartOcrJobHandler(deps: Provide<PipelineDeps>) {
  return async (raw: unknown) => {
    const input = parseInput(StartOcrJobInput, raw, 'start-ocr-job');
    return startOcrJob(await deps(), input.document, input.taskToken);
  };
}

export const handler = withObservability('start-ocr-job', createStartOcrJobHandler(awsPipelineDepsWithOcr));
