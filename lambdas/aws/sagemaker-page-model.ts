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
  /** Pages per InvokeEndpoint request, at most. Default 16. */
  batchSize?: number;
  /** Request body bytes, at most. Default MAX_REQUEST_BYTES. */
  maxRequestBytes?: number;
  /** Attempts per request, the first included. Default 4. */
  maxAttempts?: number;
  /** First backoff in ms, doubled each retry. Default 200. */
  baseDelayMs?: number;
  threshold?: number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Under SageMaker's 6 MB per InvokeEndpoint request and the reference container's 5 MiB: a batch of pages dense with
 * tables can be 16 x 390 KB, so batches are cut by bytes as well as by pages.
 */
export const MAX_REQUEST_BYTES = 4 * 1024 * 1024;

const RETRYABLE = new Set(['ThrottlingException', 'ServiceUnavailable', 'InternalFailure', 'InternalDependencyException', 'ModelNotReadyException', 'TooManyRequestsException']);

/** SageMaker answers any container error as a ModelError (HTTP 424) and puts the container's own status here. */
const containerStatusOf = (error: unknown): number => (error as { OriginalStatusCode?: number } | undefined)?.OriginalStatusCode ?? 0;

export class SageMakerPageModel implements PageModel {
  constructor(private readonly client: SageMakerRuntimeClient, private readonly options: SageMakerPageModelOptions) {}

  async predict(pages: readonly Page[]): Promise<PagePrediction[]> {
    const size = this.options.batchSize ?? 16;
    const maxBytes = this.options.maxRequestBytes ?? MAX_REQUEST_BYTES;
    // Only what the model reads: the text lines and the layout counts, not geometry (keeps requests small).
    const slim = pages.map((page) => JSON.stringify({ ...page, words: [], lines: page.lines.map((line) => ({ ...line, wordIds: [], geometry: undefined })), regions: [] }));
    const predictions: PagePrediction[] = [];
    let batch: string[] = [];
    let bytes = 0;
    for (const page of slim) {
      const pageBytes = Buffer.byteLength(page) + 1; // and its comma
      if (batch.length > 0 && (batch.length >= size || bytes + pageBytes > maxBytes)) {
        predictions.push(...(await this.invokeSplitting(batch)));
        batch = [];
        bytes = 0;
      }
      batch.push(page);
      bytes += pageBytes;
    }
    if (batch.length > 0) predictions.push(...(await this.invokeSplitting(batch)));
    return predictions;
  }

  /** A batch the container refuses as too large (413) is sent again in halves; one page too large is a failure. */
  private async invokeSplitting(batch: string[]): Promise<PagePrediction[]> {
    try {
      return await this.invoke(batch);
    } catch (error) {
      if (batch.length > 1 && containerStatusOf((error as DocpipeError).cause) === 413) {
        const half = Math.ceil(batch.length / 2);
        return [...(await this.invokeSplitting(batch.slice(0, half))), ...(await this.invokeSplitting(batch.slice(half)))];
      }
      throw error;
    }
  }

  private async invoke(batch: string[]): Promise<PagePrediction[]> {
    const body = `{"pages":[${batch.join(',')}]${this.options.threshold !== undefined ? `,"threshold":${JSON.stringify(this.options.threshold)}` : ''}}`;
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
        const container = containerStatusOf(error);
        // A container that is overloaded or failing (5xx, 429 behind SageMaker's 424) is retried, as SageMaker's own.
        const retryable = RETRYABLE.has(name) || status >= 500 || status === 429 || container >= 500 || container === 429;
        if (!retryable || attempt >= attempts) {
          throw new DocpipeError(retryable ? 'PAGE_MODEL_UNAVAILABLE' : 'PAGE_MODEL_FAILED', `Endpoint ${this.options.endpointName} failed after ${attempt} attempt(s): ${name}${container ? ` (the container answered ${container})` : ''}: ${(error as Error).message}`, { retryable, cause: error });
        }
        const delay = Math.random() * (this.options.baseDelayMs ?? 200) * 2 ** (attempt - 1);
        await (this.options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))))(delay);
      }
    }
  }
}
