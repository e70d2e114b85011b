import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkDocument } from '../../lambdas/domain/document';

const ROOT = join(__dirname, '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures');

function docpipe(...args: string[]) {
  const result = spawnSync(process.execPath, [join(ROOT, 'bin', 'docpipe.js'), ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('docpipe normalize', () => {
  it('prints the common JSON of one response on stdout', () => {
    const { code, stdout, stderr } = docpipe('normalize', join(FIXTURES, 'documents', 'receipt.jpg.textract.json'));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const document = JSON.parse(stdout);
    expect(checkDocument(document).ok).toBe(true);
    expect(document.source.name).toBe('receipt.jpg.textract.json');
    expect(document.pages[0].lines.length).toBeGreaterThan(10);
  });

  it('writes one document and its table CSVs per input into --out, and reports each bad input with its code', () => {
    const out = mkdtempSync(join(tmpdir(), 'docpipe-normalize-'));
    const notJson = join(out, 'broken.json');
    writeFileSync(notJson, '{"Blocks": [');
    const { code, stderr } = docpipe(
      'normalize',
      join(FIXTURES, 'textract', 'form1005-response.json'),
      notJson,
      join(FIXTURES, 'textract', 'test-failed-response.json'),
      join(FIXTURES, 'textract', 'gib.json'),
      '--out', out, '--merged-cells', 'anchor',
    );
    expect(code).toBe(1);
    const errors = stderr.split('\n').filter((line) => line.startsWith('error '));
    expect(errors.map((line) => line.split(':')[0])).toEqual(['error INVALID_JSON', 'error TEXTRACT_JOB_FAILED', 'error TEXTRACT_INCOMPLETE_RESULT']);
    const files = readdirSync(out).sort();
    expect(files).toEqual(['broken.json', 'form1005-response.docpipe.json', 'form1005-response.page-1-table-1.csv', 'form1005-response.page-1-table-2.csv']);
    const csv = readFileSync(join(out, 'form1005-response.page-1-table-2.csv'), 'utf8');
    expect(csv.startsWith('12B. Gross Earnings,,,,')).toBe(true);
  });

  it('exits 2 with a usage error on unknown options, verbs or vendors', () => {
    expect(docpipe('normalize').code).toBe(2);
    const unknownOption = docpipe('normalize', '--frobnicate');
    expect(unknownOption.code).toBe(2);
    expect(unknownOption.stderr).toMatch(/^error INVALID_ARGUMENT: /);
    expect(docpipe('frobnicate').stderr).toMatch(/^error INVALID_ARGUMENT: unknown verb "frobnicate"/);
    const vendor = docpipe('normalize', join(FIXTURES, 'textract', 'issue_83.json'), '--vendor', 'abbyy');
    expect(vendor.code).toBe(1);
    expect(vendor.stderr).toMatch(/^error INVALID_ARGUMENT: .*Unknown vendor "abbyy"/);
  });

  it('says UNRECOGNISED_RESPONSE for JSON that no vendor produced', () => {
    const dir = mkdtempSync(join(tmpdir(), 'docpipe-normalize-'));
    writeFileSync(join(dir, 'x.json'), '{"hello": "world"}');
    const { code, stderr } = docpipe('normalize', join(dir, 'x.json'));
    expect(code).toBe(1);
    expect(stderr).toMatch(/^error UNRECOGNISED_RESPONSE: /);
  });
});
