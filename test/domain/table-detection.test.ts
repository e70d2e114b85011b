import { assembleDocument } from '../../lambdas/domain/adapters/page-assembly';
import { detectTables } from '../../lambdas/domain/adapters/table-detection';
import { checkDocument } from '../../lambdas/domain/document';
import { pageOf } from './word-page';

/** One row of single-word cells, each [text, x]. */
const row = (...cells: [string, number][]): [string, number][] => cells;

/** The tables found, each as its grid of cell texts. */
function tables(rows: [string, number][][]): string[][][] {
  const { page, ids } = pageOf(rows);
  page.tables = detectTables(page, ids);
  expect(checkDocument(assembleDocument([page], { vendor: 'tesseract', api: 'test', adapter: { name: 't', version: '1' } })).issues).toEqual([]);
  return page.tables.map((t) => Array.from({ length: t.rows }, (_, r) => Array.from({ length: t.columns }, (_, c) => t.cells.find((x) => x.row === r && x.column === c)?.text ?? '')));
}

describe('detectTables', () => {
  it('tells apart two tables side by side on the same lines (a pay slip: earnings beside benefits)', () => {
    // The benefits table's header stands a line lower than the earnings table's: no one grid holds the whole width.
    expect(
      tables([
        row(['Earnings', 10], ['rate', 120], ['hours', 200], ['Other', 450]),
        row(['Regular', 10], ['10.00', 120], ['32.00', 200], ['Info', 450], ['now', 560], ['total', 640]),
        row(['Overtime', 10], ['15.00', 120], ['1.00', 200], ['Life', 450], ['0.51', 560], ['27.00', 640]),
        row(['Holiday', 10], ['10.00', 120], ['8.00', 200], ['Loan', 450], ['3.00', 560], ['840.00', 640]),
      ]),
    ).toEqual([
      [
        ['Earnings', 'rate', 'hours'],
        ['Regular', '10.00', '32.00'],
        ['Overtime', '15.00', '1.00'],
        ['Holiday', '10.00', '8.00'],
      ],
      [
        ['Info', 'now', 'total'],
        ['Life', '0.51', '27.00'],
        ['Loan', '3.00', '840.00'],
      ],
    ]);
  });

  // The pay slip's benefits used to end at the blank line under "Loan Amt Paid", where the earnings beside them have
  // a row, and at a speck of the scan's dirty edge: Textract reads them on, to "Title | Operator".
  it('goes on over a blank line beside another table\'s row, and past a speck, but not into the next header', () => {
    expect(
      tables([
        row(['Earnings', 10], ['rate', 120], ['hours', 200], ['Other', 450]),
        row(['Regular', 10], ['10.00', 120], ['32.00', 200], ['Info', 450], ['now', 560], ['total', 640]),
        row(['Overtime', 10], ['15.00', 120], ['1.00', 200], ['Life', 450], ['0.51', 560], ['27.00', 640]),
        row(['Holiday', 10], ['10.00', 120], ['8.00', 200], ['Loan', 450], ['840.00', 640]),
        row(['Tuition', 10], ['1.00', 120], ['37.43', 200]),
        row(['Gross', 10], ['45.00', 120], ['41.00', 200], ['Vac', 450], ['40.00', 640]),
        row(['Sick', 450], ['16.00', 640], ['—', 700]),
        row(['Deduct', 10], ['Stat', 120], ['Other', 200]),
        row(['Federal', 10], ['40.60', 120], ['2111.20', 200]),
      ]),
    ).toEqual([
      [
        ['Earnings', 'rate', 'hours'],
        ['Regular', '10.00', '32.00'],
        ['Overtime', '15.00', '1.00'],
        ['Holiday', '10.00', '8.00'],
        ['Tuition', '1.00', '37.43'],
        ['Gross', '45.00', '41.00'],
      ],
      [
        ['Deduct', 'Stat', 'Other'],
        ['Federal', '40.60', '2111.20'],
      ],
      [
        ['Info', 'now', 'total'],
        ['Life', '0.51', '27.00'],
        ['Loan', '', '840.00'],
        ['Vac', '', '40.00'],
        ['Sick', '', '16.00'],
      ],
    ]);
  });

  it('ends a table at a row that repeats its header: the next one starts there', () => {
    expect(
      tables([
        row(['City', 10], ['State', 200], ['Zip', 300]),
        row(['Springfield', 10], ['IL', 200], ['62701', 300]),
        row(['City', 10], ['State', 200], ['Zip', 300]),
        row(['Shelbyville', 10], ['IL', 200], ['62565', 300]),
      ]),
    ).toEqual([
      [
        ['City', 'State', 'Zip'],
        ['Springfield', 'IL', '62701'],
      ],
      [
        ['City', 'State', 'Zip'],
        ['Shelbyville', 'IL', '62565'],
      ],
    ]);
  });

  it('invents no table from two lines of captions, nor from labels cut off the figure beside them', () => {
    expect(tables([row(['Name', 10], ['Relationship', 200], ['Sex', 400]), row(['(Last)', 10], ['to', 200], ['M/F', 400])])).toEqual([]);
    // A receipt's "# ITEMS SOLD 4" over a line of numbers: split before the "4", the left side would look like a
    // header over a row, but nothing beside it is a table, so the split does not count.
    expect(tables([row(['#', 10], ['ITEMS', 100], ['SOLD', 200], ['4', 400]), row(['TC', 10], ['2049', 100], ['1021', 200], ['1007', 400])])).toEqual([]);
  });

  it('finds a table without a header in rows of a label and figures, with prose beside it', () => {
    const deduction = (label: string, now: string, year: string, note?: string) =>
      row([label, 10], [now, 200], [year, 300], ...(note ? ([[note, 500]] as [string, number][]) : []));
    const rows = [
      deduction('Medicare', '-6.56', '341.12', 'Important'),
      deduction('Bond', '-5.00', '100.00', 'EFFECTIVE'),
      deduction('Stock', '-15.00', '150.00'),
      deduction('Loan', '-30.00', '150.00', 'DRIVE'),
    ];
    expect(tables(rows)).toEqual([
      [
        ['Medicare', '-6.56', '341.12'],
        ['Bond', '-5.00', '100.00'],
        ['Stock', '-15.00', '150.00'],
        ['Loan', '-30.00', '150.00'],
      ],
    ]);
    // Three such rows are not enough, nor rows whose "figures" hold words.
    expect(tables(rows.slice(0, 3))).toEqual([]);
    expect(tables([0, 1, 2, 3].map((i) => row(['Item', 10], [`${i} pcs`, 200], ['9.99', 300])))).toEqual([]);
  });

  it('finds two columns of a label and a figure, four rows or more, as Textract reads a receipt\'s totals', () => {
    const totals = [row(['SUBTOTAL', 300], ['$1699.96', 600]), row(['TAX', 300], ['$110.50', 600]), row(['TOTAL', 300], ['$1810.46', 600]), row(['TEND', 300], ['$1810.46', 600])];
    expect(tables(totals)).toEqual([totals.map((cells) => cells.map(([text]) => text))]);
    // Three rows are not enough; nor a column of figures beside figures (a date and a time, line after line).
    expect(tables(totals.slice(0, 3))).toEqual([]);
    expect(tables([0, 1, 2, 3].map((i) => row([`12/0${i}/2019`, 300], ['1271', 600])))).toEqual([]);
    // Nor rows set apart (a blank line between them is a gap of more than 2.5 text heights).
    expect(tables([totals[0], totals[1], [], [], totals[2], totals[3]])).toEqual([]);
  });

  it('reads prices with a tax letter as figures, and tells items from the totals set a little apart', () => {
    const items = ['LG FLATSCREEN', 'SONY VIAO', 'HDMI CABLE', 'APPLE TV'].map((name, i) => row([name, 10], [`$${i + 1}9.99 S`, 600]));
    const totals = [row(['SUBTOTAL', 300], ['$129.96', 600]), row(['TAX', 300], ['$8.45', 600]), row(['TOTAL', 300], ['$138.41', 600]), row(['TEND', 300], ['$140.00', 600])];
    // The totals right under the items, but their labels indented: two tables.
    expect(tables([...items, ...totals]).map((t) => t.map((r) => r[0]))).toEqual([
      ['LG FLATSCREEN', 'SONY VIAO', 'HDMI CABLE', 'APPLE TV'],
      ['SUBTOTAL', 'TAX', 'TOTAL', 'TEND'],
    ]);
    // A word after a price is not a tax letter.
    expect(tables(items.map(([name, price]) => [name, [`${price[0].replace(' S', '')} each`, 600]] as [string, number][]))).toEqual([]);
  });
});
