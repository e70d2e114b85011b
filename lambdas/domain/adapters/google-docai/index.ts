/**
 * The Google Document AI adapter: a `Document` (proto3 JSON, as the API and the toolbox write it) into
 * `docpipe.document` v1. OCR-style processors (Document OCR, Form Parser, Invoice/Expense parsers) give pages with
 * tokens, lines, paragraphs, tables and form fields, all pointing into the document's `text` by text anchors; the
 * Layout Parser gives a tree of blocks (`documentLayout`) with text but no geometry.
 *
 * Text anchors, not ids, tie the elements together: a token belongs to the line whose text range holds its start.
 * Tokens and lines are sorted by start once and matched in one sweep, so mapping stays linear.
 * proto3 JSON writes int64 as strings and leaves default values out (startIndex 0 is absent): read with that in mind.
 */
import {
  DOCUMENT_SCHEMA_NAME,
  DOCUMENT_SCHEMA_VERSION,
  MAX_TABLE_POSITIONS,
  type Cell,
  type Document,
  type DocumentWarning,
  type ExpenseDocument,
  type ExpenseField,
  type Field,
  type Geometry,
  type Orientation,
  type Page,
  type Region,
  type Table,
} from '../../document';
import { IdSequence } from '../page-assembly';
import { linkContinuedTables } from '../table-continuation';
import { DocpipeError, ERROR_CODES } from '../../errors';
import { malformedParts } from './document-schema';

export const GOOGLE_DOCAI_ADAPTER = { name: 'docpipe-google-docai', version: '1.0.0' } as const;

