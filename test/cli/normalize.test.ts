import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
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

  it('gives inputs of the same name from different folders outputs of their own, never overwriting one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'docpipe-normalize-'));
    const out = join(dir, 'out');
    for (const [folder, name, fixture] of [['a', 'doc.json', 'paystub-response.json'], ['b', 'doc.json', 'table-example-response.json'], ['c', 'DOC.json', 'form1005-response.json']]) {
      mkdirSync(join(dir, folder));
      writeFileSync(join(dir, folder, name), readFileSync(join(FIXTURES, 'textract', fixture)));
    }
    // An input whose own name is doc-2 keeps it: the suffix skips it.
    writeFileSync(join(dir, 'doc-2.json'), readFileSync(join(FIXTURES, 'textract', 'issue_83.json')));
    const { code, stderr } = docpipe('normalize', join(dir, 'a', 'doc.json'), join(dir, 'b', 'doc.json'), join(dir, 'doc-2.json'), join(dir, 'c', 'DOC.json'), '--out', out);
    expect(code).toBe(0);
    expect(stderr).toContain(`${join(dir, 'b', 'doc.json')} -> ${join(out, 'doc-3.docpipe.json')}`);
    const tables = (name: string) => JSON.parse(readFileSync(join(out, `${name}.docpipe.json`), 'utf8')).pages[0].tables.length;
    // DOC and doc are one file on macOS and Windows.
    expect(['doc', 'doc-3', 'doc-2', 'DOC-4'].map(tables)).toEqual([7, 1, expect.any(Number), 2]);
    expect(JSON.parse(readFileSync(join(out, 'doc-2.docpipe.json'), 'utf8')).source.name).toBe('doc-2.json');
    const files = readdirSync(out);
    expect(files.filter((f) => f.startsWith('doc.page-'))).toHaveLength(7);
    expect(files.filter((f) => f.startsWith('doc-3.page-'))).toEqual(['doc-3.page-1-table-1.csv']);
  });

  it('reads a file that starts with a UTF-8 byte order mark, and quotes bad JSON on one whole line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'docpipe-normalize-'));
    const fixture = readFileSync(join(FIXTURES, 'textract', 'table-example-response.json'));
    writeFileSync(join(dir, 'bom.json'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), fixture]));
    const bom = docpipe('normalize', join(dir, 'bom.json'));
    expect({ code: bom.code, stderr: bom.stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(bom.stdout).pages[0].tables).toHaveLength(1);

    writeFileSync(join(dir, 'bad.json'), '{"Blocks":\n\n  }');
    const bad = docpipe('normalize', join(dir, 'bad.json'));
    expect(bad.code).toBe(1);
    // JSON.parse quotes the input around the fault, line breaks and all: they are escaped, the excerpt kept whole.
    expect(bad.stderr.split('\n')).toEqual([expect.stringMatching(/^error INVALID_JSON: .*bad\.json: The file is not JSON \(.*"\{"Blocks":\\n\\n {2}\}".*\)\. Pass the raw JSON response/), '']);
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
