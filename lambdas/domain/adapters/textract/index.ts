/**
 * The Textract adapter: DetectDocumentText, AnalyzeDocument (FORMS, TABLES, QUERIES, SIGNATURES, LAYOUT) and
 * AnalyzeExpense results, sync or async (several Get* chunks), into `docpipe.document` v1.
 *
 * Blocks are indexed by id once, then each kind is built in one pass over its blocks: no quadratic lookups.
 * Words are created once, and lines, cells, fields and layout regions refer to them by id, so a word that Textract
 * lists under a LINE and a CELL (or a field) is never duplicated.
 */
import {
  DOCUMENT_SCHEMA_NAME,
  DOCUMENT_SCHEMA_VERSION,
  type Document,
  type DocumentWarning,
  type Field,
  type FieldPart,
  type Orientation,
  type Page,
  type Query,
  type Region,
  type RegionType,
  type ValueType,
} from '../../document';
import { DocpipeError, ERROR_CODES, isDocpipeError } from '../../errors';
import { BlockIndex, contentOf, KIND } from './context';
import { buildExpenseDocument } from './expense';
import { centreOf, contains } from '../page-assembly';
import { confidenceOf, orientationOf, rawConfidenceOf, toGeometry, unionOf } from './geometry';
import type { RawBlock } from './model';
import { checkedPageNumber, readResponse, type ReadOptions } from './response';
import { entityTypesOf, malformedParts, stringOr, wrongType } from './response-schema';
import { linkContinuedTables } from '../table-continuation';
import { buildTable } from './tables';

export { looksLikeTextract } from './response';

export const TEXTRACT_ADAPTER = { name: 'docpipe-textract', version: '1.0.0' } as const;

export interface NormalizeTextractOptions extends ReadOptions {
  documentId?: string;
  source?: { contentType?: string; sha256?: string; name?: string };
  jobId?: string;
}

const LAYOUT_TYPES: Record<string, RegionType> = {
  LAYOUT_TITLE: 'title',
  LAYOUT_SECTION_HEADER: 'section_header',
  LAYOUT_TEXT: 'paragraph',
  LAYOUT_LIST: 'list',
  LAYOUT_HEADER: 'header',
  LAYOUT_FOOTER: 'footer',
  LAYOUT_PAGE_NUMBER: 'page_number',
  LAYOUT_FIGURE: 'figure',
  LAYOUT_TABLE: 'table',
  LAYOUT_KEY_VALUE: 'key_value',
};
const FURNITURE: ReadonlySet<RegionType> = new Set(['header', 'footer', 'page_number']);

/** Block types read elsewhere (as parts of tables, fields or queries); anything else unknown goes to ext.textract. */
const MAPPED_TYPES = new Set([
  'PAGE', 'LINE', 'WORD', 'TABLE', 'CELL', 'MERGED_CELL', 'TABLE_TITLE', 'TABLE_FOOTER', 'KEY_VALUE_SET', 'KEY', 'VALUE',
  'SELECTION_ELEMENT', 'SIGNATURE', 'QUERY', 'QUERY_RESULT', ...Object.keys(LAYOUT_TYPES),
]);

export function normalizeTextract(input: unknown, options: NormalizeTextractOptions = {}): Document {
  try {
    return buildDocument(input, options);
  } catch (error) {
    throw isDocpipeError(error) ? error : malformedResponseError(input, error);
  }
}

/**
 * The adapter reads the response directly (checking it all with a schema first would cost more than normalising it),
 * so a malformed one surfaces as a TypeError, thrown by JavaScript or by a check where a wrong type would otherwise
 * slip into the document. Then the response schema says where the response is wrong. If it finds nothing wrong, the
 * error is the adapter's own, and goes on as it is.
 */
function malformedResponseError(input: unknown, error: unknown): unknown {
  const parts = malformedParts(input);
  if (parts === undefined) return error;
  return new DocpipeError(ERROR_CODES.TEXTRACT_INVALID_RESPONSE, `The Textract response is malformed: ${parts}. Pass the response unchanged.`, { cause: error });
}

