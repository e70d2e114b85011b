/**
 * A lock across processes on this machine: a create-only file, held while a synchronous read-check-write runs. It is
 * how the local stores give the guarantees of DynamoDB's conditions (one writer at a time, checked before writing).
 */
import { closeSync, openSync, rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { DocpipeError } from '../domain/errors';

/** Runs `work` holding the lock file `lock`; a lock held for about 2.5 s is TABLE_UNAVAILABLE (retryable). */
export async function withLockFile<T>(lock: string, work: () => T): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      closeSync(openSync(lock, 'wx'));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (attempt > 500) throw new DocpipeError('TABLE_UNAVAILABLE', `The lock ${lock} is held for too long: if no docpipe process runs, delete it.`, { retryable: true });
      await sleep(5);
    }
  }
  try {
    return work();
  } finally {
    rmSync(lock, { force: true });
  }
}
