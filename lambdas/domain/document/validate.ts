/**
 * validateDocument: the schema check plus what a schema cannot say: every id is unique, every referenced id
 * resolves to an element of the right kind, every word belongs to exactly one line, every box lies on the page,
 * every page named exists, and continued tables link to each other across one page break.
 */
import { DocpipeError, ERROR_CODES } from '../errors';
import { Document, DocumentSchema, ExpenseField, Geometry, MAX_TABLE_POSITIONS, Page, Table } from './schema';

export interface ValidationIssue {
  path: string;
  message: string;
}

export interface ValidationResult {
  ok: boolean;
  issues: ValidationIssue[];
  document?: Document;
}

type Kind = 'page' | 'word' | 'line' | 'region' | 'table' | 'cell' | 'caption' | 'field' | 'selection' | 'signature' | 'query' | 'answer' | 'expense' | 'expenseField';

/** Checks a candidate document; never throws. */
export function checkDocument(candidate: unknown): ValidationResult {
  const parsed = DocumentSchema.safeParse(candidate);
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.slice(0, 50).map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    };
  }
  const document = parsed.data;
  const issues = checkReferences(document);
  return { ok: issues.length === 0, issues, document };
}

/** Validates and returns the parsed document (defaults filled in); throws DOCUMENT_INVALID with the first issues. */
export function validateDocument(candidate: unknown): Document {
  const result = checkDocument(candidate);
  if (!result.ok || !result.document) {
    const summary = result.issues
      .slice(0, 5)
      .map((issue) => `${issue.path || '(root)'}: ${issue.message}`)
      .join('; ');
    throw new DocpipeError(ERROR_CODES.DOCUMENT_INVALID, `The document does not follow docpipe.document v1: ${summary}`, {
      details: { issues: result.issues.slice(0, 50) },
    });
  }
  return result.document;
}

/**
 * What is wrong with a table's grid size, if anything. An empty grid is 0x0: rows without columns (or the reverse)
 * hold no position, so a bound on positions alone would let any number of them through, and the CSV export would
 * write that many records of no field. With both at least 1, bounding the product bounds each of them too.
 */
export function gridIssue(table: Pick<Table, 'rows' | 'columns'>): string | undefined {
  const { rows, columns } = table;
  if ((rows === 0) !== (columns === 0)) return `the ${rows}x${columns} grid has ${rows === 0 ? 'columns but no rows' : 'rows but no columns'}: an empty table is 0x0`;
  if (rows * columns > MAX_TABLE_POSITIONS) return `the ${rows}x${columns} grid has more than ${MAX_TABLE_POSITIONS} positions: its row or column indexes are out of range`;
  return undefined;
}

