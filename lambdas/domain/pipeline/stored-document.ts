/** The working document between steps: stored as common-format JSON, and checked again whenever a step reads it. */
import { validateDocument, type Document } from '../document';
import type { ObjectStore } from '../../ports/object-store';

export async function readStoredDocument(store: ObjectStore, key: string): Promise<Document> {
  return validateDocument(JSON.parse(Buffer.from((await store.get(key)).bytes).toString('utf8')));
}
