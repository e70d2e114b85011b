/**
 * The async OCR path on this machine: a "job" is the local OCR vendor working in the background; when it ends, the
 * completion is announced the way SNS announces Textract's (to the same completion handler), which then collects
 * the result and answers the task token. So the local run takes the same async path as the cloud.
 */
import { randomUUID } from 'node:crypto';
import type { Document } from '../domain/document';
import type { OcrJobNotification } from '../domain/pipeline/ocr';
import type { ObjectStore } from '../ports/object-store';
import type { OcrJobRequest, OcrJobs } from '../ports/ocr-jobs';
import type { OcrVendor } from '../ports/ocr-vendor';

export class LocalOcrJobs implements OcrJobs {
  private readonly jobs = new Map<string, Promise<Document>>();
  /** Set by the wiring: where completions go (the ocr-job-completed handler). */
  notify: (notification: OcrJobNotification) => Promise<unknown> = async () => undefined;

  constructor(private readonly vendor: OcrVendor, private readonly store: ObjectStore) {}

  get name(): string {
    return this.vendor.name;
  }

  async start(request: OcrJobRequest): Promise<{ jobId: string }> {
    const jobId = `local-job-${randomUUID()}`;
    const job = (async () => {
      const object = await this.store.get(request.key, { version: request.version });
      return this.vendor.recognize({ documentId: request.documentId, bytes: object.bytes, contentType: request.contentType, sha256: request.sha256, name: request.name });
    })();
    this.jobs.set(jobId, job);
    job.then(
      () => this.announce({ jobId, status: 'SUCCEEDED', documentId: request.documentId }),
      (error: Error) => this.announce({ jobId, status: 'FAILED', documentId: request.documentId, message: error.message }),
    );
    return { jobId };
  }

  async collect(jobId: string): Promise<Document> {
    const job = this.jobs.get(jobId);
    if (!job) throw new Error(`No local OCR job ${jobId}.`);
    try {
      return await job;
    } finally {
      this.jobs.delete(jobId);
    }
  }

  /** Delivered like SNS to Lambda: tried again (twice) when the handler throws. */
  private async announce(notification: OcrJobNotification): Promise<void> {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await this.notify(notification);
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 10 * (attempt + 1)));
      }
    }
  }
}