function checkReferences(document: Document): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const kinds = new Map<string, Kind>();
  const pageOf = new Map<string, number>();

  const declare = (id: string, kind: Kind, path: string, page?: number): void => {
    if (kinds.has(id)) issues.push({ path, message: `duplicate id "${id}"` });
    kinds.set(id, kind);
    if (page !== undefined) pageOf.set(id, page);
  };
  const expect = (ids: readonly string[], kind: Kind, path: string, page?: number): void => {
    for (const id of ids) {
      const found = kinds.get(id);
      if (found !== kind) issues.push({ path, message: found ? `"${id}" is a ${found}, expected a ${kind}` : `unresolved ${kind} id "${id}"` });
      else if (page !== undefined && pageOf.get(id) !== page) issues.push({ path, message: `${kind} "${id}" is on another page` });
    }
  };
  const inPage = (geometry: Geometry | undefined, path: string): void => {
    if (!geometry) return;
    const { left, top, width, height } = geometry.box;
    const slack = 1e-6;
    if (left + width > 1 + slack || top + height > 1 + slack) issues.push({ path, message: 'bounding box extends beyond the page' });
  };

  // Declare everything first: references may point forwards (a region to a later table, a table to a later page).
  const pageNumbers = new Set<number>();
  document.pages.forEach((page, p) => {
    const at = `pages.${p}`;
    if (pageNumbers.has(page.number)) issues.push({ path: `${at}.number`, message: `duplicate page number ${page.number}` });
    pageNumbers.add(page.number);
    declare(page.id, 'page', at);
    declarePage(page, at, declare);
  });
  document.queries.forEach((query, q) => {
    declare(query.id, 'query', `queries.${q}`);
    query.answers.forEach((answer, a) => declare(answer.id, 'answer', `queries.${q}.answers.${a}`));
  });
  document.expenseDocuments.forEach((expense, e) => {
    declare(expense.id, 'expense', `expenseDocuments.${e}`);
    const fields = [...expense.summaryFields, ...expense.lineItemGroups.flatMap((group) => group.lineItems.flatMap((item) => item.fields))];
    fields.forEach((field) => declare(field.id, 'expenseField', `expenseDocuments.${e}.fields`));
  });

  if (document.source.pageCount < document.pages.length) {
    issues.push({ path: 'source.pageCount', message: `pageCount ${document.source.pageCount} is less than the ${document.pages.length} pages present` });
  }

  // A continued table goes on in the table its link names, on the next page (previous, for continuesFrom), and that
  // table links back: the CSV export follows these links to join the parts.
  const tables = new Map<string, { table: Table; page: number }>();
  for (const page of document.pages) for (const table of page.tables) if (!tables.has(table.id)) tables.set(table.id, { table, page: page.number });
  const checkContinuation = (table: Table, page: number, link: 'continuesTo' | 'continuesFrom', tp: string): void => {
    const target = table[link];
    if (target === undefined) return;
    const path = `${tp}.${link}`;
    const other = tables.get(target);
    if (kinds.get(target) !== 'table' || !other) {
      expect([target], 'table', path);
      return;
    }
    const forward = link === 'continuesTo';
    const wanted = forward ? page + 1 : page - 1;
    if (other.page !== wanted) {
      issues.push({ path, message: `table "${target}" is on page ${other.page}, not on the ${forward ? 'next' : 'previous'} page (${wanted})` });
    } else if (other.table[forward ? 'continuesFrom' : 'continuesTo'] !== table.id) {
      issues.push({ path, message: `table "${target}" does not link back to "${table.id}" with ${forward ? 'continuesFrom' : 'continuesTo'}` });
    }
  };

  document.pages.forEach((page, p) => {
    const at = `pages.${p}`;
    const n = page.number;
    const lineOfWord = new Map<string, string>();
    page.words.forEach((word, i) => inPage(word.geometry, `${at}.words.${i}.geometry`));
    page.lines.forEach((line, i) => {
      expect(line.wordIds, 'word', `${at}.lines.${i}.wordIds`, n);
      inPage(line.geometry, `${at}.lines.${i}.geometry`);
      for (const wordId of line.wordIds) {
        const other = lineOfWord.get(wordId);
        if (other) issues.push({ path: `${at}.lines.${i}`, message: `word "${wordId}" already belongs to line "${other}"` });
        lineOfWord.set(wordId, line.id);
      }
    });
    for (const word of page.words) {
      if (!lineOfWord.has(word.id)) issues.push({ path: `${at}.words`, message: `word "${word.id}" belongs to no line` });
    }
    page.regions.forEach((region, i) => {
      const rp = `${at}.regions.${i}`;
      expect(region.lineIds, 'line', `${rp}.lineIds`, n);
      expect(region.regionIds, 'region', `${rp}.regionIds`, n);
      expect(region.tableIds, 'table', `${rp}.tableIds`, n);
      expect(region.fieldIds, 'field', `${rp}.fieldIds`, n);
      inPage(region.geometry, `${rp}.geometry`);
    });
    page.tables.forEach((table, t) => {
      const tp = `${at}.tables.${t}`;
      inPage(table.geometry, `${tp}.geometry`);
      checkContinuation(table, n, 'continuesTo', tp);
      checkContinuation(table, n, 'continuesFrom', tp);
      for (const caption of [...table.titles, ...table.footers]) expect(caption.wordIds, 'word', `${tp}.captions`, n);
      const badGrid = gridIssue(table);
      if (badGrid) {
        // Checking (or exporting) each position of such a grid would take minutes and gigabytes: say so and stop here.
        issues.push({ path: tp, message: badGrid });
        return;
      }
      const covered = new Set<string>();
      table.cells.forEach((cell, c) => {
        const cp = `${tp}.cells.${c}`;
        expect(cell.wordIds, 'word', `${cp}.wordIds`, n);
        expect(cell.selectionIds, 'selection', `${cp}.selectionIds`, n);
        expect(cell.signatureIds, 'signature', `${cp}.signatureIds`, n);
        inPage(cell.geometry, `${cp}.geometry`);
        if (cell.row + cell.rowSpan > table.rows || cell.column + cell.colSpan > table.columns) {
          issues.push({ path: cp, message: `cell spans beyond the ${table.rows}x${table.columns} grid` });
          return;
        }
        for (let r = cell.row; r < cell.row + cell.rowSpan; r++) {
          for (let k = cell.column; k < cell.column + cell.colSpan; k++) {
            const slot = `${r},${k}`;
            if (covered.has(slot)) issues.push({ path: cp, message: `grid position (${slot}) is covered by two cells` });
            covered.add(slot);
          }
        }
      });
    });
    page.fields.forEach((field, f) => {
      const fp = `${at}.fields.${f}`;
      for (const part of ['key', 'value'] as const) {
        expect(field[part].wordIds, 'word', `${fp}.${part}.wordIds`, n);
        expect(field[part].selectionIds, 'selection', `${fp}.${part}.selectionIds`, n);
        expect(field[part].signatureIds, 'signature', `${fp}.${part}.signatureIds`, n);
        inPage(field[part].geometry, `${fp}.${part}.geometry`);
      }
    });
    page.selections.forEach((selection, i) => inPage(selection.geometry, `${at}.selections.${i}.geometry`));
    page.signatures.forEach((signature, i) => inPage(signature.geometry, `${at}.signatures.${i}.geometry`));
  });

  document.queries.forEach((query, q) => {
    for (const pageNumber of query.pages) {
      if (!pageNumbers.has(pageNumber)) issues.push({ path: `queries.${q}.pages`, message: `page ${pageNumber} does not exist` });
    }
    query.answers.forEach((answer, a) => {
      if (answer.page !== undefined && !pageNumbers.has(answer.page)) issues.push({ path: `queries.${q}.answers.${a}.page`, message: `page ${answer.page} does not exist` });
      inPage(answer.geometry, `queries.${q}.answers.${a}.geometry`);
    });
  });
  // Expense fields get the checks of query answers: their page exists and their boxes lie on it.
  const checkExpenseField = (field: ExpenseField, path: string): void => {
    if (field.page !== undefined && !pageNumbers.has(field.page)) issues.push({ path: `${path}.page`, message: `page ${field.page} does not exist` });
    inPage(field.label?.geometry, `${path}.label.geometry`);
    inPage(field.value.geometry, `${path}.value.geometry`);
  };
  document.expenseDocuments.forEach((expense, e) => {
    const at = `expenseDocuments.${e}`;
    for (const pageNumber of expense.pages) {
      if (!pageNumbers.has(pageNumber)) issues.push({ path: `${at}.pages`, message: `page ${pageNumber} does not exist` });
    }
    expense.summaryFields.forEach((field, f) => checkExpenseField(field, `${at}.summaryFields.${f}`));
    expense.lineItemGroups.forEach((group, g) =>
      group.lineItems.forEach((item, i) => item.fields.forEach((field, f) => checkExpenseField(field, `${at}.lineItemGroups.${g}.lineItems.${i}.fields.${f}`))),
    );
  });
  return issues;
}

function declarePage(page: Page, at: string, declare: (id: string, kind: Kind, path: string, page?: number) => void): void {
  const n = page.number;
  page.words.forEach((word, i) => declare(word.id, 'word', `${at}.words.${i}`, n));
  page.lines.forEach((line, i) => declare(line.id, 'line', `${at}.lines.${i}`, n));
  page.regions.forEach((region, i) => declare(region.id, 'region', `${at}.regions.${i}`, n));
  page.selections.forEach((selection, i) => declare(selection.id, 'selection', `${at}.selections.${i}`, n));
  page.signatures.forEach((signature, i) => declare(signature.id, 'signature', `${at}.signatures.${i}`, n));
  page.fields.forEach((field, i) => declare(field.id, 'field', `${at}.fields.${i}`, n));
  page.tables.forEach((table, t) => {
    declare(table.id, 'table', `${at}.tables.${t}`, n);
    table.cells.forEach((cell, c) => declare(cell.id, 'cell', `${at}.tables.${t}.cells.${c}`, n));
    [...table.titles, ...table.footers].forEach((caption) => declare(caption.id, 'caption', `${at}.tables.${t}`, n));
  });
}
