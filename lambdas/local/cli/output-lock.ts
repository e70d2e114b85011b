/**
 * One `docpipe run` at a time per --out folder: a lock file holding the run's process id. A lock whose process is
 * gone (a run killed before it could remove it) is taken over, so that a crash never blocks the folder for good.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from './io';

export const OUTPUT_LOCK = '.docpipe-run.lock';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Claims `dir` for this process, or says which run holds it; returns the release. */
export function claimOutput(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const lock = join(dir, OUTPUT_LOCK);
  const mine = String(process.pid);
  try {
    writeFileSync(lock, mine, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const holder = Number(readFileSync(lock, 'utf8'));
    if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && alive(holder)) {
      throw new UsageError(`Another docpipe run (process ${holder}) is writing to ${dir}: wait for it to end, or give another --out.`);
    }
    writeFileSync(lock, mine); // the run that held it is gone
  }
  return () => {
    try {
      if (readFileSync(lock, 'utf8') === mine) rmSync(lock, { force: true });
    } catch {
      // Already gone: nothing to release.
    }
  };
}
