import { detectFields } from '../../lambdas/domain/adapters/field-detection';
import { checkDocument } from '../../lambdas/domain/document';
import { line, pageOf } from './word-page';
import { assembleDocument } from '../../lambdas/domain/adapters/page-assembly';

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
