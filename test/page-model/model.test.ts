import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeTextract } from '../../lambdas/domain/adapters/textract';
import { pageFromText } from '../../lambdas/domain/page-model/contract';
import { extractFeatures, hashToken, normaliseToken } from '../../lambdas/domain/page-model/features';
import { createClassifier, PAGE_CLASSES } from '../../lambdas/domain/page-model/model';
import { InProcessPageModel, loadModelArtifact } from '../../lambdas/local/in-process-page-model';
import { generateCorpus, generatePage, seeded } from '../../model/generator';
import { evaluate, gate, loadEvaluationPages, LOCAL_LABELS_FILE, readLabels, train, DEFAULT_TRAIN_OPTIONS } from '../../model/training';

const fixture = (name: string) => normalizeTextract(JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'documents', name), 'utf8')));

describe('the shipped page model (model/artifacts/current.json)', () => {
  const model = new InProcessPageModel();

  it.each([
    ['paystub.jpg.textract.json', 'paystub'],
    ['receipt.jpg.textract.json', 'receipt'],
    ['sample-invoice.pdf.textract.json', 'invoice'],
    ['form.png.textract.json', 'application_form'],
  ])('classifies the real page %s as %s, confidently', async (name, label) => {
    const [prediction] = await model.predict(fixture(name).pages);
    expect(prediction).toMatchObject({ label, model: 'docpipe-page-classifier', modelVersion: model.version, needsReview: false });
    expect(prediction.confidence).toBeGreaterThan(0.6);
    expect(prediction.top).toHaveLength(3);
    expect(prediction.top![0]).toEqual({ label, confidence: prediction.confidence });
    expect(prediction.top!.reduce((s, t) => s + t.confidence, 0)).toBeLessThanOrEqual(1.0001);
  });

  it('flags pages under the threshold for review instead of trusting them', async () => {
    const strict = new InProcessPageModel(undefined, { reviewThreshold: 0.99999 });
    const [vague] = await strict.predict([pageFromText('hello there\nsome words')]);
    expect(vague.needsReview).toBe(true);
    const [sure] = await strict.predict(fixture('paystub.jpg.textract.json').pages);
    expect(sure.confidence).toBeGreaterThan(0.99);
  });

  it('reaches the issue’s bar on the real evaluation pages: macro F1 >= 0.85, calibration error reported', () => {
    const metrics = evaluate(loadModelArtifact(), loadEvaluationPages(readLabels()));
    expect(metrics.pages).toBe(24);
    expect(metrics.macroF1).toBeGreaterThanOrEqual(0.85);
    expect(metrics.ece).toBeLessThan(0.2);
  });

  it('has labels for the local OCR evaluation that name real document files, none of them a Textract response', () => {
    const labels = readLabels(LOCAL_LABELS_FILE);
    expect(labels.length).toBe(9);
    for (const { source } of labels) {
      expect(existsSync(join(__dirname, '..', 'fixtures', source))).toBe(true);
      expect(source).not.toMatch(/\.json$/);
    }
    // resume is a class the Textract evaluation set lacks.
    expect(new Set(labels.map((l) => l.label))).toEqual(new Set(['application_form', 'invoice', 'paystub', 'receipt', 'resume', 'other']));
  });
});

describe('features', () => {
  it('folds amounts, dates and numbers into shape tokens', () => {
    expect(['$1,204.50', '3.99', '12/31/2024', '2024-01-05', '42', '1234567890', 'INV-3337', 'Total:'].map(normaliseToken)).toEqual(['<money>', '<money>', '<date>', '<date>', '<num>', '<longnum>', '<alnum>', 'total']);
  });

  it('hashes stably (a trained model keeps its meaning on every machine)', () => {
    expect(hashToken('invoice')).toBe(hashToken('invoice'));
    expect(hashToken('invoice')).not.toBe(hashToken('receipt'));
    expect(hashToken('')).toBe(0x811c9dc5);
  });

  it('gives a unit-length token vector plus the layout features', () => {
    const x = extractFeatures(fixture('receipt.jpg.textract.json').pages[0]);
    const tokens = x.values.slice(0, -9);
    expect(Math.sqrt(tokens.reduce((s, v) => s + v * v, 0))).toBeCloseTo(1, 6);
    expect(x.values.slice(-9).every((v) => v >= 0 && v <= 1)).toBe(true);
  });
});

describe('the synthetic generator', () => {
  it('is reproducible from its seed and covers every class', () => {
    const a = generateCorpus(PAGE_CLASSES, 2, 7);
    const b = generateCorpus(PAGE_CLASSES, 2, 7);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(generateCorpus(PAGE_CLASSES, 2, 8))).not.toBe(JSON.stringify(a));
    expect(new Set(a.map((p) => p.label))).toEqual(new Set(PAGE_CLASSES));
  });

  it('writes pages whose words each belong to one line', () => {
    const page = generatePage('invoice', seeded(3));
    const owned = page.lines.flatMap((l) => l.wordIds);
    expect(new Set(owned).size).toBe(page.words.length);
    expect(page.lines.length).toBeGreaterThan(5);
  });
});

describe('the release gate', () => {
  it('refuses a candidate that is worse on the real pages, and says why', () => {
    const pages = loadEvaluationPages(readLabels());
    const current = evaluate(loadModelArtifact(), pages);
    // A deliberately starved candidate: a handful of pages, one epoch.
    const weak = train({ ...DEFAULT_TRAIN_OPTIONS, version: 'weak', pagesPerClass: 3, epochs: 1 });
    const verdict = gate(evaluate(weak, pages), current);
    expect(verdict.promote).toBe(false);
    expect(verdict.reasons.join(' ')).toMatch(/macro F1 0\.\d+ is below the current model's 0\.\d+/);
    expect(gate(current, current).promote).toBe(true);
  });

  it('predictions of a freshly trained model agree with the classifier it builds', () => {
    const small = train({ ...DEFAULT_TRAIN_OPTIONS, version: 't', pagesPerClass: 20, epochs: 3 });
    const classifier = createClassifier(small);
    const prediction = classifier.predictPage(generatePage('paystub', seeded(99)));
    expect(small.classes).toContain(prediction.label);
    expect(small.temperature).toBeGreaterThan(0);
  });
});
