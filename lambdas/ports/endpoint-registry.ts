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
}
