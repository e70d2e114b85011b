/**
 * ObjectStore: the originals, the intermediate results and the exports (S3 in the cloud, an encrypted local
 * directory locally). Keys are `/`-separated; a client's originals live under `clients/<clientId>/...`.
 */
export interface ObjectInfo {
  key: string;
  size: number;
  contentType?: string;
  /** Identifies this version of the object: the S3 version id when versioning is on, else the ETag. */
  version: string;
  /** User metadata (lower-case names). */
  metadata: Record<string, string>;
}

export interface StoredObject extends ObjectInfo {
  bytes: Uint8Array;
}

export interface PutOptions {
  contentType?: string;
  metadata?: Record<string, string>;
}

/** Where and how a client uploads one object itself (a presigned S3 PUT in the cloud, a signed `serve` URL locally). */
export interface UploadTarget {
  url: string;
  method: 'PUT';
  /** Headers to send with the PUT (the content type asked for; S3 does not sign it, so it is advice). */
  headers: Record<string, string>;
  expiresAt: string;
}

export interface UploadUrlOptions {
  contentType?: string;
  /** Default 900. */
  expiresInSeconds?: number;
}

export interface GetOptions {
  /**
   * The version to read (an `ObjectInfo.version`: what the upload's event named). S3 reads that version even after
   * the key was overwritten; a store that keeps only the latest version throws OBJECT_VERSION_CHANGED when the
   * latest is another one. Without it, the latest version.
   */
  version?: string;
}

export interface ObjectStore {
  put(key: string, bytes: Uint8Array | string, options?: PutOptions): Promise<ObjectInfo>;
  /** Throws DocpipeError OBJECT_NOT_FOUND when there is no such key (or version), OBJECT_VERSION_CHANGED (see GetOptions). */
  get(key: string, options?: GetOptions): Promise<StoredObject>;
  head(key: string): Promise<ObjectInfo | undefined>;
  /** Keys under a prefix, in key order. */
  list(prefix: string): Promise<string[]>;
  /** A URL a client can read the object from for `expiresInSeconds` (presigned in the cloud). */
  urlFor(key: string, expiresInSeconds?: number): Promise<string>;
  /** A URL a client can PUT the object's bytes to for `expiresInSeconds`, without other credentials. */
  uploadUrlFor(key: string, options?: UploadUrlOptions): Promise<UploadTarget>;
}

export const OBJECT_STORE_ERRORS = {
  OBJECT_NOT_FOUND: 'OBJECT_NOT_FOUND',
  /** The version asked for is not the one the store can give (the key was overwritten, or its ETag changed). */
  OBJECT_VERSION_CHANGED: 'OBJECT_VERSION_CHANGED',
  /** The store cannot hand out upload URLs (a local store that is not served over HTTP). */
  UPLOAD_URL_UNAVAILABLE: 'UPLOAD_URL_UNAVAILABLE',
} as const;

export const DEFAULT_UPLOAD_URL_SECONDS = 900;
