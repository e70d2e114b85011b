import type { GreyImage } from '../../lambdas/domain/adapters/page-image';
import { blankShare, confidentWords, looksSideways, readsBetter, readsUpright, turnsToTry, type ReadWord } from '../../lambdas/domain/adapters/page-orientation';

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
});
