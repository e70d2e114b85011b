/**
 * A fillable PDF form (AcroForm), filled in, built with pdf-lib: printed labels in the text layer, the answers only
 * in the form's fields (text boxes, checkboxes, a radio group, a drop-down), as a PDF form saved from a viewer is.
 * No such file is among the shared fixtures, so the tests build it, as they build multi-page TIFFs.
 */
import { PDFDocument, StandardFonts } from 'pdf-lib';

export async function filledForm(): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const page = pdf.addPage([612, 792]);
  const form = pdf.getForm();
  // PDF space: origin bottom-left, points.
  const text = (s: string, x: number, y: number, size = 11) => page.drawText(s, { x, y, size, font });
  text('Membership application', 72, 720, 18);

  text('Full name:', 72, 660);
  const name = form.createTextField('applicant.name');
  name.setText('Jane Q. Doe');
  name.addToPage(page, { x: 160, y: 654, width: 220, height: 20, font });

  text('Date of birth:', 72, 630);
  const born = form.createTextField('applicant.born');
  born.setText('04/12/1988');
  born.addToPage(page, { x: 160, y: 624, width: 120, height: 20, font });

  text('Email address', 72, 600); // the label above its box
  const email = form.createTextField('applicant.email');
  email.setText('jane@example.com');
  email.addToPage(page, { x: 72, y: 572, width: 220, height: 20, font });

  text('Referral code:', 72, 540);
  form.createTextField('applicant.referral').addToPage(page, { x: 160, y: 534, width: 120, height: 20, font });

  const newsletter = form.createCheckBox('prefs.newsletter');
  newsletter.addToPage(page, { x: 72, y: 496, width: 12, height: 12 });
  newsletter.check();
  text('Newsletter', 92, 498);
  form.createCheckBox('prefs.paper').addToPage(page, { x: 200, y: 496, width: 12, height: 12 });
  text('Paper statements', 220, 498);

  text('Plan:', 72, 460);
  const plan = form.createRadioGroup('plan');
  plan.addOptionToPage('Basic', page, { x: 120, y: 458, width: 12, height: 12 });
  text('Basic', 138, 460);
  plan.addOptionToPage('Premium', page, { x: 200, y: 458, width: 12, height: 12 });
  text('Premium', 218, 460);
  plan.select('Premium');

  text('Country:', 72, 420);
  const country = form.createDropdown('applicant.country');
  country.addOptions(['Canada', 'France', 'Japan']);
  country.select('France');
  country.addToPage(page, { x: 160, y: 414, width: 120, height: 20, font });

  return pdf.save();
}