/** A block's text: a string, or absent (''). */
function textOf(block: RawBlock): string {
  return typeof block.Text === 'string' ? block.Text : stringOr(block.Text, '', `Block ${block.Id}: Text`);
}

function buildDocument(input: unknown, options: NormalizeTextractOptions): Document {
  const response = readResponse(input, options);
  let expectedBlocks = response.blocks.length;
  for (const expense of response.expenseDocuments) expectedBlocks += expense.Blocks?.length ?? 0;
  const index = new BlockIndex(expectedBlocks);
  const { blocks } = index;
  const add = (block: RawBlock): void => {
    if (!block || typeof block !== 'object' || typeof block.Id !== 'string' || typeof block.BlockType !== 'string') {
      throw wrongType('A block\'s Id or BlockType');
    }
    index.add(block);
  };
  for (const block of response.blocks) add(block);
  for (const expense of response.expenseDocuments) for (const block of expense.Blocks ?? []) add(block);

  const pages = new Map<number, Page>();
  // Blocks come page by page, so the page of the previous block is nearly always the one asked for.
  let lastPage: Page | undefined;
  const pageOf = (block: RawBlock): Page => {
    const number = block.Page ?? 1;
    if (lastPage !== undefined && lastPage.number === number) return lastPage;
    return (lastPage = pageNumbered(pages, checkedPageNumber(number, `Block ${block.Id}: "Page"`)));
  };
  for (let n = 1; n <= (response.pageCount ?? 0); n++) pageNumbered(pages, n);

  const warnings: DocumentWarning[] = [...response.warnings];
  const unmapped: RawBlock[] = [];
  for (const type of index.types()) if (!MAPPED_TYPES.has(type)) for (const position of index.ofType(type)) unmapped.push(blocks[position]);

  for (const position of index.ofType('PAGE')) pageOf(blocks[position]).vendorIds.push(blocks[position].Id as string);

  // Words, selection elements and signatures first: everything else refers to them.
  buildWords(index, pageOf);
  buildSelections(index, pageOf);
  buildSignatures(index, pageOf);

  const orientationVotes = buildLines(index, index.ofType('LINE'), pageOf, pages, warnings);
  for (const position of index.ofType('TABLE')) pageOf(blocks[position]).tables.push(buildTable(index, position));
  buildFields(index, pageOf);
  // LAYOUT_* types this adapter does not know stay in ext.textract.unmappedBlocks.
  buildRegions(index, index.layout.filter((position) => (blocks[position].BlockType as string) in LAYOUT_TYPES), pageOf);
  const queries = buildQueries(index, index.ofType('QUERY'), pageOf);
  const expenseDocuments = response.expenseDocuments.map((expense, i) => buildExpenseDocument(index, expense, i));
  for (const expense of expenseDocuments) for (const n of expense.pages) pageNumbered(pages, n);
  for (const field of expenseDocuments.flatMap((e) => [...e.summaryFields, ...e.lineItemGroups.flatMap((g) => g.lineItems.flatMap((i) => i.fields))])) {
    if (field.page !== undefined) pageNumbered(pages, field.page);
  }

  const orderedPages = [...pages.values()].sort((a, b) => a.number - b.number);
  for (const page of orderedPages) page.orientation = pageOrientation(orientationVotes.get(page));
  linkContinuedTables(orderedPages);

  if (index.unresolved > 0) {
    warnings.push({ code: 'TEXTRACT_UNRESOLVED_REFERENCE', message: `${index.unresolved} relationship id(s) pointed to blocks missing from the response; those references were left out.` });
  }
  const ext: Record<string, unknown> = {};
  if (unmapped.length) ext.unmappedBlocks = unmapped;

  return {
    schema: DOCUMENT_SCHEMA_NAME,
    version: DOCUMENT_SCHEMA_VERSION,
    ...(options.documentId ? { id: options.documentId } : {}),
    source: { ...(options.source ?? {}), pageCount: Math.max(response.pageCount ?? 0, orderedPages.length) },
    producer: {
      vendor: 'textract',
      api: response.api,
      features: featuresOf(index, response.expenseDocuments.length > 0),
      ...(response.modelVersion ? { modelVersion: response.modelVersion } : {}),
      ...(options.jobId ? { jobId: options.jobId } : {}),
    },
    adapter: { ...TEXTRACT_ADAPTER },
    warnings,
    pages: orderedPages,
    queries,
    expenseDocuments,
    ...(Object.keys(ext).length ? { ext: { textract: ext } } : {}),
  };
}

