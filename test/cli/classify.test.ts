import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normalizeTextract } from '../../lambdas/domain/adapters/textract';
import { loadModelArtifact } from '../../lambdas/local/in-process-page-model';

const ROOT = join(__dirname, '..', '..');
const docpipe = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, 'bin', 'docpipe.js'), 'classify', ...args], { cwd: ROOT, encoding: 'utf8' });

describe('docpipe classify', () => {
  it('classifies raw vendor responses and common-format documents, one JSON line per file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'docpipe-classify-'));
    const common = join(dir, 'sample-invoice.docpipe.json');
    writeFileSync(common, JSON.stringify(normalizeTextract(JSON.parse(readFileSync(join(ROOT, 'test/fixtures/documents/sample-invoice.pdf.textract.json'), 'utf8')))));
    const result = docpipe(join(ROOT, 'test/fixtures/textract/multi-page-forms-samples-2-page.json'), common);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const [forms, invoice] = result.stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(forms.pages.map((p: { number: number; label: string }) => [p.number, p.label])).toEqual([[1, 'application_form'], [2, 'application_form']]);
    expect(invoice.pages[0]).toMatchObject({ label: 'invoice', modelVersion: loadModelArtifact().version, needsReview: false, top: expect.any(Array) });
  });

  it('marks every page for review under a strict threshold, and rejects a bad one', () => {
    const strict = docpipe(join(ROOT, 'test/fixtures/textract/test-query-response.json'), '--threshold', '0.999999');
    expect(JSON.parse(strict.stdout).pages[0].needsReview).toBe(true);
    const bad = docpipe(join(ROOT, 'test/fixtures/textract/test-query-response.json'), '--threshold', '7');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^error INVALID_ARGUMENT: /);
  });
});
