/**
 * The OCR ports on Textract. Sync (single images within the sync limits): AnalyzeDocument on the bytes. Async
 * (PDF, TIFF, large files): StartDocumentAnalysis with an SNS notification channel, the document id as JobTag and
 * ClientRequestToken (a retried start returns the same job); `collect` reads every NextToken page of
 * GetDocumentAnalysis. Both normalise through the Textract adapter, so nothing after this knows Textract ran.
 */
import {
  AnalyzeDocumentCommand,
  GetDocumentAnalysisCommand,
  StartDocumentAnalysisCommand,
  type FeatureType,
  type GetDocumentAnalysisCommandOutput,
  type TextractClient,
} from '@aws-sdk/client-textract';
import { normalizeTextract } from '../domain/adapters/textract';
import type { Document } from '../domain/document';
import { DocpipeError, isDocpipeError } from '../domain/errors';
import { PIPELINE_ERRORS } from '../domain/pipeline/errors';
import type { OcrJobRequest, OcrJobs } from '../ports/ocr-jobs';
import type { OcrRequest, OcrVendor } from '../ports/ocr-vendor';
import { throttlingAwsError, transientAwsError } from './transient';
import { ingestBucketFromEnvironment, requireEnv } from './environment';
import { isS3VersionId } from './s3-object-store';

export const TEXTRACT_FEATURES: FeatureType[] = ['TABLES', 'FORMS', 'LAYOUT'];

/** Textract's page limit for an asynchronous job. */
const MAX_TEXTRACT_PAGES = 3000;
/**
 * Result chunks (of at most 1,000 blocks: MaxResults) one page may fill. A dense page of text with its tables, forms
 * and layout has a few thousand blocks; 20,000 is far beyond any real page, and still bounds a runaway result.
 */
const MAX_RESULT_CHUNKS_PER_PAGE = 20;

/** The pages the first chunk says the document has; Textract's page limit when it does not say. */
function pagesOf(pages: unknown): number {
  return typeof pages === 'number' && Number.isInteger(pages) && pages >= 1 ? Math.min(pages, MAX_TEXTRACT_PAGES) : MAX_TEXTRACT_PAGES;
}

export interface TextractOcrOptions {
  /** The bucket of the originals (async jobs read them from S3). */
  bucket: string;
  /** SNS topic Textract notifies, and the role it publishes with. */
  snsTopicArn: string;
  snsRoleArn: string;
  features?: FeatureType[];
}

export class TextractOcr implements OcrVendor, OcrJobs {
  readonly name = 'textract';

  constructor(private readonly client: TextractClient, private readonly options: TextractOcrOptions) {}

  private get features(): FeatureType[] {
    return this.options.features ?? TEXTRACT_FEATURES;
  }

  async recognize(request: OcrRequest): Promise<Document> {
    const response = await this.call(() => this.client.send(new AnalyzeDocumentCommand({ Document: { Bytes: request.bytes }, FeatureTypes: this.features })));
    return normalizeTextract(response, { documentId: request.documentId, source: { contentType: request.contentType, sha256: request.sha256, name: request.name } });
  }

  async start(request: OcrJobRequest): Promise<{ jobId: string }> {
    const out = await this.call(() =>
      this.client.send(
        new StartDocumentAnalysisCommand({
          // The version the upload's event named, not whatever the key holds now. An ETag (unversioned bucket) cannot
          // be passed: Textract then reads the current object (Register has checked its ETag).
          DocumentLocation: { S3Object: { Bucket: this.options.bucket, Name: request.key, ...(request.version && isS3VersionId(request.version) ? { Version: request.version } : {}) } },
          FeatureTypes: this.features,
          ClientRequestToken: request.documentId.slice(0, 64),
          JobTag: request.documentId.slice(0, 64),
          NotificationChannel: { SNSTopicArn: this.options.snsTopicArn, RoleArn: this.options.snsRoleArn },
        }),
      ),
    );
    if (!out.JobId) throw new DocpipeError(PIPELINE_ERRORS.OCR_FAILED, 'Textract started no job (no JobId in its answer).');
    return { jobId: out.JobId };
  }

