import { emptyPage, IdSequence, boxGeometry } from '../../lambdas/domain/adapters/page-assembly';
import { detectFields } from '../../lambdas/domain/adapters/field-detection';
import { checkDocument, type Page } from '../../lambdas/domain/document';
import { assembleDocument } from '../../lambdas/domain/adapters/page-assembly';

/**
 * A page of 1000 x 1000 pixels with one line per entry; each word is [text, x] at the line's y, 12 px high, 8 px per
 * character, so a single space (4 px) is a word gap and 40 px is a cell gap (more than 1.5 text heights).
 */
function pageOf(lines: [string, number][][]): { page: Page; ids: IdSequence } {
  const ids = new IdSequence();
  const page = emptyPage(1, { width: 1000, height: 1000, unit: 'pixel' });
  lines.forEach((words, row) => {
    const y = 50 + row * 40;
    const wordIds = words.map(([text, x]) => {
      const id = ids.next('w');
      page.words.push({ id, text, confidence: 0.9, geometry: boxGeometry(x, y, x + 8 * text.length, y + 12, 1000, 1000), vendorIds: [] });
      return id;
    });
    page.lines.push({ id: ids.next('l'), text: words.map(([t]) => t).join(' '), wordIds, vendorIds: [] });
  });
  return { page, ids };
}

/** Words laid out from x with single spaces; a '|' entry jumps 60 px (a cell gap). */
function line(x: number, ...texts: string[]): [string, number][] {
  const out: [string, number][] = [];
  for (const text of texts) {
    if (text === '|') x += 60;
    else {
      out.push([text, x]);
      x += 8 * text.length + 4;
    }
  }
  return out;
}

const found = (lines: [string, number][][]) => {
  const { page, ids } = pageOf(lines);
  page.fields = detectFields(page, ids);
  expect(checkDocument(assembleDocument([page], { vendor: 'tesseract', api: 'test', adapter: { name: 't', version: '1' } })).issues).toEqual([]);
  return page.fields;
};

describe('detectFields', () => {
  it('reads "Label: value" up to the next wide gap, with the words it is made of', () => {
    const [field, ...rest] = found([line(10, 'Pay', 'date:', '7/25/2008', '|', 'JOHN', 'STILES')]);
    expect(rest).toEqual([]);
    expect(field).toMatchObject({ key: { text: 'Pay date:', wordIds: ['w1', 'w2'] }, value: { text: '7/25/2008', wordIds: ['w3'] }, valueType: 'text', confidence: 0.9 });
    expect(field.geometry!.box.left).toBeCloseTo(0.01);
  });

  it('takes the next cell as the value when the colon ends its cell, unless that cell is a label too', () => {
    expect(found([line(10, 'Status:', '|', 'Married')]).map((f) => [f.key.text, f.value.text])).toEqual([['Status:', 'Married']]);
    expect(found([line(10, 'Name:', '|', 'Date:', '1/1/2020')]).map((f) => [f.key.text, f.value.text])).toEqual([['Date:', '1/1/2020']]);
  });

  it('keeps a label alone on its line with an empty value, but not a colon lost in the middle of a line', () => {
    expect(found([line(10, 'From:')]).map((f) => [f.key.text, f.valueType])).toEqual([['From:', 'empty']]);
    expect(found([line(10, '2', 'Court', 'Square', '|', '3787', 'Pineview', 'Drive:')])).toEqual([]);
  });

  it('is not fooled by sentences, times or a colon in running text', () => {
    expect(found([line(10, 'Please', 'read', 'all', 'of', 'the', 'following', 'notes:', 'none')])).toEqual([]);
    expect(found([line(10, '12:', '22', 'PM')])).toEqual([]);
    expect(found([line(10, 'Total', 'due', '$93.50')])).toEqual([]);
  });

  it('reads a spaced colon ("Date : 08/14/2022") as part of the key', () => {
    expect(found([line(10, 'Date', ':', '08/14/2022')]).map((f) => [f.key.text, f.value.text])).toEqual([['Date :', '08/14/2022']]);
  });
});
