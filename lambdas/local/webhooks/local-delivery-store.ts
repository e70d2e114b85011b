/**
 * DeliveryStore on local files: one JSON record per delivery. The payload is the event sent, which carries the whole
 * document when it is small enough to inline, so it is sealed with the workspace key as the object store seals the
 * documents themselves (the delivery id bound in); ids, status and attempts stay readable, as the delivery log.
 */
import type { Delivery, DeliveryStore } from '../../ports/delivery-store';
import { loadOrCreateKey, objectTampered, openSealed, sealBytes } from '../encrypted-object-store';
import { JsonFileStore } from '../json-file-store';

interface StoredDelivery extends Omit<Delivery, 'payload'> {
  /** base64 of the sealed payload: iv + tag + ciphertext. */
  sealedPayload?: string;
  /** The payload in clear: only in a workspace written before payloads were sealed (read as it is, sealed when next written). */
  payload?: string;
}

export class LocalDeliveryStore implements DeliveryStore {
  private readonly store: JsonFileStore<StoredDelivery>;
  private readonly key: Buffer;

  /** `keyFile`: the workspace's object store key (`keys/objects.key`). */
  constructor(dir: string, keyFile: string) {
    this.store = new JsonFileStore(dir);
    this.key = loadOrCreateKey(keyFile);
  }

  async get(id: string): Promise<Delivery | undefined> {
    const stored = this.store.get(id);
    return stored && this.open(stored);
  }

  async put(delivery: Delivery): Promise<void> {
    const { payload, ...rest } = delivery;
    this.store.put(delivery.id, { ...rest, sealedPayload: sealBytes(this.key, Buffer.from(payload, 'utf8'), aadOf(delivery.id)).toString('base64') });
  }

  async listDead(since?: Date): Promise<Delivery[]> {
    const from = since?.toISOString() ?? '';
    return this.store
      .all()
      .filter((d) => d.status === 'dead' && d.updatedAt >= from)
      .sort((a, b) => a.updatedAt.localeCompare(b.updatedAt))
      .map((d) => this.open(d));
  }

  async listForEndpoint(endpointId: string, limit = 100): Promise<Delivery[]> {
    return this.store
      .all()
      .filter((d) => d.endpointId === endpointId)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .slice(0, limit)
      .map((d) => this.open(d));
  }

  private open(stored: StoredDelivery): Delivery {
    const { sealedPayload, payload, ...rest } = stored;
    if (typeof sealedPayload !== 'string') {
      if (typeof payload === 'string') return { ...rest, payload };
      throw objectTampered(`The payload of delivery ${stored.id}`)();
    }
    return { ...rest, payload: openSealed(this.key, Buffer.from(sealedPayload, 'base64'), aadOf(stored.id), objectTampered(`The payload of delivery ${stored.id}`)).toString('utf8') };
  }
}

/** Bound into the ciphertext: a payload copied into another delivery's record does not open there. */
const aadOf = (id: string): string => `delivery:${id}`;
