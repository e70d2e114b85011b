/**
 * Reads one Textract response, or the chunks of a paginated async result, into one merged response.
 * Relationships cross chunk boundaries, so everything is merged before any of them is resolved.
 */
import { DocpipeError, ERROR_CODES } from '../../errors';
import type { DocumentWarning } from '../../document';
import type { RawBlock, RawExpenseDocument, RawResponse } from './model';
import { stringOr } from './response-schema';

export interface MergedResponse {
  blocks: RawBlock[];
  expenseDocuments: RawExpenseDocument[];
  pageCount?: number;
  api: string;
  modelVersion?: string;
  warnings: DocumentWarning[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True when the value has the shape of a Textract response (used to detect the vendor). */
export function looksLikeTextract(value: unknown): boolean {
  const first = Array.isArray(value) ? value[0] : value;
  if (!isObject(first)) return false;
  return (
    Array.isArray(first.Blocks) ||
    Array.isArray(first.ExpenseDocuments) ||
    'AnalyzeDocumentModelVersion' in first ||
    'DetectDocumentTextModelVersion' in first ||
    'AnalyzeExpenseModelVersion' in first ||
    (typeof first.JobStatus === 'string' && 'DocumentMetadata' in first) ||
    (typeof first.JobStatus === 'string' && 'StatusMessage' in first)
  );
}

export interface ReadOptions {
  /** Accept a result whose last chunk still has a NextToken, with a warning instead of an error. Default false. */
  allowIncomplete?: boolean;
}

export function readResponse(input: unknown, options: ReadOptions = {}): MergedResponse {
  const chunks = Array.isArray(input) ? input : [input];
  if (chunks.length === 0) {
    throw new DocpipeError(ERROR_CODES.TEXTRACT_INVALID_RESPONSE, 'Expected a Textract response or a non-empty array of response chunks, got an empty array.');
  }
  const warnings: DocumentWarning[] = [];
  let blocks: RawBlock[] = [];
  const expenseDocuments: RawExpenseDocument[] = [];
  let pageCount: number | undefined;
  let api = 'DetectDocumentText';
  let modelVersion: string | undefined;
  const async = chunks.some((chunk) => isObject(chunk) && typeof chunk.JobStatus === 'string');

  chunks.forEach((chunk, index) => {
    if (!isObject(chunk)) {
      throw new DocpipeError(ERROR_CODES.TEXTRACT_INVALID_RESPONSE, `Chunk ${index} of the Textract result is not a JSON object.`, { details: { chunk: index } });
    }
    const response = chunk as RawResponse;
    checkJobStatus(response, index, warnings);
    if (response.Blocks !== undefined && !Array.isArray(response.Blocks)) {
      throw new DocpipeError(ERROR_CODES.TEXTRACT_INVALID_RESPONSE, `Chunk ${index}: "Blocks" must be an array.`, { details: { chunk: index } });
    }
    if (response.ExpenseDocuments !== undefined && !Array.isArray(response.ExpenseDocuments)) {
      throw new DocpipeError(ERROR_CODES.TEXTRACT_INVALID_RESPONSE, `Chunk ${index}: "ExpenseDocuments" must be an array.`, { details: { chunk: index } });
    }
    if (!response.Blocks && !response.ExpenseDocuments) {
      throw new DocpipeError(
        ERROR_CODES.TEXTRACT_INVALID_RESPONSE,
        `Chunk ${index} has neither "Blocks" nor "ExpenseDocuments": this is not a Textract DetectDocumentText, AnalyzeDocument or AnalyzeExpense result.`,
        { details: { chunk: index } },
      );
    }
    // A single response's list is used as it is; only chunks are merged into a new one.
    if (response.Blocks) {
      if (chunks.length === 1) blocks = response.Blocks;
      else for (const block of response.Blocks) blocks.push(block);
    }
    if (response.ExpenseDocuments) for (const expense of response.ExpenseDocuments) expenseDocuments.push(expense);
    const pages = response.DocumentMetadata?.Pages;
    if (pages !== undefined) pageCount = checkedPageNumber(pages, `Chunk ${index}: "DocumentMetadata.Pages"`, 0);
    if (response.ExpenseDocuments) {
      api = async ? 'GetExpenseAnalysis' : 'AnalyzeExpense';
      modelVersion = stringOr(response.AnalyzeExpenseModelVersion, modelVersion, `Chunk ${index}: AnalyzeExpenseModelVersion`);
    } else if (response.AnalyzeDocumentModelVersion || response.Blocks?.some(isAnalysisBlock)) {
      api = async ? 'GetDocumentAnalysis' : 'AnalyzeDocument';
      modelVersion = stringOr(response.AnalyzeDocumentModelVersion, modelVersion, `Chunk ${index}: AnalyzeDocumentModelVersion`);
    } else {
      api = async ? 'GetDocumentTextDetection' : 'DetectDocumentText';
      modelVersion = stringOr(response.DetectDocumentTextModelVersion, modelVersion, `Chunk ${index}: DetectDocumentTextModelVersion`);
    }
    for (const warning of response.Warnings ?? []) {
      warnings.push({
        code: `TEXTRACT_${warning.ErrorCode ?? 'WARNING'}`,
        message: `Textract reported ${warning.ErrorCode ?? 'a warning'}${warning.Pages?.length ? ` on pages ${warning.Pages.join(', ')}` : ''}.`,
        ...(warning.Pages?.length ? { pages: warning.Pages } : {}),
      });
    }
  });

  const last = chunks[chunks.length - 1] as RawResponse;
  if (typeof last.NextToken === 'string' && last.NextToken.length > 0) {
    if (!options.allowIncomplete) {
      throw new DocpipeError(
        ERROR_CODES.TEXTRACT_INCOMPLETE_RESULT,
        `The last of ${chunks.length} result chunk(s) still has a NextToken: the result is incomplete. Fetch every page of the Get* result (until NextToken is null) and pass all chunks together.`,
        { details: { chunks: chunks.length } },
      );
    }
    warnings.push({ code: 'TEXTRACT_INCOMPLETE_RESULT', message: 'The result was incomplete (the last chunk had a NextToken); later pages may be missing.' });
  }
  if (blocks.length === 0 && expenseDocuments.length === 0) {
    throw new DocpipeError(ERROR_CODES.TEXTRACT_EMPTY_RESPONSE, 'The Textract response has no blocks: there is no text to normalise. Check that the right document was analysed.');
  }
  return { blocks, expenseDocuments, pageCount, api, modelVersion, warnings };
}

const ANALYSIS_TYPES = new Set(['KEY_VALUE_SET', 'KEY', 'VALUE', 'TABLE', 'CELL', 'SELECTION_ELEMENT', 'QUERY', 'SIGNATURE']);
function isAnalysisBlock(block: RawBlock): boolean {
  return ANALYSIS_TYPES.has(block.BlockType ?? '') || (block.BlockType ?? '').startsWith('LAYOUT_');
}

function checkJobStatus(response: RawResponse, index: number, warnings: DocumentWarning[]): void {
  const message = response.StatusMessage ? `: ${response.StatusMessage}` : '';
  switch (response.JobStatus) {
    case undefined:
    case 'SUCCEEDED':
      return;
    case 'FAILED':
      throw new DocpipeError(ERROR_CODES.TEXTRACT_JOB_FAILED, `The Textract job failed${message}.`, {
        details: { chunk: index, statusMessage: response.StatusMessage ?? null },
      });
    case 'IN_PROGRESS':
      throw new DocpipeError(
        ERROR_CODES.TEXTRACT_JOB_IN_PROGRESS,
        'The Textract job is still in progress: wait for its completion notification before reading the result.',
        { details: { chunk: index }, retryable: true },
      );
    case 'PARTIAL_SUCCESS':
      warnings.push({ code: 'TEXTRACT_PARTIAL_SUCCESS', message: `Textract analysed the document only in part${message}.` });
      return;
    default:
      throw new DocpipeError(ERROR_CODES.TEXTRACT_INVALID_RESPONSE, `Unknown Textract JobStatus "${String(response.JobStatus)}".`, { details: { chunk: index } });
  }
}

/** Textract analyses at most 3,000 pages of a document (its asynchronous limit), so no page number is larger. */
export const TEXTRACT_MAX_PAGES = 3000;

/**
 * A page number or count from the response, checked: an integer from `least` to TEXTRACT_MAX_PAGES. A number far out
 * of range would otherwise make the adapter create that many pages (a hang, then the heap exhausted).
 */
export function checkedPageNumber(value: unknown, what: string, least = 1): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < least || value > TEXTRACT_MAX_PAGES) {
    throw new DocpipeError(
      ERROR_CODES.TEXTRACT_INVALID_RESPONSE,
      `${what} is ${JSON.stringify(value) ?? String(value)}; a Textract page number or count is a whole number from ${least} to ${TEXTRACT_MAX_PAGES}. Pass the response unchanged.`,
    );
  }
  return value;
}
