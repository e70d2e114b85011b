/**
 * The ObjectStore on this machine: one file per object, encrypted with AES-256-GCM under a key file (the stand-in
 * for S3's KMS encryption), so documents at rest are unreadable without the key. File names are hashes of the keys,
 * so nothing about a document shows in a directory listing; an encrypted index maps them back for `list`.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DocpipeError } from '../domain/errors';
import { DEFAULT_UPLOAD_URL_SECONDS, OBJECT_STORE_ERRORS, type GetOptions, type ObjectInfo, type ObjectStore, type PutOptions, type StoredObject, type UploadTarget, type UploadUrlOptions } from '../ports/object-store';

interface Envelope {
  key: string;
  contentType?: string;
  metadata: Record<string, string>;
  version: string;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM as the workspace seals its files: iv (12 bytes) + tag (16) + ciphertext, with `aad` (what the bytes
 * are, such as their key) bound in, so that sealed bytes moved under another name do not open.
 */
export function sealBytes(key: Buffer, plain: Buffer, aad: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

/**
 * Opens what sealBytes sealed, or throws `tampered(cause)`: whatever keeps the bytes from opening (cut short, a bit
 * changed, another key or another `aad`) is the caller's typed error, never a bare crypto error.
 */
export function openSealed(key: Buffer, sealed: Buffer, aad: string, tampered: (cause?: unknown) => Error): Buffer {
  // Shorter than iv + tag cannot be sealed bytes (a file cut short); deciphering it would throw a TypeError.
  if (sealed.length < IV_BYTES + TAG_BYTES) throw tampered();
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(aad));
    decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
  } catch (error) {
    throw tampered(error);
  }
}

/** A stored object (or a delivery's payload) that does not open under the workspace key. */
export function objectTampered(what = 'A stored object'): (cause?: unknown) => DocpipeError {
  return (cause) => new DocpipeError('LOCAL_OBJECT_TAMPERED', `${what} does not decrypt under the store key: it was changed or cut short on disk, or the key file was replaced.`, { cause });
}