interface Vertex {
  x?: number;
  y?: number;
}
interface TextAnchor {
  textSegments?: { startIndex?: string | number; endIndex?: string | number }[];
  content?: string;
}
interface Layout {
  textAnchor?: TextAnchor;
  confidence?: number;
  boundingPoly?: { vertices?: Vertex[]; normalizedVertices?: Vertex[] };
  orientation?: string;
}
interface TableCell {
  layout?: Layout;
  rowSpan?: number;
  colSpan?: number;
}
interface TableRow {
  cells?: TableCell[];
}
interface RawPage {
  pageNumber?: number;
  dimension?: { width?: number; height?: number; unit?: string };
  layout?: Layout;
  tokens?: { layout?: Layout; detectedBreak?: unknown }[];
  lines?: { layout?: Layout }[];
  paragraphs?: { layout?: Layout }[];
  tables?: { layout?: Layout; headerRows?: TableRow[]; bodyRows?: TableRow[] }[];
  formFields?: { fieldName?: Layout; fieldValue?: Layout; valueType?: string }[];
  [key: string]: unknown;
}
interface RawEntity {
  type?: string;
  mentionText?: string;
  confidence?: number;
  id?: string;
  normalizedValue?: { text?: string; moneyValue?: { currencyCode?: string } };
  pageAnchor?: { pageRefs?: { page?: string | number; boundingPoly?: Layout['boundingPoly'] }[] };
  properties?: RawEntity[];
}
interface LayoutBlock {
  blockId?: string;
  pageSpan?: { pageStart?: number; pageEnd?: number };
  textBlock?: { text?: string; type?: string; blocks?: LayoutBlock[] };
  listBlock?: { listEntries?: { blocks?: LayoutBlock[] }[] };
  tableBlock?: { headerRows?: { cells?: { blocks?: LayoutBlock[] }[] }[]; bodyRows?: { cells?: { blocks?: LayoutBlock[] }[] }[] };
}
interface RawDocument {
  text?: string;
  pages?: RawPage[];
  entities?: RawEntity[];
  documentLayout?: { blocks?: LayoutBlock[] };
  uri?: string;
  mimeType?: string;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A Document AI Document, or a ProcessResponse holding one under `document`. */
export function looksLikeGoogleDocai(value: unknown): boolean {
  const document = isObject(value) && isObject(value.document) ? value.document : value;
  if (!isObject(document)) return false;
  if (isObject(document.documentLayout)) return true;
  const pages = document.pages;
  return Array.isArray(pages) && pages.length > 0 && isObject(pages[0]) && ('pageNumber' in pages[0] || 'layout' in pages[0] || 'tokens' in pages[0]);
}

export interface NormalizeGoogleDocaiOptions {
  documentId?: string;
  source?: { contentType?: string; sha256?: string; name?: string };
}

export function normalizeGoogleDocai(input: unknown, options: NormalizeGoogleDocaiOptions = {}): Document {
  const raw = (isObject(input) && isObject(input.document) ? input.document : input) as RawDocument;
  if (!looksLikeGoogleDocai(raw)) {
    throw new DocpipeError(ERROR_CODES.UNRECOGNISED_RESPONSE, 'Expected a Google Document AI Document (with "pages" or "documentLayout"), or a ProcessResponse holding one.');
  }
  const malformed = malformedParts(raw);
  if (malformed !== undefined) {
    throw new DocpipeError(ERROR_CODES.GOOGLE_DOCAI_INVALID_RESPONSE, `The Document AI document is malformed: ${malformed}. Pass the document unchanged.`);
  }
  const builder = new Builder(raw.text ?? '');
  const warnings: DocumentWarning[] = [];
  const pages = raw.documentLayout ? builder.layoutPages(raw.documentLayout.blocks ?? []) : (raw.pages ?? []).map((page, i) => builder.page(page, i + 1));
  const expenseDocuments = raw.entities?.length ? builder.expenseDocuments(raw.entities) : [];
  if (raw.entities?.length && expenseDocuments.length === 0) {
    warnings.push({ code: 'GOOGLE_DOCAI_ENTITIES_KEPT_RAW', message: `${raw.entities.length} entities of a processor docpipe does not map were kept under ext.googleDocai.entities.` });
  }
  if (pages.length === 0) throw new DocpipeError(ERROR_CODES.UNRECOGNISED_RESPONSE, 'The Document AI document has no pages: nothing to normalise.');
  linkContinuedTables(pages);

  const ext: Record<string, unknown> = {};
  if (raw.uri) ext.uri = raw.uri;
  if (raw.mimeType) ext.mimeType = raw.mimeType;
  if (raw.entities?.length && expenseDocuments.length === 0) ext.entities = raw.entities;
  return {
    schema: DOCUMENT_SCHEMA_NAME,
    version: DOCUMENT_SCHEMA_VERSION,
    ...(options.documentId ? { id: options.documentId } : {}),
    source: { ...(options.source ?? {}), ...(raw.mimeType && !options.source?.contentType ? { contentType: raw.mimeType } : {}), pageCount: pages.length },
    producer: { vendor: 'google-docai', api: raw.documentLayout ? 'LayoutParser' : 'ProcessDocument', features: featuresOf(raw) },
    adapter: { ...GOOGLE_DOCAI_ADAPTER },
    warnings,
    pages,
    queries: [],
    expenseDocuments,
    ...(Object.keys(ext).length ? { ext: { googleDocai: ext } } : {}),
  };
}

function featuresOf(raw: RawDocument): string[] {
  const features: string[] = [];
  if (raw.pages?.some((p) => p.formFields?.length)) features.push('FORMS');
  if (raw.pages?.some((p) => p.tables?.length)) features.push('TABLES');
  if (raw.documentLayout) features.push('LAYOUT');
  if (raw.entities?.length) features.push('ENTITIES');
  return features;
}

const ORIENTATION: Record<string, Orientation> = { PAGE_UP: 0, PAGE_RIGHT: 90, PAGE_DOWN: 180, PAGE_LEFT: 270 };
const clamp = (value: number): number => (value < 0 ? 0 : value > 1 ? 1 : value);
const int = (value: string | number | undefined): number => (value === undefined ? 0 : Number(value));

/** The [start, end) text ranges of an anchor's segments, in the vendor's order. */
function segmentsOf(anchor: TextAnchor | undefined): [number, number][] {
  return (anchor?.textSegments ?? []).map((segment) => [int(segment.startIndex), int(segment.endIndex)]);
}

/** Where an anchor's text starts: its first segment's start. */
function startOf(anchor: TextAnchor | undefined): number | undefined {
  const first = anchor?.textSegments?.[0];
  return first ? int(first.startIndex) : undefined;
}

interface TokenRef {
  id: string;
  start: number;
}

class Builder {
  private readonly ids = new IdSequence();

  constructor(private readonly text: string) {}

  private nextId(prefix: string): string {
    return this.ids.next(prefix);
  }

