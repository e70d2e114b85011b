/** Reading a Lambda's configuration: names of resources only, never a secret (secrets are in KMS-sealed storage). */
import { DocpipeError } from '../domain/errors';

export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new DocpipeError('CONFIGURATION_MISSING', `The environment variable ${name} is not set: the stack must pass it to this function.`);
  return value;
}

/** An optional numeric setting: its value when it is a positive number, else undefined (the code's default). */
export function positiveEnv(name: string): number | undefined {
  const value = Number(process.env[name] ?? '');
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

/**
 * The buckets, as the stack passes them: INGEST_BUCKET, OCR_BUCKET and RESULTS_BUCKET (one per key prefix), or a
 * single DOCUMENTS_BUCKET for everything.
 */
export function bucketsFromEnvironment(): string | { routes: Record<string, string>; fallback: string } {
  if (!process.env.INGEST_BUCKET && process.env.DOCUMENTS_BUCKET) return process.env.DOCUMENTS_BUCKET;
  const results = requireEnv('RESULTS_BUCKET');
  return { routes: { 'clients/': requireEnv('INGEST_BUCKET'), 'work/': requireEnv('OCR_BUCKET'), 'exports/': results }, fallback: results };
}

/** The bucket the originals are uploaded to (Textract reads them there). */
export function ingestBucketFromEnvironment(): string {
  const buckets = bucketsFromEnvironment();
  return typeof buckets === 'string' ? buckets : buckets.routes['clients/'];
}
