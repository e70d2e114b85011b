import { checkDocument, type Page } from '../../lambdas/domain/document';
import { assembleDocument, IdSequence, tiltPage, turnPage } from '../../lambdas/domain/adapters/page-assembly';
import { pdfTextPage, PDF_TEXT_ADAPTER } from '../../lambdas/domain/adapters/pdf-text';
import type { PdfFormField } from '../../lambdas/domain/adapters/pdf-text/form-fields';
import { tesseractPage } from '../../lambdas/domain/adapters/tesseract';

const PAGE = { number: 1, width: 612, height: 792 };
const box = (x: number, y: number, width = 150, height = 20) => ({ x, y, width, height });

/** Each region's lines, as text, in the page's order of regions. */
function regionLines(page: Page): string[][] {
  const lines = new Map(page.lines.map((l) => [l.id, l.text]));
  return page.regions.map((r) => r.lineIds.map((id) => lines.get(id) ?? ''));
}

function pageWith(items: { str: string; x: number; y: number; width: number; height: number }[], fields: PdfFormField[]) {
  const ids = new IdSequence();
  const page = pdfTextPage(items, PAGE, ids, undefined, fields);
  const document = assembleDocument([page], { source: { contentType: 'application/pdf', sha256: '0'.repeat(64) }, documentId: 'd', warnings: [], vendor: 'pdf-text', api: 'pdfjs', adapter: { ...PDF_TEXT_ADAPTER } });
  expect(checkDocument(document).issues).toEqual([]);
  return page;
}

describe('the fields of a filled PDF form', () => {
  it('falls back to the label the form gives a field when none is printed near its box', () => {
    const page = pageWith(
      [{ str: 'Far away text', x: 20, y: 100, width: 60, height: 10 }],
      [
        { name: 'form.tax_id', label: 'Taxpayer identification number', kind: 'text', value: '12-3456789', ...box(400, 96) },
        { name: 'form.notes', label: '', kind: 'text', value: 'first line\nsecond   line', ...box(300, 300, 250, 40) },
      ],
    );
    const fields = page.fields.map((f) => [f.key.text, f.key.wordIds.length, f.value.text]);
    // 'Far away text' ends more than ten text heights left of the box: not its label.
    expect(fields).toEqual([
      ['Taxpayer identification number', 0, '12-3456789'],
      // No label at all: the field's name. A multi-line answer is read as one run of words.
      ['form.notes', 0, 'first line second line'],
    ]);
    expect(page.words.map((w) => w.text)).toEqual(['Far', 'away', 'text', '12-3456789', 'first', 'line', 'second', 'line']);
  });

  it('never glues an answer to the printed text it touches, nor takes a label already used by another field', () => {
    const page = pageWith(
      [
        { str: 'Name:', x: 50, y: 100, width: 30, height: 10 },
        { str: 'Phone:', x: 300, y: 100, width: 35, height: 10 },
      ],
      [
        { name: 'name', label: '', kind: 'text', value: 'Ann', ...box(78, 96, 100) }, // its text starts where 'Name:' ends
        { name: 'phone', label: '', kind: 'text', value: '555-0100', ...box(340, 96, 100) },
      ],
    );
    // One row, two lines parted by the wide gap; each answer on the line of its label, a word of its own.
    expect(page.lines.map((l) => l.text)).toEqual(['Name: Ann', 'Phone: 555-0100']);
    expect(page.words.map((w) => w.text)).toEqual(['Name:', 'Ann', 'Phone:', '555-0100']);
    // Each label keys its own box; "Label: value" detection adds nothing more.
    expect(page.fields.map((f) => [f.key.text, f.value.text])).toEqual([
      ['Name:', 'Ann'],
      ['Phone:', '555-0100'],
    ]);
  });
});

