/** How a pipeline handler gets its ports: from the environment in Lambda (loaded once), injected locally and in tests. */
import type { IngestDeps, PipelineDeps } from '../domain/pipeline/deps';

export type Provide<T> = () => Promise<T> | T;

let cloud: Promise<PipelineDeps> | undefined;
let cloudIngest: Promise<IngestDeps> | undefined;

/** The AWS wiring, created on first use (cold start) and reused by every invocation of the container. */
export const awsPipelineDeps: Provide<PipelineDeps> = () => (cloud ??= import('../aws/pipeline-deps').then((m) => m.pipelineDepsFromEnvironment()));
export const awsIngestDeps: Provide<IngestDeps> = () => (cloudIngest ??= import('../aws/pipeline-deps').then((m) => m.ingestDepsFromEnvironment()));
