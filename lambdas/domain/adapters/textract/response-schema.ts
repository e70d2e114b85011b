/**
 * The parts of a Textract response that the adapter reads, as a zod schema: what a malformed response gets told;
 * and the cheap checks the adapter makes as it reads (`wrongType`, `stringOr`, `entityTypesOf`), which say only
 * that something is wrong, and leave saying where to the schema.
 *
 * The adapter does not parse every response through it: checking a thousand blocks this way costs more than
 * normalising them. It reads the response directly and, when that fails (a list where an object should be, a
 * number where a string should be), asks this schema where the response went wrong, so the error names the place
 * ("Blocks[12].Relationships[0].Ids: expected array, received string") instead of a JavaScript TypeError.
 * Fields are as lenient as the adapter: optional, and null taken as absent.
 */
import * as z from 'zod';
import { MAX_TABLE_POSITIONS } from '../../document';
import { describeIssues, inputPath } from '../malformed-input';

const number = z.number().nullish();
const string = z.string().nullish();
const pageNumber = z.number().int().min(1).nullish();
/** A cell's row or column index or span: no table has more rows or columns than positions. */
const gridNumber = z.number().int().min(1).max(MAX_TABLE_POSITIONS).nullish();

const Geometry = z.object({
  BoundingBox: z.object({ Width: number, Height: number, Left: number, Top: number }).nullish(),
  Polygon: z.array(z.object({ X: number, Y: number })).nullish(),
});

const Block = z.object({
  BlockType: z.string(),
  Id: z.string().min(1),
  Confidence: number,
  Text: string,
  TextType: string,
  RowIndex: gridNumber,
  ColumnIndex: gridNumber,
  RowSpan: gridNumber,
  ColumnSpan: gridNumber,
  Geometry: Geometry.nullish(),
  Relationships: z.array(z.object({ Type: string, Ids: z.array(z.string()).nullish() })).nullish(),
  EntityTypes: z.array(z.string()).nullish(),
  SelectionStatus: string,
  Page: pageNumber,
  Query: z.object({ Text: string, Alias: string, Pages: z.array(z.string()).nullish() }).nullish(),
});

const Detection = z.object({ Text: string, Confidence: number, Geometry: Geometry.nullish() });

const ExpenseField = z.object({
  Type: z.object({ Text: string, Confidence: number }).nullish(),
  LabelDetection: Detection.nullish(),
  ValueDetection: Detection.nullish(),
  PageNumber: pageNumber,
  Currency: z.object({ Code: string, Confidence: number }).nullish(),
  GroupProperties: z.array(z.object({ Types: z.array(z.string()).nullish(), Id: string })).nullish(),
});

const ExpenseDocument = z.object({
  ExpenseIndex: number,
  SummaryFields: z.array(ExpenseField).nullish(),
  LineItemGroups: z
    .array(z.object({ LineItemGroupIndex: z.number().int().nullish(), LineItems: z.array(z.object({ LineItemExpenseFields: z.array(ExpenseField).nullish() })).nullish() }))
    .nullish(),
  Blocks: z.array(Block).nullish(),
});

const TextractResponseSchema = z.object({
  DocumentMetadata: z.object({ Pages: z.number().int().min(0).nullish() }).nullish(),
  Blocks: z.array(Block).nullish(),
  ExpenseDocuments: z.array(ExpenseDocument).nullish(),
  JobStatus: string,
  StatusMessage: string,
  NextToken: string,
  Warnings: z.array(z.object({ ErrorCode: string, Pages: z.array(z.number()).nullish() })).nullish(),
  DetectDocumentTextModelVersion: string,
  AnalyzeDocumentModelVersion: string,
  AnalyzeExpenseModelVersion: string,
});

/** Thrown where the response holds a value of the wrong type; the adapter then asks `malformedParts` where. */
export function wrongType(what: string): TypeError {
  return new TypeError(`${what} has the wrong type`);
}

/** A string value of the response; `fallback` when it is absent (undefined or null); anything else is the wrong type. */
export function stringOr<T extends string | undefined>(value: unknown, fallback: T, what: string): string | T {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return fallback;
  throw wrongType(what);
}

const NO_TYPES: readonly string[] = [];

/** A block's entity types: a list, or absent (none). */
export function entityTypesOf(block: { Id?: string; EntityTypes?: unknown }): readonly string[] {
  const types = block.EntityTypes;
  if (Array.isArray(types)) return types;
  if (types === undefined || types === null) return NO_TYPES;
  throw wrongType(`Block ${block.Id}: EntityTypes`);
}

/** A response, or the chunks of an async result. */
const TextractResult = z.union([TextractResponseSchema, z.array(TextractResponseSchema).min(1)]);

/** Where `input` breaks the Textract response model (at most three places, with their paths), or undefined if it does not. */
export function malformedParts(input: unknown): string | undefined {
  const result = TextractResult.safeParse(input);
  if (result.success) return undefined;
  // A union reports each branch; the branch that matches the input's own form (one response or chunks) says more.
  const issues = result.error.issues.flatMap((issue) => (issue.code === 'invalid_union' ? (issue.errors[Array.isArray(input) ? 1 : 0] ?? []) : [issue]));
  return describeIssues(issues, 'the response', pathOf);
}

/** `Blocks[12].Text`; in chunks, `chunk 0: Blocks[12].Text`. */
function pathOf(path: PropertyKey[]): string {
  const [first, ...rest] = path;
  return typeof first === 'number' ? `chunk ${first}: ${inputPath(rest, 'the chunk')}` : inputPath(path, 'the response');
}
