/**
 * docs/errors.md must list every stable code docpipe can produce, and no code that is gone. The codes are collected
 * from the code at test time (the constant maps, DocpipeError literals, the local server's HTTP errors, the CLI's
 * error lines, delivery and warning codes) and from the state machines, so a code added without its row fails here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { API_ERRORS, statusOfCode } from '../../lambdas/domain/api/errors';
import { ERROR_CODES } from '../../lambdas/domain/errors';
import { INTAKE_ERRORS } from '../../lambdas/domain/intake/inspect';
import { PIPELINE_ERRORS } from '../../lambdas/domain/pipeline/errors';
import { WEBHOOK_ERRORS } from '../../lambdas/domain/webhooks/errors';
import { DOCUMENT_TABLE_ERRORS } from '../../lambdas/ports/document-table';
import { OBJECT_STORE_ERRORS } from '../../lambdas/ports/object-store';

const ROOT = join(__dirname, '..', '..');
const DOC = readFileSync(join(ROOT, 'docs', 'errors.md'), 'utf8');
/** A docpipe code: UPPER_SNAKE, no dots (so never States.* or Lambda.*). */
const CODE = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/;
const isCode = (value: string): boolean => value.length >= 3 && CODE.test(value);

type CodeMaps = Record<string, Record<string, string>>;

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : tsFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

const SOURCES = [...tsFiles(join(ROOT, 'lambdas')), ...tsFiles(join(ROOT, 'bin'))].map((path) => ({ path: relative(ROOT, path), text: readFileSync(path, 'utf8') }));

/** Every exported `*_ERRORS` / `ERROR_CODES` map in the source, loaded from its module: a new map needs no edit here. */
function discoverMaps(): CodeMaps {
  const maps: CodeMaps = {};
  for (const { path, text } of SOURCES) {
    for (const [, name] of text.matchAll(/export const ([A-Z][A-Z0-9_]*_ERRORS|ERROR_CODES) = \{/g)) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      maps[name] = (require(join(ROOT, path)) as Record<string, Record<string, string>>)[name];
    }
  }
  return maps;
}

const IMPORTED: CodeMaps = { ERROR_CODES, INTAKE_ERRORS, PIPELINE_ERRORS, WEBHOOK_ERRORS, API_ERRORS, OBJECT_STORE_ERRORS, DOCUMENT_TABLE_ERRORS };
const MAPS: CodeMaps = { ...discoverMaps(), ...IMPORTED };

