/** EndpointRegistry: the webhook endpoints of each client (DynamoDB in the cloud, a local file store locally). */
import type { EventType } from '../domain/webhooks/events';

export interface Endpoint {
  id: string;
  clientId: string;
  url: string;
  /** Ids in the Secrets port; one normally, two during a rotation (deliveries are signed with both). */
  secretIds: string[];
  /** Event types delivered to this endpoint; empty means all. */
  eventTypes: EventType[];
  enabled: boolean;
  disabledReason?: string;
  /** When the current run of failed deliveries began; cleared by a success. */
  failingSince?: string;
  createdAt: string;
}

/** Whether an endpoint is one listForClient returns. */
export function listedFor(endpoint: Endpoint, clientId: string, eventType?: EventType, options: { includeDisabled?: boolean } = {}): boolean {
  return endpoint.clientId === clientId && (endpoint.enabled || options.includeDisabled === true) && (!eventType || endpoint.eventTypes.length === 0 || endpoint.eventTypes.includes(eventType));
}

/**
 * What a conditional change of an endpoint came to: done, the endpoint is gone, or it changed since it was read
 * (the caller read it, decided, and someone else wrote in between: nothing was written).
 */
export type EndpointChange = 'updated' | 'gone' | 'changed';

export interface EndpointRegistry {
  get(id: string): Promise<Endpoint | undefined>;
  /**
   * The client's enabled endpoints subscribed to the event type (oldest first), and the disabled ones too with
   * `includeDisabled` (the client must see an endpoint docpipe disabled). Never another client's.
   */
  listForClient(clientId: string, eventType?: EventType, options?: { includeDisabled?: boolean }): Promise<Endpoint[]>;
  /**
   * Adds a new endpoint unless its client has `max` endpoints (disabled ones count) already: false then, and nothing
   * is written. Checked and written as one step, so concurrent creates cannot pass the limit together.
   */
  create(endpoint: Endpoint, max: number): Promise<boolean>;
  /** Writes the endpoint as given, unconditionally and outside the limit: fixtures and `docpipe run`'s own endpoint. */
  put(endpoint: Endpoint): Promise<void>;
  /** Removes the endpoint (and frees its place under the limit); nothing when it is gone already. */
  remove(id: string): Promise<void>;

  // The client's changes. Each writes only its own fields, of an endpoint that still exists: an endpoint removed
  // meanwhile never comes back.

  /** Sets the secrets, if the endpoint still has `expected` (the ones the caller read and computed from). */
  replaceSecrets(id: string, expected: readonly string[], secretIds: string[]): Promise<EndpointChange>;
  /** Deliveries on again: enabled, no disabledReason, no failingSince. The endpoint after, undefined when it is gone. */
  enable(id: string): Promise<Endpoint | undefined>;

  // Delivery bookkeeping. An attempt lasts up to 15 s, in which the client may remove the endpoint or rotate its
  // secrets: these write only the health fields, and only of an endpoint that still exists, so that the copy read
  // before the attempt is never written back.

  /** Starts a run of failures at `since` unless one is under way; the endpoint as it is now, undefined when it is gone. */
  markFailing(id: string, since: string): Promise<Endpoint | undefined>;
  /** Ends the run of failures (a delivery succeeded); nothing when the endpoint is gone. */
  markHealthy(id: string): Promise<void>;
  /**
   * Disables the endpoint if it is still enabled and still failing since `failingSince` (a success in between, or
   * another delivery that disabled it first, wins). The disabled endpoint, or undefined when nothing was disabled.
   */
  disable(id: string, reason: string, failingSince: string): Promise<Endpoint | undefined>;
}
