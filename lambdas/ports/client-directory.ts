/**
 * ClientDirectory: which client an API key belongs to. In the cloud API Gateway checks the key itself (and its usage
 * plan) and hands the function the key's id; a DynamoDB table maps that id to the client. Locally `docpipe serve`
 * keeps the same mapping in its workspace, keyed by a hash of the key.
 */
export interface ClientDirectory {
  /** The client of the API key, or undefined when the key is unknown or disabled; a retryable error when the lookup cannot be made for a moment. */
  clientIdForApiKey(apiKeyId: string): Promise<string | undefined>;
}