function pageNumbered(pages: Map<number, Page>, number: number): Page {
  let page = pages.get(number);
  if (!page) {
    page = { id: `p${number}`, number, orientation: 0, predictions: null, words: [], lines: [], regions: [], tables: [], fields: [], selections: [], signatures: [], vendorIds: [] };
    pages.set(number, page);
  }
  return page;
}

function buildWords(index: BlockIndex, pageOf: (block: RawBlock) => Page): void {
  const wordIds = index.sequence('w');
  for (const position of index.ofType('WORD')) {
    const block = index.blocks[position];
    const text = textOf(block);
    index.keepText(position, text);
    pageOf(block).words.push({
      id: index.assignAt(position, wordIds),
      text,
      confidence: confidenceOf(block.Confidence),
      rawConfidence: rawConfidenceOf(block.Confidence),
      geometry: toGeometry(block.Geometry),
      vendorIds: [block.Id as string],
      textType: block.TextType === undefined ? undefined : block.TextType === 'HANDWRITING' ? 'handwritten' : 'printed',
    });
  }
}

function buildSelections(index: BlockIndex, pageOf: (block: RawBlock) => Page): void {
  for (const position of index.ofType('SELECTION_ELEMENT')) {
    const block = index.blocks[position];
    pageOf(block).selections.push({
      id: index.assignAt(position, 's'),
      selected: block.SelectionStatus === 'SELECTED',
      confidence: confidenceOf(block.Confidence),
      rawConfidence: rawConfidenceOf(block.Confidence),
      geometry: toGeometry(block.Geometry),
      vendorIds: [block.Id as string],
    });
  }
}

function buildSignatures(index: BlockIndex, pageOf: (block: RawBlock) => Page): void {
  for (const position of index.ofType('SIGNATURE')) {
    const block = index.blocks[position];
    pageOf(block).signatures.push({
      id: index.assignAt(position, 'sg'),
      confidence: confidenceOf(block.Confidence),
      rawConfidence: rawConfidenceOf(block.Confidence),
      geometry: toGeometry(block.Geometry),
      vendorIds: [block.Id as string],
    });
  }
}

/**
 * Lines own their words; a word claimed by no line (or a second line) still ends up in exactly one line.
 * Returns each page's orientation votes: the characters written in each direction (0, 90, 180, 270).
 */
