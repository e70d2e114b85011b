/**
 * The page classifier: multinomial logistic regression over the features, with temperature scaling so that the
 * confidence is a calibrated probability. The artifact is a small JSON file (weights rounded, biases, temperature).
 */
import type { Page, PagePrediction } from '../document';
import { DocpipeError } from '../errors';
import { extractFeatures, featureCount, type FeatureSettings, type SparseVector } from './features';

export const PAGE_CLASSES = ['invoice', 'receipt', 'paystub', 'bank_statement', 'tax_form', 'application_form', 'id_document', 'letter', 'resume', 'report', 'other'] as const;
export type PageClass = (typeof PAGE_CLASSES)[number];

/** Pages whose confidence is under this are flagged `needsReview`. */
export const DEFAULT_REVIEW_THRESHOLD = 0.6;

export interface ModelArtifact {
  name: string;
  version: string;
  classes: string[];
  features: FeatureSettings;
  /** weights[class][feature], row-major, rounded. */
  weights: number[][];
  biases: number[];
  temperature: number;
  trainedAt: string;
  training: { seed: number; pagesPerClass: number; epochs: number; l2: number; learningRate: number };
}

export function softmax(scores: number[], temperature = 1): number[] {
  const scaled = scores.map((s) => s / temperature);
  const max = Math.max(...scaled);
  const exps = scaled.map((s) => Math.exp(s - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

export function scoresOf(artifact: Pick<ModelArtifact, 'weights' | 'biases'>, x: SparseVector): number[] {
  return artifact.weights.map((row, k) => {
    let s = artifact.biases[k];
    for (let i = 0; i < x.indices.length; i++) s += row[x.indices[i]] * x.values[i];
    return s;
  });
}

export function checkArtifact(artifact: ModelArtifact): ModelArtifact {
  const width = featureCount(artifact.features);
  if (!artifact.classes?.length || artifact.weights?.length !== artifact.classes.length || artifact.weights.some((row) => row.length !== width) || artifact.biases?.length !== artifact.classes.length) {
    throw new DocpipeError('MODEL_ARTIFACT_INVALID', `The model artifact ${artifact.name ?? '?'} ${artifact.version ?? '?'} does not have one weight row of ${width} per class: retrain it with \`npm run model:train\`.`);
  }
  return artifact;
}

export interface Classifier {
  readonly artifact: ModelArtifact;
  predictPage(page: Page): PagePrediction;
}

export function createClassifier(artifact: ModelArtifact, { reviewThreshold = DEFAULT_REVIEW_THRESHOLD } = {}): Classifier {
  checkArtifact(artifact);
  return {
    artifact,
    predictPage(page: Page): PagePrediction {
      const probabilities = softmax(scoresOf(artifact, extractFeatures(page, artifact.features)), artifact.temperature);
      const ranked = probabilities.map((p, k) => ({ label: artifact.classes[k], confidence: p })).sort((a, b) => b.confidence - a.confidence);
      const best = ranked[0];
      const round = (p: number): number => Math.round(p * 10000) / 10000;
      return {
        label: best.label,
        confidence: round(best.confidence),
        model: artifact.name,
        modelVersion: artifact.version,
        top: ranked.slice(0, 3).map((r) => ({ label: r.label, confidence: round(r.confidence) })),
        needsReview: best.confidence < reviewThreshold,
      };
    },
  };
}
