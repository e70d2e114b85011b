/**
 * ClientDirectory on DynamoDB. Table: partition key `apiKeyId` (the API Gateway API key id, not the key's value),
 * attribute `clientId`, optional `disabled: true`. Answers are cached in the Lambda container: known keys for a few
 * minutes (a key moved to another client or disabled takes that long to take effect), unknown keys briefly. A
 * throttled or failing read is AWS_UNAVAILABLE (retryable: the API answers 503 API_UNAVAILABLE) and is not cached.
 */
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CLIENT_ID } from '../domain/pipeline/identity';
import type { ClientDirectory } from '../ports/client-directory';
import { retryableOnTransient } from './transient';

export interface ClientDirectoryCacheOptions {
  /** How long a known key's client is kept. Default 300 s. */
  knownTtlMs?: number;
  /** How long an unknown key is remembered as unknown. Default 30 s. */
  unknownTtlMs?: number;
  now?: () => number;
}

export class DynamoClientDirectory implements ClientDirectory {
  private readonly cache = new Map<string, { clientId: string | undefined; until: number }>();
  private readonly knownTtlMs: number;
  private readonly unknownTtlMs: number;
  private readonly now: () => number;

  constructor(private readonly client: DynamoDBDocumentClient, private readonly tableName: string, options: ClientDirectoryCacheOptions = {}) {
    this.knownTtlMs = options.knownTtlMs ?? 300_000;
    this.unknownTtlMs = options.unknownTtlMs ?? 30_000;
    this.now = options.now ?? Date.now;
  }

  async clientIdForApiKey(apiKeyId: string): Promise<string | undefined> {
    const cached = this.cache.get(apiKeyId);
    if (cached && cached.until > this.now()) return cached.clientId;
    const { Item } = await retryableOnTransient('DynamoDB', () => this.client.send(new GetCommand({ TableName: this.tableName, Key: { apiKeyId }, ConsistentRead: false })));
    const clientId = Item && Item.disabled !== true && typeof Item.clientId === 'string' && CLIENT_ID.test(Item.clientId) ? Item.clientId : undefined;
    // A container lives for hours: keep the cache from growing without bound under many distinct keys.
    if (this.cache.size >= 10_000) this.cache.clear();
    this.cache.set(apiKeyId, { clientId, until: this.now() + (clientId ? this.knownTtlMs : this.unknownTtlMs) });
    return clientId;
  }
}