function buildLines(index: BlockIndex, positions: readonly number[], pageOf: (block: RawBlock) => Page, pages: Map<number, Page>, warnings: DocumentWarning[]): Map<Page, number[]> {
  const { blocks } = index;
  const claimed = new Uint8Array(blocks.length);
  const votes = new Map<Page, number[]>();
  const lineIds = index.sequence('l');
  let claimedWords = 0;
  let votesPage: Page | undefined;
  let pageVotes: number[] = [];
  for (const position of positions) {
    const block = blocks[position];
    const page = pageOf(block);
    const wordIds: string[] = [];
    const children = index.related(block, 'CHILD');
    for (let i = 0; i < children.length; i++) {
      const child = children[i];
      const id = index.idAt(child);
      if (index.kindAt(child) !== KIND.WORD || id === undefined || claimed[child]) continue;
      claimed[child] = 1;
      claimedWords++;
      wordIds.push(id);
    }
    const text = textOf(block);
    page.lines.push({
      id: index.assignAt(position, lineIds),
      text,
      wordIds,
      confidence: confidenceOf(block.Confidence),
      rawConfidence: rawConfidenceOf(block.Confidence),
      geometry: toGeometry(block.Geometry),
      vendorIds: [block.Id as string],
    });
    const orientation = orientationOf(block.Geometry);
    if (orientation !== undefined) {
      if (page !== votesPage) {
        const known = votes.get(page);
        if (known) pageVotes = known;
        else votes.set(page, (pageVotes = [0, 0, 0, 0]));
        votesPage = page;
      }
      pageVotes[orientation / 90] += text.length || 1;
    }
  }
  let words = 0;
  for (const page of pages.values()) words += page.words.length;
  if (claimedWords === words) return votes;

  const owned = new Set<string>();
  for (let position = 0; position < blocks.length; position++) if (claimed[position]) owned.add(index.idAt(position) as string);
  let orphans = 0;
  for (const page of pages.values()) {
    for (const word of page.words) {
      if (owned.has(word.id)) continue;
      orphans++;
      page.lines.push({ id: lineIds.next(), text: word.text, wordIds: [word.id], confidence: word.confidence, rawConfidence: word.rawConfidence, geometry: word.geometry, vendorIds: [] });
    }
  }
  warnings.push({ code: 'TEXTRACT_WORD_WITHOUT_LINE', message: `${orphans} word(s) belonged to no LINE block; each was given a line of its own.` });
  return votes;
}

function partOf(index: BlockIndex, blocks: RawBlock[]): { part: FieldPart; selected: boolean | undefined } {
  const children: number[] = [];
  for (const block of blocks) index.related(block, 'CHILD', children);
  const content = contentOf(index, children);
  const first = blocks[0];
  const part: FieldPart = {
    text: content.text,
    wordIds: content.wordIds,
    selectionIds: content.selectionIds,
    signatureIds: content.signatureIds,
    confidence: confidenceOf(first?.Confidence),
    rawConfidence: rawConfidenceOf(first?.Confidence),
    geometry: blocks.length === 1 ? toGeometry(first.Geometry) : unionOf(blocks.map((block) => toGeometry(block.Geometry))),
    vendorIds: blocks.map((block) => block.Id as string),
  };
  return { part, selected: content.selected };
}

function valueTypeOf(part: FieldPart): ValueType {
  const kinds = [part.wordIds.length > 0, part.selectionIds.length > 0, part.signatureIds.length > 0].filter(Boolean).length;
  if (kinds === 0) return 'empty';
  if (kinds > 1) return 'mixed';
  return part.selectionIds.length ? 'selection' : part.signatureIds.length ? 'signature' : 'text';
}

/** KEY_VALUE_SET (and the older KEY / VALUE block types): a key block points to its value blocks. */
function buildFields(index: BlockIndex, pageOf: (block: RawBlock) => Page): void {
  const { blocks } = index;
  const keys: number[] = [];
  for (const position of index.ofType('KEY_VALUE_SET')) if (entityTypesOf(blocks[position]).includes('KEY')) keys.push(position);
  for (const position of index.ofType('KEY')) keys.push(position);
  const fieldIds = index.sequence('f');
  for (const position of keys) {
    const keyBlock = blocks[position];
    const valueBlocks = index.related(keyBlock, 'VALUE').map((value) => blocks[value]);
    const key = partOf(index, [keyBlock]).part;
    const { part: value, selected } = valueBlocks.length ? partOf(index, valueBlocks) : { part: emptyPart(), selected: undefined };
    const vendorIds = [keyBlock.Id as string];
    for (const block of valueBlocks) vendorIds.push(block.Id as string);
    const field: Field = {
      id: index.assignAt(position, fieldIds),
      key,
      value,
      valueType: valueTypeOf(value),
      selected,
      confidence: confidenceOf(keyBlock.Confidence),
      rawConfidence: rawConfidenceOf(keyBlock.Confidence),
      geometry: unionOf([key.geometry, value.geometry]),
      vendorIds,
    };
    pageOf(keyBlock).fields.push(field);
  }
}

