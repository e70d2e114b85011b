/**
 * OcrJobs: the async OCR path for PDFs, TIFFs and large files. `start` begins a job and returns at once; the vendor
 * announces the end (Textract: an SNS notification), and `collect` reads the whole result (every NextToken page),
 * already in the common format.
 */
import type { Document } from '../domain/document';

export interface OcrJobRequest {
  documentId: string;
  /** The original's key in the ObjectStore. */
  key: string;
  /** The version of the original to read (the upload's): the key may hold a newer one by the time the job runs. */
  version?: string;
  contentType: string;
  sha256: string;
  name?: string;
}

export interface OcrJobs {
  readonly name: string;
  /** Idempotent per document id (Textract: ClientRequestToken); the JobTag carries the document id. */
  start(request: OcrJobRequest): Promise<{ jobId: string }>;
  collect(jobId: string, request: OcrJobRequest): Promise<Document>;
}
