import type { GreyImage } from '../../lambdas/domain/adapters/page-image';
import { blankShare, confidentWords, looksSideways, readsAsWell, readsBetter, readsUpright, skewOf, turnsToTry, type ReadWord } from '../../lambdas/domain/adapters/page-orientation';

/** A white page with dark bars where lines of text would be: rows of them across the page, or columns down it. */
function barsPage(sideways: boolean): GreyImage {
  const width = 200;
  const height = 300;
  const grey = new Uint8Array(width * height).fill(255);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const across = sideways ? x : y; // position across the lines
      const along = sideways ? y : x; // position along a line
      const inLine = across >= 20 && across % 20 < 8; // 8 pixels of text, 12 of leading
      const inWord = along >= 10 && along < 190 && along % 30 < 24; // words with gaps between them
      if (inLine && inWord) grey[y * width + x] = 0;
    }
  }
  return { width, height, grey };
}

const words = (confident: number, poor: number): ReadWord[] => [
  ...Array.from({ length: confident }, () => ({ text: 'Invoice', confidence: 91 })),
  ...Array.from({ length: poor }, () => ({ text: 'l', confidence: 40 })),
];

describe('which way up a scanned page is', () => {
  it('counts the blank lines between the first and last inked ones, specks under 2% of the fullest as blank', () => {
    expect(blankShare([0, 0, 50, 0, 0, 50, 1, 50, 0])).toBeCloseTo(3 / 6);
    expect(blankShare([0, 0, 0])).toBe(0);
  });

  it('tells a page whose lines run down it from one whose lines run across', () => {
    expect(looksSideways(barsPage(false))).toBe(false);
    expect(looksSideways(barsPage(true))).toBe(true);
  });

  it('counts as confident only words read at 80 or more with three letters or digits in a row', () => {
    expect(confidentWords([{ text: 'Total', confidence: 80 }, { text: '$1.5', confidence: 95 }, { text: 'Tax', confidence: 79 }, { text: '154.06', confidence: 99 }])).toBe(2);
  });

  it('reads again only a poor reading: a quarter turn each way when sideways, upside down when nearly nothing was read', () => {
    const upright = barsPage(false);
    expect(readsUpright(words(6, 4))).toBe(true);
    expect(turnsToTry(words(6, 4), barsPage(true))).toEqual([]); // a good reading is trusted, whatever the image says
    expect(turnsToTry([], barsPage(true))).toEqual([90, 270]); // Tesseract reads a sideways page as nothing
    expect(turnsToTry(words(1, 19), upright)).toEqual([180]);
    expect(turnsToTry(words(3, 7), upright)).toEqual([]); // a poor scan the right way up (0.3 confident) is not turned
    expect(turnsToTry([], upright)).toEqual([]); // a blank page
  });

  it('keeps a turned reading only when it reads clearly more', () => {
    expect(readsBetter(words(40, 10), words(3, 50))).toBe(true);
    expect(readsBetter(words(4, 10), words(3, 50))).toBe(false); // not half as many again
    expect(readsBetter(words(2, 0), [])).toBe(false); // too few to tell
  });

  it('measures how far the lines of a page slant, either way, to a tenth of a degree', () => {
    for (const degrees of [0, 2.5, -4, 9, -14]) expect(skewOf(slantedPage(degrees))).toBeCloseTo(degrees, 0);
    expect(Math.abs(skewOf(slantedPage(6)) - 6)).toBeLessThanOrEqual(0.2);
    expect(skewOf({ width: 100, height: 100, grey: new Uint8Array(100 * 100).fill(255) })).toBe(0); // nothing to tell by
  });

  it('keeps a straightened reading unless it reads clearly less', () => {
    expect(readsAsWell(words(60, 10), words(64, 10))).toBe(true);
    expect(readsAsWell(words(50, 10), words(64, 10))).toBe(false);
  });
});

/** A white page with lines of "text" (dashes) slanting `degrees` clockwise: down to the right for a positive angle. */
function slantedPage(degrees: number): GreyImage {
  const width = 600;
  const height = 800;
  const grey = new Uint8Array(width * height).fill(255);
  const slope = Math.tan((degrees * Math.PI) / 180);
  for (let line = 0; line < 30; line++) {
    for (let x = 60; x < 540; x++) {
      if (x % 40 >= 32) continue; // gaps between words
      const y0 = Math.round(100 + line * 20 + (x - 300) * slope);
      for (let y = y0; y < y0 + 8; y++) if (y >= 0 && y < height) grey[y * width + x] = 0;
    }
  }
  return { width, height, grey };
}
