/**
 * A born-digital PDF whose checkboxes are characters, as a word processor writes "☐ Yes ☒ No": glyphs of a font
 * whose ToUnicode map says they are U+2610 and U+2612. The font is a Type 3 font drawn here (an outlined square,
 * and one with a cross), so the test needs no font file; built with pdf-lib, as the other test documents are.
 */
import { beginText, endText, moveText, PDFDocument, PDFHexString, PDFName, setFontAndSize, showText, StandardFonts } from 'pdf-lib';

const TO_UNICODE = `/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<00> <FF>
endcodespacerange
2 beginbfchar
<61> <2610>
<62> <2612>
endbfchar
endcmap
CMapName currentdict /CIDInit defineresource pop
end
end`;

export async function ballotBoxForm(): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const helvetica = await pdf.embedFont(StandardFonts.Helvetica);
  const page = pdf.addPage([612, 792]);
  const { context } = pdf;
  // Glyph "a": an outlined square; glyph "b": the same square crossed. Units of 1/1000 of the font size.
  const square = '800 0 0 0 800 800 d1 60 w 80 0 640 640 re S';
  const crossed = `${square} 120 40 m 680 600 l S 120 600 m 680 40 l S`;
  const font = context.obj({
    Type: 'Font',
    Subtype: 'Type3',
    FontBBox: [0, 0, 800, 800],
    FontMatrix: [0.001, 0, 0, 0.001, 0, 0],
    CharProcs: { empty: context.register(context.stream(square)), crossed: context.register(context.stream(crossed)) },
    Encoding: { Type: 'Encoding', Differences: [97, PDFName.of('empty'), PDFName.of('crossed')] },
    FirstChar: 97,
    LastChar: 98,
    Widths: [800, 800],
    Resources: {},
    ToUnicode: context.register(context.stream(TO_UNICODE)),
  });
  page.node.setFontDictionary(PDFName.of('Ballot'), context.register(font));
  const box = (glyph: 'a' | 'b', x: number, y: number) =>
    page.pushOperators(beginText(), setFontAndSize('Ballot', 12), moveText(x, y), showText(PDFHexString.of(glyph === 'a' ? '61' : '62')), endText());
  const text = (s: string, x: number, y: number, size = 11) => page.drawText(s, { x, y, size, font: helvetica });

  text('Insurance questionnaire', 72, 720, 18);
  text('Do you smoke?', 72, 660);
  box('a', 200, 660);
  text('Yes', 214, 660);
  box('b', 260, 660);
  text('No', 274, 660);
  text('Any prior claims?', 72, 630);
  box('b', 200, 630);
  text('Yes', 214, 630);
  box('a', 260, 630);
  text('No', 274, 630);
  return pdf.save();
}
