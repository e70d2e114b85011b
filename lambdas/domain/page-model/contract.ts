/**
 * The inference contract, shared by the SageMaker-style server (POST /invocations) and its clients: one or more
 * pages in the common format, or just their text, in; one prediction per page out.
 */
import * as z from 'zod';
import { Page as PageSchema, PagePrediction, type Page } from '../document';

export const InvocationRequest = z.object({
  pages: z.array(z.union([PageSchema, z.object({ text: z.string() })])).min(1).max(100),
  /** Overrides the review threshold for this request. */
  threshold: z.number().min(0).max(1).optional(),
});
export type InvocationRequest = z.input<typeof InvocationRequest>;

export const InvocationResponse = z.object({
  model: z.string(),
  modelVersion: z.string(),
  predictions: z.array(PagePrediction),
});
export type InvocationResponse = z.infer<typeof InvocationResponse>;

/** A page made from plain text: one line per text line, no geometry (enough for the text features). */
export function pageFromText(text: string, number = 1): Page {
  const page: Page = { id: `p${number}`, number, orientation: 0, predictions: null, words: [], lines: [], regions: [], tables: [], fields: [], selections: [], signatures: [], vendorIds: [] };
  for (const raw of text.split(/\r?\n/)) {
    const words = raw.split(/\s+/).filter(Boolean);
    if (!words.length) continue;
    const wordIds = words.map((w) => {
      const id = `w${page.words.length + 1}`;
      page.words.push({ id, text: w, vendorIds: [] });
      return id;
    });
    page.lines.push({ id: `l${page.lines.length + 1}`, text: words.join(' '), wordIds, vendorIds: [] });
  }
  return page;
}

/** The pages of a request, as common-format pages. */
export function requestPages(request: z.infer<typeof InvocationRequest>): Page[] {
  return request.pages.map((p, i) => ('text' in p && !('lines' in p) ? pageFromText(p.text, i + 1) : (p as Page)));
}