describe('the layout regions of a born-digital page', () => {
  const item = (str: string, x: number, y: number, size: number) => ({ str, x, y, width: str.length * size * 0.5, height: size });

  it('reads a title, section headers, paragraphs and the page number off the lines, in reading order', () => {
    const page = pageWith(
      [
        item('Annual report', 72, 60, 24),
        item('This year the pipeline read more pages', 72, 110, 11),
        item('than ever before, and faster.', 72, 123, 11),
        item('Results', 72, 180, 16),
        item('Every page was classed.', 72, 210, 11),
        item('Page 2 of 5', 280, 750, 9),
      ],
      [],
    );
    const texts = regionLines(page);
    expect(page.regions.map((r, i) => [r.order, r.type, r.layer, texts[i].join(' / ')])).toEqual([
      [0, 'title', 'body', 'Annual report'],
      [1, 'paragraph', 'body', 'This year the pipeline read more pages / than ever before, and faster.'],
      [2, 'section_header', 'body', 'Results'],
      [3, 'paragraph', 'body', 'Every page was classed.'],
      [4, 'page_number', 'furniture', 'Page 2 of 5'],
    ]);
  });

  it('finds the title of a page that is nearly all table, where the few other lines cannot tell the body size', () => {
    const row = (cells: string[], y: number) => cells.map((text, i) => item(text, 72 + 120 * i, y, 11));
    const page = pageWith(
      [
        item('Price list', 72, 60, 24),
        ...row(['Item', 'Qty', 'Price'], 120),
        ...row(['Apples', '3', '1.20'], 135),
        ...row(['Pears', '5', '2.40'], 150),
        ...row(['Plums', '12', '3.10'], 165),
      ],
      [],
    );
    expect(page.tables).toHaveLength(1);
    expect(page.regions.map((r) => r.type)).toEqual(['title', 'table']);
  });

  it('makes one list of bulleted or numbered items, even set apart, and leaves an address a paragraph', () => {
    const page = pageWith(
      [
        item('What we need', 72, 60, 16),
        item('• a copy of your passport', 72, 100, 11), // items 20 points apart: a gap of 9, over a line's
        item('• two recent payslips', 72, 120, 11),
        item('• a utility bill', 72, 140, 11),
        item('12 Main Street', 72, 200, 11),
        item('Springfield 4021', 72, 213, 11),
        item('1. Sign the form', 72, 260, 11),
        item('2. Send it back', 72, 273, 11),
      ],
      [],
    );
    const texts = regionLines(page);
    expect(page.regions.map((r, i) => [r.type, texts[i].join(' / ')])).toEqual([
      ['title', 'What we need'],
      ['list', '• a copy of your passport / • two recent payslips / • a utility bill'],
      ['paragraph', '12 Main Street / Springfield 4021'],
      ['list', '1. Sign the form / 2. Send it back'],
    ]);
  });
});

describe('two columns of text on a born-digital page', () => {
  it('parts each row at the gutter, and reads the left column before the right', () => {
    const left = ['The pipeline reads each page', 'and keeps every word it finds', 'with its place on the page.'];
    const right = ['Then a model classes the page', 'and flags the pages it is unsure', 'of, for a person to check.'];
    const page = pageWith(
      [
        { str: 'Quarterly notes', x: 72, y: 60, width: 200, height: 24 },
        ...left.flatMap((text, i) => [{ str: text, x: 72, y: 120 + 14 * i, width: 200, height: 11 }]),
        // The right column set a little higher: read top down, its first line would come first.
        ...right.flatMap((text, i) => [{ str: text, x: 320, y: 117 + 14 * i, width: 200, height: 11 }]),
        { str: 'Both columns end here, and this note runs across the page below them.', x: 72, y: 200, width: 440, height: 11 },
      ],
      [],
    );
    // Each line is one column's: a band across the page would read "... each page Then a model ...".
    expect(page.lines.map((l) => l.text)).toEqual(['Quarterly notes', left[0], right[0], left[1], right[1], left[2], right[2], 'Both columns end here, and this note runs across the page below them.']);
    const texts = regionLines(page);
    expect(page.regions.map((r, i) => [r.type, texts[i]])).toEqual([
      ['title', ['Quarterly notes']],
      ['paragraph', left],
      ['paragraph', right],
      ['paragraph', ['Both columns end here, and this note runs across the page below them.']],
    ]);
  });
});

describe('running headers and footers', () => {
  const item = (str: string, x: number, y: number) => ({ str, x, y, width: str.length * 5.5, height: 11 });
  /** A document of born-digital pages, each with the given lines (text, top) over a body paragraph. */
  function documentOf(pages: [string, number][][]) {
    const ids = new IdSequence();
    const built = pages.map((lines, i) =>
      pdfTextPage([...lines.map(([text, y]) => item(text, 72, y)), item(`Body text of page ${i + 1} goes here.`, 72, 300)], { ...PAGE, number: i + 1 }, ids),
    );
    const document = assembleDocument(built, { source: { contentType: 'application/pdf', sha256: '0'.repeat(64) }, documentId: 'd', warnings: [], vendor: 'pdf-text', api: 'pdfjs', adapter: { ...PDF_TEXT_ADAPTER } });
    expect(checkDocument(document).issues).toEqual([]);
    return document.pages.map((page) => {
      const texts = regionLines(page);
      return page.regions.map((r, i) => `${r.type}/${r.layer}: ${texts[i].join(' ')}`);
    });
  }

  it('makes the same text at the top or foot of most pages furniture, numbers aside', () => {
    const pages = documentOf([
      [['ACME quarterly report 2024', 20], ['Confidential - printed 1 June', 770]],
      [['ACME quarterly report 2024', 20], ['Confidential - printed 2 June', 770]],
      [['Appendix', 20], ['Confidential - printed 3 June', 770]],
    ]);
    expect(pages[0]).toEqual(['header/furniture: ACME quarterly report 2024', 'paragraph/body: Body text of page 1 goes here.', 'footer/furniture: Confidential - printed 1 June']);
    expect(pages[1][0]).toBe('header/furniture: ACME quarterly report 2024');
    // On one page of three: a line of that page, not a running header.
    expect(pages[2][0]).toBe('paragraph/body: Appendix');
    expect(pages[2][2]).toBe('footer/furniture: Confidential - printed 3 June');
  });

  it('leaves a field at the foot of every page in the body: a document of copies of one form', () => {
    const pages = documentOf([[['Signed on: 14 June', 740]], [['Signed on: 14 June', 740]]]);
    for (const page of pages) expect(page).toContain('paragraph/body: Signed on: 14 June');
  });

  it('needs two pages to tell a running header from a first line', () => {
    expect(documentOf([[['ACME quarterly report 2024', 20]]])[0][0]).toBe('paragraph/body: ACME quarterly report 2024');
  });
});

