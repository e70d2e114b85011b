/**
 * Page features from the common format, so any vendor's pages classify the same way: hashed word and word-pair
 * tokens (numbers, amounts and dates folded into shape tokens, so "$1,204.50" and "$3.99" count as one thing) and a
 * few layout features (tables, key-value fields, checkboxes, share of numeric tokens, ...).
 */
import type { Page } from '../document';

export interface FeatureSettings {
  /** Hashed token space: 2^bits dimensions. */
  hashBits: number;
  /** Add word pairs (bigrams within a line). */
  bigrams: boolean;
}

export const DEFAULT_FEATURE_SETTINGS: FeatureSettings = { hashBits: 12, bigrams: true };
export const LAYOUT_FEATURES = ['tables', 'fields', 'selections', 'numericShare', 'moneyShare', 'dateShare', 'words', 'wordsPerLine', 'upperShare'] as const;

/** A sparse vector: parallel index and value arrays. */
export interface SparseVector {
  indices: number[];
  values: number[];
}

/** FNV-1a, 32 bit: stable across machines and versions, so a trained model keeps its meaning. */
export function hashToken(token: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < token.length; i++) {
    hash ^= token.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

const MONEY = /^[$€£]?\d{1,3}([,.]\d{3})*[.,]\d{2}[$€£]?$|^[$€£]\d+$/;
const DATE = /^\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}$/;
const NUMBER = /^[#(]?[-+]?\d[\d,.:/-]*%?\)?$/;

/** Lower-cased token with numbers folded into shapes; '' for tokens that carry nothing. */
export function normaliseToken(raw: string): string {
  const token = raw.toLowerCase().replace(/^[^\p{L}\p{N}$€£#%]+|[^\p{L}\p{N}%]+$/gu, '');
  if (!token) return '';
  if (MONEY.test(token)) return '<money>';
  if (DATE.test(token)) return '<date>';
  if (NUMBER.test(token)) return token.length > 6 ? '<longnum>' : '<num>';
  if (/\d/.test(token)) return '<alnum>';
  return token;
}

export function pageTokens(page: Page): string[][] {
  return page.lines.map((line) => line.text.split(/\s+/).map(normaliseToken).filter(Boolean));
}

export function extractFeatures(page: Page, settings: FeatureSettings = DEFAULT_FEATURE_SETTINGS): SparseVector {
  const dims = 1 << settings.hashBits;
  const counts = new Map<number, number>();
  const add = (token: string): void => {
    const index = hashToken(token) & (dims - 1);
    counts.set(index, (counts.get(index) ?? 0) + 1);
  };
  let words = 0;
  let numeric = 0;
  let money = 0;
  let dates = 0;
  let upper = 0;
  const lines = page.lines.map((line) => line.text.split(/\s+/).filter(Boolean));
  for (const raw of lines) {
    const tokens = raw.map(normaliseToken);
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i];
      if (!token) continue;
      words++;
      if (token === '<money>') money++;
      else if (token === '<date>') dates++;
      if (token.startsWith('<')) numeric++;
      if (raw[i].length > 1 && raw[i] === raw[i].toUpperCase() && /\p{L}/u.test(raw[i])) upper++;
      add(token);
      if (settings.bigrams && i + 1 < tokens.length && tokens[i + 1]) add(`${token} ${tokens[i + 1]}`);
    }
  }
  // Sublinear counts, then unit length: long pages do not outvote short ones.
  const indices = [...counts.keys()].sort((a, b) => a - b);
  const values = indices.map((i) => 1 + Math.log(counts.get(i)!));
  const norm = Math.sqrt(values.reduce((s, v) => s + v * v, 0)) || 1;
  for (let i = 0; i < values.length; i++) values[i] /= norm;

  const share = (n: number): number => (words ? n / words : 0);
  const layout = [
    Math.min(1, Math.log1p(page.tables.length) / 2),
    Math.min(1, Math.log1p(page.fields.length) / 4),
    Math.min(1, Math.log1p(page.selections.length) / 3),
    share(numeric),
    share(money),
    share(dates),
    Math.min(1, Math.log1p(words) / 7),
    Math.min(1, (lines.length ? words / lines.length : 0) / 12),
    share(upper),
  ];
  layout.forEach((value, k) => {
    indices.push(dims + k);
    values.push(value);
  });
  return { indices, values };
}

export function featureCount(settings: FeatureSettings): number {
  return (1 << settings.hashBits) + LAYOUT_FEATURES.length;
}
