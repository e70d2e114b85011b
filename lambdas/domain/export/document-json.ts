/** Document export: the common JSON, validated once more so that a client never receives a broken document. */
import { validateDocument, type Document } from '../document';

export interface DocumentExport {
  name: 'document.json';
  contentType: 'application/json';
  body: string;
  bytes: number;
}

export function buildDocumentExport(document: Document, { pretty = false } = {}): DocumentExport {
  const valid = validateDocument(document);
  const body = JSON.stringify(valid, null, pretty ? 2 : undefined);
  return { name: 'document.json', contentType: 'application/json', body, bytes: Buffer.byteLength(body) };
}
