/** EndpointRegistry on local files. */
import type { EventType } from '../../domain/webhooks/events';
import type { Endpoint, EndpointRegistry } from '../../ports/endpoint-registry';
import { JsonFileStore } from '../json-file-store';

export class LocalEndpointRegistry implements EndpointRegistry {
  private readonly store: JsonFileStore<Endpoint>;

  constructor(dir: string) {
    this.store = new JsonFileStore(dir);
  }

  async get(id: string): Promise<Endpoint | undefined> {
    return this.store.get(id);
  }

  async listForClient(clientId: string, eventType?: EventType): Promise<Endpoint[]> {
    return this.store
      .all()
      .filter((e) => e.clientId === clientId && e.enabled && (!eventType || e.eventTypes.length === 0 || e.eventTypes.includes(eventType)))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async put(endpoint: Endpoint): Promise<void> {
    this.store.put(endpoint.id, endpoint);
  }

  async remove(id: string): Promise<void> {
    this.store.remove(id);
  }
}