  /**
   * An anchor's text. The segments of a multi-segment anchor lie apart in the text (a value in two places of a form):
   * they are joined with a space where no whitespace already parts them, or their edge words would run together.
   */
  private textOf(anchor: TextAnchor | undefined): string {
    if (!anchor?.textSegments?.length) return (anchor?.content ?? '').trim();
    let text = '';
    let end: number | undefined;
    for (const [start, stop] of segmentsOf(anchor)) {
      const piece = this.text.slice(start, stop);
      if (end !== undefined && start !== end && text && piece && !/\s$/.test(text) && !/^\s/.test(piece)) text += ' ';
      text += piece;
      end = stop;
    }
    return text.replace(/\s+/g, ' ').trim();
  }

  private geometryOf(layout: Layout | undefined, dimension: RawPage['dimension']): Geometry | undefined {
    const poly = layout?.boundingPoly;
    let points: { x: number; y: number }[] | undefined;
    if (poly?.normalizedVertices?.length) points = poly.normalizedVertices.map((v) => ({ x: clamp(v.x ?? 0), y: clamp(v.y ?? 0) }));
    else if (poly?.vertices?.length && dimension?.width && dimension.height) {
      const { width, height } = dimension;
      points = poly.vertices.map((v) => ({ x: clamp((v.x ?? 0) / width), y: clamp((v.y ?? 0) / height) }));
    }
    if (!points || points.length < 3) return undefined;
    const xs = points.map((p) => p.x);
    const ys = points.map((p) => p.y);
    const left = Math.min(...xs);
    const top = Math.min(...ys);
    return { box: { left, top, width: Math.max(...xs) - left, height: Math.max(...ys) - top }, polygon: points.flatMap((p) => [p.x, p.y]) };
  }

  /**
   * Ids of the tokens whose start lies in one of the anchor's segments (tokens sorted by start), segment by segment.
   * Only the segments: the text between two segments belongs to something else.
   */
  private tokensIn(tokens: TokenRef[], anchor: TextAnchor | undefined): string[] {
    const segments = segmentsOf(anchor);
    const ids: string[] = [];
    for (const [start, end] of segments) {
      let lo = 0;
      let hi = tokens.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (tokens[mid].start < start) lo = mid + 1;
        else hi = mid;
      }
      for (let i = lo; i < tokens.length && tokens[i].start < end; i++) ids.push(tokens[i].id);
    }
    // Overlapping segments would list a token twice.
    return segments.length > 1 ? [...new Set(ids)] : ids;
  }

  page(raw: RawPage, position: number): Page {
    const number = raw.pageNumber ?? position;
    const dimension = raw.dimension;
    const page: Page = {
      id: `p${number}`,
      number,
      ...(dimension?.width && dimension.height ? { width: dimension.width, height: dimension.height, unit: dimension.unit === 'inches' ? 'inch' : dimension.unit === 'points' ? 'point' : 'pixel' } : {}),
      orientation: ORIENTATION[raw.layout?.orientation ?? 'PAGE_UP'] ?? 0,
      predictions: null,
      words: [],
      lines: [],
      regions: [],
      tables: [],
      fields: [],
      selections: [],
      signatures: [],
      vendorIds: [],
    };

    const tokens: TokenRef[] = [];
    for (const token of raw.tokens ?? []) {
      const text = this.textOf(token.layout?.textAnchor);
      if (!text) continue;
      const id = this.nextId('w');
      page.words.push({ id, text, confidence: token.layout?.confidence === undefined ? undefined : clamp(token.layout.confidence), rawConfidence: token.layout?.confidence, geometry: this.geometryOf(token.layout, dimension), vendorIds: [] });
      tokens.push({ id, start: startOf(token.layout?.textAnchor) ?? 0 });
    }
    tokens.sort((a, b) => a.start - b.start);

    // Lines own their tokens; a token no line holds gets a line of its own.
    const owned = new Set<string>();
    const lineStarts: { id: string; start: number }[] = [];
    for (const line of raw.lines ?? []) {
      const wordIds = this.tokensIn(tokens, line.layout?.textAnchor).filter((id) => !owned.has(id));
      for (const id of wordIds) owned.add(id);
      const id = this.nextId('l');
      page.lines.push({ id, text: this.textOf(line.layout?.textAnchor), wordIds, confidence: line.layout?.confidence === undefined ? undefined : clamp(line.layout.confidence), rawConfidence: line.layout?.confidence, geometry: this.geometryOf(line.layout, dimension), vendorIds: [] });
      lineStarts.push({ id, start: startOf(line.layout?.textAnchor) ?? 0 });
    }
    // Looked up by id: a search of the tokens per orphan made a page of orphans quadratic.
    const startOfWord = new Map(tokens.map((token) => [token.id, token.start]));
    for (const word of page.words) {
      if (owned.has(word.id)) continue;
      const id = this.nextId('l');
      page.lines.push({ id, text: word.text, wordIds: [word.id], confidence: word.confidence, geometry: word.geometry, vendorIds: [] });
      lineStarts.push({ id, start: startOfWord.get(word.id) ?? 0 });
    }
    lineStarts.sort((a, b) => a.start - b.start);

    // Paragraphs are the layout regions, in text order (Document AI's reading order).
    (raw.paragraphs ?? []).forEach((paragraph, order) => {
      const region: Region = {
        id: this.nextId('r'),
        type: 'paragraph',
        layer: 'body',
        order,
        lineIds: this.tokensIn(lineStarts, paragraph.layout?.textAnchor),
        regionIds: [],
        tableIds: [],
        fieldIds: [],
        confidence: paragraph.layout?.confidence === undefined ? undefined : clamp(paragraph.layout.confidence),
        geometry: this.geometryOf(paragraph.layout, dimension),
        vendorIds: [],
      };
      page.regions.push(region);
    });

    for (const table of raw.tables ?? []) page.tables.push(this.table(table, tokens, dimension));
    for (const field of raw.formFields ?? []) page.fields.push(this.field(field, page, tokens, dimension));

    const unmapped = Object.fromEntries(Object.entries(raw).filter(([key]) => !MAPPED_PAGE_KEYS.has(key)));
    if (isObject(raw.image)) unmapped.image = { omitted: 'the page image is not copied into the document', mimeType: raw.image.mimeType, width: raw.image.width, height: raw.image.height };
    if (Object.keys(unmapped).length) page.ext = { googleDocai: unmapped };
    return page;
  }

