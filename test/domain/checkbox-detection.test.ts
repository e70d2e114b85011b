import { addCheckboxes, detectCheckboxes } from '../../lambdas/domain/adapters/checkbox-detection';
import type { GreyImage } from '../../lambdas/domain/adapters/page-image';
import { boxGeometry, emptyPage, IdSequence } from '../../lambdas/domain/adapters/page-assembly';

/** A white image to draw on: 400 x 100 pixels. */
function canvas(width = 400, height = 100): GreyImage & { fill(x0: number, y0: number, x1: number, y1: number): void; square(x: number, y: number, size: number): void } {
  const grey = new Uint8Array(width * height).fill(255);
  const fill = (x0: number, y0: number, x1: number, y1: number) => {
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) grey[y * width + x] = 0;
  };
  const square = (x: number, y: number, size: number) => {
    fill(x, y, x + size, y + 1);
    fill(x, y + size - 1, x + size, y + size);
    fill(x, y, x + 1, y + size);
    fill(x + size - 1, y, x + size, y + size);
  };
  return { width, height, grey, fill, square };
}

describe('detectCheckboxes', () => {
  it('finds empty, ticked and filled boxes about the size of the text, with their state', () => {
    const image = canvas();
    image.square(10, 10, 15); // empty
    image.square(50, 10, 15);
    for (let i = 0; i < 8; i++) image.fill(54 + i, 16 + (i < 3 ? i : 5 - (i - 3)), 56 + i, 18 + (i < 3 ? i : 5 - (i - 3))); // a tick
    image.square(90, 10, 15);
    image.fill(93, 13, 102, 22); // a filled square inside its box: one box, not two
    const boxes = detectCheckboxes(image, { textHeight: 14 }).sort((a, b) => a.x0 - b.x0);
    expect(boxes.map((b) => [b.x0, b.y0, b.x1, b.y1, b.selected])).toEqual([
      [10, 10, 25, 25, false],
      [50, 10, 65, 25, true],
      [90, 10, 105, 25, true],
    ]);
    expect(boxes.every((b) => b.confidence >= 0.5 && b.confidence <= 1)).toBe(true);
  });

  it('takes no letter, rule, table cell or square in dense print for a box', () => {
    const image = canvas();
    // An "O": a ring with light corners.
    image.fill(14, 10, 22, 12);
    image.fill(14, 23, 22, 25);
    image.fill(10, 14, 12, 21);
    image.fill(24, 14, 26, 21);
    image.fill(12, 12, 14, 14);
    image.fill(22, 12, 24, 14);
    image.fill(12, 21, 14, 23);
    image.fill(22, 21, 24, 23);
    image.fill(40, 20, 200, 21); // a rule
    image.square(210, 10, 60); // a table cell, far larger than the text
    image.square(300, 10, 15); // a square in dense print: specks of ink all around it
    for (let i = 0; i < 19; i += 2) {
      image.fill(298 + i, 8, 299 + i, 9);
      image.fill(298 + i, 26, 299 + i, 27);
      image.fill(298, 8 + i, 299, 9 + i);
      image.fill(316, 8 + i, 317, 9 + i);
    }
    image.square(350, 10, 6); // too small: at a low resolution this is a bold letter
    expect(detectCheckboxes(image, { textHeight: 14 })).toEqual([]);
  });
});

describe('addCheckboxes', () => {
  it('makes each box a selection and a field keyed by the words right of it, up to the next box or a wide gap', () => {
    const ids = new IdSequence();
    const page = emptyPage(1, { width: 400, height: 100, unit: 'pixel' });
    const word = (text: string, x0: number, x1: number) => {
      const id = ids.next('w');
      page.words.push({ id, text, confidence: 0.9, geometry: boxGeometry(x0, 12, x1, 24, 400, 100), vendorIds: [] });
    };
    // [x] Rent Room [ ] Mobile Home          Other text far away
    word('Rent', 30, 60);
    word('Room', 64, 96);
    word('Mobile', 130, 170);
    word('Home', 174, 206);
    word('Far', 330, 360);
    addCheckboxes(page, [{ x0: 10, y0: 10, x1: 25, y1: 25, selected: true, confidence: 1 }, { x0: 110, y0: 10, x1: 125, y1: 25, selected: false, confidence: 0.9 }], { width: 400, height: 100 }, ids);
    expect(page.selections.map((s) => s.selected)).toEqual([true, false]);
    expect(page.fields.map((f) => [f.key.text, f.valueType, f.selected, f.value.selectionIds])).toEqual([
      ['Rent Room', 'selection', true, [page.selections[0].id]],
      ['Mobile Home', 'selection', false, [page.selections[1].id]],
    ]);
  });
});
