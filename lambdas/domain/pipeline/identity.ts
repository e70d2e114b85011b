/**
 * Who a document belongs to and what it is called. A document is one version of one object: its id is derived
 * from the client, the key and the version (or ETag), so every duplicate event for that object names the same
 * document, the same conditional write and the same execution.
 */
import { createHash } from 'node:crypto';
import { DocpipeError } from '../errors';
import { PIPELINE_ERRORS } from './errors';

/** What a client id may be: it names a folder of the ingest bucket and a path segment of the API. */
export const CLIENT_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** The client of an object key `clients/<clientId>/...`. */
export function clientIdFromKey(key: string): string {
  const [root, clientId, ...rest] = key.split('/');
  if (root !== 'clients' || !clientId || !CLIENT_ID.test(clientId) || rest.length === 0 || rest.join('/') === '') {
    throw new DocpipeError(PIPELINE_ERRORS.OBJECT_KEY_WITHOUT_CLIENT, `The key "${key}" is not under clients/<clientId>/: upload documents to clients/<your client id>/<name>.`, { details: { key } });
  }
  // The S3 console makes a folder as an empty object whose key ends in '/': a folder, not a document to read.
  if (key.endsWith('/')) {
    throw new DocpipeError(PIPELINE_ERRORS.OBJECT_KEY_IS_FOLDER, `The key "${key}" is a folder marker, not a document: upload files into it.`, { details: { key } });
  }
  return clientId;
}

/** `doc_` + 32 hex characters: valid as a Step Functions execution name and a file name. */
export function documentIdFor(clientId: string, key: string, version: string): string {
  return `doc_${createHash('sha256').update(`${clientId}\n${key}\n${version}`).digest('hex').slice(0, 32)}`;
}

/** Where the pipeline keeps its intermediate results and exports; the original is never moved. */
export const objectKeys = {
  workingDocument: (documentId: string) => `work/${documentId}/document.json`,
  exportDocument: (clientId: string, documentId: string) => `exports/${clientId}/${documentId}/document.json`,
  exportTable: (clientId: string, documentId: string, name: string) => `exports/${clientId}/${documentId}/tables/${name}`,
};