describe('typing the paragraphs an OCR engine found', () => {
  it('makes the large first paragraph the title, a later one a header, a footer number furniture; unsure print stays a paragraph', () => {
    const ids = new IdSequence();
    const page = tesseractPage(
      {
        blocks: [
          { paragraphs: [paragraph('Resume', 100, 60, 48, 96)] },
          { paragraphs: [paragraph('Born in a small town and raised by wolves', 100, 200, 16, 91)] },
          { paragraphs: [paragraph('Schooled at home, then far away', 100, 260, 16, 88)] },
          { paragraphs: [paragraph('Fond of long walks', 100, 320, 16, 90)] },
          { paragraphs: [paragraph('Experience', 100, 400, 40, 93)] },
          { paragraphs: [paragraph('Scribble', 100, 600, 44, 31)] },
          { paragraphs: [paragraph('3', 500, 1200, 16, 90)] },
        ],
      },
      { number: 1, width: 1000, height: 1300 },
      ids,
    );
    expect(page.regions.map((r) => [r.type, r.layer])).toEqual([
      ['title', 'body'],
      ['paragraph', 'body'],
      ['paragraph', 'body'],
      ['paragraph', 'body'],
      ['section_header', 'body'],
      ['paragraph', 'body'],
      ['page_number', 'furniture'],
    ]);
  });
});

/** A one-line Tesseract paragraph at (x, y), its words `size` pixels high. */
function paragraph(text: string, x: number, y: number, size: number, confidence: number) {
  let cursor = x;
  const words = text.split(' ').map((word) => {
    const bbox = { x0: cursor, y0: y, x1: cursor + word.length * size * 0.6, y1: y + size };
    cursor = bbox.x1 + size * 0.3;
    return { text: word, confidence, bbox };
  });
  const bbox = { x0: x, y0: y, x1: cursor, y1: y + size };
  return { text, confidence, bbox, lines: [{ text, confidence, bbox, words }] };
}

describe('lists among the paragraphs an OCR engine found', () => {
  it('types a paragraph of bulleted lines as a list', () => {
    const ids = new IdSequence();
    const items = [paragraph('- first thing to bring', 100, 200, 16, 90), paragraph('- second thing to bring', 100, 230, 16, 90)];
    const page = tesseractPage({ blocks: [{ paragraphs: [{ ...items[0], lines: items.flatMap((p) => p.lines) }] }] }, { number: 1, width: 1000, height: 1300 }, ids);
    expect(page.regions.map((r) => r.type)).toEqual(['list']);
  });
});

describe('radio groups of a filled PDF form', () => {
  it('answers with the chosen button, whatever order the form lists its buttons in', () => {
    const button = (value: string, x: number, selected: boolean): PdfFormField => ({ name: 'size', label: '', kind: 'radio', value, selected, ...box(x, 100, 10, 10) });
    const page = pageWith(
      [
        { str: 'Size:', x: 20, y: 100, width: 25, height: 10 },
        { str: 'Small', x: 75, y: 100, width: 25, height: 10 },
        { str: 'Large', x: 135, y: 100, width: 25, height: 10 },
      ],
      // Listed right to left: Large (chosen) first.
      [button('L', 120, true), button('S', 60, false)],
    );
    expect(page.fields.map((f) => [f.key.text, f.value.text, f.selected])).toEqual([
      ['Small', '', false],
      ['Large', '', true],
      ['Size:', 'Large', true],
    ]);
    const group = page.fields[2];
    expect(group.value.selectionIds).toEqual([page.selections[1].id, page.selections[0].id]);
  });
});

