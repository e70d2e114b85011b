/**
 * The small JSON that travels through the state machines (never the document itself: Step Functions payloads are
 * limited to 256 KB, so the document stays in the object store and only its key travels). Handlers parse it with
 * these schemas; `.loose()` keeps what earlier states added.
 */
import * as z from 'zod';

export const ExtractionInput = z
  .object({
    documentId: z.string().regex(/^[A-Za-z0-9_-]{1,80}$/),
    clientId: z.string().min(1),
    key: z.string().min(1),
    version: z.string().min(1),
    clientReference: z.string().optional(),
    name: z.string().optional(),
  })
  .loose();
export type ExtractionInput = z.infer<typeof ExtractionInput>;

export const RegisteredDocument = ExtractionInput.extend({
  contentType: z.string(),
  sizeBytes: z.number().int().min(0),
  pageCount: z.number().int().min(0),
  sha256: z.string(),
  ocrMode: z.enum(['sync', 'async']),
}).loose();
export type RegisteredDocument = z.infer<typeof RegisteredDocument>;

export const OcrResult = z.object({ documentKey: z.string(), pageCount: z.number().int().min(0), vendor: z.string() });
export type OcrResult = z.infer<typeof OcrResult>;

/** A Catch clause's output: the error name (our stable code) and its cause. */
export const CaughtError = z.object({ Error: z.string(), Cause: z.string().optional() }).loose();
export type CaughtError = z.infer<typeof CaughtError>;

export const RecognisedDocument = RegisteredDocument.extend({ ocr: OcrResult }).loose();
export type RecognisedDocument = z.infer<typeof RecognisedDocument>;

export const PredictedDocument = RecognisedDocument.extend({
  predictions: z.object({ labels: z.array(z.string().nullable()), needsReview: z.boolean() }).optional(),
  predictionsError: CaughtError.optional(),
}).loose();
export type PredictedDocument = z.infer<typeof PredictedDocument>;

/** MarkFailed's input: whatever the state held when it failed, with the failure. */
export const FailedDocument = z
  .object({ documentId: z.string().min(1), clientId: z.string().min(1), clientReference: z.string().optional(), pageCount: z.number().optional(), failure: CaughtError })
  .loose();
export type FailedDocument = z.infer<typeof FailedDocument>;

export interface DeliveriesOutput {
  /** One per webhook delivery recorded; the Map state starts one delivery execution each. */
  deliveries: { deliveryId: string }[];
}