function emptyPart(): FieldPart {
  return { text: '', wordIds: [], selectionIds: [], signatureIds: [], vendorIds: [] };
}

/** LAYOUT_* blocks, in the vendor's order (which is the reading order), pointing at lines (or, for lists, at other layout blocks). */
function buildRegions(index: BlockIndex, positions: readonly number[], pageOf: (block: RawBlock) => Page): void {
  // Ids first: a list points at layout blocks that come after it.
  const regionIds = index.sequence('r');
  for (const position of positions) index.assignAt(position, regionIds);

  const nextOrder = new Map<Page, number>();
  for (const position of positions) {
    const block = index.blocks[position];
    const page = pageOf(block);
    const type = LAYOUT_TYPES[block.BlockType as string];
    const lineIds: string[] = [];
    const regionIds: string[] = [];
    for (const position of index.related(block, 'CHILD')) {
      const id = index.idAt(position);
      if (!id) continue;
      const kind = index.kindAt(position);
      if (kind === KIND.LINE) lineIds.push(id);
      else if (kind === KIND.LAYOUT) regionIds.push(id);
    }
    const geometry = toGeometry(block.Geometry);
    const region: Region = {
      id: index.idAt(position) as string,
      type,
      layer: FURNITURE.has(type) ? 'furniture' : 'body',
      order: nextOrder.get(page) ?? 0,
      lineIds,
      regionIds,
      tableIds: type === 'table' ? page.tables.filter((table) => contains(geometry, centreOf(table.geometry))).map((table) => table.id) : [],
      fieldIds: type === 'key_value' ? page.fields.filter((field) => contains(geometry, centreOf(field.key.geometry))).map((field) => field.id) : [],
      confidence: confidenceOf(block.Confidence),
      rawConfidence: rawConfidenceOf(block.Confidence),
      geometry,
      vendorIds: [block.Id as string],
    };
    nextOrder.set(page, region.order + 1);
    page.regions.push(region);
  }
}

function buildQueries(index: BlockIndex, positions: readonly number[], pageOf: (block: RawBlock) => Page): Query[] {
  return positions.map((position) => {
    const block = index.blocks[position];
    const pages = new Set<number>([pageOf(block).number]);
    const answers = index.related(block, 'ANSWER').map((answer) => {
      const result = index.blocks[answer];
      const page = pageOf(result.Page !== undefined ? result : block).number;
      pages.add(page);
      return {
        id: index.assignAt(answer, 'a'),
        text: textOf(result),
        page,
        confidence: confidenceOf(result.Confidence),
        rawConfidence: rawConfidenceOf(result.Confidence),
        geometry: toGeometry(result.Geometry),
        vendorIds: [result.Id as string],
      };
    });
    return {
      id: index.nextId('q'),
      question: stringOr(block.Query?.Text, '', `Block ${block.Id}: Query.Text`),
      ...(block.Query?.Alias ? { alias: stringOr(block.Query.Alias, '', `Block ${block.Id}: Query.Alias`) } : {}),
      pages: [...pages].sort((a, b) => a - b),
      answers,
      vendorIds: [block.Id as string],
      ...(block.Query?.Pages ? { ext: { textract: { pages: block.Query.Pages } } } : {}),
    };
  });
}

/** The page's orientation is the one most of its lines are written in. */
function pageOrientation(votes: number[] | undefined): Orientation {
  if (!votes) return 0;
  const best = votes.indexOf(Math.max(...votes));
  return (votes[best] > 0 ? best * 90 : 0) as Orientation;
}

function featuresOf(index: BlockIndex, expense: boolean): string[] {
  const features: string[] = [];
  if (index.hasType('KEY_VALUE_SET') || index.hasType('KEY')) features.push('FORMS');
  if (index.hasType('TABLE')) features.push('TABLES');
  if (index.hasType('QUERY')) features.push('QUERIES');
  if (index.hasType('SIGNATURE')) features.push('SIGNATURES');
  if (index.layout.length > 0) features.push('LAYOUT');
  if (expense) features.push('EXPENSE');
  return features;
}
