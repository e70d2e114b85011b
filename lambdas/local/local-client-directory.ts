/**
 * The ClientDirectory and ClientOnboarding of `docpipe serve`: per-client API keys (sent as `x-api-key`, as to API Gateway), one JSON
 * record per key in the workspace. Only a hash of the key is stored, so the folder does not hold usable keys.
 */
import { createHash, randomBytes } from 'node:crypto';
import { DocpipeError } from '../domain/errors';
import { CLIENT_ID } from '../domain/pipeline/identity';
import type { ClientDirectory } from '../ports/client-directory';
import type { ClientKey, ClientOnboarding, IssuedKey } from '../ports/client-onboarding';
import { JsonFileStore } from './json-file-store';

interface ApiKeyRecord {
  apiKeyId: string;
  clientId: string;
  createdAt: string;
}


/** The id of a local API key: what API Gateway's key id is in the cloud. */
export function apiKeyIdOf(apiKey: string): string {
  return `key_${createHash('sha256').update(apiKey).digest('hex').slice(0, 40)}`;
}

export class LocalClientDirectory implements ClientDirectory, ClientOnboarding {
  private readonly store: JsonFileStore<ApiKeyRecord>;

  constructor(dir: string) {
    this.store = new JsonFileStore(dir);
  }

  async clientIdForApiKey(apiKeyId: string): Promise<string | undefined> {
    return this.store.get(apiKeyId)?.clientId;
  }

  /** A new key for the client; the value is returned once and not stored. */
  async add(clientId: string): Promise<IssuedKey> {
    if (!CLIENT_ID.test(clientId)) throw new DocpipeError('INVALID_ARGUMENT', `"${clientId}" is not a client id: letters, digits, - and _ (at most 64).`);
    const apiKey = `dpk_${randomBytes(24).toString('base64url')}`;
    const apiKeyId = apiKeyIdOf(apiKey);
    this.store.put(apiKeyId, { apiKeyId, clientId, createdAt: new Date().toISOString() });
    return { clientId, apiKeyId, apiKey };
  }

  async list(): Promise<ClientKey[]> {
    return this.store.all().map(({ clientId, apiKeyId, createdAt }) => ({ clientId, apiKeyId, createdAt }));
  }

  /** Locally a revoked key is simply forgotten: the next request with it is refused at once. */
  async revoke(clientId: string, apiKeyId?: string): Promise<number> {
    const keys = this.store.all().filter((record) => record.clientId === clientId && (apiKeyId === undefined || record.apiKeyId === apiKeyId));
    for (const key of keys) this.store.remove(key.apiKeyId);
    return keys.length;
  }
}