  async collect(jobId: string, request: OcrJobRequest): Promise<Document> {
    const chunks: GetDocumentAnalysisCommandOutput[] = [];
    const seen = new Set<string>();
    let NextToken: string | undefined;
    let pages = MAX_TEXTRACT_PAGES;
    do {
      const chunk = await this.call(() => this.client.send(new GetDocumentAnalysisCommand({ JobId: jobId, NextToken, MaxResults: 1000 })));
      if (chunk.JobStatus === 'FAILED') throw new DocpipeError(PIPELINE_ERRORS.OCR_FAILED, `Textract job ${jobId} failed: ${chunk.StatusMessage ?? 'no reason given'}.`);
      if (chunk.JobStatus === 'IN_PROGRESS') throw new DocpipeError(PIPELINE_ERRORS.OCR_UNAVAILABLE, `Textract job ${jobId} is still in progress.`, { retryable: true });
      chunks.push(chunk);
      if (chunks.length === 1) pages = pagesOf(chunk.DocumentMetadata?.Pages);
      NextToken = chunk.NextToken;
      // A result that never ends (a token handed out again, or more chunks than the pages can fill) would loop, and
      // hold every chunk in memory, until the function times out; and retrying would do the same.
      if (NextToken !== undefined && seen.has(NextToken)) {
        throw new DocpipeError(PIPELINE_ERRORS.OCR_FAILED, `Textract job ${jobId}: GetDocumentAnalysis answered a NextToken it had already given (after ${chunks.length} result pages): the result would never end.`, { details: { jobId, chunks: chunks.length } });
      }
      if (NextToken !== undefined && chunks.length >= pages * MAX_RESULT_CHUNKS_PER_PAGE) {
        throw new DocpipeError(PIPELINE_ERRORS.OCR_FAILED, `Textract job ${jobId}: GetDocumentAnalysis still had a NextToken after ${chunks.length} result pages, more than a ${pages}-page document can fill (${MAX_RESULT_CHUNKS_PER_PAGE} of 1,000 blocks a page): the result would never end.`, { details: { jobId, chunks: chunks.length } });
      }
      if (NextToken !== undefined) seen.add(NextToken);
    } while (NextToken);
    return normalizeTextract(chunks, { documentId: request.documentId, jobId, source: { contentType: request.contentType, sha256: request.sha256 || undefined, name: request.name } });
  }

  private async call<T>(send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      if (isDocpipeError(error)) throw error;
      const name = (error as Error).name;
      if (throttlingAwsError(error)) throw new DocpipeError(PIPELINE_ERRORS.OCR_THROTTLED, `Textract throttled the request (${name}).`, { retryable: true, cause: error });
      if (transientAwsError(error)) throw new DocpipeError(PIPELINE_ERRORS.OCR_UNAVAILABLE, `Textract failed transiently (${name}).`, { retryable: true, cause: error });
      throw new DocpipeError(PIPELINE_ERRORS.OCR_FAILED, `Textract could not read the document (${name}: ${(error as Error).message}).`, { cause: error, details: { vendorError: name } });
    }
  }
}

/** Textract as the stack configures it: the ingest bucket, the completion topic and role, the features. */
export function textractFromEnvironment(client: TextractClient): TextractOcr {
  const features = process.env.TEXTRACT_FEATURES ? (process.env.TEXTRACT_FEATURES.split(',') as FeatureType[]) : undefined;
  return new TextractOcr(client, { bucket: ingestBucketFromEnvironment(), snsTopicArn: requireEnv('TEXTRACT_TOPIC_ARN'), snsRoleArn: requireEnv('TEXTRACT_ROLE_ARN'), ...(features ? { features } : {}) });
}