  /** Header rows, then body rows; a cell's column is the first free one, after the spans of the rows above. */
  private table(raw: NonNullable<RawPage['tables']>[number], tokens: TokenRef[], dimension: RawPage['dimension']): Table {
    const id = this.nextId('t');
    const cells: Cell[] = [];
    const taken = new Set<string>();
    const rows = [...(raw.headerRows ?? []).map((row) => ({ row, header: true })), ...(raw.bodyRows ?? []).map((row) => ({ row, header: false }))];
    let columns = 0;
    rows.forEach(({ row, header }, r) => {
      let column = 0;
      for (const cell of row.cells ?? []) {
        while (taken.has(`${r},${column}`)) column++;
        const rowSpan = cell.rowSpan ?? 1;
        const colSpan = cell.colSpan ?? 1;
        // The schema bounds each span; the table's cells together cover at most MAX_TABLE_POSITIONS, which bounds this walk.
        if (taken.size + rowSpan * colSpan > MAX_TABLE_POSITIONS) {
          throw new DocpipeError(
            ERROR_CODES.GOOGLE_DOCAI_INVALID_RESPONSE,
            `A Document AI table's cells cover more than ${MAX_TABLE_POSITIONS} positions (a ${rowSpan}x${colSpan} cell in row ${r + 1}): its spans are out of range. Pass the document unchanged.`,
          );
        }
        for (let dr = 0; dr < rowSpan; dr++) for (let dc = 0; dc < colSpan; dc++) taken.add(`${r + dr},${column + dc}`);
        cells.push({
          id: this.nextId('c'),
          row: r,
          column,
          rowSpan,
          colSpan,
          text: this.textOf(cell.layout?.textAnchor),
          wordIds: this.tokensIn(tokens, cell.layout?.textAnchor),
          selectionIds: [],
          signatureIds: [],
          roles: header ? ['column_header'] : [],
          confidence: cell.layout?.confidence === undefined ? undefined : clamp(cell.layout.confidence),
          geometry: this.geometryOf(cell.layout, dimension),
          vendorIds: [],
        });
        column += colSpan;
        columns = Math.max(columns, column);
      }
    });
    // Rows without cells have no columns: a table with no cell at all is an empty 0x0 grid (common-format.md), however
    // many empty rows the vendor listed. Otherwise the grid takes the empty rows in, and is bounded like any other.
    let rowCount = 0;
    for (const cell of cells) rowCount = Math.max(rowCount, cell.row + cell.rowSpan);
    if (cells.length > 0) rowCount = Math.max(rowCount, rows.length);
    if (rowCount * columns > MAX_TABLE_POSITIONS) {
      throw new DocpipeError(
        ERROR_CODES.GOOGLE_DOCAI_INVALID_RESPONSE,
        `A Document AI table of ${rowCount} rows and ${columns} columns has more than ${MAX_TABLE_POSITIONS} positions: its rows or columns are out of range. Pass the document unchanged.`,
      );
    }
    return { id, rows: rowCount, columns, kind: 'unknown', cells, titles: [], footers: [], confidence: raw.layout?.confidence === undefined ? undefined : clamp(raw.layout.confidence), geometry: this.geometryOf(raw.layout, dimension), vendorIds: [] };
  }

