/**
 * Secrets encrypted on disk with AES-256-GCM. The key is a random 32-byte file created on first use with mode 0600
 * (the local stand-in for the KMS key); each secret is stored as iv + tag + ciphertext, with its id as associated
 * data so that a ciphertext cannot be swapped under another id.
 */
import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DocpipeError } from '../../domain/errors';
import type { Secrets } from '../../ports/secrets';
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

export function seal(key: Buffer, plaintext: Buffer, associated: string): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(associated));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

export function unseal(key: Buffer, sealed: Buffer, associated: string): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
  decipher.setAAD(Buffer.from(associated));
  decipher.setAuthTag(sealed.subarray(12, 28));
  return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]);
}

export class KeyFileSecrets implements Secrets {
  private readonly key: Buffer;
  private readonly store: JsonFileStore<StoredSecret>;

  constructor(dir: string, keyFile: string) {
    this.key = loadOrCreateKey(keyFile);
    this.store = new JsonFileStore(dir);
  }

  async put(value: string): Promise<string> {
    const id = `sec_${randomUUID().replace(/-/g, '')}`;
    this.store.put(id, { id, sealed: seal(this.key, Buffer.from(value, 'utf8'), id).toString('base64') });
    return id;
  }

  async get(id: string): Promise<string> {
    const stored = this.store.get(id);
    if (!stored) throw new DocpipeError('SECRET_NOT_FOUND', `No secret ${id}.`);
    return unseal(this.key, Buffer.from(stored.sealed, 'base64'), id).toString('utf8');
  }

  async remove(id: string): Promise<void> {
    this.store.remove(id);
  }
}