/** Loads the 32-byte key, creating it (mode 600) on first use. */
export function loadOrCreateKey(path: string): Buffer {
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    try {
      writeFileSync(path, randomBytes(32).toString('base64'), { flag: 'wx', mode: 0o600 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new DocpipeError('LOCAL_KEY_INVALID', `The key file ${path} does not hold a 32-byte base64 key: delete it to start a new store (the old objects become unreadable).`);
  return key;
}

/** The methods a local object URL is signed for: GET (exports) and PUT (client uploads). */
export type SignedUrlMethod = 'GET' | 'PUT';

export class EncryptedObjectStore implements ObjectStore {
  private readonly key: Buffer;
  /** Signs the store's URLs; derived from the store key, so it needs no file of its own and cannot decrypt anything. */
  private readonly urlKey: Buffer;

  constructor(private readonly dir: string, keyPath: string, private readonly baseUrl?: string) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.key = loadOrCreateKey(keyPath);
    this.urlKey = Buffer.from(hkdfSync('sha256', this.key, Buffer.alloc(0), 'docpipe local object url signing v1', 32));
  }

  private fileOf(key: string): string {
    return join(this.dir, `${createHash('sha256').update(key).digest('hex')}.bin`);
  }

  private seal(plain: Buffer, aad: string): Buffer {
    return sealBytes(this.key, plain, aad);
  }

  private open(sealed: Buffer, aad: string): Buffer {
    return openSealed(this.key, sealed, aad, objectTampered());
  }

  async put(key: string, bytes: Uint8Array | string, options: PutOptions = {}): Promise<ObjectInfo> {
    const body = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : Buffer.from(bytes);
    const version = createHash('md5').update(body).digest('hex');
    const envelope: Envelope = { key, contentType: options.contentType, metadata: options.metadata ?? {}, version };
    const header = Buffer.from(JSON.stringify(envelope));
    const plain = Buffer.concat([Buffer.alloc(4), header, body]);
    plain.writeUInt32BE(header.length, 0);
    const file = this.fileOf(key);
    const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    // The key is bound into the ciphertext, so a file copied over another key's file does not decrypt.
    writeFileSync(temp, this.seal(plain, key), { mode: 0o600 });
    renameSync(temp, file);
    // The key itself, sealed too, for list().
    const nameFile = file.replace(/\.bin$/, '.name');
    const base = nameFile.slice(this.dir.length + 1);
    writeFileSync(`${nameFile}.tmp`, this.seal(Buffer.from(key, 'utf8'), `name:${base}`), { mode: 0o600 });
    renameSync(`${nameFile}.tmp`, nameFile);
    return { key, size: body.length, contentType: options.contentType, version, metadata: envelope.metadata };
  }

  private read(key: string): { envelope: Envelope; body: Buffer } | undefined {
    let sealed: Buffer;
    try {
      sealed = readFileSync(this.fileOf(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const plain = this.open(sealed, key);
    const length = plain.readUInt32BE(0);
    return { envelope: JSON.parse(plain.subarray(4, 4 + length).toString('utf8')) as Envelope, body: plain.subarray(4 + length) };
  }

  async get(key: string, { version }: GetOptions = {}): Promise<StoredObject> {
    const found = this.read(key);
    if (!found) throw new DocpipeError(OBJECT_STORE_ERRORS.OBJECT_NOT_FOUND, `No object ${key} in the local store.`, { details: { key } });
    // One file per key: an older version is gone once the key is overwritten, so refuse rather than hand out other bytes.
    if (version !== undefined && found.envelope.version !== version) {
      throw new DocpipeError(OBJECT_STORE_ERRORS.OBJECT_VERSION_CHANGED, `${key} was overwritten after the upload this document is (version ${version}, now ${found.envelope.version}), and the local store keeps only the latest version. The new upload is processed as its own document; upload this one again to process it.`, { details: { key, version, current: found.envelope.version } });
    }
    return { key, size: found.body.length, contentType: found.envelope.contentType, version: found.envelope.version, metadata: found.envelope.metadata, bytes: new Uint8Array(found.body) };
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    const found = this.read(key);
    return found && { key, size: found.body.length, contentType: found.envelope.contentType, version: found.envelope.version, metadata: found.envelope.metadata };
  }

  async list(prefix: string): Promise<string[]> {
    // Keys are only inside the encrypted files: read each envelope (fine for a local store of thousands).
    const keys: string[] = [];
    for (const name of readdirSync(this.dir)) {
      if (!name.endsWith('.name')) continue;
      keys.push(this.open(readFileSync(join(this.dir, name)), `name:${name}`).toString('utf8'));
    }
    return keys.filter((k) => k.startsWith(prefix)).sort();
  }

  /**
   * A `serve` URL when the store is served over HTTP, signed and expiring as a presigned S3 URL is (the token of
   * `serve` also opens it); else a file URL of the (encrypted) object.
   */
  async urlFor(key: string, expiresInSeconds = 3600): Promise<string> {
    if (this.baseUrl) return this.signedUrl('GET', key, expiresInSeconds);
    return pathToFileURL(this.fileOf(key)).href;
  }

  /** A signed PUT to `docpipe serve` (its /v1/files route), which stores the bytes and ingests them as S3's event would. */
  async uploadUrlFor(key: string, { contentType, expiresInSeconds = DEFAULT_UPLOAD_URL_SECONDS }: UploadUrlOptions = {}): Promise<UploadTarget> {
    if (!this.baseUrl) throw new DocpipeError(OBJECT_STORE_ERRORS.UPLOAD_URL_UNAVAILABLE, 'Upload URLs need the store to be served over HTTP: use `docpipe serve`.');
    return { url: this.signedUrl('PUT', key, expiresInSeconds), method: 'PUT', headers: contentType ? { 'content-type': contentType } : {}, expiresAt: new Date(Date.now() + expiresInSeconds * 1000).toISOString() };
  }

  /** Whether `expires` and `signature` (the query of a URL from urlFor or uploadUrlFor) allow `method` on `key` now. */
  verifyUrl(method: SignedUrlMethod, key: string, expires: string | null, signature: string | null, now = Date.now()): boolean {
    if (!expires || !signature || !/^\d{1,12}$/.test(expires) || Number(expires) * 1000 < now) return false;
    const expected = this.urlSignature(method, key, expires);
    const given = Buffer.from(signature, 'base64url');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private signedUrl(method: SignedUrlMethod, key: string, expiresInSeconds: number): string {
    const expires = String(Math.floor(Date.now() / 1000) + expiresInSeconds);
    const query = new URLSearchParams({ expires, signature: this.urlSignature(method, key, expires).toString('base64url') });
    return `${this.baseUrl!.replace(/\/$/, '')}/${key.split('/').map(encodeURIComponent).join('/')}?${query}`;
  }

  private urlSignature(method: SignedUrlMethod, key: string, expires: string): Buffer {
    return createHmac('sha256', this.urlKey).update(`${method}\n${key}\n${expires}`).digest();
  }
}
