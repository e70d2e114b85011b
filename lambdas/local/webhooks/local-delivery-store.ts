/** DeliveryStore on local files. */
import type { Delivery, DeliveryStore } from '../../ports/delivery-store';
import { JsonFileStore } from '../json-file-store';

export class LocalDeliveryStore implements DeliveryStore {
  private readonly store: JsonFileStore<Delivery>;

  constructor(dir: string) {
    this.store = new JsonFileStore(dir);
  }

  async get(id: string): Promise<Delivery | undefined> {
    return this.store.get(id);
  }

  async put(delivery: Delivery): Promise<void> {
    this.store.put(delivery.id, delivery);
  }

  async listDead(since?: Date): Promise<Delivery[]> {
    const from = since?.toISOString() ?? '';
    return this.store
      .all()
      .filter((d) => d.status === 'dead' && d.updatedAt >= from)
      .sort((a, b) => a.updatedAt.localeCompare(b.updatedAt));
  }

  async listForEndpoint(endpointId: string, limit = 100): Promise<Delivery[]> {
    return this.store
      .all()
      .filter((d) => d.endpointId === endpointId)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .slice(0, limit);
  }
}
