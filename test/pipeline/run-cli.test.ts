/** `docpipe run`: real documents through the local pipeline, outputs on disk, a signed webhook, the summary. */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { validateDocument } from '../../lambdas/domain/document';
import { OUTPUT_LOCK } from '../../lambdas/local/cli/output-lock';
import { run } from '../../lambdas/local/cli/run';
import { DOCUMENTS, HookReceiver, tempDir } from './support';

async function capture(work: () => Promise<number>): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += chunk.toString()), true));
  try {
    return { code: await work(), stdout };
  } finally {
    spy.mockRestore();
  }
}

describe('docpipe run', () => {
  let receiver: HookReceiver;
  beforeAll(async () => {
    receiver = new HookReceiver();
    await receiver.start();
  });
  afterAll(() => receiver.stop());

  it('runs a folder: outputs per document, a signed webhook per document with the generated secret, the summary with failures and cost', async () => {
    const input = tempDir('docpipe-run-in-');
    copyFileSync(join(DOCUMENTS, 'invoice.png'), join(input, 'invoice.png'));
    copyFileSync(join(DOCUMENTS, 'sample-invoice.pdf'), join(input, 'sample-invoice.pdf'));
    writeFileSync(join(input, 'empty.pdf'), '');
    const out = tempDir('docpipe-run-out-');
    const { code, stdout } = await capture(() => run([input, '--out', out, '--webhook', `${receiver.url}/run`]));
    // One document failed (zero bytes): exit 1, and the failure is reported with its code.
    expect(code).toBe(1);
    expect(stdout).toMatch(/empty\.pdf\s+failed\s+.*error EMPTY_FILE/);
    expect(stdout).toMatch(/invoice\.png\s+completed\s+.*1 page\(s\): invoice/);
    // What each document holds: the PDF's three ruled tables and seventeen fields (the same as its document.json).
    expect(stdout).toMatch(/sample-invoice\.pdf\s+completed\s+.*1 page\(s\): invoice; 3 table\(s\), 17 field\(s\), 0 checkbox\(es\)/);
    expect(stdout).toMatch(/docpipe run: 3 document\(s\), 2 page\(s\)/);
    expect(stdout).toMatch(/failures: 1 \(EMPTY_FILE\)/);
    expect(stdout).toMatch(/estimated AWS cost: \$0\.1\d{3} \(Textract 2 page\(s\) \$0\.1380/);
    expect(stdout).toMatch(/webhooks: 3 delivered/);

    const secret = /webhook secret \(generated for this run\): (whsec_\S+)/.exec(stdout)![1];
    expect(receiver.received).toHaveLength(3);
    for (const hook of receiver.received) expect(() => new Webhook(secret).verify(hook.body, hook.headers as Record<string, string>)).not.toThrow();
    const types = receiver.received.map((h) => (JSON.parse(h.body) as { type: string }).type).sort();
    expect(types).toEqual(['document.completed', 'document.completed', 'document.failed']);

    const invoice = validateDocument(JSON.parse(readFileSync(join(out, 'invoice.png', 'document.json'), 'utf8')));
    expect(invoice.pages[0].lines.map((l) => l.text).join(' ')).toMatch(/East Repair/);
    expect(JSON.parse(readFileSync(join(out, 'empty.pdf', 'error.json'), 'utf8'))).toMatchObject({ status: 'failed', error: { code: 'EMPTY_FILE' } });
    const trace = JSON.parse(readFileSync(join(out, 'trace.json'), 'utf8')) as { runs: { machine: string; transitions: number }[] };
    expect(trace.runs.filter((r) => r.machine === 'extraction')).toHaveLength(3);
    expect(existsSync(join(out, 'sample-invoice.pdf', 'document.json'))).toBe(true);
  });

  it('names every document a folder of its own in --out: not trace.json, not past 255 bytes, nothing left from an earlier run', async () => {
    const input = tempDir('docpipe-run-in-');
    const long = `${'n'.repeat(251)}.pdf`; // 255 bytes: its twin's name would be 257
    for (const folder of ['a', 'b']) {
      mkdirSync(join(input, folder));
      writeFileSync(join(input, folder, long), '');
    }
    writeFileSync(join(input, 'trace.json'), '');
    const out = tempDir('docpipe-run-out-');
    // An earlier run left a document.json where this run's trace.json document will fail.
    mkdirSync(join(out, 'trace.json-2'));
    writeFileSync(join(out, 'trace.json-2', 'document.json'), '{}');
    const { code, stdout } = await capture(() => run([input, '--out', out]));
    expect(code).toBe(1); // three empty files: three failures, reported, not a crash
    expect(stdout).toMatch(/docpipe run: 3 document\(s\)/);
    expect(statSync(join(out, 'trace.json')).isFile()).toBe(true);
    expect(readdirSync(join(out, 'trace.json-2'))).toEqual(['error.json']);
    const folders = readdirSync(out).filter((name) => name.startsWith('nnn'));
    expect(folders).toHaveLength(2);
    for (const folder of folders) expect(Buffer.byteLength(folder)).toBeLessThanOrEqual(255);
    expect(existsSync(join(out, OUTPUT_LOCK))).toBe(false);
  });

  it('one run at a time per --out: a live run holding it stops the second; a lock left by a dead one is taken over', async () => {
    const input = tempDir('docpipe-run-in-');
    writeFileSync(join(input, 'empty.pdf'), '');
    const out = tempDir('docpipe-run-out-');
    writeFileSync(join(out, OUTPUT_LOCK), String(process.ppid)); // a process that is alive: the one that ran jest
    await expect(run([input, '--out', out])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining(`Another docpipe run (process ${process.ppid})`) });
    writeFileSync(join(out, OUTPUT_LOCK), '2147483646'); // no such process
    expect((await capture(() => run([input, '--out', out]))).code).toBe(1);
    expect(existsSync(join(out, 'empty.pdf', 'error.json'))).toBe(true);
    expect(existsSync(join(out, OUTPUT_LOCK))).toBe(false);
  });

  it('refuses bad arguments with INVALID_ARGUMENT', async () => {
    await expect(run([])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(run(['/nonexistent/file.pdf'])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(run([join(DOCUMENTS, 'invoice.png'), '--webhook', 'http://127.0.0.1:9/x', '--webhook-secret', 'not-a-secret'])).rejects.toMatchObject({ code: 'WEBHOOK_SECRET_INVALID' });
  });
});
