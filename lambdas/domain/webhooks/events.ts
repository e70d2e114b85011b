/**
 * The events docpipe sends to clients, in the Standard Webhooks payload shape `{ type, timestamp, data }`, with the
 * event id beside them (it is also the `webhook-id` header, and stays the same across retries and replays, so a
 * receiver drops duplicates by it). Defined once with zod; docs/schema/events/*.json are generated from these.
 */
import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import { DocumentSchema, type Document } from '../document';

export const EVENT_TYPES = ['document.completed', 'document.failed', 'document.needs_review'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Documents larger than this are sent as links only. */
export const DEFAULT_INLINE_LIMIT_BYTES = 256 * 1024;

const PagePredictionSummary = z.object({
  number: z.number().int().min(1),
  label: z.string().nullable(),
  confidence: z.number().min(0).max(1).nullable(),
  needsReview: z.boolean(),
});

const Exports = z.object({
  /** The common JSON (presigned URL in the cloud, a local URL or path locally). */
  document: z.string().optional(),
  tables: z.array(z.object({ name: z.string(), url: z.string() })).default([]),
});

const DocumentData = z.object({
  documentId: z.string(),
  clientId: z.string(),
  clientReference: z.string().optional(),
  status: z.enum(['completed', 'failed', 'needs_review']),
  pageCount: z.number().int().min(0),
  pages: z.array(PagePredictionSummary).default([]),
  exports: Exports.default({ tables: [] }),
  /** True when `document` holds the common JSON itself (it was under the inline limit). */
  documentInline: z.boolean(),
  document: DocumentSchema.optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});

const envelope = <T extends EventType>(type: T) =>
  z.object({
    id: z.string().regex(/^evt_[0-9a-zA-Z_-]+$/),
    type: z.literal(type),
    timestamp: z.iso.datetime(),
    data: DocumentData,
  });

export const DocumentCompletedEvent = envelope('document.completed');
export const DocumentFailedEvent = envelope('document.failed').refine((event) => event.data.error !== undefined, 'document.failed carries data.error');
export const DocumentNeedsReviewEvent = envelope('document.needs_review');
export const WebhookEvent = z.union([DocumentCompletedEvent, DocumentFailedEvent, DocumentNeedsReviewEvent]);
export type WebhookEvent = z.infer<typeof WebhookEvent>;
export const EVENT_SCHEMAS: Record<EventType, z.ZodType> = {
  'document.completed': DocumentCompletedEvent,
  'document.failed': DocumentFailedEvent,
  'document.needs_review': DocumentNeedsReviewEvent,
};

export interface DocumentEventInput {
  type: EventType;
  documentId: string;
  clientId: string;
  clientReference?: string;
  /** The document, when extraction got that far (not for most failures). */
  document?: Document;
  pageCount?: number;
  exports?: { document?: string; tables?: { name: string; url: string }[] };
  error?: { code: string; message: string };
  /** Fixed id and time, for tests and replays; new ones otherwise. */
  id?: string;
  timestamp?: Date;
}

export function buildDocumentEvent(input: DocumentEventInput, { inlineLimitBytes = DEFAULT_INLINE_LIMIT_BYTES } = {}): WebhookEvent {
  const pages = (input.document?.pages ?? []).map((page) => ({
    number: page.number,
    label: page.predictions?.label ?? null,
    confidence: page.predictions?.confidence ?? null,
    needsReview: page.predictions?.needsReview ?? false,
  }));
  const inline = input.document !== undefined && Buffer.byteLength(JSON.stringify(input.document)) <= inlineLimitBytes;
  const status = input.type === 'document.completed' ? 'completed' : input.type === 'document.failed' ? 'failed' : 'needs_review';
  const event = {
    id: input.id ?? `evt_${randomUUID().replace(/-/g, '')}`,
    type: input.type,
    timestamp: (input.timestamp ?? new Date()).toISOString(),
    data: {
      documentId: input.documentId,
      clientId: input.clientId,
      ...(input.clientReference ? { clientReference: input.clientReference } : {}),
      status,
      pageCount: input.pageCount ?? input.document?.pages.length ?? 0,
      pages,
      exports: { ...(input.exports?.document ? { document: input.exports.document } : {}), tables: input.exports?.tables ?? [] },
      documentInline: inline,
      ...(inline ? { document: input.document } : {}),
      ...(input.error ? { error: input.error } : {}),
    },
  };
  return WebhookEvent.parse(event);
}
