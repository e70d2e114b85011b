/**
 * EndpointRegistry on local files. Every write is checked and made under one lock file for the registry, so that
 * `docpipe serve` and a `docpipe webhooks` command running beside it keep the same guarantees as DynamoDB's
 * conditions and transactions: the per-client limit holds, and a change of an endpoint removed meanwhile writes nothing.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { EventType } from '../../domain/webhooks/events';
import { listedFor, type Endpoint, type EndpointChange, type EndpointRegistry } from '../../ports/endpoint-registry';
import { JsonFileStore } from '../json-file-store';
import { withLockFile } from '../lock-file';

export class LocalEndpointRegistry implements EndpointRegistry {
  private readonly store: JsonFileStore<Endpoint>;
  private readonly lock: string;

  constructor(dir: string) {
    this.store = new JsonFileStore(dir);
    mkdirSync(join(dir, '.locks'), { recursive: true });
    this.lock = join(dir, '.locks', 'registry.lock');
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

  async create(endpoint: Endpoint, max: number): Promise<boolean> {
    return this.locked(() => {
      if (this.store.all().filter((e) => e.clientId === endpoint.clientId).length >= max) return false;
      if (!this.store.create(endpoint.id, endpoint)) throw new Error(`Endpoint id ${endpoint.id} is taken.`);
      return true;
    });
  }

  async put(endpoint: Endpoint): Promise<void> {
    await this.locked(() => this.store.put(endpoint.id, endpoint));
  }

  async remove(id: string): Promise<void> {
    await this.locked(() => this.store.remove(id));
  }

  async replaceSecrets(id: string, expected: readonly string[], secretIds: string[]): Promise<EndpointChange> {
    return this.locked(() => {
      const current = this.store.get(id);
      if (!current) return 'gone';
      if (current.secretIds.length !== expected.length || current.secretIds.some((s, i) => s !== expected[i])) return 'changed';
      this.store.put(id, { ...current, secretIds });
      return 'updated';
    });
  }

  async enable(id: string): Promise<Endpoint | undefined> {
    return this.locked(() => {
      const current = this.store.get(id);
      if (!current) return undefined;
      const { disabledReason: _reason, failingSince: _since, ...rest } = current;
      const enabled = { ...rest, enabled: true };
      this.store.put(id, enabled);
      return enabled;
    });
  }

  // The health updates read the record as it is now and patch only their fields (see the port).

  async markFailing(id: string, since: string): Promise<Endpoint | undefined> {
    return this.locked(() => {
      const current = this.store.get(id);
      if (!current || current.failingSince) return current;
      const failing = { ...current, failingSince: since };
      this.store.put(id, failing);
      return failing;
    });
  }

  async markHealthy(id: string): Promise<void> {
    await this.locked(() => {
      const current = this.store.get(id);
      if (!current?.failingSince) return;
      const { failingSince: _since, ...healthy } = current;
      this.store.put(id, healthy);
    });
  }

  async disable(id: string, reason: string, failingSince: string): Promise<Endpoint | undefined> {
    return this.locked(() => {
      const current = this.store.get(id);
      if (!current || !current.enabled || current.failingSince !== failingSince) return undefined;
      const disabled = { ...current, enabled: false, disabledReason: reason };
      this.store.put(id, disabled);
      return disabled;
    });
  }

  /** A synchronous read-check-write under the registry's lock file. */
  private locked<T>(work: () => T): Promise<T> {
    return withLockFile(this.lock, work);
  }
}
