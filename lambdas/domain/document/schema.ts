/**
 * `docpipe.document` v1: the one common document format.
 *
 * Every OCR vendor adapter produces this shape and nothing after the adapter reads anything else, so no later step
 * can know (or care) which vendor ran. The zod schema below is the single definition: the TypeScript types are
 * inferred from it and `docs/schema/document-v1.json` is generated from it (`npm run schema`).
 *
 * Conventions:
 * - ids are strings unique within one document; every id an element references must resolve (see validate.ts).
 * - geometry is normalised to 0..1 of the page, origin top-left, whatever the vendor used.
 * - confidence is 0..1; the vendor's own number is kept in `rawConfidence`.
 * - `vendorIds` keeps the vendor's ids for provenance; whatever an adapter does not map goes under `ext.<vendor>`.
 */
import * as z from 'zod';

export const DOCUMENT_SCHEMA_NAME = 'docpipe.document';
export const DOCUMENT_SCHEMA_VERSION = '1.0.0';
export const DOCUMENT_SCHEMA_ID = 'https://docpipe.dev/schema/document-v1.json';

const Id = z.string().min(1);
const Confidence = z.number().min(0).max(1);
const Unit = z.number().min(0).max(1);

/** Vendor-specific data that the adapter did not map, keyed by vendor name. */
export const Ext = z.record(z.string(), z.unknown()).optional();

export const BoundingBox = z.object({ left: Unit, top: Unit, width: Unit, height: Unit });
export const Geometry = z.object({
  box: BoundingBox,
  /**
   * Corner points as a flat list `[x1, y1, x2, y2, ...]` (one array, not one object per point: documents hold
   * thousands of them), in the vendor's order: clockwise from the text's own top-left corner.
   */
  polygon: z
    .array(Unit)
    .refine((points) => points.length >= 6 && points.length % 2 === 0, 'a polygon is at least 3 points as [x1, y1, x2, y2, ...]')
    .optional(),
});

/** Fields shared by every element that sits on a page. */
const Element = {
  id: Id,
  confidence: Confidence.optional(),
  /** The vendor's confidence as it gave it (Textract: 0..100). */
  rawConfidence: z.number().optional(),
  geometry: Geometry.optional(),
  vendorIds: z.array(z.string()).default([]),
  ext: Ext,
};

export const TextType = z.enum(['printed', 'handwritten']);

export const Word = z.object({ ...Element, text: z.string(), textType: TextType.optional() });

export const Line = z.object({ ...Element, text: z.string(), wordIds: z.array(Id) });

export const RegionType = z.enum([
  'title',
  'section_header',
  'paragraph',
  'list',
  'header',
  'footer',
  'page_number',
  'figure',
  'table',
  'key_value',
]);
export const Region = z.object({
  ...Element,
  type: RegionType,
  /** `furniture` is page decoration (headers, footers, page numbers) that reading order skips. */
  layer: z.enum(['body', 'furniture']),
  /** Position in the page's reading order, 0-based. */
  order: z.number().int().min(0),
  lineIds: z.array(Id).default([]),
  /** Nested regions, such as the items of a list. */
  regionIds: z.array(Id).default([]),
  tableIds: z.array(Id).default([]),
  fieldIds: z.array(Id).default([]),
});

export const SelectionElement = z.object({ ...Element, selected: z.boolean() });
export const Signature = z.object({ ...Element });

export const CellRole = z.enum(['column_header', 'title', 'footer', 'section_title', 'summary']);
export const Cell = z.object({
  ...Element,
  row: z.number().int().min(0),
  column: z.number().int().min(0),
  rowSpan: z.number().int().min(1),
  colSpan: z.number().int().min(1),
  text: z.string(),
  wordIds: z.array(Id).default([]),
  selectionIds: z.array(Id).default([]),
  signatureIds: z.array(Id).default([]),
  roles: z.array(CellRole).default([]),
});

/** A table title or footer: text that belongs to the table but sits outside its grid. */
export const TableCaption = z.object({ ...Element, text: z.string(), wordIds: z.array(Id).default([]) });

/**
 * The most grid positions (rows x columns) one table may have. A printed page holds a few thousand cells at most, so
 * far more means row or column indexes out of range; checking or exporting such a grid would take minutes and
 * gigabytes (validate.ts refuses it).
 */
export const MAX_TABLE_POSITIONS = 100_000;

export const Table = z.object({
  ...Element,
  rows: z.number().int().min(0),
  columns: z.number().int().min(0),
  /** `semi_structured` tables have no full grid of ruling lines (Textract's STRUCTURED_TABLE / SEMI_STRUCTURED_TABLE). */
  kind: z.enum(['structured', 'semi_structured', 'unknown']),
  cells: z.array(Cell),
  titles: z.array(TableCaption).default([]),
  footers: z.array(TableCaption).default([]),
  /** Continuation links for a table that runs over pages (ids of tables on other pages). */
  continuesFrom: Id.optional(),
  continuesTo: Id.optional(),
});

export const FieldPart = z.object({
  text: z.string(),
  confidence: Confidence.optional(),
  rawConfidence: z.number().optional(),
  geometry: Geometry.optional(),
  wordIds: z.array(Id).default([]),
  selectionIds: z.array(Id).default([]),
  signatureIds: z.array(Id).default([]),
  vendorIds: z.array(z.string()).default([]),
});
export const ValueType = z.enum(['text', 'selection', 'signature', 'mixed', 'empty']);
export const Field = z.object({
  ...Element,
  key: FieldPart,
  value: FieldPart,
  valueType: ValueType,
  /** Set when the value is (or contains) a selection element: whether it is checked. */
  selected: z.boolean().optional(),
});

