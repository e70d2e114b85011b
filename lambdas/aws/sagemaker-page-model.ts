/**
 * The PageModel port on a SageMaker endpoint (ours, or any endpoint speaking the same contract, also in another
 * account). Pages go in batches per request; the answering production variant is recorded on each prediction (A/B);
 * throttling and 5xx are retried with exponential backoff and full jitter; anything else is a typed error.
 */
import { InvokeEndpointCommand, type SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import type { Page, PagePrediction } from '../domain/document';
import { DocpipeError } from '../domain/errors';
import { InvocationResponse } from '../domain/page-model/contract';
import type { PageModel } from '../ports/page-model';

export interface SageMakerPageModelOptions {
  endpointName: string;
  /** Pages per InvokeEndpoint request. Default 16. */
  batchSize?: number;
  /** Attempts per request, the first included. Default 4. */
  maxAttempts?: number;
  /** First backoff in ms, doubled each retry. Default 200. */
  baseDelayMs?: number;
  threshold?: number;
  sleep?: (ms: number) => Promise<void>;
}

const RETRYABLE = new Set(['ThrottlingException', 'ServiceUnavailable', 'InternalFailure', 'InternalDependencyException', 'ModelNotReadyException', 'TooManyRequestsException']);

export class SageMakerPageModel implements PageModel {
  constructor(private readonly client: SageMakerRuntimeClient, private readonly options: SageMakerPageModelOptions) {}

  async predict(pages: readonly Page[]): Promise<PagePrediction[]> {
    const size = this.options.batchSize ?? 16;
    const predictions: PagePrediction[] = [];
    for (let start = 0; start < pages.length; start += size) predictions.push(...(await this.invoke(pages.slice(start, start + size))));
    return predictions;
  }

  private async invoke(batch: readonly Page[]): Promise<PagePrediction[]> {
    // Only what the model reads: the text lines and the layout counts, not geometry (keeps requests small).
    const slim = batch.map((page) => ({ ...page, words: [], lines: page.lines.map((line) => ({ ...line, wordIds: [], geometry: undefined })), regions: [] }));
    const body = JSON.stringify({ pages: slim, ...(this.options.threshold !== undefined ? { threshold: this.options.threshold } : {}) });
    const attempts = this.options.maxAttempts ?? 4;
    for (let attempt = 1; ; attempt++) {
      try {
        const output = await this.client.send(new InvokeEndpointCommand({ EndpointName: this.options.endpointName, ContentType: 'application/json', Accept: 'application/json', Body: Buffer.from(body) }));
        const parsed = InvocationResponse.safeParse(JSON.parse(Buffer.from(output.Body ?? new Uint8Array()).toString('utf8')));
        if (!parsed.success || parsed.data.predictions.length !== batch.length) {
          throw new DocpipeError('PAGE_MODEL_BAD_RESPONSE', `Endpoint ${this.options.endpointName} answered something other than one prediction per page: check that it speaks the docpipe page-model contract.`);
        }
        const variant = output.InvokedProductionVariant;
        return parsed.data.predictions.map((p) => ({ ...p, ...(variant ? { variant } : {}) }));
      } catch (error) {
        if (error instanceof DocpipeError) throw error;
        const name = (error as { name?: string }).name ?? 'Error';
        const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 0;
        const retryable = RETRYABLE.has(name) || status >= 500 || status === 429;
        if (!retryable || attempt >= attempts) {
          throw new DocpipeError(retryable ? 'PAGE_MODEL_UNAVAILABLE' : 'PAGE_MODEL_FAILED', `Endpoint ${this.options.endpointName} failed after ${attempt} attempt(s): ${name}: ${(error as Error).message}`, { retryable, cause: error });
        }
        const delay = Math.random() * (this.options.baseDelayMs ?? 200) * 2 ** (attempt - 1);
        await (this.options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))))(delay);
      }
    }
  }
}
