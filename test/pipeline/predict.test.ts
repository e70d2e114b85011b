/** predictPages: predictions written into the stored document, and the figures on-call's metrics are made of. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeTextract } from '../../lambdas/domain/adapters/textract';
import type { PipelineDeps } from '../../lambdas/domain/pipeline/deps';
import { predictPages } from '../../lambdas/domain/pipeline/predict';
import { readStoredDocument } from '../../lambdas/domain/pipeline/stored-document';
import type { RecognisedDocument } from '../../lambdas/domain/pipeline/state';
import type { ObjectStore } from '../../lambdas/ports/object-store';

/** An object store in memory whose writes take `writeMs`. */
function slowStore(writeMs: number): ObjectStore {
  const objects = new Map<string, Uint8Array>();
  return {
    put: async (key, bytes) => {
      await new Promise((r) => setTimeout(r, writeMs));
      objects.set(key, typeof bytes === 'string' ? Buffer.from(bytes) : bytes);
      return { key, size: 0, version: 'v', metadata: {} };
    },
    get: async (key) => ({ key, bytes: objects.get(key)!, size: 0, version: 'v', metadata: {} }),
    head: async () => undefined,
    list: async () => [...objects.keys()],
    urlFor: async (key) => `memory://${key}`,
    uploadUrlFor: async () => {
      throw new Error('not used');
    },
  };
}

describe('predictPages', () => {
  it('writes a prediction per page; the model latency it reports is the model call alone, not the store write', async () => {
    const raw = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'textract', 'multi-page-forms-samples-2-page.json'), 'utf8'));
    const store = slowStore(300);
    await store.put('work/doc_1/document.json', JSON.stringify(normalizeTextract(raw, { documentId: 'doc_1' })));
    const pageModel = { predict: async (pages: readonly unknown[]) => pages.map((_, i) => ({ label: 'application_form', confidence: i === 0 ? 0.9 : 0.5, model: 'm', needsReview: i !== 0 })) };
    const summary = await predictPages({ store, pageModel } as unknown as PipelineDeps, { ocr: { documentKey: 'work/doc_1/document.json' } } as RecognisedDocument);
    expect(summary).toMatchObject({ labels: ['application_form', 'application_form'], needsReview: true, reviewPages: 1 });
    expect(summary.meanConfidence).toBeCloseTo(0.7);
    expect(summary.modelMs).toBeLessThan(250);
    const stored = await readStoredDocument(store, 'work/doc_1/document.json');
    expect(stored.pages.map((p) => p.predictions?.needsReview)).toEqual([false, true]);
  });

  it.each([
    ['leaves needsReview out', undefined],
    ['says false', false],
  ])('a page under the review threshold is flagged whatever the model says: a model that %s', async (_, modelSays) => {
    const raw = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'textract', 'multi-page-forms-samples-2-page.json'), 'utf8'));
    const store = slowStore(0);
    await store.put('work/doc_1/document.json', JSON.stringify(normalizeTextract(raw, { documentId: 'doc_1' })));
    const pageModel = { predict: async (pages: readonly unknown[]) => pages.map((_, i) => ({ label: 'invoice', confidence: i === 0 ? 0.95 : 0.2, model: 'other-make', ...(modelSays === undefined ? {} : { needsReview: modelSays }) })) };
    const input = { ocr: { documentKey: 'work/doc_1/document.json' } } as RecognisedDocument;
    expect(await predictPages({ store, pageModel } as unknown as PipelineDeps, input)).toMatchObject({ needsReview: true, reviewPages: 1 });
    expect((await readStoredDocument(store, 'work/doc_1/document.json')).pages.map((p) => p.predictions?.needsReview)).toEqual([false, true]);
    // The deployment's own threshold, when set, is the one applied.
    expect(await predictPages({ store, pageModel, reviewThreshold: 0.99 } as unknown as PipelineDeps, input)).toMatchObject({ reviewPages: 2 });
  });
});
