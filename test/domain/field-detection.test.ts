import { detectFields } from '../../lambdas/domain/adapters/field-detection';
import { checkDocument } from '../../lambdas/domain/document';
import { addTable, line, pageOf } from './word-page';
import type { Page } from '../../lambdas/domain/document';
import { assembleDocument, type IdSequence } from '../../lambdas/domain/adapters/page-assembly';

const found = (lines: [string, number][][], { pitch = 40, before = (_page: Page, _ids: IdSequence) => undefined as void } = {}) => {
  const { page, ids } = pageOf(lines, pitch);
  before(page, ids); // tables, or other set-up the case needs
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

  it('reads labels ending in a number sign, several to a line, each with its number or code', () => {
    const pairs = (...texts: string[]) => found([line(10, ...texts)]).map((f) => [f.key.text, f.value.text]);
    expect(pairs('ST#', '1477', 'OP#', '19280104', 'TE#', '20', '|', 'TR#', '21772')).toEqual([
      ['ST#', '1477'],
      ['OP#', '19280104'],
      ['TE#', '20'],
      ['TR#', '21772'],
    ]);
    expect(pairs('TERMINAL', '#', 'C95778D3')).toEqual([['TERMINAL #', 'C95778D3']]);
    expect(pairs('ACC', '#', '1234', '1234')).toEqual([['ACC #', '1234 1234']]);
    // A key closing its cell takes the next cell when that is a number or a code, and nothing else.
    expect(pairs('INVOICE', '#', '|', 'US-001')).toEqual([['INVOICE #', 'US-001']]);
    expect(pairs('INVOICE', '#', '|', 'Thank', 'you')).toEqual([]);
    // No number or code after the sign, a sign opening the line, or one attached to its number: no field.
    expect(pairs('Call', 'us', 'at', 'extension', '#', 'please')).toEqual([]);
    expect(pairs('#', 'ITEMS', 'SOLD', '4')).toEqual([]);
    expect(pairs('TC', '#2034', '2049')).toEqual([]);
    expect(pairs('PEN', 'SEVERIN', '#')).toEqual([]);
  });

  it('reads a spaced colon ("Date : 08/14/2022") as part of the key', () => {
    expect(found([line(10, 'Date', ':', '08/14/2022')]).map((f) => [f.key.text, f.value.text])).toEqual([['Date :', '08/14/2022']]);
  });

  it('reads the block of lines under a label alone on its line as its value, up to a blank line', () => {
    // Lines 16 px apart (4 px between them): one block. The right column beside it is not part of the value.
    const lines = [line(10, 'From:'), line(10, 'DEMO', 'Ltd', '|', '|', '|', 'Order', 'Number', '12345'), line(10, '5', 'Main', 'St'), line(10, 'Springfield'), [], line(10, 'Thank', 'you')];
    const fields = found(lines, { pitch: 16 });
    expect(fields.map((f) => [f.key.text, f.value.text, f.valueType])).toEqual([['From:', 'DEMO Ltd 5 Main St Springfield', 'text']]);
  });

  it('ends a value block at the next label, at a label joined to its value, and at a table', () => {
    expect(found([line(10, 'To:'), line(10, 'Ann'), line(10, 'Phone:', '555-0100')], { pitch: 16 }).map((f) => [f.key.text, f.value.text])).toEqual([
      ['To:', 'Ann'],
      ['Phone:', '555-0100'],
    ]);
    expect(found([line(10, 'Rent', 'only:'), line(10, 'Company', 'Name:Big', 'Corp')], { pitch: 16 }).map((f) => [f.key.text, f.value.text])).toEqual([['Rent only:', '']]);
    const items = found([line(10, 'Items:'), line(10, 'Tea', '|', '3.00'), line(10, 'Cake', '|', '4.50')], {
      pitch: 16,
      before: (page, ids) => addTable(page, ids, [[['Tea'], ['3.00']], [['Cake'], ['4.50']]]),
    });
    expect(items.map((f) => [f.key.text, f.value.text])).toEqual([
      ['Items:', ''],
      // Labels beside values: a two-column table's rows are fields.
      ['Tea', '3.00'],
      ['Cake', '4.50'],
    ]);
  });

  it('reads labels in tables: beside their values, or over a single row of values; never a line-item table', () => {
    const invoice = found([line(10, 'Invoice', 'Number', '|', 'INV-3337'), line(10, 'Due', 'Date', '|', 'January', '31')], {
      before: (page, ids) => addTable(page, ids, [[['Invoice', 'Number'], ['INV-3337']], [['Due', 'Date'], ['January', '31']]]),
    });
    expect(invoice.map((f) => [f.key.text, f.value.text])).toEqual([
      ['Invoice Number', 'INV-3337'],
      ['Due Date', 'January 31'],
    ]);
    const columns = found([line(10, 'Hrs/Qty', '|', 'Service', '|', 'Total'), line(10, '1.00', '|', 'Design', '|', '$85.00')], {
      before: (page, ids) => addTable(page, ids, [[['Hrs/Qty'], ['Service'], ['Total']], [['1.00'], ['Design'], ['$85.00']]], true),
    });
    expect(columns.map((f) => [f.key.text, f.value.text])).toEqual([
      ['Hrs/Qty', '1.00'],
      ['Service', 'Design'],
      ['Total', '$85.00'],
    ]);
    // A line-item table (header, then several rows): its rows are data, not labels beside values.
    const lineItems = found([line(10, 'Item', '|', 'Price'), line(10, 'Tea', '|', '3.00'), line(10, 'Cake', '|', '4.50')], {
      before: (page, ids) => addTable(page, ids, [[['Item'], ['Price']], [['Tea'], ['3.00']], [['Cake'], ['4.50']]], true),
    });
    expect(lineItems.map((f) => [f.key.text, f.value.text])).toEqual([
      ['Tea', '3.00'],
      ['Cake', '4.50'],
    ]);
    // Figures on the left: not labels.
    expect(found([line(10, '2049', '|', '1021'), line(10, '1007', '|', '5519')], { before: (page, ids) => addTable(page, ids, [[['2049'], ['1021']], [['1007'], ['5519']]]) })).toEqual([]);
  });

  it('reads a label and a figure alone on their line, apart, unless the label has figures or the OCR is unsure of it', () => {
    expect(found([line(10, 'SUBTOTAL', '|', '$1699.96'), line(10, 'CHANGE', 'DUE', '|', '0.00')]).map((f) => [f.key.text, f.value.text])).toEqual([
      ['SUBTOTAL', '$1699.96'],
      ['CHANGE DUE', '0.00'],
    ]);
    // An item and its price, a date and a time, a label beside words: no field.
    expect(found([line(10, 'APPLE', 'TV', 'V4', '|', '$89.99'), line(10, '12/07/2019', '|', '12:22'), line(10, 'Name', '|', 'Jane')])).toEqual([]);
    const unsure = found([line(10, 'Heanor', 'ort', '|', '101', 'MAIN', 'STREET')], {
      before: (page) => page.words.slice(0, 2).forEach((w) => (w.confidence = 0.12)),
    });
    expect(unsure).toEqual([]);
  });

  it("reads a line of labels over a line of values, each value to the label nearest it, as in a form's boxes", () => {
    // Lines 16 px apart. The City box's value starts left of its label.
    const labels: [string, number][] = [['Home', 10], ['Address', 50], ['(include', 110], ['unit)', 186], ['City', 500], ['State', 700], ['Zip', 850]];
    const values: [string, number][] = [['123', 10], ['Main', 46], ['St', 86], ['Springfield', 470], ['MN', 705], ['12345', 850]];
    const form = found([labels, values], { pitch: 16 });
    expect(form.map((f) => [f.key.text, f.value.text])).toEqual([
      ['Home Address (include unit)', '123 Main St'],
      ['City', 'Springfield'],
      ['State', 'MN'],
      ['Zip', '12345'],
    ]);
    // Two lines of labels, headings over addresses, and the blocks under "BILL TO  SHIP TO": no field.
    expect(found([line(10, 'Mailing', 'Address', '|', 'City'), line(10, 'Home', 'Phone', '|', 'E-mail')], { pitch: 16 })).toEqual([]);
    expect(found([line(10, 'OFFICE', 'FOR', 'ALL', 'OTHER', 'AREAS', '|', 'LAS', 'VEGAS', 'OFFICE', 'FOR', 'YOU'), line(10, '2527', 'N.', 'Carson', '|', '3330', 'E.', 'Flamingo')], { pitch: 16 })).toEqual([]);
    const column = (left: string[], right: string[]): [string, number][] => [...line(10, ...left), ...line(400, ...right)];
    const blocks = found([column(['BILL', 'TO'], ['SHIP', 'TO']), column(['John', 'Smith'], ['Jane', 'Smith']), column(['2', 'Court', 'Sq'], ['3787', 'Pine', 'Dr'])], { pitch: 16 });
    expect(blocks).toEqual([]);
  });

  it('reads the last label and figure of a line when they stand well apart from the cells before them', () => {
    // An invoice's header: the sender's address at the left, its date at the right.
    const header = found([line(10, 'East', 'Repair', 'Inc.', '|', '|', '|', '|', 'INVOICE', 'DATE', '|', '11/02/2019')]);
    expect(header.map((f) => [f.key.text, f.value.text])).toEqual([['INVOICE DATE', '11/02/2019']]);
    // Cells evenly spaced are a row of something else (a table the detectors did not take): no field.
    expect(found([line(10, 'Tea', '|', 'Green', 'leaf', '|', '4.50')])).toEqual([]);
  });
});
