/** Stable codes of the webhook domain (see docs/errors.md). */
export const WEBHOOK_ERRORS = {
  /** The endpoint URL is not a valid absolute http(s) URL. */
  WEBHOOK_URL_INVALID: 'WEBHOOK_URL_INVALID',
  /** Plain HTTP outside local mode, or to a host that is not loopback. */
  WEBHOOK_URL_INSECURE: 'WEBHOOK_URL_INSECURE',
  /** The host resolves to a private, loopback, link-local, CGNAT, multicast or otherwise reserved address. */
  WEBHOOK_ADDRESS_FORBIDDEN: 'WEBHOOK_ADDRESS_FORBIDDEN',
  /** The host name does not resolve. */
  WEBHOOK_DNS_FAILED: 'WEBHOOK_DNS_FAILED',
  /** A secret that is not `whsec_` followed by base64 of at least 24 bytes. */
  WEBHOOK_SECRET_INVALID: 'WEBHOOK_SECRET_INVALID',
  /** No endpoint with that id (or it belongs to another client). */
  WEBHOOK_ENDPOINT_NOT_FOUND: 'WEBHOOK_ENDPOINT_NOT_FOUND',
  /** No delivery with that id. */
  WEBHOOK_DELIVERY_NOT_FOUND: 'WEBHOOK_DELIVERY_NOT_FOUND',
  /** A replay of a delivery that is not dead: a succeeded one would be sent twice, a pending one scheduled twice. */
  WEBHOOK_DELIVERY_NOT_DEAD: 'WEBHOOK_DELIVERY_NOT_DEAD',
  /** The signing secrets could not be read for a moment (KMS or its table throttled or failing): docpipe's trouble, retried. */
  SECRETS_UNAVAILABLE: 'SECRETS_UNAVAILABLE',
  /** An event that does not follow its schema. */
  WEBHOOK_EVENT_INVALID: 'WEBHOOK_EVENT_INVALID',
} as const;
