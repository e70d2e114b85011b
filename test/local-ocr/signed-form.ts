/**
 * A PDF form with two signature fields (AcroForm /FT /Sig), one signed and one not, built with pdf-lib's low-level
 * objects (it makes no signature fields itself). The signed one shows its signature as the widget's appearance: a
 * drawn stroke, as a viewer stamps a drawn or typed signature; the other has an empty appearance.
 */
import { PDFDocument, PDFString, StandardFonts } from 'pdf-lib';

export async function signedForm(): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const page = pdf.addPage([612, 792]);
  const { context } = pdf;
  const acroForm = pdf.catalog.getOrCreateAcroForm();
  const text = (s: string, x: number, y: number, size = 11) => page.drawText(s, { x, y, size, font });
  text('Tenancy agreement', 72, 720, 18);
  text('The tenant agrees to the terms above.', 72, 680);

  const signatureField = (name: string, x: number, y: number, stroke: string) => {
    const appearance = context.register(context.stream(stroke, { Type: 'XObject', Subtype: 'Form', BBox: [0, 0, 180, 36] }));
    const widget = context.register(
      context.obj({ Type: 'Annot', Subtype: 'Widget', FT: 'Sig', T: PDFString.of(name), Rect: [x, y, x + 180, y + 36], F: 4, P: page.ref, AP: { N: appearance } }),
    );
    page.node.addAnnot(widget);
    acroForm.addField(widget);
  };
  text('Tenant signature:', 72, 612);
  // A signature's stroke, in the box's own units (0..180 x 0..36).
  signatureField('tenant.signature', 180, 600, '0 0 0.6 RG 1.5 w 10 8 m 30 30 l 45 6 l 60 28 l 80 10 l 100 26 l 130 12 l 165 24 l S');
  text('Witness signature:', 72, 552);
  signatureField('witness.signature', 180, 540, '');
  return pdf.save();
}
