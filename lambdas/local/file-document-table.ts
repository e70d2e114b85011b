/**
 * The DocumentTable on this machine: one JSON file per document. `create` is create-only (O_EXCL), and status
 * changes are checked and written under a per-document lock file, so two processes cannot both move a document out
 * of `received` (the same guarantee as DynamoDB's condition expressions).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DocpipeError } from '../domain/errors';
import { DOCUMENT_TABLE_ERRORS, type DocumentRecord, type DocumentTable, type DocumentUpdate, type UpdateConditions } from '../ports/document-table';
import { JsonFileStore } from './json-file-store';
import { withLockFile } from './lock-file';

export class FileDocumentTable implements DocumentTable {
  private readonly records: JsonFileStore<DocumentRecord>;
  private readonly locks: string;

  constructor(dir: string, private readonly now: () => Date = () => new Date()) {
    this.records = new JsonFileStore<DocumentRecord>(dir);
    this.locks = join(dir, '.locks');
    mkdirSync(this.locks, { recursive: true });
  }

  async create(record: DocumentRecord): Promise<boolean> {
    return this.records.create(record.documentId, record);
  }

  async get(documentId: string): Promise<DocumentRecord | undefined> {
    return this.records.get(documentId);
  }

  async update(documentId: string, changes: DocumentUpdate, options: UpdateConditions = {}): Promise<DocumentRecord> {
    return this.locked(documentId, () => {
      const current = this.records.get(documentId);
      if (!current) throw new DocpipeError(DOCUMENT_TABLE_ERRORS.DOCUMENT_NOT_FOUND, `No document ${documentId}.`);
      if (options.expectedStatus && !options.expectedStatus.includes(current.status)) {
        throw new DocpipeError(DOCUMENT_TABLE_ERRORS.DOCUMENT_STATUS_CONFLICT, `Document ${documentId} is ${current.status}, not ${options.expectedStatus.join(' or ')}.`, { details: { status: current.status } });
      }
      if (options.expectedTaskToken !== undefined && (current.taskToken ?? null) !== options.expectedTaskToken) {
        throw new DocpipeError(DOCUMENT_TABLE_ERRORS.DOCUMENT_STATUS_CONFLICT, tokenConflict(documentId, options.expectedTaskToken), { details: { status: current.status } });
      }
      const next = { ...current, ...changes, updatedAt: this.now().toISOString() } as DocumentRecord;
      // An undefined value removes the attribute, as REMOVE does in DynamoDB.
      for (const [key, value] of Object.entries(next)) if (value === undefined) delete (next as unknown as Record<string, unknown>)[key];
      this.records.put(documentId, next);
      return next;
    });
  }

  async listForClient(clientId: string, limit = 100): Promise<DocumentRecord[]> {
    return this.records
      .all()
      .filter((r) => r.clientId === clientId)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .slice(0, limit);
  }

  private locked<T>(documentId: string, work: () => T): Promise<T> {
    return withLockFile(join(this.locks, `${encodeURIComponent(documentId)}.lock`), work);
  }
}

function tokenConflict(documentId: string, expected: string | null | undefined): string {
  return expected === null ? `Document ${documentId} already holds a task token.` : `Document ${documentId} no longer holds the task token expected: it was taken by another answer, or replaced by a retry.`;
}
