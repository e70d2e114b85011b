/**
 * Secrets encrypted on disk with AES-256-GCM. The key is a random 32-byte file created on first use with mode 0600
 * (the local stand-in for the KMS key); each secret is sealed as the object store seals its files (iv + tag +
 * ciphertext), with its id as associated data so that a ciphertext cannot be swapped under another id.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DocpipeError } from '../../domain/errors';
import type { Secrets } from '../../ports/secrets';
import { openSealed, sealBytes } from '../encrypted-object-store';
import { JsonFileStore } from '../json-file-store';

interface StoredSecret {
  id: string;
  /** base64 of iv (12) + tag (16) + ciphertext */
  sealed: string;
}

export function loadOrCreateKey(keyFile: string): Buffer {
  if (!existsSync(keyFile)) {
    mkdirSync(dirname(keyFile), { recursive: true });
    writeFileSync(keyFile, randomBytes(32), { mode: 0o600, flag: 'wx' });
  }
  const key = readFileSync(keyFile);
  if (key.length !== 32) throw new DocpipeError('LOCAL_KEY_INVALID', `The key file ${keyFile} must hold exactly 32 bytes; delete it to create a new one (existing secrets are then lost).`);
  return key;
}

/** A sealed secret that does not open: changed or cut short on disk, or the key file was replaced. */
const tampered = (id: string) => (cause?: unknown) =>
  new DocpipeError('LOCAL_SECRET_TAMPERED', `The secret ${id} does not decrypt under the secrets key: it was changed or cut short on disk, or the key file was replaced. Rotate the endpoint's secret.`, { cause, details: { secretId: id } });

export class KeyFileSecrets implements Secrets {
  private readonly key: Buffer;
  private readonly store: JsonFileStore<StoredSecret>;

  constructor(dir: string, keyFile: string) {
    this.key = loadOrCreateKey(keyFile);
    this.store = new JsonFileStore(dir);
  }

  async put(value: string): Promise<string> {
    const id = `sec_${randomUUID().replace(/-/g, '')}`;
    this.store.put(id, { id, sealed: sealBytes(this.key, Buffer.from(value, 'utf8'), id).toString('base64') });
    return id;
  }

  async get(id: string): Promise<string> {
    let stored: StoredSecret | undefined;
    try {
      stored = this.store.get(id);
    } catch (error) {
      // A file cut short or edited is no longer JSON.
      if (error instanceof SyntaxError) throw tampered(id)(error);
      throw error;
    }
    if (!stored) throw new DocpipeError('SECRET_NOT_FOUND', `No secret ${id}.`);
    if (typeof stored.sealed !== 'string') throw tampered(id)();
    return openSealed(this.key, Buffer.from(stored.sealed, 'base64'), id, tampered(id)).toString('utf8');
  }

  async remove(id: string): Promise<void> {
    this.store.remove(id);
  }
}
