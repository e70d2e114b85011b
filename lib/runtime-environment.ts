import type * as events from 'aws-cdk-lib/aws-events';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { Storage } from './storage';

/** What the handlers are configured with (documented defaults live in lib/config.ts). */
export interface RuntimeSettings {
  readonly textractFeatures: string[];
  readonly syncMaxBytes: number;
  readonly maxDocumentBytes: number;
  readonly maxDocumentPages: number;
  readonly confidenceThreshold: number;
  readonly webhookScheduleSeconds: number[];
}

/**
 * The Lambda environment every docpipe handler reads: resource names and ARNs, and settings. Never a secret: the
 * webhook secrets are sealed with KMS in the Secrets table, and the environment itself is encrypted with the CMK.
 */
export function runtimeEnvironment(storage: Storage, key: kms.IKey, bus: events.IEventBus, settings: RuntimeSettings): Record<string, string> {
  return {
    ...storage.bucketEnvironment,
    DOCUMENTS_TABLE: storage.documentsTable.tableName,
    ENDPOINTS_TABLE: storage.endpointsTable.tableName,
    DELIVERIES_TABLE: storage.deliveriesTable.tableName,
    SECRETS_TABLE: storage.secretsTable.tableName,
    CLIENTS_TABLE: storage.clientsTable.tableName,
    KMS_KEY_ID: key.keyArn,
    EVENT_BUS_NAME: bus.eventBusName,
    TEXTRACT_FEATURES: settings.textractFeatures.join(','),
    SYNC_MAX_BYTES: String(settings.syncMaxBytes),
    MAX_DOCUMENT_BYTES: String(settings.maxDocumentBytes),
    MAX_DOCUMENT_PAGES: String(settings.maxDocumentPages),
    CONFIDENCE_THRESHOLD: String(settings.confidenceThreshold),
    WEBHOOK_SCHEDULE_SECONDS: settings.webhookScheduleSeconds.join(','),
  };
}
