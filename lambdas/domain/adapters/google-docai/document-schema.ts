/**
 * The parts of a Google Document AI Document that the adapter reads, as a zod schema, checked before anything is
 * read: a malformed document gets an error that names the place ("pages[0].tokens[3].layout.confidence: expected
 * number, received string"), never a TypeError or a wrong value in the common document. Document AI documents come
 * from one processor call each and are small beside the OCR that made them, so checking them all costs nothing that
 * matters (the Textract adapter, which runs on every cloud page, checks only on failure: see its response-schema.ts).
 * Fields are optional, and null taken as absent; keys the adapter does not read are not checked.
 */
import * as z from 'zod';
import { MAX_TABLE_POSITIONS } from '../../document';
import { describeIssues } from '../malformed-input';

const number = z.number().nullish();
const string = z.string().nullish();
/** Document AI writes its int64 text offsets as strings. */
const offset = z.union([z.number().int().min(0), z.string().regex(/^\d+$/, 'expected a whole number')]).nullish();

const Vertex = z.object({ x: number, y: number });
const Layout = z.object({
  textAnchor: z.object({ textSegments: z.array(z.object({ startIndex: offset, endIndex: offset })).nullish(), content: string }).nullish(),
  confidence: number,
  boundingPoly: z.object({ vertices: z.array(Vertex).nullish(), normalizedVertices: z.array(Vertex).nullish() }).nullish(),
  orientation: string,
});
const Span = z.number().int().min(1).max(MAX_TABLE_POSITIONS).nullish();
const Row = z.object({ cells: z.array(z.object({ layout: Layout.nullish(), rowSpan: Span, colSpan: Span })).nullish() });

const Page = z.object({
  pageNumber: z.number().int().min(1).nullish(),
  // A zero side means the size is not known (the adapter leaves it out); a negative one is malformed.
  dimension: z.object({ width: z.number().min(0).nullish(), height: z.number().min(0).nullish(), unit: string }).nullish(),
  layout: Layout.nullish(),
  tokens: z.array(z.object({ layout: Layout.nullish() })).nullish(),
  lines: z.array(z.object({ layout: Layout.nullish() })).nullish(),
  paragraphs: z.array(z.object({ layout: Layout.nullish() })).nullish(),
  tables: z.array(z.object({ layout: Layout.nullish(), headerRows: z.array(Row).nullish(), bodyRows: z.array(Row).nullish() })).nullish(),
  formFields: z.array(z.object({ fieldName: Layout.nullish(), fieldValue: Layout.nullish(), valueType: string })).nullish(),
});

interface Entity {
  type?: string | null;
  mentionText?: string | null;
  confidence?: number | null;
  properties?: Entity[] | null;
}
const Entity: z.ZodType<Entity> = z.lazy(() =>
  z.object({
    type: string,
    mentionText: string,
    confidence: number,
    normalizedValue: z.object({ text: string, moneyValue: z.object({ currencyCode: string }).nullish() }).nullish(),
    pageAnchor: z.object({ pageRefs: z.array(z.object({ page: offset, boundingPoly: Layout.shape.boundingPoly })).nullish() }).nullish(),
    properties: z.array(Entity).nullish(),
  }),
);

interface LayoutBlock {
  blockId?: string | null;
  textBlock?: { text?: string | null; type?: string | null; blocks?: LayoutBlock[] | null } | null;
  listBlock?: { listEntries?: { blocks?: LayoutBlock[] | null }[] | null } | null;
  tableBlock?: { headerRows?: LayoutRow[] | null; bodyRows?: LayoutRow[] | null } | null;
}
interface LayoutRow {
  cells?: { blocks?: LayoutBlock[] | null }[] | null;
}
const LayoutBlock: z.ZodType<LayoutBlock> = z.lazy(() => {
  const blocks = z.array(LayoutBlock).nullish();
  const rows = z.array(z.object({ cells: z.array(z.object({ blocks })).nullish() })).nullish();
  return z.object({
    blockId: string,
    pageSpan: z.object({ pageStart: z.number().int().min(1).nullish(), pageEnd: z.number().int().min(1).nullish() }).nullish(),
    textBlock: z.object({ text: string, type: string, blocks }).nullish(),
    listBlock: z.object({ listEntries: z.array(z.object({ blocks })).nullish() }).nullish(),
    tableBlock: z.object({ headerRows: rows, bodyRows: rows }).nullish(),
  });
});

const GoogleDocument = z.object({
  text: string,
  uri: string,
  mimeType: string,
  pages: z.array(Page).nullish(),
  entities: z.array(Entity).nullish(),
  documentLayout: z.object({ blocks: z.array(LayoutBlock).nullish() }).nullish(),
});

/** Where the document breaks the Document AI model (at most three places, with their paths), or undefined if it does not. */
export function malformedParts(document: unknown): string | undefined {
  const result = GoogleDocument.safeParse(document);
  return result.success ? undefined : describeIssues(result.error.issues, 'the document');
}