describe('turning a page read as authored to how it is displayed', () => {
  it('moves every box with the page, swaps its sides for a quarter turn, and comes back after four', () => {
    const upright = pageWith([{ str: 'Total: 9.50', x: 100, y: 50, width: 60, height: 10 }], [{ name: 'ok', label: '', kind: 'checkbox', value: 'Yes', selected: true, ...box(60, 50, 10, 10) }]);
    const page = JSON.parse(JSON.stringify(upright)) as typeof upright;
    turnPage(page, 180);
    const word = (p: typeof page) => p.words[0].geometry!.box;
    expect(page.orientation).toBe(180);
    expect(word(page).left).toBeCloseTo(1 - word(upright).left - word(upright).width, 9);
    expect(page.selections[0].geometry!.box.top).toBeCloseTo(1 - upright.selections[0].geometry!.box.top - upright.selections[0].geometry!.box.height, 9);
    // Nested geometry (a field's key and value) turns too.
    const value = (p: typeof page) => p.fields.find((f) => f.key.text === 'Total:')!.value.geometry!.box;
    expect(value(page).left).toBeCloseTo(1 - value(upright).left - value(upright).width, 9);
    turnPage(page, 270);
    expect(page).toMatchObject({ orientation: 270, width: upright.height, height: upright.width });
    turnPage(page, 270);
    for (const [a, b] of [[word(page), word(upright)]]) for (const side of ['left', 'top', 'width', 'height'] as const) expect(a[side]).toBeCloseTo(b[side], 9);
  });
});

describe('tilting a page read straightened back to its skewed scan', () => {
  it('turns every box about the page centre, in pixels, and comes back when tilted the other way', () => {
    const ids = new IdSequence();
    const page = tesseractPage({ blocks: [{ paragraphs: [paragraph('Total due', 600, 300, 20, 90)] }] }, { number: 1, width: 1000, height: 1400 }, ids);
    const before = structuredClone(page.words[0].geometry!);
    tiltPage(page, 10);
    const tilted = page.words[0].geometry!;
    // The word's centre, 130 px right of and 390 px above the page centre, turns 10 degrees clockwise about it.
    const [dx, dy] = [600 + (before.box.width * 1000) / 2 - 500, 310 - 700];
    const angle = (10 * Math.PI) / 180;
    expect(tilted.box.left + tilted.box.width / 2).toBeCloseTo((500 + dx * Math.cos(angle) - dy * Math.sin(angle)) / 1000, 3);
    expect(tilted.box.top + tilted.box.height / 2).toBeCloseTo((700 + dx * Math.sin(angle) + dy * Math.cos(angle)) / 1400, 3);
    // The polygon is the turned rectangle; the box holds it.
    expect(tilted.polygon![1]).toBeLessThan(tilted.polygon![5]);
    tiltPage(page, -10);
    page.words[0].geometry!.polygon!.forEach((v, i) => expect(v).toBeCloseTo(before.polygon![i], 6));
  });
});

describe('fields on a born-digital page', () => {
  it('takes no field from the title, as on a scan: the regions are known before the fields', () => {
    const page = pageWith(
      [
        { str: 'Statement', x: 72, y: 60, width: 110, height: 24 },
        { str: '2024', x: 300, y: 60, width: 50, height: 24 },
        { str: 'Opening balance', x: 72, y: 120, width: 80, height: 11 },
        { str: '1,204.50', x: 300, y: 120, width: 45, height: 11 },
        { str: 'Paid in this month by card and transfer', x: 72, y: 140, width: 200, height: 11 },
      ],
      [],
    );
    expect(page.regions[0]).toMatchObject({ type: 'title' });
    expect(page.fields.map((f) => [f.key.text, f.value.text])).toEqual([['Opening balance', '1,204.50']]);
  });
});

describe('checkboxes written as characters on a born-digital page', () => {
  it('takes a box out of the item it shares with its label, where its character stands, with its state', () => {
    // One item "☒ Paid  ☐ Due": 13 characters over 130 points, 10 points each.
    const page = pageWith([{ str: '\u2612 Paid  \u2610 Due', x: 100, y: 200, width: 130, height: 10 }], []);
    expect(page.words.map((w) => w.text)).toEqual(['Paid', 'Due']);
    expect(page.lines.map((l) => l.text)).toEqual(['Paid', 'Due']); // parted by the box that stood between them
    expect(page.selections.map((s) => [s.selected, Math.round(s.geometry!.box.left * 612)])).toEqual([
      [true, 100],
      [false, 180],
    ]);
    expect(page.fields.map((f) => [f.key.text, f.selected])).toEqual([
      ['Paid', true],
      ['Due', false],
    ]);
  });
});
