/**
 * Vendor adapters: raw OCR output in, `docpipe.document` v1 out. `normalizeResponse` detects the vendor from the
 * shape of the response when it is not named.
 */
import type { Document } from '../document';
import { DocpipeError, ERROR_CODES } from '../errors';
import { looksLikeGoogleDocai, normalizeGoogleDocai } from './google-docai';
import { looksLikeTextract, normalizeTextract, type NormalizeTextractOptions } from './textract';

export const VENDORS = ['textract', 'google-docai'] as const;
export type Vendor = (typeof VENDORS)[number];

export interface NormalizeOptions extends NormalizeTextractOptions {
  vendor?: Vendor | string;
}

export function detectVendor(raw: unknown): Vendor | undefined {
  if (looksLikeTextract(raw)) return 'textract';
  if (looksLikeGoogleDocai(raw)) return 'google-docai';
  return undefined;
}

export function normalizeResponse(raw: unknown, options: NormalizeOptions = {}): Document {
  const vendor = options.vendor ?? detectVendor(raw);
  switch (vendor) {
    case 'textract':
      return normalizeTextract(raw, options);
    case 'google-docai':
      return normalizeGoogleDocai(raw, options);
    case undefined:
      throw new DocpipeError(
        ERROR_CODES.UNRECOGNISED_RESPONSE,
        `The input is not a response of a known OCR vendor (${VENDORS.join(', ')}). Pass --vendor to name it, or check the file.`,
      );
    default:
      throw new DocpipeError(ERROR_CODES.INVALID_ARGUMENT, `Unknown vendor "${vendor}": expected one of ${VENDORS.join(', ')}.`);
  }
}
