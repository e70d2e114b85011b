/**
 * A born-digital PDF whose ruled table a page break splits: the header and two rows at the foot of page 1, two more
 * rows at the head of page 2, in the same three columns. Built with pdf-lib (no shared document has such a table).
 */
import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';

const COLUMNS = [72, 272, 402, 532];
const ROW = 24;

export async function continuedTable(): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const grid = (page: ReturnType<typeof pdf.addPage>, top: number, rows: string[][]) => {
    // PDF space: origin bottom-left; `top` is the y of the table's top rule.
    const bottom = top - rows.length * ROW;
    for (let r = 0; r <= rows.length; r++) page.drawLine({ start: { x: COLUMNS[0], y: top - r * ROW }, end: { x: COLUMNS[3], y: top - r * ROW }, thickness: 1, color: rgb(0, 0, 0) });
    for (const x of COLUMNS) page.drawLine({ start: { x, y: top }, end: { x, y: bottom }, thickness: 1, color: rgb(0, 0, 0) });
    rows.forEach((cells, r) => cells.forEach((text, c) => page.drawText(text, { x: COLUMNS[c] + 6, y: top - r * ROW - 16, size: 11, font })));
  };
  const first = pdf.addPage([612, 792]);
  first.drawText('Order 1001: items', { x: 72, y: 720, size: 16, font });
  first.drawText('Thank you for your order. The items are listed below.', { x: 72, y: 690, size: 11, font });
  grid(first, 200, [
    ['Item', 'Quantity', 'Price'],
    ['Green tea', '2', '7.00'],
    ['Oat biscuits', '1', '3.50'],
  ]);
  const second = pdf.addPage([612, 792]);
  grid(second, 740, [
    ['Honey jar', '1', '9.25'],
    ['Lemon cake', '3', '12.00'],
  ]);
  second.drawText('Total 31.75', { x: 402, y: 660, size: 11, font });
  return pdf.save();
}