  private field(raw: NonNullable<RawPage['formFields']>[number], page: Page, tokens: TokenRef[], dimension: RawPage['dimension']): Field {
    const keyText = this.textOf(raw.fieldName?.textAnchor);
    const checkbox = raw.valueType === 'filled_checkbox' || raw.valueType === 'unfilled_checkbox';
    const selectionIds: string[] = [];
    if (checkbox) {
      // Document AI reports a checkbox as the value type of a field, not as an element: make it one.
      const id = this.nextId('s');
      page.selections.push({ id, selected: raw.valueType === 'filled_checkbox', confidence: raw.fieldValue?.confidence, geometry: this.geometryOf(raw.fieldValue, dimension), vendorIds: [] });
      selectionIds.push(id);
    }
    const key = { text: keyText.replace(/:$/, '').trim() || keyText, wordIds: this.tokensIn(tokens, raw.fieldName?.textAnchor), selectionIds: [], signatureIds: [], confidence: raw.fieldName?.confidence, geometry: this.geometryOf(raw.fieldName, dimension), vendorIds: [] };
    const valueWords = checkbox ? [] : this.tokensIn(tokens, raw.fieldValue?.textAnchor);
    const value = { text: checkbox ? '' : this.textOf(raw.fieldValue?.textAnchor), wordIds: valueWords, selectionIds, signatureIds: [], confidence: raw.fieldValue?.confidence, geometry: this.geometryOf(raw.fieldValue, dimension), vendorIds: [] };
    return {
      id: this.nextId('f'),
      key,
      value,
      valueType: checkbox ? 'selection' : valueWords.length ? 'text' : 'empty',
      ...(checkbox ? { selected: raw.valueType === 'filled_checkbox' } : {}),
      confidence: raw.fieldName?.confidence === undefined ? undefined : clamp(raw.fieldName.confidence),
      geometry: key.geometry,
      vendorIds: [],
      ...(raw.valueType && !checkbox ? { ext: { googleDocai: { valueType: raw.valueType } } } : {}),
    };
  }

  /** Invoice / receipt / expense processor entities -> one expense document; other processors' entities are not expenses. */
  expenseDocuments(entities: RawEntity[]): ExpenseDocument[] {
    if (!entities.some((entity) => EXPENSE_TYPES[entity.type ?? ''] || entity.type === 'line_item')) return [];
    const pages = new Set<number>();
    const fieldOf = (entity: RawEntity): ExpenseField => {
      const type = entity.type ?? 'other';
      const shortType = type.includes('/') ? type.slice(type.indexOf('/') + 1) : type;
      const ref = entity.pageAnchor?.pageRefs?.[0];
      const page = int(ref?.page) + 1;
      pages.add(page);
      const geometry = this.geometryOf({ boundingPoly: ref?.boundingPoly }, undefined);
      const currency = entity.normalizedValue?.moneyValue?.currencyCode;
      return {
        id: this.nextId('xf'),
        type,
        normalizedType: EXPENSE_TYPES[shortType] ?? shortType,
        typeConfidence: entity.confidence === undefined ? undefined : clamp(entity.confidence),
        value: { text: entity.mentionText ?? '', confidence: entity.confidence === undefined ? undefined : clamp(entity.confidence), ...(geometry ? { geometry } : {}) },
        ...(currency ? { currency: { code: currency } } : {}),
        groups: [],
        page,
        ...(entity.normalizedValue ? { ext: { googleDocai: { normalizedValue: entity.normalizedValue } } } : {}),
      };
    };
    const summaryFields = entities.filter((e) => e.type !== 'line_item').map(fieldOf);
    const lineItems = entities.filter((e) => e.type === 'line_item').map((item) => ({ fields: (item.properties ?? []).map(fieldOf) }));
    return [
      {
        id: this.nextId('x'),
        index: 0,
        pages: [...pages].sort((a, b) => a - b),
        summaryFields,
        lineItemGroups: lineItems.length ? [{ index: 0, lineItems }] : [],
      },
    ];
  }

