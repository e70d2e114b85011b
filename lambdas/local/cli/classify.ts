/**
 * `docpipe classify <file ...> [--threshold 0.6] [--vendor textract|google-docai]`: page predictions for common-format
 * documents or raw vendor responses, one JSON object per file on stdout.
 */
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { normalizeResponse } from '../../domain/adapters';
import { checkDocument, DOCUMENT_SCHEMA_NAME, type Document } from '../../domain/document';
import { InProcessPageModel } from '../in-process-page-model';
import { readJsonFile, reportError, UsageError } from './io';

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { threshold: { type: 'string' }, vendor: { type: 'string' } } });
  if (positionals.length === 0) throw new UsageError('Usage: docpipe classify <file ...> [--threshold 0.6]');
  const threshold = values.threshold === undefined ? undefined : Number(values.threshold);
  if (threshold !== undefined && !(threshold >= 0 && threshold <= 1)) throw new UsageError('--threshold is a probability between 0 and 1.');
  const model = new InProcessPageModel(undefined, threshold === undefined ? {} : { reviewThreshold: threshold });
  let failures = 0;
  for (const path of positionals) {
    try {
      const raw = readJsonFile(path);
      const document = isCommonDocument(raw) ? (checkDocument(raw).document ?? (raw as Document)) : normalizeResponse(raw, { vendor: values.vendor, allowIncomplete: false });
      const predictions = await model.predict(document.pages);
      process.stdout.write(`${JSON.stringify({ file: basename(path), pages: document.pages.map((page, i) => ({ number: page.number, ...predictions[i] })) })}\n`);
    } catch (error) {
      failures++;
      reportError(error, path);
    }
  }
  return failures ? 1 : 0;
}

function isCommonDocument(raw: unknown): boolean {
  return typeof raw === 'object' && raw !== null && (raw as { schema?: unknown }).schema === DOCUMENT_SCHEMA_NAME;
}