/** The codes an expression stands for: quoted literals, and `SOME_ERRORS.MEMBER` references. */
function codesOfExpression(expression: string): string[] {
  const literals = [...expression.matchAll(/['"]([A-Z][A-Z0-9_]*)['"]/g)].map((m) => m[1]);
  const references = [...expression.matchAll(/\b([A-Z][A-Z0-9_]*)\.([A-Z][A-Z0-9_]*)\b/g)].map(([, map, member]) => MAPS[map]?.[member]).filter((code): code is string => code !== undefined);
  return [...literals, ...references].filter(isCode);
}

interface Found {
  code: string;
  /** The HTTP status the local server answers with, for HttpError. */
  status?: number;
}

/** The codes a source text produces, outside the constant maps. */
function codesInSource(text: string): Found[] {
  const found: Found[] = [];
  // new DocpipeError('CODE', ...), new DocpipeError(flag ? 'A' : 'B', ...), new DocpipeError(MAP.CODE, ...)
  for (const [, first] of text.matchAll(/new DocpipeError\(\s*([^,]+?)\s*,/g)) found.push(...codesOfExpression(first).map((code) => ({ code })));
  // docpipe serve: new HttpError(401, 'UNAUTHORIZED', ...)
  for (const [, status, first] of text.matchAll(/new HttpError\(\s*(\d{3})\s*,\s*([^,]+?)\s*,/g)) found.push(...codesOfExpression(first).map((code) => ({ code, status: Number(status) })));
  // The CLI's contract line: `error INTERNAL: ...`
  for (const [, code] of text.matchAll(/\berror ([A-Z][A-Z0-9_]*): /g)) if (isCode(code)) found.push({ code });
  // Codes and reasons given by value (not compared: `code === 'ENOENT'` reads a Node error): attempt errors,
  // dead-letter reasons, document warnings. Template literals (`TEXTRACT_${...}`) are patterns, documented as such.
  for (const [, expression] of text.matchAll(/\b(?:code|reason)\s*(?::|=(?!=))\s*([^;,\n]+)/g)) {
    for (const [, code] of expression.replace(/`[^`]*`/g, '').matchAll(/['"]([A-Z][A-Z0-9_]*)['"]/g)) if (isCode(code)) found.push({ code });
  }
  return found;
}

interface AslState {
  Type: string;
  Error?: string;
  Retry?: { ErrorEquals: string[] }[];
  Catch?: { ErrorEquals: string[] }[];
  Branches?: { States: Record<string, AslState> }[];
  Iterator?: { States: Record<string, AslState> };
  ItemProcessor?: { States: Record<string, AslState> };
}

/** Error names of the state machines: what Retry and Catch match, and what Fail states end with. */
function aslErrorNames(): { retried: Set<string>; named: Set<string> } {
  const retried = new Set<string>();
  const named = new Set<string>();
  const walk = (states: Record<string, AslState>): void => {
    for (const state of Object.values(states)) {
      for (const retry of state.Retry ?? []) {
        for (const name of retry.ErrorEquals) {
          retried.add(name);
          named.add(name);
        }
      }
      for (const c of state.Catch ?? []) for (const name of c.ErrorEquals) named.add(name);
      if (state.Type === 'Fail' && state.Error) named.add(state.Error);
      for (const branch of state.Branches ?? []) walk(branch.States);
      if (state.Iterator) walk(state.Iterator.States);
      if (state.ItemProcessor) walk(state.ItemProcessor.States);
    }
  };
  const dir = join(ROOT, 'state-machines');
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.asl.json'))) walk((JSON.parse(readFileSync(join(dir, file), 'utf8')) as { States: Record<string, AslState> }).States);
  const codes = (names: Set<string>) => new Set([...names].filter(isCode));
  return { retried: codes(retried), named: codes(named) };
}

interface Row {
  section: string;
  /** Cells by the table's header. */
  cells: Record<string, string>;
  /** The codes in the row's first cell. */
  codes: string[];
}

/** Every row of every table in the page, under the heading it sits in. */
function rowsOf(markdown: string): Row[] {
  const lines = markdown.split('\n');
  const split = (line: string): string[] => line.trim().replace(/^\|/, '').replace(/\|$/, '').split('|').map((cell) => cell.trim());
  const rows: Row[] = [];
  let section = '';
  for (let i = 0; i < lines.length; i++) {
    if (/^#{2,3} /.test(lines[i])) section = lines[i].replace(/^#+ /, '');
    if (!lines[i].startsWith('|') || !/^\|\s*-{3}/.test(lines[i + 1] ?? '')) continue;
    const header = split(lines[i]);
    for (i += 2; i < lines.length && lines[i].startsWith('|'); i++) {
      const values = split(lines[i]);
      const cells = Object.fromEntries(header.map((name, k) => [name, values[k] ?? '']));
      rows.push({ section, cells, codes: [...values[0].matchAll(/`([^`]+)`/g)].map((m) => m[1]).filter(isCode) });
    }
  }
  return rows;
}

const asl = aslErrorNames();
const fromSource = SOURCES.flatMap(({ text }) => codesInSource(text));
const COLLECTED = new Set<string>([...Object.values(MAPS).flatMap((map) => Object.values(map)), ...fromSource.map((f) => f.code), ...asl.named]);
const ROWS = rowsOf(DOC);
const DOCUMENTED = new Set(ROWS.flatMap((row) => row.codes));

const undocumented = (codes: Iterable<string>): string[] => [...codes].filter((code) => !DOCUMENTED.has(code)).sort();

describe('docs/errors.md', () => {
  it('collects the codes from every place they are made', () => {
    // The scan itself must work: each kind of source contributes, and the imported maps are among the discovered ones.
    expect(Object.keys(discoverMaps())).toEqual(expect.arrayContaining(Object.keys(IMPORTED)));
    for (const map of Object.values(MAPS)) for (const code of Object.values(map)) expect(code).toMatch(CODE);
    const sourceCodes = new Set(fromSource.map((f) => f.code));
    expect([...sourceCodes]).toEqual(expect.arrayContaining(['CONFIGURATION_MISSING', 'PAGE_MODEL_BAD_RESPONSE', 'INTERNAL', 'URL_SIGNATURE_INVALID', 'RETRIES_EXHAUSTED', 'TEXTRACT_WORD_WITHOUT_LINE']));
    expect([...asl.named]).toEqual(expect.arrayContaining(['DOCUMENT_FAILED', 'WEBHOOK_DEAD_LETTERED', 'OCR_THROTTLED']));
    expect([...asl.named].some((name) => name.startsWith('States.') || name.startsWith('Lambda.'))).toBe(false);
  });

  it('documents every code as a table entry', () => {
    expect(undocumented(COLLECTED)).toEqual([]);
  });

  it('names no code that no longer exists', () => {
    expect([...DOCUMENTED].filter((code) => !COLLECTED.has(code)).sort()).toEqual([]);
  });

  it('would fail for a code added without its row', () => {
    const added = codesInSource("if (!ok) throw new DocpipeError('BRAND_NEW_CODE', 'Something new.', { retryable: true });").map((f) => f.code);
    expect(added).toEqual(['BRAND_NEW_CODE']);
    expect(undocumented([...COLLECTED, ...added])).toEqual(['BRAND_NEW_CODE']);
  });

  it('gives each client API code the HTTP status the API answers with', () => {
    const httpRows = ROWS.filter((row) => 'HTTP' in row.cells);
    const statusesIn = (code: string): number[] => httpRows.filter((row) => row.codes.includes(code)).map((row) => Number(row.cells.HTTP));
    const serveStatuses = new Map<string, number[]>();
    for (const { code, status } of fromSource) if (status !== undefined) serveStatuses.set(code, [...(serveStatuses.get(code) ?? []), status]);

    for (const code of COLLECTED) {
      const status = statusOfCode(code);
      if (status !== undefined) expect({ code, statuses: statusesIn(code) }).toEqual({ code, statuses: [status] });
    }
    for (const [code, statuses] of serveStatuses) {
      const expected = statusOfCode(code) !== undefined ? [statusOfCode(code)] : statuses;
      for (const documented of statusesIn(code)) expect({ code, documented, allowed: expected.includes(documented) }).toEqual({ code, documented, allowed: true });
      expect({ code, rows: statusesIn(code).length > 0 }).toEqual({ code, rows: true });
    }
  });

  it('says "Yes, state machine" exactly for the codes a Retry clause matches', () => {
    const retryRows = ROWS.filter((row) => 'Retried' in row.cells);
    for (const row of retryRows) {
      for (const code of row.codes) expect({ code, section: row.section, byStateMachine: row.cells.Retried.startsWith('Yes, state machine') }).toEqual({ code, section: row.section, byStateMachine: asl.retried.has(code) });
    }
    for (const code of asl.retried) expect({ code, rows: retryRows.filter((row) => row.codes.includes(code)).length > 0 }).toEqual({ code, rows: true });
  });
});
