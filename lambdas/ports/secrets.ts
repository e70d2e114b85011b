/**
 * Secrets: webhook signing secrets, stored encrypted (KMS in the cloud, an AES-256-GCM key file locally) and
 * referred to by id everywhere else. Values never go into logs, events or environment variables.
 */
export interface Secrets {
  /** Stores a secret and returns its id. */
  put(value: string): Promise<string>;
  get(id: string): Promise<string>;
  remove(id: string): Promise<void>;
}
