/**
 * The export step: the document JSON and one CSV per table, stored under the client's exports; the final status
 * (`needs_review` when a page is under the review threshold or the page model failed); then the event and the
 * webhook deliveries. The status write is conditional on `processing`. A retry of the step (the announcing failed
 * transiently after the status was written) finds the status it was about to write and announces again, which is
 * idempotent (notify.ts); any other status is a conflict.
 */
import type { Document } from '../document';
import { buildDocumentExport, buildTableCsvs } from '../export';
import type { DocumentRecord, DocumentStatus, DocumentUpdate } from '../../ports/document-table';
import { isDocpipeError } from '../errors';
import type { PipelineDeps } from './deps';
import { PIPELINE_ERRORS } from './errors';
import { objectKeys } from './identity';
import { announce } from './notify';
import type { DeliveriesOutput, PredictedDocument } from './state';
import { readStoredDocument } from './stored-document';

export interface ExportsOutput extends DeliveriesOutput {
  status: DocumentStatus;
  pages: number;
  /** From the document's registration to its final status: the end-to-end latency on-call watches. */
  latencyMs: number;
}

const WEEK_SECONDS = 7 * 24 * 3600;

export async function buildExports(deps: PipelineDeps, input: PredictedDocument): Promise<ExportsOutput> {
  let document: Document = await readStoredDocument(deps.store, input.ocr.documentKey);
  if (input.predictionsError) {
    document = {
      ...document,
      warnings: [...document.warnings, { code: PIPELINE_ERRORS.PAGE_MODEL_FAILED, message: `No page predictions: the page model failed (${input.predictionsError.Error}). The text and tables are complete; classify the pages by hand.` }],
    };
  }
  const needsReview = input.predictionsError !== undefined || document.pages.some((page) => page.predictions?.needsReview === true);
  const status: DocumentStatus = needsReview ? 'needs_review' : 'completed';

  const json = buildDocumentExport(document);
  const documentKey = objectKeys.exportDocument(input.clientId, input.documentId);
  await deps.store.put(documentKey, json.body, { contentType: json.contentType });
  const tables: { name: string; key: string }[] = [];
  for (const csv of buildTableCsvs(document, { mergedCells: 'repeat' })) {
    const key = objectKeys.exportTable(input.clientId, input.documentId, csv.name);
    await deps.store.put(key, csv.csv, { contentType: 'text/csv; charset=utf-8' });
    tables.push({ name: csv.name, key });
  }

  const changes: DocumentUpdate = { status, documentKey: input.ocr.documentKey, exportKeys: { document: documentKey, tables }, pageCount: document.pages.length, taskToken: undefined, ...(input.predictionsError ? { reason: { code: PIPELINE_ERRORS.PAGE_MODEL_FAILED, message: 'The page model failed; the pages have no predictions.' } } : {}) };
  const record = await writeFinalStatus(deps, input.documentId, changes, status);
  const seconds = deps.exportUrlSeconds ?? WEEK_SECONDS;
  const { deliveries } = await announce(deps, {
    type: needsReview ? 'document.needs_review' : 'document.completed',
    documentId: input.documentId,
    clientId: input.clientId,
    clientReference: record.clientReference,
    document,
    // When the status was written: the same on every try, as the event id is.
    timestamp: new Date(record.updatedAt),
    exports: { document: await deps.store.urlFor(documentKey, seconds), tables: await Promise.all(tables.map(async (t) => ({ name: t.name, url: await deps.store.urlFor(t.key, seconds) }))) },
  });
  return { status, deliveries, pages: document.pages.length, latencyMs: Math.max(0, Date.now() - Date.parse(record.createdAt)) };
}

/** processing -> the final status; or, on a retry, the record that an earlier try already moved to that status. */
async function writeFinalStatus(deps: PipelineDeps, documentId: string, changes: DocumentUpdate, status: DocumentStatus): Promise<DocumentRecord> {
  try {
    return await deps.table.update(documentId, changes, { expectedStatus: ['processing'] });
  } catch (error) {
    if (!isDocpipeError(error) || error.code !== 'DOCUMENT_STATUS_CONFLICT') throw error;
    const current = await deps.table.get(documentId);
    if (current?.status === status && current.documentKey === changes.documentKey) return current;
    throw error;
  }
}
