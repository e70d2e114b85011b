/**
 * The client API's ports on AWS, from the Lambda environment (built once per container).
 *
 * Environment of the API function (names and ids only, never a secret):
 *   INGEST_BUCKET, RESULTS_BUCKET  upload URLs (PUT under clients/<id>/) and export links (GET under exports/);
 *                             or DOCUMENTS_BUCKET, one bucket for both
 *   DOCUMENTS_TABLE           the document table (status reads and the byClient index for listings)
 *   ENDPOINTS_TABLE           the webhook endpoint registry (partition key `id`, index `byClient`)
 *   SECRETS_TABLE             the KMS-sealed webhook secrets (partition key `id`)
 *   KMS_KEY_ID                the key that seals webhook secrets (kms:Encrypt; kms:Decrypt is not needed here)
 *   CLIENTS_TABLE             API key id -> client (partition key `apiKeyId`, attribute `clientId`, optional `disabled`)
 * Optional:
 *   UPLOAD_URL_SECONDS        lifetime of upload URLs (default 900)
 *   EXPORT_URL_SECONDS        lifetime of the export links in a status (default 3600)
 *   MAX_ENDPOINTS_PER_CLIENT  default 20
 *   CLIENT_CACHE_SECONDS      how long a key's client is cached in the container (default 300)
 */
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import type { ApiDeps } from '../domain/api/deps';
import { tracer } from '../handlers/observability';
import type { ClientDirectory } from '../ports/client-directory';
import { DynamoClientDirectory } from './dynamo-client-directory';
import { DynamoDocumentTable } from './dynamo-document-table';
import { DynamoEndpointRegistry } from './dynamo-endpoint-registry';
import { documentClient } from './dynamo-document-client';
import { bucketsFromEnvironment, positiveEnv, requireEnv } from './environment';
import { KmsSecrets } from './kms-secrets';
import { S3ObjectStore } from './s3-object-store';

export const API_ENVIRONMENT = ['INGEST_BUCKET', 'RESULTS_BUCKET', 'DOCUMENTS_TABLE', 'ENDPOINTS_TABLE', 'SECRETS_TABLE', 'KMS_KEY_ID', 'CLIENTS_TABLE'] as const;
export const API_OPTIONAL_ENVIRONMENT = ['UPLOAD_URL_SECONDS', 'EXPORT_URL_SECONDS', 'MAX_ENDPOINTS_PER_CLIENT', 'CLIENT_CACHE_SECONDS'] as const;

export interface ApiLambdaDeps {
  api: ApiDeps;
  clients: ClientDirectory;
}

const positive = (name: (typeof API_OPTIONAL_ENVIRONMENT)[number]): number | undefined => positiveEnv(name);

export function apiDepsFromEnvironment(): ApiLambdaDeps {
  const dynamo = documentClient();
  const cacheSeconds = positive('CLIENT_CACHE_SECONDS');
  return {
    api: {
      store: new S3ObjectStore(tracer.captureAWSv3Client(new S3Client({})), bucketsFromEnvironment()),
      table: new DynamoDocumentTable(dynamo, requireEnv('DOCUMENTS_TABLE')),
      endpoints: new DynamoEndpointRegistry(dynamo, requireEnv('ENDPOINTS_TABLE')),
      secrets: new KmsSecrets(tracer.captureAWSv3Client(new KMSClient({})), requireEnv('KMS_KEY_ID'), dynamo, requireEnv('SECRETS_TABLE')),
      uploadUrlSeconds: positive('UPLOAD_URL_SECONDS'),
      exportUrlSeconds: positive('EXPORT_URL_SECONDS'),
      maxEndpointsPerClient: positive('MAX_ENDPOINTS_PER_CLIENT'),
    },
    clients: new DynamoClientDirectory(dynamo, requireEnv('CLIENTS_TABLE'), cacheSeconds ? { knownTtlMs: cacheSeconds * 1000 } : {}),
  };
}