export const PagePrediction = z.object({
  label: z.string(),
  confidence: Confidence,
  model: z.string(),
  modelVersion: z.string().optional(),
  /** The endpoint's production variant that answered (A/B), when served by SageMaker. */
  variant: z.string().optional(),
  top: z.array(z.object({ label: z.string(), confidence: Confidence })).optional(),
  /** True when the confidence is under the review threshold: the page must not be trusted without a person. */
  needsReview: z.boolean().optional(),
});

export const Page = z.object({
  id: Id,
  /** 1-based page number. */
  number: z.number().int().min(1),
  width: z.number().positive().optional(),
  height: z.number().positive().optional(),
  unit: z.enum(['pixel', 'point', 'inch']).optional(),
  /** Clockwise rotation of the page content, in degrees, as detected. */
  orientation: z.union([z.literal(0), z.literal(90), z.literal(180), z.literal(270)]),
  predictions: PagePrediction.nullable().default(null),
  words: z.array(Word).default([]),
  lines: z.array(Line).default([]),
  regions: z.array(Region).default([]),
  tables: z.array(Table).default([]),
  fields: z.array(Field).default([]),
  selections: z.array(SelectionElement).default([]),
  signatures: z.array(Signature).default([]),
  vendorIds: z.array(z.string()).default([]),
  ext: Ext,
});

export const QueryAnswer = z.object({
  ...Element,
  text: z.string(),
  page: z.number().int().min(1).optional(),
});
export const Query = z.object({
  id: Id,
  question: z.string(),
  alias: z.string().optional(),
  pages: z.array(z.number().int().min(1)).default([]),
  answers: z.array(QueryAnswer).default([]),
  vendorIds: z.array(z.string()).default([]),
  ext: Ext,
});

export const ExpenseText = z.object({
  text: z.string(),
  confidence: Confidence.optional(),
  rawConfidence: z.number().optional(),
  geometry: Geometry.optional(),
});
export const ExpenseField = z.object({
  id: Id,
  /** The vendor's field type as given (e.g. TOTAL, VENDOR_NAME, OTHER). */
  type: z.string(),
  /** The type mapped to docpipe's vocabulary (total, subtotal, tax, vendor_name, invoice_date, ...). */
  normalizedType: z.string(),
  typeConfidence: Confidence.optional(),
  label: ExpenseText.optional(),
  value: ExpenseText,
  currency: z.object({ code: z.string(), confidence: Confidence.optional() }).optional(),
  groups: z.array(z.object({ id: z.string(), types: z.array(z.string()) })).default([]),
  page: z.number().int().min(1).optional(),
  ext: Ext,
});
export const ExpenseDocument = z.object({
  id: Id,
  /** Position in the vendor's list of expense documents, 0-based. */
  index: z.number().int().min(0),
  pages: z.array(z.number().int().min(1)).default([]),
  summaryFields: z.array(ExpenseField).default([]),
  lineItemGroups: z
    .array(z.object({ index: z.number().int().min(0), lineItems: z.array(z.object({ fields: z.array(ExpenseField) })) }))
    .default([]),
  ext: Ext,
});

export const Warning = z.object({
  code: z.string(),
  message: z.string(),
  pages: z.array(z.number().int().min(1)).optional(),
});

export const DocumentSource = z.object({
  contentType: z.string().optional(),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  pageCount: z.number().int().min(0),
  name: z.string().optional(),
});

export const Producer = z.object({
  /** The OCR vendor, e.g. textract, tesseract, pdf-text, google-docai. Recorded for provenance only. */
  vendor: z.string(),
  api: z.string().optional(),
  features: z.array(z.string()).default([]),
  modelVersion: z.string().optional(),
  jobId: z.string().optional(),
});

export const DocumentSchema = z.object({
  schema: z.literal(DOCUMENT_SCHEMA_NAME),
  version: z.string().regex(/^1\.\d+\.\d+$/),
  id: z.string().optional(),
  source: DocumentSource,
  producer: Producer,
  adapter: z.object({ name: z.string(), version: z.string() }),
  warnings: z.array(Warning).default([]),
  pages: z.array(Page),
  queries: z.array(Query).default([]),
  expenseDocuments: z.array(ExpenseDocument).default([]),
  ext: Ext,
});

export type Document = z.infer<typeof DocumentSchema>;
export type DocumentInput = z.input<typeof DocumentSchema>;
export type Page = z.infer<typeof Page>;
export type Word = z.infer<typeof Word>;
export type Line = z.infer<typeof Line>;
export type Region = z.infer<typeof Region>;
export type RegionType = z.infer<typeof RegionType>;
export type Table = z.infer<typeof Table>;
export type TableCaption = z.infer<typeof TableCaption>;
export type Cell = z.infer<typeof Cell>;
export type CellRole = z.infer<typeof CellRole>;
export type Field = z.infer<typeof Field>;
export type FieldPart = z.infer<typeof FieldPart>;
export type ValueType = z.infer<typeof ValueType>;
export type SelectionElement = z.infer<typeof SelectionElement>;
export type Signature = z.infer<typeof Signature>;
export type Query = z.infer<typeof Query>;
export type QueryAnswer = z.infer<typeof QueryAnswer>;
export type ExpenseDocument = z.infer<typeof ExpenseDocument>;
export type ExpenseField = z.infer<typeof ExpenseField>;
export type ExpenseText = z.infer<typeof ExpenseText>;
export type Geometry = z.infer<typeof Geometry>;
export type BoundingBox = z.infer<typeof BoundingBox>;
export type PagePrediction = z.infer<typeof PagePrediction>;
export type DocumentWarning = z.infer<typeof Warning>;
export type Orientation = Page['orientation'];
