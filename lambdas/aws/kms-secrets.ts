/**
 * Secrets sealed by KMS: the value is encrypted with the customer-managed key (the secret id as encryption context,
 * so a ciphertext cannot be moved under another id) and only the ciphertext is stored, in DynamoDB (partition key
 * `id`). Decryption needs kms:Decrypt on the key, granted only to the functions that sign deliveries. A throttled
 * or failing KMS or DynamoDB call is SECRETS_UNAVAILABLE (retryable): docpipe's own trouble, never the endpoint's.
 */
import { randomUUID } from 'node:crypto';
import { DecryptCommand, EncryptCommand, type KMSClient } from '@aws-sdk/client-kms';
import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DocpipeError } from '../domain/errors';
import { WEBHOOK_ERRORS } from '../domain/webhooks/errors';
import type { Secrets } from '../ports/secrets';
import { transientAwsError } from './transient';

export class KmsSecrets implements Secrets {
  /** Decrypted values, kept for the life of the Lambda container only. */
  private readonly cache = new Map<string, string>();

  constructor(private readonly kms: KMSClient, private readonly keyId: string, private readonly table: DynamoDBDocumentClient, private readonly tableName: string) {}

  async put(value: string): Promise<string> {
    const id = `sec_${randomUUID().replace(/-/g, '')}`;
    const { CiphertextBlob } = await transient('KMS', () => this.kms.send(new EncryptCommand({ KeyId: this.keyId, Plaintext: Buffer.from(value, 'utf8'), EncryptionContext: { secretId: id } })));
    await transient('DynamoDB', () => this.table.send(new PutCommand({ TableName: this.tableName, Item: { id, ciphertext: Buffer.from(CiphertextBlob as Uint8Array).toString('base64') }, ConditionExpression: 'attribute_not_exists(id)' })));
    return id;
  }

  async get(id: string): Promise<string> {
    const cached = this.cache.get(id);
    if (cached) return cached;
    const { Item } = await transient('DynamoDB', () => this.table.send(new GetCommand({ TableName: this.tableName, Key: { id } })));
    if (!Item) throw new DocpipeError('SECRET_NOT_FOUND', `No secret ${id}.`);
    const { Plaintext } = await transient('KMS', () => this.kms.send(new DecryptCommand({ CiphertextBlob: Buffer.from(Item.ciphertext as string, 'base64'), EncryptionContext: { secretId: id } })));
    const value = Buffer.from(Plaintext as Uint8Array).toString('utf8');
    this.cache.set(id, value);
    return value;
  }

  async remove(id: string): Promise<void> {
    this.cache.delete(id);
    await transient('DynamoDB', () => this.table.send(new DeleteCommand({ TableName: this.tableName, Key: { id } })));
  }
}

/** Runs an AWS call, naming a throttling or 5xx failure SECRETS_UNAVAILABLE (retryable); other errors pass as they are. */
async function transient<T>(service: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (transientAwsError(error)) throw new DocpipeError(WEBHOOK_ERRORS.SECRETS_UNAVAILABLE, `${service} failed transiently on a webhook secret (${(error as Error).name}).`, { retryable: true, cause: error });
    throw error;
  }
}
