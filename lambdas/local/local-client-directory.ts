/**
 * The ClientDirectory of `docpipe serve`: per-client API keys (sent as `x-api-key`, as to API Gateway), one JSON
 * record per key in the workspace. Only a hash of the key is stored, so the folder does not hold usable keys.
 */
import { createHash, randomBytes } from 'node:crypto';
import { DocpipeError } from '../domain/errors';
import type { ClientDirectory } from '../ports/client-directory';
import { JsonFileStore } from './json-file-store';

interface ApiKeyRecord {
  apiKeyId: string;
  clientId: string;
  createdAt: string;
}

const CLIENT_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** The id of a local API key: what API Gateway's key id is in the cloud. */
export function apiKeyIdOf(apiKey: string): string {
  return `key_${createHash('sha256').update(apiKey).digest('hex').slice(0, 40)}`;
}

export class LocalClientDirectory implements ClientDirectory {
  private readonly store: JsonFileStore<ApiKeyRecord>;

  constructor(dir: string) {
    this.store = new JsonFileStore(dir);
  }

  async clientIdForApiKey(apiKeyId: string): Promise<string | undefined> {
    return this.store.get(apiKeyId)?.clientId;
  }

  /** A new key for the client; the value is returned once and not stored. */
  async issue(clientId: string): Promise<{ apiKey: string; apiKeyId: string }> {
    if (!CLIENT_ID.test(clientId)) throw new DocpipeError('INVALID_ARGUMENT', `"${clientId}" is not a client id: letters, digits, - and _ (at most 64).`);
    const apiKey = `dpk_${randomBytes(24).toString('base64url')}`;
    const apiKeyId = apiKeyIdOf(apiKey);
    this.store.put(apiKeyId, { apiKeyId, clientId, createdAt: new Date().toISOString() });
    return { apiKey, apiKeyId };
  }

  async revoke(apiKeyId: string): Promise<void> {
    this.store.remove(apiKeyId);
  }
}
