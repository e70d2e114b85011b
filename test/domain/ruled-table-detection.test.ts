import type { GreyImage } from '../../lambdas/domain/adapters/page-image';
import { boxGeometry, emptyPage, IdSequence } from '../../lambdas/domain/adapters/page-assembly';
import { addRuledTables, detectRuledTables } from '../../lambdas/domain/adapters/ruled-table-detection';

/** A white 600 x 300 image with rules drawn on it (1 px thick unless said). */
function image(rules: { h?: [number, number, number][]; v?: [number, number, number][] }): GreyImage {
  const width = 600;
  const height = 300;
  const grey = new Uint8Array(width * height).fill(255);
  for (const [y, x0, x1] of rules.h ?? []) for (let x = x0; x <= x1; x++) grey[y * width + x] = 0;
  for (const [x, y0, y1] of rules.v ?? []) for (let y = y0; y <= y1; y++) grey[y * width + x] = 0;
  return { width, height, grey };
}

describe('detectRuledTables', () => {
  it('finds a ruled grid, with a header cell spanning two columns where the rule between them is missing', () => {
    // 3 rows x 3 columns at x 50/200/350/500 and y 40/80/120/160; no rule at x 350 in the first row.
    const grids = detectRuledTables(
      image({
        h: [[40, 50, 500], [80, 50, 500], [120, 50, 500], [160, 50, 500]],
        v: [[50, 40, 160], [200, 40, 160], [350, 80, 160], [500, 40, 160]],
      }),
      { textHeight: 12 },
    );
    expect(grids).toHaveLength(1);
    expect(grids[0].rows).toEqual([40, 80, 120, 160]);
    expect(grids[0].columns).toEqual([50, 200, 350, 500]);
    expect(grids[0].cells).toEqual([
      { row: 0, column: 0, rowSpan: 1, colSpan: 1 },
      { row: 0, column: 1, rowSpan: 1, colSpan: 2 },
      { row: 1, column: 0, rowSpan: 1, colSpan: 1 },
      { row: 1, column: 1, rowSpan: 1, colSpan: 1 },
      { row: 1, column: 2, rowSpan: 1, colSpan: 1 },
      { row: 2, column: 0, rowSpan: 1, colSpan: 1 },
      { row: 2, column: 1, rowSpan: 1, colSpan: 1 },
      { row: 2, column: 2, rowSpan: 1, colSpan: 1 },
    ]);
  });

  it('takes no underline, lone box or one-column frame for a grid, and gives up on merges that are not rectangles', () => {
    expect(detectRuledTables(image({ h: [[100, 50, 500]] }), { textHeight: 12 })).toEqual([]); // an underline
    expect(detectRuledTables(image({ h: [[40, 50, 500], [160, 50, 500]], v: [[50, 40, 160], [500, 40, 160]] }), { textHeight: 12 })).toEqual([]); // a frame
    // An L-shaped hole: the rule at x 200 stops in row 1, the rule at y 80 stops in column 0.
    const l = image({ h: [[40, 50, 500], [80, 200, 500], [120, 50, 500]], v: [[50, 40, 120], [200, 80, 120], [500, 40, 120], [350, 40, 120]] });
    expect(detectRuledTables(l, { textHeight: 12 })).toEqual([]);
  });
});

describe('detectRuledTables on a page-wide frame', () => {
  it('reads the table among the boxed sections: cells side by side, not the title bar or the boxed paragraph', () => {
    // A frame 20..580 x 10..290: a title bar (10..40), a boxed paragraph (40..100), then a 2 x 3 table (100..220)
    // whose first column is split at x 200 and second at x 400; rows at 160. The frame joins every rule in one grid
    // whose merged areas are not rectangles (the bar and the paragraph span the table's columns).
    const grids = detectRuledTables(
      image({
        h: [[10, 20, 580], [40, 20, 580], [100, 20, 580], [160, 20, 580], [220, 20, 580], [290, 20, 580]],
        v: [[20, 10, 290], [580, 10, 290], [200, 100, 220], [400, 100, 220]],
      }),
      { textHeight: 12 },
    );
    expect(grids).toHaveLength(1);
    const [grid] = grids;
    expect(grid.rows.map(Math.round)).toEqual([100, 160, 220]);
    expect(grid.columns.map(Math.round)).toEqual([20, 200, 400, 580]);
    expect(grid.cells).toHaveLength(6);
    expect(grid.cells.every((c) => c.rowSpan === 1 && c.colSpan === 1)).toBe(true);
  });
});

describe('addRuledTables', () => {
  it('fills the cells with the words whose centre is in them, and replaces a word-based table in the same place', () => {
    const ids = new IdSequence();
    const page = emptyPage(1, { width: 600, height: 300, unit: 'pixel' });
    const word = (text: string, x0: number, y0: number) => {
      const id = ids.next('w');
      page.words.push({ id, text, confidence: 0.8, geometry: boxGeometry(x0, y0, x0 + 8 * text.length, y0 + 12, 600, 300), vendorIds: [] });
      return id;
    };
    const name = word('Name', 60, 50);
    const doe = word('Doe', 210, 50);
    const john = word('John', 250, 50);
    page.tables.push({ id: 't0', rows: 1, columns: 2, kind: 'semi_structured', cells: [], titles: [], footers: [], geometry: boxGeometry(60, 50, 290, 62, 600, 300), vendorIds: [] });
    const grid = { rows: [40, 80, 120], columns: [50, 200, 500], cells: [{ row: 0, column: 0, rowSpan: 1, colSpan: 1 }, { row: 0, column: 1, rowSpan: 1, colSpan: 1 }, { row: 1, column: 0, rowSpan: 1, colSpan: 2 }] };
    addRuledTables(page, [grid], { width: 600, height: 300 }, ids);
    expect(page.tables).toHaveLength(1);
    const [table] = page.tables;
    expect(table).toMatchObject({ rows: 2, columns: 2, kind: 'structured' });
    expect(table.cells.map((c) => [c.row, c.column, c.colSpan, c.text, c.wordIds])).toEqual([
      [0, 0, 1, 'Name', [name]],
      [0, 1, 1, 'Doe John', [doe, john]],
      [1, 0, 2, '', []],
    ]);
    // A frame with words in one cell only is not a table.
    const framed = emptyPage(2, { width: 600, height: 300, unit: 'pixel' });
    framed.words.push({ id: 'w9', text: 'Note', confidence: 0.9, geometry: boxGeometry(60, 50, 100, 62, 600, 300), vendorIds: [] });
    addRuledTables(framed, [grid], { width: 600, height: 300 }, ids);
    expect(framed.tables).toEqual([]);
  });
});
