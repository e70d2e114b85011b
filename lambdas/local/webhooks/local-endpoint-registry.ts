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

  // The health updates read the record as it is now and patch only their fields (see the port).

  async markFailing(id: string, since: string): Promise<Endpoint | undefined> {
    const current = this.store.get(id);
    if (!current || current.failingSince) return current;
    const failing = { ...current, failingSince: since };
    this.store.put(id, failing);
    return failing;
  }

  async markHealthy(id: string): Promise<void> {
    const current = this.store.get(id);
    if (!current?.failingSince) return;
    const { failingSince: _since, ...healthy } = current;
    this.store.put(id, healthy);
  }

  async disable(id: string, reason: string, failingSince: string): Promise<Endpoint | undefined> {
    const current = this.store.get(id);
    if (!current || !current.enabled || current.failingSince !== failingSince) return undefined;
    const disabled = { ...current, enabled: false, disabledReason: reason };
    this.store.put(id, disabled);
    return disabled;
  }
}
