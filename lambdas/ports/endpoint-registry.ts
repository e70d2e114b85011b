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

export interface EndpointRegistry {
  get(id: string): Promise<Endpoint | undefined>;
  /**
   * The client's enabled endpoints subscribed to the event type (oldest first), and the disabled ones too with
   * `includeDisabled` (the client must see an endpoint docpipe disabled). Never another client's.
   */
  listForClient(clientId: string, eventType?: EventType, options?: { includeDisabled?: boolean }): Promise<Endpoint[]>;
  put(endpoint: Endpoint): Promise<void>;
  remove(id: string): Promise<void>;

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
