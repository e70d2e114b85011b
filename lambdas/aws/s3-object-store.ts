/** ObjectStore on S3 (SSE-KMS is the bucket's default encryption; presigned GET URLs for clients). */
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { DocpipeError } from '../domain/errors';
import { PIPELINE_ERRORS } from '../domain/pipeline/errors';
import { DEFAULT_UPLOAD_URL_SECONDS, OBJECT_STORE_ERRORS, type GetOptions, type ObjectInfo, type ObjectStore, type PutOptions, type StoredObject, type UploadTarget, type UploadUrlOptions } from '../ports/object-store';
import { transientAwsError } from './transient';

/**
 * An ETag, which stands for the version when the bucket is not versioned (the starter falls back to it): MD5 hex,
 * with `-<parts>` after a multipart upload, quoted in S3's answers and bare in its events. S3 version ids are not
 * of this form.
 */
const ETAG = /^"?[0-9a-f]{32}(-[0-9]+)?"?$/;

export function isS3VersionId(version: string): boolean {
  return version !== '' && !ETAG.test(version);
}

/** How to read one version: by its VersionId, or (an ETag) the current object only while it still has that ETag. */
export function s3VersionSelector(version: string): { VersionId: string } | { IfMatch: string } {
  return isS3VersionId(version) ? { VersionId: version } : { IfMatch: version.startsWith('"') ? version : `"${version}"` };
}

export class S3ObjectStore implements ObjectStore {
  private readonly routes: [prefix: string, bucket: string][];
  private readonly fallback: string;

  /**
   * One bucket for every key, or a bucket per key prefix (docpipe deploys three: `clients/` uploads in the ingest
   * bucket, `work/` OCR output in the OCR bucket, `exports/` in the results bucket); keys under no prefix go to
   * `fallback`.
   */
  constructor(private readonly client: S3Client, buckets: string | { routes: Record<string, string>; fallback: string }) {
    this.routes = typeof buckets === 'string' ? [] : Object.entries(buckets.routes).sort(([a], [b]) => b.length - a.length);
    this.fallback = typeof buckets === 'string' ? buckets : buckets.fallback;
  }

  /** The bucket a key (or a listing prefix) lives in. */
  bucketFor(key: string): string {
    return this.routes.find(([prefix]) => key.startsWith(prefix))?.[1] ?? this.fallback;
  }

  async put(key: string, bytes: Uint8Array | string, options: PutOptions = {}): Promise<ObjectInfo> {
    const body = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
    const out = await this.call(() => this.client.send(new PutObjectCommand({ Bucket: this.bucketFor(key), Key: key, Body: body, ContentType: options.contentType, Metadata: options.metadata })));
    return { key, size: body.byteLength, contentType: options.contentType, version: out.VersionId ?? out.ETag ?? '', metadata: options.metadata ?? {} };
  }

  async get(key: string, { version }: GetOptions = {}): Promise<StoredObject> {
    const selector = version ? s3VersionSelector(version) : {};
    const out = await this.call(() => this.client.send(new GetObjectCommand({ Bucket: this.bucketFor(key), Key: key, ...selector })), key, version);
    const bytes = await out.Body!.transformToByteArray();
    return { key, bytes, size: bytes.byteLength, contentType: out.ContentType, version: out.VersionId ?? out.ETag ?? '', metadata: out.Metadata ?? {} };
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    try {
      const out = await this.call(() => this.client.send(new HeadObjectCommand({ Bucket: this.bucketFor(key), Key: key })), key);
      return { key, size: out.ContentLength ?? 0, contentType: out.ContentType, version: out.VersionId ?? out.ETag ?? '', metadata: out.Metadata ?? {} };
    } catch (error) {
      if ((error as DocpipeError).code === OBJECT_STORE_ERRORS.OBJECT_NOT_FOUND) return undefined;
      throw error;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let ContinuationToken: string | undefined;
    do {
      const page = await this.call(() => this.client.send(new ListObjectsV2Command({ Bucket: this.bucketFor(prefix), Prefix: prefix, ContinuationToken })));
      keys.push(...(page.Contents ?? []).map((o) => o.Key!).filter(Boolean));
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken);
    return keys.sort();
  }

  async urlFor(key: string, expiresInSeconds = 3600): Promise<string> {
    return getSignedUrl(this.client, new GetObjectCommand({ Bucket: this.bucketFor(key), Key: key }), { expiresIn: expiresInSeconds });
  }

  /**
   * A presigned PUT. The bucket's default encryption applies, so no encryption header is needed; the upload's
   * "Object Created" event then starts ingestion as for any other upload.
   */
  async uploadUrlFor(key: string, { contentType, expiresInSeconds = DEFAULT_UPLOAD_URL_SECONDS }: UploadUrlOptions = {}): Promise<UploadTarget> {
    const url = await getSignedUrl(this.client, new PutObjectCommand({ Bucket: this.bucketFor(key), Key: key, ContentType: contentType }), { expiresIn: expiresInSeconds });
    return { url, method: 'PUT', headers: contentType ? { 'content-type': contentType } : {}, expiresAt: new Date(Date.now() + expiresInSeconds * 1000).toISOString() };
  }

  private async call<T>(send: () => Promise<T>, key?: string, version?: string): Promise<T> {
    try {
      return await send();
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name === 'NoSuchKey' || name === 'NotFound') throw new DocpipeError(OBJECT_STORE_ERRORS.OBJECT_NOT_FOUND, `No object ${key} in bucket ${this.bucketFor(key ?? '')}.`, { details: { key } });
      if (name === 'NoSuchVersion') throw new DocpipeError(OBJECT_STORE_ERRORS.OBJECT_NOT_FOUND, `No version ${version} of ${key} in bucket ${this.bucketFor(key ?? '')}: it was deleted.`, { details: { key, version } });
      // If-Match failed: the key now holds other bytes than the ETag the upload's event named.
      if (name === 'PreconditionFailed') throw new DocpipeError(OBJECT_STORE_ERRORS.OBJECT_VERSION_CHANGED, `${key} was overwritten after the upload this document is (ETag ${version}); the bucket is not versioned, so that upload can no longer be read. The new upload is processed as its own document.`, { details: { key, version } });
      if (transientAwsError(error)) throw new DocpipeError(PIPELINE_ERRORS.STORE_UNAVAILABLE, `S3 failed transiently (${name}).`, { retryable: true, cause: error });
      throw error;
    }
  }
}
