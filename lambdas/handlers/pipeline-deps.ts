/** How a pipeline handler gets its ports: from the environment in Lambda (loaded once), injected locally and in tests. */
import type { IngestDeps, PipelineDeps } from '../domain/pipeline/deps';

export type Provide<T> = () => Promise<T> | T;

let cloud: Promise<PipelineDeps> | undefined;
let cloudWithIntake: Promise<PipelineDeps> | undefined;
let cloudWithOcr: Promise<PipelineDeps> | undefined;
let cloudIngest: Promise<IngestDeps> | undefined;

/** The AWS wiring, created on first use (cold start) and reused by every invocation of the container. */
export const awsPipelineDeps: Provide<PipelineDeps> = () => (cloud ??= import('../aws/pipeline-deps').then((m) => m.pipelineDepsFromEnvironment()));
/** The same, with the intake checks (only register-document carries the PDF parser they need). */
export const awsPipelineDepsWithIntake: Provide<PipelineDeps> = () =>
  (cloudWithIntake ??= Promise.all([import('../aws/pipeline-deps'), import('../domain/intake/inspect')]).then(([aws, intake]) => {
    const limits = aws.intakeLimitsFromEnvironment();
    return aws.pipelineDepsFromEnvironment({ inspect: (bytes) => intake.inspectDocument(bytes, limits) });
  }));
/** The same, with Textract (only the three OCR functions carry it and its adapter). */
export const awsPipelineDepsWithOcr: Provide<PipelineDeps> = () =>
  (cloudWithOcr ??= Promise.all([import('../aws/pipeline-deps'), import('../aws/textract-ocr'), import('@aws-sdk/client-textract'), import('./observability')]).then(([aws, textract, sdk, { tracer }]) => {
    const ocr = textract.textractFromEnvironment(tracer.captureAWSv3Client(new sdk.TextractClient({})));
    return aws.pipelineDepsFromEnvironment({ ocr, ocrJobs: ocr });
  }));
export const awsIngestDeps: Provide<IngestDeps> = () => (cloudIngest ??= import('../aws/pipeline-deps').then((m) => m.ingestDepsFromEnvironment()));