  /** Layout Parser output: blocks with text and a page span, no geometry. Each text block becomes a line and a region. */
  layoutPages(blocks: LayoutBlock[]): Page[] {
    const pages = new Map<number, Page>();
    const pageOf = (n: number): Page => {
      let page = pages.get(n);
      if (!page) pages.set(n, (page = { id: `p${n}`, number: n, orientation: 0, predictions: null, words: [], lines: [], regions: [], tables: [], fields: [], selections: [], signatures: [], vendorIds: [] }));
      return page;
    };
    type Placed = { id: string; page: number };
    // A nested region is listed under its parent only when both are on the same page (references stay on a page).
    const adopt = (parent: Region, page: Page, children: Placed[]): void => {
      for (const child of children) if (child.page === page.number) parent.regionIds.push(child.id);
    };
    const visit = (block: LayoutBlock): Placed[] => {
      const page = pageOf(block.pageSpan?.pageStart ?? 1);
      if (block.textBlock) {
        const text = (block.textBlock.text ?? '').replace(/\s+/g, ' ').trim();
        const wordIds = text ? text.split(' ').map((word) => {
          const id = this.nextId('w');
          page.words.push({ id, text: word, vendorIds: [] });
          return id;
        }) : [];
        const lineIds: string[] = [];
        if (wordIds.length) {
          const lineId = this.nextId('l');
          page.lines.push({ id: lineId, text, wordIds, vendorIds: block.blockId ? [block.blockId] : [] });
          lineIds.push(lineId);
        }
        const region: Region = { id: this.nextId('r'), type: LAYOUT_TYPES[block.textBlock.type ?? ''] ?? 'paragraph', layer: FURNITURE.has(block.textBlock.type ?? '') ? 'furniture' : 'body', order: page.regions.length, lineIds, regionIds: [], tableIds: [], fieldIds: [], vendorIds: block.blockId ? [block.blockId] : [] };
        page.regions.push(region);
        for (const child of block.textBlock.blocks ?? []) adopt(region, page, visit(child));
        return [{ id: region.id, page: page.number }];
      }
      if (block.listBlock) {
        const region: Region = { id: this.nextId('r'), type: 'list', layer: 'body', order: page.regions.length, lineIds: [], regionIds: [], tableIds: [], fieldIds: [], vendorIds: block.blockId ? [block.blockId] : [] };
        page.regions.push(region);
        for (const entry of block.listBlock.listEntries ?? []) for (const child of entry.blocks ?? []) adopt(region, page, visit(child));
        return [{ id: region.id, page: page.number }];
      }
      if (block.tableBlock) {
        for (const row of [...(block.tableBlock.headerRows ?? []), ...(block.tableBlock.bodyRows ?? [])]) for (const cell of row.cells ?? []) for (const child of cell.blocks ?? []) visit(child);
      }
      return [];
    };
    for (const block of blocks) visit(block);
    return [...pages.values()].sort((a, b) => a.number - b.number);
  }
}

const MAPPED_PAGE_KEYS = new Set(['pageNumber', 'dimension', 'layout', 'tokens', 'lines', 'paragraphs', 'tables', 'formFields', 'image', 'blocks']);
const LAYOUT_TYPES: Record<string, Region['type']> = { 'heading-1': 'title', header: 'header', footer: 'footer', paragraph: 'paragraph' };
for (let level = 2; level <= 6; level++) LAYOUT_TYPES[`heading-${level}`] = 'section_header';
const FURNITURE = new Set(['header', 'footer']);

/** Invoice and expense parser entity types in docpipe's expense vocabulary (the same words the Textract adapter uses). */
const EXPENSE_TYPES: Record<string, string> = {
  total_amount: 'total',
  net_amount: 'subtotal',
  total_tax_amount: 'tax',
  vat: 'tax',
  freight_amount: 'shipping',
  invoice_id: 'invoice_id',
  invoice_date: 'invoice_date',
  due_date: 'due_date',
  purchase_order: 'po_number',
  payment_terms: 'payment_terms',
  supplier_name: 'vendor_name',
  supplier_address: 'vendor_address',
  receiver_name: 'receiver_name',
  receiver_address: 'receiver_address',
  description: 'item',
  amount: 'price',
  unit_price: 'unit_price',
  quantity: 'quantity',
  product_code: 'product_code',
  currency: 'currency',
};
