/**
 * The parts of the Textract response model that the adapter reads. Textract's own types live in
 * @aws-sdk/client-textract, but the domain imports nothing from AWS, so the few shapes used are restated here.
 */
export interface RawPoint {
  X?: number;
  Y?: number;
}
export interface RawGeometry {
  BoundingBox?: { Width?: number; Height?: number; Left?: number; Top?: number };
  Polygon?: RawPoint[];
}
export interface RawRelationship {
  Type?: string;
  Ids?: string[];
}
export interface RawBlock {
  BlockType?: string;
  Id?: string;
  Confidence?: number;
  Text?: string;
  TextType?: string;
  RowIndex?: number;
  ColumnIndex?: number;
  RowSpan?: number;
  ColumnSpan?: number;
  Geometry?: RawGeometry;
  Relationships?: RawRelationship[];
  EntityTypes?: string[];
  SelectionStatus?: string;
  Page?: number;
  Query?: { Text?: string; Alias?: string; Pages?: string[] };
}
export interface RawExpenseDetection {
  Text?: string;
  Confidence?: number;
  Geometry?: RawGeometry;
}
export interface RawExpenseField {
  Type?: { Text?: string; Confidence?: number };
  LabelDetection?: RawExpenseDetection;
  ValueDetection?: RawExpenseDetection;
  PageNumber?: number;
  Currency?: { Code?: string; Confidence?: number };
  GroupProperties?: { Types?: string[]; Id?: string }[];
}
export interface RawExpenseDocument {
  ExpenseIndex?: number;
  SummaryFields?: RawExpenseField[];
  LineItemGroups?: { LineItemGroupIndex?: number; LineItems?: { LineItemExpenseFields?: RawExpenseField[] }[] }[];
  Blocks?: RawBlock[];
}
export interface RawResponse {
  DocumentMetadata?: { Pages?: number };
  Blocks?: RawBlock[];
  ExpenseDocuments?: RawExpenseDocument[];
  JobStatus?: string;
  StatusMessage?: string | null;
  NextToken?: string | null;
  Warnings?: { ErrorCode?: string; Pages?: number[] }[] | null;
  DetectDocumentTextModelVersion?: string;
  AnalyzeDocumentModelVersion?: string;
  AnalyzeExpenseModelVersion?: string;
}
