/**
 * Which way up a scanned page is, for an engine that reads only upright text. Tesseract reads a page turned a quarter
 * turn as nothing at all, and a page upside down as garbage of middling confidence; no orientation model is shipped,
 * so two cheap signs choose the turns worth reading again:
 * - the image: lines of text leave blank rows between them, so a page turned a quarter turn has its blank lines in
 *   columns instead;
 * - the reading: read the right way up, many words are read with confidence; upside down, hardly any.
 * The turn kept is the one whose reading has the most confidently read words. A page fed in askew is measured the
 * same way, from its image (`skewOf`), and read again straightened.
 */
import type { GreyImage } from './page-image';

/** What the orientation check needs of a word that was read. */
export interface ReadWord {
  text: string;
  /** 0..100, as Tesseract gives it. */
  confidence: number;
}

/** A reading with at least this share of confident words is taken as upright without looking further. */
export const UPRIGHT_SHARE = 0.5;
/**
 * Below this share of confident words, a page whose blank lines run across it is read upside down as well. Upright
 * samples, even a poor 85 DPI scan, give 0.21-0.73; the same pages upside down give 0-0.14.
 */
export const UPSIDE_DOWN_SHARE = 0.18;
/** Blank columns must outnumber blank rows by this share of the page's lines for it to count as turned a quarter. */
const SIDEWAYS_MARGIN = 0.1;
/** Darker than this is ink. */
const INK = 128;

/** A word read with confidence (80 or more) and at least three letters or digits in a row: not a speck read as "l". */
export function isConfident(word: ReadWord): boolean {
  return word.confidence >= 80 && /[\p{L}\p{N}]{3}/u.test(word.text);
}

export function confidentWords(words: ReadWord[]): number {
  let count = 0;
  for (const word of words) if (isConfident(word)) count++;
  return count;
}

/** True when the reading is good enough to be the page the right way up, without looking further. */
export function readsUpright(words: ReadWord[]): boolean {
  return words.length > 0 && confidentWords(words) / words.length >= UPRIGHT_SHARE;
}

/**
 * The share of lines without ink (a line: a row or a column of pixels, whichever the counts are for) between the
 * first and the last inked one; a line with under 2% of the fullest line's ink counts as blank (specks, noise).
 */
export function blankShare(inkPerLine: ArrayLike<number>): number {
  let first = 0;
  let last = inkPerLine.length - 1;
  while (first <= last && inkPerLine[first] === 0) first++;
  while (last >= first && inkPerLine[last] === 0) last--;
  if (first > last) return 0;
  let fullest = 0;
  for (let i = first; i <= last; i++) fullest = Math.max(fullest, inkPerLine[i]);
  let blank = 0;
  for (let i = first; i <= last; i++) if (inkPerLine[i] <= fullest * 0.02) blank++;
  return blank / (last - first + 1);
}

/** True when the page's text runs up or down it: its blank lines are columns rather than rows. */
export function looksSideways(image: GreyImage): boolean {
  const { width, height, grey } = image;
  const perRow = new Uint32Array(height);
  const perColumn = new Uint32Array(width);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if (grey[row + x] < INK) {
        perRow[y]++;
        perColumn[x]++;
      }
    }
  }
  return blankShare(perColumn) > blankShare(perRow) + SIDEWAYS_MARGIN;
}

/**
 * The clockwise turns (90, 180, 270) of the page image worth reading again, given the first reading: none when that
 * reading is good; a quarter turn each way when the page looks sideways; upside down when the reading is poor.
 */
export function turnsToTry(words: ReadWord[], image: GreyImage): number[] {
  if (readsUpright(words)) return [];
  if (looksSideways(image)) return [90, 270];
  return words.length > 0 && confidentWords(words) / words.length < UPSIDE_DOWN_SHARE ? [180] : [];
}

/** A reading of the page turned is kept only when it reads clearly more: half as many confident words again, and at least three. */
export function readsBetter(turned: ReadWord[], first: ReadWord[]): boolean {
  const count = confidentWords(turned);
  return count >= 3 && count > confidentWords(first) * 1.5;
}

/** Skews up to this many degrees either way are looked for; a scan skewed less than MIN_SKEW is left as it is. */
export const MAX_SKEW = 15;
export const MIN_SKEW = 1;

/**
 * How far the page's lines of text are skewed, in degrees clockwise (lines running down to the right): the angle at
 * which the ink, counted along lines at that slant, falls into the sharpest stripes (lines of text and the gaps
 * between them). Tried every half degree, then every tenth around the best. The image is sampled to about half a million
 * pixels. 0 for a page with too little ink to tell.
 */
export function skewOf(image: GreyImage): number {
  const { width, height, grey } = image;
  const step = Math.max(1, Math.round(Math.sqrt((width * height) / 5e5)));
  const xs: number[] = [];
  const ys: number[] = [];
  for (let y = 0; y < height; y += step) {
    for (let x = 0; x < width; x += step) {
      if (grey[y * width + x] < INK) {
        xs.push(x);
        ys.push(y);
      }
    }
  }
  if (xs.length < 200) return 0;
  const bins = new Int32Array(Math.ceil((width + height) / step) + 2);
  const offset = Math.ceil(width / step) + 1;
  const sharpness = (degrees: number): number => {
    const sin = Math.sin((degrees * Math.PI) / 180);
    const cos = Math.cos((degrees * Math.PI) / 180);
    bins.fill(0);
    for (let i = 0; i < xs.length; i++) bins[Math.floor((ys[i] * cos - xs[i] * sin) / step) + offset]++;
    let sum = 0;
    for (let i = 1; i < bins.length; i++) sum += (bins[i] - bins[i - 1]) ** 2;
    return sum;
  };
  const best = (from: number, to: number, by: number, start: number): number => {
    let angle = start;
    let score = sharpness(start);
    for (let degrees = from; degrees <= to + 1e-9; degrees += by) {
      const s = sharpness(degrees);
      if (s > score) [angle, score] = [degrees, s];
    }
    return angle;
  };
  const coarse = best(-MAX_SKEW, MAX_SKEW, 0.5, 0);
  return Math.round(best(coarse - 0.5, coarse + 0.5, 0.1, coarse) * 10) / 10;
}

/** A straightened reading is kept unless it reads clearly less: under 90% of the first reading's confident words. */
export function readsAsWell(straightened: ReadWord[], first: ReadWord[]): boolean {
  return confidentWords(straightened) >= 0.9 * confidentWords(first);
}
