/**
 * Upload URLs: the client PUTs the bytes straight to the store (a presigned S3 URL in the cloud), so large files
 * never pass through the API. The key is chosen here, under the caller's own `clients/<clientId>/` prefix, and
 * ingestion then follows from the store's "object created" event like any other upload.
 */
import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import { DEFAULT_UPLOAD_URL_SECONDS } from '../../ports/object-store';
import type { ApiDeps } from './deps';

export const UploadRequest = z
  .object({
    name: z.string().min(1).max(255),
    contentType: z
      .string()
      .max(127)
      .regex(/^[A-Za-z0-9!#$&^_.+-]+\/[A-Za-z0-9!#$&^_.+-]+$/, 'a media type such as application/pdf')
      .optional(),
    expiresInSeconds: z.number().int().min(60).max(3600).optional(),
  })
  .strict();
export type UploadRequest = z.infer<typeof UploadRequest>;

export interface UploadResponse {
  uploadId: string;
  key: string;
  name: string;
  uploadUrl: string;
  method: 'PUT';
  headers: Record<string, string>;
  expiresAt: string;
  /** Where the document of this upload shows once ingested (GET, same API key). */
  documentsPath: string;
}

const MAX_NAME = 100;
/** What a name keeps as its extension: a short run of letters and digits after the last dot. */
const EXTENSION = /\.([A-Za-z0-9]{1,9})$/;

/**
 * The file name as stored: the last path segment, ASCII letters, digits, `.`, `_`, `-` only, no leading dot, at
 * most 100 characters with the extension kept. Never empty, never `.` or `..`: the key cannot leave its folder. A
 * name with no ASCII before its extension ('日本語.pdf') is 'document' with it: the extension tells what the file is.
 */
export function uploadName(name: string): string {
  const base = (name.split(/[\\/]/).pop() ?? '').normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  const found = EXTENSION.exec(base);
  // A dot file ('.pdf') has no extension: it is its name.
  const [stem, extension] = found && found.index > 0 ? [base.slice(0, found.index), found[0]] : [base, ''];
  const safe = stem.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._-]+/, '').slice(0, MAX_NAME - extension.length);
  if (!safe) return extension ? `document${extension}` : 'document';
  return safe + extension;
}

export async function createUpload(deps: ApiDeps, clientId: string, request: UploadRequest): Promise<UploadResponse> {
  const uploadId = `upl_${randomUUID().replace(/-/g, '').slice(0, 20)}`;
  const name = uploadName(request.name);
  // One folder per upload: the document keeps the client's file name, and two uploads of one name never collide.
  const key = `clients/${clientId}/uploads/${uploadId}/${name}`;
  const target = await deps.store.uploadUrlFor(key, { contentType: request.contentType, expiresInSeconds: request.expiresInSeconds ?? deps.uploadUrlSeconds ?? DEFAULT_UPLOAD_URL_SECONDS });
  return {
    uploadId,
    key,
    name,
    uploadUrl: target.url,
    method: target.method,
    headers: target.headers,
    expiresAt: target.expiresAt,
    documentsPath: `/v1/clients/${clientId}/documents?key=${encodeURIComponent(key)}`,
  };
}
