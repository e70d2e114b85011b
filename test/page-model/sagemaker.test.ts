import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { pageFromText } from '../../lambdas/domain/page-model/contract';
import { SageMakerPageModel } from '../../lambdas/aws/sagemaker-page-model';

const runtime = mockClient(SageMakerRuntimeClient);
beforeEach(() => runtime.reset());

const answer = (labels: string[], variant = 'VariantA') => ({
  Body: Buffer.from(JSON.stringify({ model: 'docpipe-page-classifier', modelVersion: '1.0.0', predictions: labels.map((label) => ({ label, confidence: 0.9, model: 'docpipe-page-classifier', modelVersion: '1.0.0', needsReview: false })) })) as never,
  InvokedProductionVariant: variant,
});
const pages = (n: number) => Array.from({ length: n }, (_, i) => pageFromText(`page ${i + 1}`, i + 1));
const noSleep = async () => undefined;

describe('SageMakerPageModel', () => {
  it('batches pages per request and records the production variant that answered', async () => {
    runtime.on(InvokeEndpointCommand).callsFake((input) => {
      const body = JSON.parse(Buffer.from(input.Body).toString());
      return answer(body.pages.map(() => 'invoice'), body.pages.length === 2 ? 'VariantA' : 'VariantB');
    });
    const model = new SageMakerPageModel(new SageMakerRuntimeClient({ region: 'eu-west-1' }), { endpointName: 'docpipe-page-model', batchSize: 2, sleep: noSleep });
    const predictions = await model.predict(pages(5));
    expect(predictions).toHaveLength(5);
    expect(predictions.map((p) => p.variant)).toEqual(['VariantA', 'VariantA', 'VariantA', 'VariantA', 'VariantB']);
    expect(runtime).toHaveReceivedCommandTimes(InvokeEndpointCommand, 3);
    expect(runtime).toHaveReceivedCommandWith(InvokeEndpointCommand, { EndpointName: 'docpipe-page-model', ContentType: 'application/json' });
  });

  it('retries throttling and 5xx with backoff, then succeeds', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
    const unavailable = Object.assign(new Error('Service unavailable'), { name: 'ServiceUnavailable', $metadata: { httpStatusCode: 503 } });
    runtime.on(InvokeEndpointCommand).rejectsOnce(throttled).rejectsOnce(unavailable).resolves(answer(['receipt']));
    const delays: number[] = [];
    const model = new SageMakerPageModel(new SageMakerRuntimeClient({ region: 'eu-west-1' }), { endpointName: 'e', sleep: async (ms) => void delays.push(ms), baseDelayMs: 100 });
    const [prediction] = await model.predict(pages(1));
    expect(prediction.label).toBe('receipt');
    expect(runtime).toHaveReceivedCommandTimes(InvokeEndpointCommand, 3);
    expect(delays).toHaveLength(2);
    expect(delays[0]).toBeLessThanOrEqual(100);
    expect(delays[1]).toBeLessThanOrEqual(200);
  });

  it('gives up after the attempts with PAGE_MODEL_UNAVAILABLE, and does not retry a model error', async () => {
    runtime.on(InvokeEndpointCommand).rejects(Object.assign(new Error('busy'), { name: 'ThrottlingException' }));
    const model = new SageMakerPageModel(new SageMakerRuntimeClient({ region: 'eu-west-1' }), { endpointName: 'e', maxAttempts: 3, sleep: noSleep });
    await expect(model.predict(pages(1))).rejects.toMatchObject({ code: 'PAGE_MODEL_UNAVAILABLE', retryable: true });
    expect(runtime).toHaveReceivedCommandTimes(InvokeEndpointCommand, 3);

    runtime.reset();
    runtime.on(InvokeEndpointCommand).rejects(Object.assign(new Error('Received client error (400)'), { name: 'ModelError', $metadata: { httpStatusCode: 424 } }));
    await expect(model.predict(pages(1))).rejects.toMatchObject({ code: 'PAGE_MODEL_FAILED', retryable: false });
    expect(runtime).toHaveReceivedCommandTimes(InvokeEndpointCommand, 1);
  });

  it('cuts batches by bytes as well as by pages, so that a run of dense pages stays under the request limit', async () => {
    const bodies: number[] = [];
    runtime.on(InvokeEndpointCommand).callsFake((input) => {
      bodies.push(input.Body.length);
      return answer(JSON.parse(Buffer.from(input.Body).toString()).pages.map(() => 'report'));
    });
    const dense = Array.from({ length: 6 }, (_, i) => pageFromText(`figure ${'9'.repeat(3000)}`, i + 1));
    const model = new SageMakerPageModel(new SageMakerRuntimeClient({ region: 'eu-west-1' }), { endpointName: 'e', maxRequestBytes: 8000, sleep: noSleep });
    expect(await model.predict(dense)).toHaveLength(6);
    expect(bodies.length).toBeGreaterThan(1);
    for (const length of bodies) expect(length).toBeLessThanOrEqual(8000 + 100);
  });

  it('sends a batch the container refuses as too large (413) again in halves, keeping the pages in order', async () => {
    const sizes: number[] = [];
    runtime.on(InvokeEndpointCommand).callsFake((input) => {
      const body = JSON.parse(Buffer.from(input.Body).toString());
      sizes.push(body.pages.length);
      if (body.pages.length > 2) throw Object.assign(new Error('Received client error (413)'), { name: 'ModelError', OriginalStatusCode: 413, $metadata: { httpStatusCode: 424 } });
      return answer(body.pages.map((page: { number: number }) => `p${page.number}`));
    });
    const model = new SageMakerPageModel(new SageMakerRuntimeClient({ region: 'eu-west-1' }), { endpointName: 'e', batchSize: 5, sleep: noSleep });
    expect((await model.predict(pages(5))).map((p) => p.label)).toEqual(['p1', 'p2', 'p3', 'p4', 'p5']);
    expect(sizes).toEqual([5, 3, 2, 1, 2]);
  });

  it("retries the container's own 5xx and 429, which SageMaker wraps in a ModelError", async () => {
    runtime.on(InvokeEndpointCommand).rejects(Object.assign(new Error('Received server error (503)'), { name: 'ModelError', OriginalStatusCode: 503, $metadata: { httpStatusCode: 424 } }));
    const model = new SageMakerPageModel(new SageMakerRuntimeClient({ region: 'eu-west-1' }), { endpointName: 'e', maxAttempts: 3, sleep: noSleep });
    await expect(model.predict(pages(1))).rejects.toMatchObject({ code: 'PAGE_MODEL_UNAVAILABLE', retryable: true, message: expect.stringContaining('the container answered 503') });
    expect(runtime).toHaveReceivedCommandTimes(InvokeEndpointCommand, 3);
  });

  it('refuses an answer that is not one prediction per page', async () => {
    runtime.on(InvokeEndpointCommand).resolves(answer(['invoice']));
    const model = new SageMakerPageModel(new SageMakerRuntimeClient({ region: 'eu-west-1' }), { endpointName: 'e', sleep: noSleep });
    await expect(model.predict(pages(2))).rejects.toMatchObject({ code: 'PAGE_MODEL_BAD_RESPONSE' });
  });
});
