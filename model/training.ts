/**
 * Training and evaluation of the page classifier: softmax regression by stochastic gradient descent (L2 on the
 * weights a sample touches), temperature scaling on held-out synthetic pages, and the metrics the release gate and
 * the model card use, computed on the real evaluation pages.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeResponse } from '../lambdas/domain/adapters';
import type { Document, Page } from '../lambdas/domain/document';
import { inspectDocument } from '../lambdas/domain/intake/inspect';
import { LocalOcrVendor } from '../lambdas/local/ocr/local-ocr-vendor';
import { extractFeatures, featureCount, type FeatureSettings, type SparseVector } from '../lambdas/domain/page-model/features';
import { createClassifier, PAGE_CLASSES, scoresOf, softmax, type ModelArtifact, type PageClass } from '../lambdas/domain/page-model/model';
import { generateCorpus, seeded } from './generator';

export interface TrainOptions {
  version: string;
  seed: number;
  pagesPerClass: number;
  epochs: number;
  learningRate: number;
  l2: number;
  features: FeatureSettings;
}

export const DEFAULT_TRAIN_OPTIONS: Omit<TrainOptions, 'version'> = { seed: 20261125, pagesPerClass: 300, epochs: 12, learningRate: 0.4, l2: 1e-5, features: { hashBits: 12, bigrams: true } };

interface Sample {
  x: SparseVector;
  y: number;
}

export function train(options: TrainOptions): ModelArtifact {
  const classes = [...PAGE_CLASSES];
  const width = featureCount(options.features);
  const toSample = ({ label, page }: { label: PageClass; page: Page }): Sample => ({ x: extractFeatures(page, options.features), y: classes.indexOf(label) });
  const samples = generateCorpus(classes, options.pagesPerClass, options.seed).map(toSample);
  // Held-out pages from another seed: only for the temperature, never seen by the weights.
  const heldOut = generateCorpus(classes, Math.max(20, Math.round(options.pagesPerClass / 5)), options.seed + 1).map(toSample);

  const weights = classes.map(() => new Float64Array(width));
  const biases = new Float64Array(classes.length);
  const r = seeded(options.seed + 2);
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    const rate = options.learningRate / (1 + epoch * 0.5);
    shuffle(samples, r);
    for (const { x, y } of samples) {
      const probabilities = softmax(scoresOf({ weights: weights as unknown as number[][], biases: biases as unknown as number[] }, x));
      for (let k = 0; k < classes.length; k++) {
        const gradient = probabilities[k] - (k === y ? 1 : 0);
        const row = weights[k];
        for (let i = 0; i < x.indices.length; i++) {
          const j = x.indices[i];
          row[j] -= rate * (gradient * x.values[i] + options.l2 * row[j]);
        }
        biases[k] -= rate * gradient * 0.1;
      }
    }
  }
  const artifact: ModelArtifact = {
    name: 'docpipe-page-classifier',
    version: options.version,
    classes,
    features: options.features,
    weights: weights.map((row) => Array.from(row, (w) => Math.round(w * 1e4) / 1e4)),
    biases: Array.from(biases, (b) => Math.round(b * 1e4) / 1e4),
    temperature: 1,
    trainedAt: new Date().toISOString(),
    training: { seed: options.seed, pagesPerClass: options.pagesPerClass, epochs: options.epochs, l2: options.l2, learningRate: options.learningRate },
  };
  artifact.temperature = fitTemperature(artifact, heldOut);
  return artifact;
}

function shuffle<T>(items: T[], r: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
}

/** The temperature that minimises the negative log-likelihood of the held-out pages (a grid is enough). */
function fitTemperature(artifact: ModelArtifact, samples: Sample[]): number {
  const scores = samples.map((s) => scoresOf(artifact, s.x));
  let best = { temperature: 1, nll: Infinity };
  for (let t = 0.25; t <= 8; t *= 1.05) {
    let nll = 0;
    samples.forEach((s, i) => (nll -= Math.log(Math.max(1e-12, softmax(scores[i], t)[s.y]))));
    if (nll < best.nll) best = { temperature: Math.round(t * 1000) / 1000, nll };
  }
  return best.temperature;
}

// ---- the real evaluation set ----------------------------------------------------------------------------------------
export interface EvaluationPage {
  source: string;
  page: number;
  label: PageClass;
  note: string;
}

const ROOT = join(__dirname, '..');
export const LABELS_FILE = join(ROOT, 'model', 'eval', 'labels.tsv');
/** The same documents' pages as the local OCR reads them (the document files, not their Textract output). */
export const LOCAL_LABELS_FILE = join(ROOT, 'model', 'eval', 'labels-local.tsv');

/** The labelled real pages: `source<TAB>page<TAB>label<TAB>note`, source relative to test/fixtures/. */
export function readLabels(file = LABELS_FILE): EvaluationPage[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() && !line.startsWith('#'))
    .map((line) => {
      const [source, page, label, note = ''] = line.split('\t');
      if (!PAGE_CLASSES.includes(label as PageClass)) throw new Error(`${file}: unknown label "${label}" for ${source}`);
      return { source, page: Number(page), label: label as PageClass, note };
    });
}

