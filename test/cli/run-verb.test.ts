/** The README's first command, through the real `docpipe` binary: the `run` and `serve` verbs are wired in. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateDocument } from '../../lambdas/domain/document';

const ROOT = join(__dirname, '..', '..');
const docpipe = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, 'bin', 'docpipe.js'), ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, DOCPIPE_LOCAL_WAIT_MS: '0' } });

describe('docpipe binary', () => {
  it('lists run and serve among its verbs', () => {
    const help = docpipe('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^\s+run\s+documents -> the whole pipeline/m);
    expect(help.stdout).toMatch(/^\s+serve\s+docpipe as a local HTTP service/m);
  });

  it('docpipe run on a shipped sample: exit 0, the summary, a valid document with the words on the receipt', () => {
    const out = mkdtempSync(join(tmpdir(), 'docpipe-bin-run-'));
    try {
      const result = docpipe('run', 'samples/documents/receipt.jpg', '--out', out);
      expect(result.stderr).not.toMatch(/error [A-Z_]+:/);
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(/receipt\.jpg\s+completed\s+.*1 page\(s\): receipt/);
      expect(result.stdout).toMatch(/failures: 0/);
      const document = validateDocument(JSON.parse(readFileSync(join(out, 'receipt.jpg', 'document.json'), 'utf8')));
      expect(document.pages[0].lines.map((l) => l.text).join(' ').toUpperCase()).toMatch(/TOTAL/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);
});
