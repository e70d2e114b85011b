/**
 * A client's documents: status, reason, page classes and export links (presigned, short-lived), and a listing to
 * find the document of an upload by its key. Records are read by id and shown only to their own client.
 */
import * as z from 'zod';
import type { DocumentRecord, DocumentStatus } from '../../ports/document-table';
import { DocpipeError } from '../errors';
import type { ApiDeps } from './deps';

export interface PageSummary {
  number: number;
  label: string | null;
  confidence: number | null;
  needsReview: boolean;
}

export interface DocumentSummary {
  documentId: string;
  status: DocumentStatus;
  name?: string;
  key: string;
  clientReference?: string;
  pageCount?: number;
  reason?: { code: string; message: string };
  createdAt: string;
  updatedAt: string;
}

export interface DocumentView extends DocumentSummary {
  contentType?: string;
  sizeBytes?: number;
  needsReview: boolean;
  /** Page classes from the page model, when the document got that far. */
  pages?: PageSummary[];
  exports?: { document?: string; tables: { name: string; url: string }[]; expiresAt: string };
}

export const ListDocumentsQuery = z
  .object({
    key: z.string().min(1).max(1024).optional(),
    limit: z.coerce.number().int().min(1).max(100).optional(),
  })
  .strict();
export type ListDocumentsQuery = z.infer<typeof ListDocumentsQuery>;

const DEFAULT_EXPORT_URL_SECONDS = 3600;

/** The record of the client's document; another client's document does not exist, as far as this client can tell. */
export async function documentOf(deps: ApiDeps, clientId: string, documentId: string): Promise<DocumentRecord> {
  const record = await deps.table.get(documentId);
  if (!record || record.clientId !== clientId) throw new DocpipeError('DOCUMENT_NOT_FOUND', `No document ${documentId}.`);
  return record;
}

export function summaryOf(record: DocumentRecord): DocumentSummary {
  // Picked field by field: the record also holds internal state (task tokens, job ids) that clients must not see.
  return {
    documentId: record.documentId,
    status: record.status,
    ...(record.name ? { name: record.name } : {}),
    key: record.sourceKey,
    ...(record.clientReference ? { clientReference: record.clientReference } : {}),
    ...(record.pageCount !== undefined ? { pageCount: record.pageCount } : {}),
    ...(record.reason ? { reason: { code: record.reason.code, message: record.reason.message } } : {}),
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

export async function documentStatus(deps: ApiDeps, clientId: string, documentId: string): Promise<DocumentView> {
  const record = await documentOf(deps, clientId, documentId);
  const view: DocumentView = {
    ...summaryOf(record),
    ...(record.contentType ? { contentType: record.contentType } : {}),
    ...(record.sizeBytes !== undefined ? { sizeBytes: record.sizeBytes } : {}),
    needsReview: record.status === 'needs_review',
  };
  if (record.exportKeys && record.status !== 'failed') {
    const seconds = deps.exportUrlSeconds ?? DEFAULT_EXPORT_URL_SECONDS;
    const now = (deps.now ?? (() => new Date()))();
    view.exports = {
      ...(record.exportKeys.document ? { document: await deps.store.urlFor(record.exportKeys.document, seconds) } : {}),
      tables: await Promise.all(record.exportKeys.tables.map(async (t) => ({ name: t.name, url: await deps.store.urlFor(t.key, seconds) }))),
      expiresAt: new Date(now.getTime() + seconds * 1000).toISOString(),
    };
    const pages = record.exportKeys.document ? await pagesOf(deps, record.exportKeys.document) : undefined;
    if (pages) view.pages = pages;
  }
  return view;
}

/** The page classes, from the exported common JSON (the record keeps no per-page data). */
async function pagesOf(deps: ApiDeps, key: string): Promise<PageSummary[] | undefined> {
  let parsed: { pages?: { number?: unknown; predictions?: { label?: unknown; confidence?: unknown; needsReview?: unknown } }[] };
  try {
    parsed = JSON.parse(Buffer.from((await deps.store.get(key)).bytes).toString('utf8'));
  } catch (error) {
    // An export that is gone (lifecycle rules) leaves the status readable, without the classes.
    if ((error as DocpipeError).code === 'OBJECT_NOT_FOUND' || error instanceof SyntaxError) return undefined;
    throw error;
  }
  if (!Array.isArray(parsed.pages)) return undefined;
  return parsed.pages.map((page, i) => ({
    number: typeof page.number === 'number' ? page.number : i + 1,
    label: typeof page.predictions?.label === 'string' ? page.predictions.label : null,
    confidence: typeof page.predictions?.confidence === 'number' ? page.predictions.confidence : null,
    needsReview: page.predictions?.needsReview === true,
  }));
}

export async function listDocuments(deps: ApiDeps, clientId: string, query: ListDocumentsQuery): Promise<DocumentSummary[]> {
  const limit = query.limit ?? 20;
  // By key: among the client's latest 100 (an upload is looked up soon after it is made).
  const records = await deps.table.listForClient(clientId, query.key ? 100 : limit);
  return records
    .filter((r) => r.clientId === clientId && (!query.key || r.sourceKey === query.key))
    .slice(0, limit)
    .map(summaryOf);
}
