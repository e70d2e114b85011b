/**
 * OcrVendor: turns a stored document into the common format. The AWS implementation calls Textract; the local one
 * runs Tesseract (and reads the text layer of born-digital PDFs). Nothing after this port knows which one ran.
 */
import type { Document } from '../domain/document';

export interface OcrRequest {
  documentId: string;
  /** The original bytes, already sniffed and checked. */
  bytes: Uint8Array;
  /** The sniffed content type: application/pdf, image/tiff, image/png, image/jpeg. */
  contentType: string;
  /** sha256 of the bytes, hex. */
  sha256: string;
  name?: string;
}

export interface OcrVendor {
  /** Short name recorded as producer.vendor, e.g. `textract`, `tesseract`. */
  readonly name: string;
  recognize(request: OcrRequest): Promise<Document>;
}
