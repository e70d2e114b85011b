/** EndpointRegistry on local files. */
import type { EventType } from '../../domain/webhooks/events';
import { listedFor, type Endpoint, type EndpointRegistry } from '../../ports/endpoint-registry';
import { JsonFileStore } from '../json-file-store';

export class LocalEndpointRegistry implements EndpointRegistry {
  private readonly store: JsonFileStore<Endpoint>;

  constructor(dir: string) {
    this.store = new JsonFileStore(dir);
  }

  async get(id: string): Promise<Endpoint | undefined> {
    return this.store.get(id);
  }

  async listForClient(clientId: string, eventType?: EventType, options?: { includeDisabled?: boolean }): Promise<Endpoint[]> {
    return this.store
      .all()
      .filter((e) => listedFor(e, clientId, eventType, options))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async put(endpoint: Endpoint): Promise<void> {
    this.store.put(endpoint.id, endpoint);
  }

  async remove(id: string): Promise<void> {
    this.store.remove(id);
  }
}