/** The common-format page each label names, read through the vendor adapter like any document. */
export function loadEvaluationPages(labels: EvaluationPage[]): { label: PageClass; page: Page; source: string }[] {
  const documents = new Map<string, ReturnType<typeof normalizeResponse>>();
  return labels.map((entry) => {
    let document = documents.get(entry.source);
    if (!document) {
      document = normalizeResponse(JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', entry.source), 'utf8')), { allowIncomplete: true });
      documents.set(entry.source, document);
    }
    const page = document.pages.find((p) => p.number === entry.page);
    if (!page) throw new Error(`${entry.source} has no page ${entry.page}`);
    return { label: entry.label, page, source: `${entry.source}#${entry.page}` };
  });
}

/**
 * The pages each label names as the local OCR vendor reads the document file: what `docpipe run` classifies. The
 * engine is started here and closed before returning; reading the 8 files takes about half a minute.
 */
export async function loadLocalEvaluationPages(labels: EvaluationPage[]): Promise<{ label: PageClass; page: Page; source: string }[]> {
  const vendor = new LocalOcrVendor({ workers: 2 });
  try {
    const documents = new Map<string, Promise<Document>>();
    const read = async (source: string): Promise<Document> => {
      const bytes = new Uint8Array(readFileSync(join(ROOT, 'test', 'fixtures', source)));
      const inspection = await inspectDocument(bytes);
      return vendor.recognize({ documentId: source, bytes, contentType: inspection.contentType, sha256: inspection.sha256, name: source });
    };
    const out: { label: PageClass; page: Page; source: string }[] = [];
    for (const entry of labels) {
      if (!documents.has(entry.source)) documents.set(entry.source, read(entry.source));
      const page = (await documents.get(entry.source)!).pages.find((p) => p.number === entry.page);
      if (!page) throw new Error(`${entry.source} has no page ${entry.page}`);
      out.push({ label: entry.label, page, source: `${entry.source}#${entry.page}` });
    }
    return out;
  } finally {
    await vendor.close();
  }
}

export interface Metrics {
  pages: number;
  accuracy: number;
  macroF1: number;
  /** Expected calibration error, 10 equal-width confidence bins. */
  ece: number;
  perClass: Record<string, { support: number; precision: number; recall: number; f1: number }>;
  /** confusion[true][predicted] */
  confusion: Record<string, Record<string, number>>;
  predictions: { source: string; label: string; predicted: string; confidence: number }[];
}

export function evaluate(artifact: ModelArtifact, pages: { label: PageClass; page: Page; source: string }[]): Metrics {
  const classifier = createClassifier(artifact);
  const predictions = pages.map(({ label, page, source }) => {
    const prediction = classifier.predictPage(page);
    return { source, label, predicted: prediction.label, confidence: prediction.confidence };
  });
  const present = PAGE_CLASSES.filter((c) => pages.some((p) => p.label === c));
  const perClass: Metrics['perClass'] = {};
  for (const c of present) {
    const tp = predictions.filter((p) => p.label === c && p.predicted === c).length;
    const predicted = predictions.filter((p) => p.predicted === c).length;
    const support = predictions.filter((p) => p.label === c).length;
    const precision = predicted ? tp / predicted : 0;
    const recall = support ? tp / support : 0;
    perClass[c] = { support, precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0 };
  }
  const confusion: Metrics['confusion'] = {};
  for (const p of predictions) {
    confusion[p.label] ??= {};
    confusion[p.label][p.predicted] = (confusion[p.label][p.predicted] ?? 0) + 1;
  }
  const bins = Array.from({ length: 10 }, () => ({ n: 0, confidence: 0, correct: 0 }));
  for (const p of predictions) {
    const bin = bins[Math.min(9, Math.floor(p.confidence * 10))];
    bin.n++;
    bin.confidence += p.confidence;
    bin.correct += p.label === p.predicted ? 1 : 0;
  }
  const ece = bins.reduce((sum, b) => sum + (b.n ? (b.n / predictions.length) * Math.abs(b.correct / b.n - b.confidence / b.n) : 0), 0);
  return {
    pages: predictions.length,
    accuracy: predictions.filter((p) => p.label === p.predicted).length / predictions.length,
    macroF1: present.reduce((s, c) => s + perClass[c].f1, 0) / present.length,
    ece,
    perClass,
    confusion,
    predictions,
  };
}

/** The release gate: a candidate may replace the current model only if it is not worse on the real pages. */
export function gate(candidate: Metrics, current: Metrics | undefined): { promote: boolean; reasons: string[] } {
  if (!current) return { promote: true, reasons: ['there is no current model'] };
  const reasons: string[] = [];
  const tolerance = 1e-9;
  if (candidate.macroF1 < current.macroF1 - tolerance) reasons.push(`macro F1 ${candidate.macroF1.toFixed(3)} is below the current model's ${current.macroF1.toFixed(3)}`);
  if (candidate.accuracy < current.accuracy - tolerance) reasons.push(`accuracy ${candidate.accuracy.toFixed(3)} is below the current model's ${current.accuracy.toFixed(3)}`);
  if (candidate.ece > current.ece + 0.05) reasons.push(`calibration error ${candidate.ece.toFixed(3)} is more than 0.05 above the current model's ${current.ece.toFixed(3)}`);
  return { promote: reasons.length === 0, reasons: reasons.length ? reasons : [`macro F1 ${candidate.macroF1.toFixed(3)} >= ${current.macroF1.toFixed(3)}, accuracy ${candidate.accuracy.toFixed(3)} >= ${current.accuracy.toFixed(3)}`] };
}
