/**
 * A small local record store: one JSON file per record in a folder, written atomically (temp file + rename), with
 * a create-only write for the conditional puts that the DynamoDB implementations make with a condition expression.
 * Enough for one machine and thousands of records; the cloud uses DynamoDB.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export class JsonFileStore<T> {
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  private pathOf(id: string): string {
    // Ids come from docpipe, but a file name must never climb out of the folder.
    return join(this.dir, `${encodeURIComponent(id)}.json`);
  }

  get(id: string): T | undefined {
    try {
      return JSON.parse(readFileSync(this.pathOf(id), 'utf8')) as T;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  put(id: string, record: T): void {
    const temp = join(this.dir, `.${randomUUID()}.tmp`);
    writeFileSync(temp, JSON.stringify(record), { mode: 0o600 });
    renameSync(temp, this.pathOf(id));
  }

  /** Writes only when no record has the id; returns false (and writes nothing) when one does. */
  create(id: string, record: T): boolean {
    try {
      writeFileSync(this.pathOf(id), JSON.stringify(record), { flag: 'wx', mode: 0o600 });
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    }
  }

  remove(id: string): void {
    rmSync(this.pathOf(id), { force: true });
  }

  all(): T[] {
    return readdirSync(this.dir)
      .filter((name) => name.endsWith('.json') && !name.startsWith('.'))
      .map((name) => JSON.parse(readFileSync(join(this.dir, name), 'utf8')) as T);
  }
}
