/** How a pipeline handler gets its ports: from the environment in Lambda (loaded once), injected locally and in tests. */
import type { IngestDeps, PipelineDeps } from '../domain/pipeline/deps';

export type Provide<T> = () => Promise<T> | T;

/**
 * The AWS wiring of a function, created on first use (cold start) and reused by every invocation of the container.
 * A failed start is not kept: the next invocation tries again (a throttled SDK load must not poison the container).
 */
export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () =>
    (loaded ??= load().catch((error: unknown) => {
      loaded = undefined;
      throw error;
    }));
}

// `@__PURE__`: a provider no handler of a bundle uses is left out of it by esbuild, with the code it would load
// (else every function would carry the PDF parser and Textract: bench:bundles).
export const awsPipelineDeps: Provide<PipelineDeps> = /* @__PURE__ */ loadOnce(async () => (await import('../aws/pipeline-deps')).pipelineDepsFromEnvironment());

/** The same, with the intake checks (only register-document carries the PDF parser they need). */
export const awsPipelineDepsWithIntake: Provide<PipelineDeps> = /* @__PURE__ */ loadOnce(async () => {
  const [aws, intake] = await Promise.all([import('../aws/pipeline-deps'), import('../domain/intake/inspect')]);
  const limits = aws.intakeLimitsFromEnvironment();
  return aws.pipelineDepsFromEnvironment({ inspect: (bytes) => intake.inspectDocument(bytes, limits) });
});

/** The same, with Textract (only the three OCR functions carry it and its adapter). */
export const awsPipelineDepsWithOcr: Provide<PipelineDeps> = /* @__PURE__ */ loadOnce(async () => {
  const [aws, textract, sdk, { tracer }] = await Promise.all([import('../aws/pipeline-deps'), import('../aws/textract-ocr'), import('@aws-sdk/client-textract'), import('./observability')]);
  const ocr = textract.textractFromEnvironment(tracer.captureAWSv3Client(new sdk.TextractClient({})));
  return aws.pipelineDepsFromEnvironment({ ocr, ocrJobs: ocr });
});

export const awsIngestDeps: Provide<IngestDeps> = /* @__PURE__ */ loadOnce(async () => (await import('../aws/pipeline-deps')).ingestDepsFromEnvironment());
