/**
 * ClientOnboarding: giving a client an API key, listing who has one, and taking keys away. In the cloud a key is an
 * API Gateway API key on the clients' usage plan, mapped to its client in the Clients table; locally `docpipe serve`
 * keeps the same mapping in its workspace. A key's value is returned once, when it is made, and never again.
 */
export interface IssuedKey {
  clientId: string;
  apiKeyId: string;
  /** The key itself, for the client's `x-api-key` header: shown once. */
  apiKey: string;
}

export interface ClientKey {
  clientId: string;
  apiKeyId: string;
  createdAt?: string;
  disabled?: boolean;
}

export interface ClientOnboarding {
  /** A new key for the client (a client may hold several, for rotation). */
  add(clientId: string): Promise<IssuedKey>;
  /** Every key, with its client; revoked keys are listed as disabled where the store keeps them. */
  list(): Promise<ClientKey[]>;
  /** Takes the client's key `apiKeyId` away, or every key of the client without it; returns how many. */
  revoke(clientId: string, apiKeyId?: string): Promise<number>;
}
