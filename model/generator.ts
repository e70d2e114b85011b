/**
 * Synthetic training pages, one generator per page class, written as common-format pages: lines of text (with
 * their words), tables, key-value fields and checkboxes where the kind of page has them.
 *
 * There is no labelled corpus to download, so this is the corpus. It is seeded (the same seed gives the same pages),
 * varies templates, names, amounts, dates and layouts, and adds OCR noise: dropped, merged and confused characters.
 * Honesty rule: no text here is taken from the evaluation documents; the vocabulary is the ordinary vocabulary of
 * each kind of document, written for this generator.
 */
import type { Cell, Field, Line, Page, SelectionElement, Table, Word } from '../lambdas/domain/document';
import type { PageClass } from '../lambdas/domain/page-model/model';

export type Random = () => number;

/** mulberry32: a small, fast, seeded PRNG. */
export function seeded(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: Random, items: readonly T[]): T => items[Math.floor(r() * items.length)];
const int = (r: Random, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
const chance = (r: Random, p: number): boolean => r() < p;
const some = <T>(r: Random, items: readonly T[], lo: number, hi: number): T[] => {
  const copy = [...items];
  const out: T[] = [];
  const n = Math.min(copy.length, int(r, lo, hi));
  for (let i = 0; i < n; i++) out.push(copy.splice(Math.floor(r() * copy.length), 1)[0]);
  return out;
};

// ---- shared vocabulary -------------------------------------------------------------------------------------------
const FIRST = ['Maria', 'James', 'Aiko', 'Omar', 'Li', 'Sofia', 'Daniel', 'Priya', 'Lucas', 'Fatima', 'Noah', 'Elena', 'Tom', 'Grace', 'Ivan', 'Chen', 'Amara', 'Pablo', 'Hannah', 'Yusuf'];
const LAST = ['Okafor', 'Schmidt', 'Tanaka', 'Haddad', 'Novak', 'Garcia', 'Brennan', 'Kowalski', 'Patel', 'Moreau', 'Lindqvist', 'Santos', 'Ng', 'Fischer', 'Adeyemi', 'Rossi', 'Walsh', 'Kim', 'Dubois', 'Larsen'];
const COMPANY_A = ['Blue', 'Granite', 'Harbor', 'Summit', 'Redwood', 'Pioneer', 'Lakeside', 'Northstar', 'Silverline', 'Evergreen', 'Copper', 'Atlas', 'Meridian', 'Falcon', 'Orchard'];
const COMPANY_B = ['Logistics', 'Analytics', 'Supplies', 'Foods', 'Consulting', 'Systems', 'Builders', 'Media', 'Health', 'Labs', 'Outfitters', 'Energy', 'Software', 'Partners', 'Print'];
const SUFFIX = ['Inc.', 'LLC', 'Ltd', 'GmbH', 'Co.', 'Corp.', 'Group', 'S.A.'];
const STREETS = ['Oak', 'Maple', 'Elm', 'Cedar', 'Park', 'Lake', 'Hill', 'River', 'Market', 'Mill', 'Church', 'Station'];
const STREET_KIND = ['Street', 'St.', 'Avenue', 'Ave', 'Road', 'Rd.', 'Blvd', 'Lane', 'Drive', 'Way'];
const CITIES = ['Springvale, OR 97301', 'Fairview, TX 75069', 'Riverton, WY 82501', 'Brookfield, WI 53005', 'Marlow, NH 03456', 'Denton, MD 21629', 'Kingsport, TN 37660', 'Salem, MA 01970', 'Toronto, ON M5V 2T6', 'Leeds LS1 4DY', 'Hamburg 20095', 'Austin, TX 78701'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const COMMON = ['the', 'of', 'and', 'to', 'in', 'for', 'with', 'on', 'by', 'as', 'at', 'from', 'this', 'that', 'is', 'are', 'was', 'be', 'will', 'may', 'all', 'any', 'our', 'your', 'each', 'other', 'more', 'new'];
const NOUNS = ['service', 'market', 'team', 'project', 'customer', 'period', 'value', 'region', 'quality', 'process', 'program', 'product', 'system', 'policy', 'result', 'member', 'office', 'growth', 'cost', 'plan', 'level', 'change', 'data', 'model', 'rate', 'water', 'garden', 'house', 'road', 'morning', 'village', 'river', 'letter', 'friend', 'family', 'story'];
const VERBS = ['improved', 'increased', 'reviewed', 'reported', 'described', 'provided', 'remained', 'included', 'reached', 'followed', 'measured', 'expected', 'showed', 'helped', 'opened', 'walked', 'found', 'wrote', 'asked', 'carried'];
const ADJ = ['annual', 'total', 'small', 'large', 'early', 'final', 'general', 'local', 'recent', 'major', 'quiet', 'bright', 'careful', 'simple', 'regular', 'average', 'strong', 'old', 'young', 'open'];

/** Instructions as application forms word them (written for the generator, not taken from any document). */
const FORM_INSTRUCTIONS = [
  'Answer every question on this form; write N/A where a question does not apply to you.',
  'Attach copies of the supporting documents listed below; originals will not be returned.',
  'Incomplete applications cannot be processed and will be returned to the applicant.',
  'Use a separate sheet of paper if you need more space, and write your name on each sheet.',
  'Read the instructions on the back of this page before you fill in the application.',
  'List each member of the household, including yourself, with their date of birth.',
  'Mark the box that applies to you. If you mark yes, explain in the space provided.',
  'Return the completed and signed form by mail, by fax or in person to the office nearest you.',
  'You must report any change of address or income within ten days of the change.',
  'We may contact your employer or landlord to confirm the information you give us.',
  'Giving false information on purpose may lead to the denial of benefits and to prosecution.',
  'Bring proof of identity and proof of residence to your appointment.',
];

const name = (r: Random): string => `${pick(r, FIRST)} ${pick(r, LAST)}`;
const company = (r: Random): string => `${pick(r, COMPANY_A)} ${pick(r, COMPANY_B)}${chance(r, 0.6) ? ` ${pick(r, SUFFIX)}` : ''}`;
const street = (r: Random): string => `${int(r, 1, 9999)} ${pick(r, STREETS)} ${pick(r, STREET_KIND)}${chance(r, 0.3) ? `, Suite ${int(r, 1, 900)}` : ''}`;
const money = (r: Random, lo = 1, hi = 5000): string => {
  const value = (lo + r() * (hi - lo)).toFixed(2);
  const grouped = value.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return chance(r, 0.7) ? `$${grouped}` : grouped;
};
const date = (r: Random): string => {
  const y = int(r, 2015, 2026);
  const m = int(r, 1, 12);
  const d = int(r, 1, 28);
  return pick(r, [`${m}/${d}/${y}`, `${String(m).padStart(2, '0')}/${String(d).padStart(2, '0')}/${y}`, `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`, `${MONTHS[m - 1]} ${d}, ${y}`, `${d} ${MONTHS[m - 1]} ${y}`]);
};
const id = (r: Random, prefix = ''): string => `${prefix}${int(r, 1000, 99999999)}`;
const sentence = (r: Random, words = int(r, 6, 16)): string => {
  const parts: string[] = [];
  for (let i = 0; i < words; i++) parts.push(pick(r, [COMMON, COMMON, NOUNS, VERBS, ADJ][int(r, 0, 4)]));
  parts[0] = parts[0][0].toUpperCase() + parts[0].slice(1);
  return `${parts.join(' ')}.`;
};
const prose = (r: Random, lines: number, width = 12): string[] => Array.from({ length: lines }, () => sentence(r, int(r, width - 4, width + 3)));

// ---- page assembly -----------------------------------------------------------------------------------------------
interface Draft {
  lines: string[];
  tables: string[][][];
  fields: { key: string; value: string; checkbox?: boolean; checked?: boolean }[];
}

const draft = (): Draft => ({ lines: [], tables: [], fields: [] });

/** Key-value pairs: printed as lines, and recorded as fields (as a form-aware OCR vendor would). */
function kv(d: Draft, key: string, value: string, sameLine = true): void {
  if (sameLine) d.lines.push(`${key} ${value}`);
  else d.lines.push(key, value);
  d.fields.push({ key: key.replace(/:$/, ''), value });
}

function table(d: Draft, rows: string[][]): void {
  d.tables.push(rows);
  for (const row of rows) d.lines.push(row.filter(Boolean).join(' '));
}

function checkbox(d: Draft, r: Random, label: string): void {
  const checked = chance(r, 0.4);
  d.lines.push(label);
  d.fields.push({ key: label, value: '', checkbox: true, checked });
}

// ---- one generator per class -------------------------------------------------------------------------------------
const GENERATORS: Record<PageClass, (r: Random, d: Draft) => void> = {
  invoice(r, d) {
    d.lines.push(pick(r, ['INVOICE', 'Invoice', 'TAX INVOICE', 'Commercial Invoice', 'Invoice']), company(r), street(r), pick(r, CITIES));
    kv(d, pick(r, ['Invoice #', 'Invoice No:', 'Invoice Number', 'Inv. No.']), id(r, pick(r, ['', 'INV-', 'A'])), chance(r, 0.5));
    kv(d, pick(r, ['Invoice Date:', 'Date:', 'Date of issue']), date(r), chance(r, 0.5));
    if (chance(r, 0.7)) kv(d, pick(r, ['Due Date:', 'Payment Due', 'Due']), date(r), chance(r, 0.5));
    if (chance(r, 0.5)) kv(d, pick(r, ['PO Number', 'Purchase Order:', 'Order Number', 'P.O. #']), id(r), chance(r, 0.5));
    if (chance(r, 0.3)) {
      d.lines.push(pick(r, ['Bill To', 'BILL TO:', 'Client']));
      kv(d, pick(r, ['Company', 'Client Name', 'Name']), company(r));
      kv(d, 'Address', `${street(r)}, ${pick(r, CITIES)}`);
    } else d.lines.push(pick(r, ['Bill To', 'BILL TO:', 'Billed to', 'Customer', 'Sold To']), pick(r, [name(r), company(r)]), street(r), pick(r, CITIES));
    if (chance(r, 0.4)) d.lines.push(pick(r, ['Ship To', 'SHIP TO:', 'Deliver to']), street(r), pick(r, CITIES));
    if (chance(r, 0.3)) {
      // Billing by time: a period, then one row per day or task.
      d.lines.push(pick(r, ['Time Period', 'Billing Period', 'Service Period']));
      kv(d, pick(r, ['Start Date', 'From']), date(r));
      kv(d, pick(r, ['End Date', 'To']), date(r));
      const work = ['Development', 'Meeting', 'Design', 'Testing', 'Support', 'Site visit', 'Research', 'Documentation'];
      table(d, [[pick(r, ['Date', 'Day']), pick(r, ['Work Type', 'Task', 'Activity']), 'Hours', 'Rate', 'Amount'], ...Array.from({ length: int(r, 2, 8) }, () => [date(r), pick(r, work), String(int(r, 1, 10)), money(r, 40, 200), money(r, 40, 2000)])]);
    }
    const items = ['Consulting services', 'Web design', 'Hosting (monthly)', 'Software license', 'Installation', 'Labor', 'Materials', 'Maintenance plan', 'Freight', 'Training session', 'Office chairs', 'Printer toner', 'Cloud storage', 'Design review', 'Support hours', 'Cable assembly'];
    const header = pick(r, [['Description', 'Qty', 'Unit Price', 'Amount'], ['Item', 'Quantity', 'Rate', 'Total'], ['Qty', 'Item', 'Price', 'Line Total'], ['Service', 'Hours', 'Rate', 'Amount']]);
    const rows = [header, ...Array.from({ length: int(r, 1, 7) }, () => [pick(r, items), String(int(r, 1, 40)), money(r, 5, 900), money(r, 10, 9000)])];
    table(d, rows);
    kv(d, pick(r, ['Subtotal', 'Sub Total', 'Net Amount']), money(r, 100, 20000));
    if (chance(r, 0.8)) kv(d, pick(r, ['Tax', 'Sales Tax (8%)', 'VAT 20%', 'GST']), money(r, 5, 2000));
    kv(d, pick(r, ['Total', 'TOTAL DUE', 'Amount Due', 'Balance Due', 'Total (USD)']), money(r, 100, 25000));
    if (chance(r, 0.6)) d.lines.push(pick(r, ['Payment terms: Net 30', 'Please make checks payable to', 'Thank you for your business!', 'Bank transfer details below', 'Terms: due on receipt']));
    if (chance(r, 0.4)) kv(d, 'Account No.', id(r));
  },
  receipt(r, d) {
    d.lines.push(pick(r, [company(r).toUpperCase(), `${pick(r, COMPANY_A).toUpperCase()} MART`, `${pick(r, COMPANY_A).toUpperCase()} GROCERY`, `${pick(r, STREETS).toUpperCase()} CAFE`]));
    d.lines.push(street(r).toUpperCase(), pick(r, CITIES).toUpperCase(), `TEL ${int(r, 200, 999)}-${int(r, 200, 999)}-${int(r, 1000, 9999)}`);
    d.lines.push(`${pick(r, ['STORE', 'ST#', 'Store #'])} ${int(r, 1, 9999)} ${pick(r, ['REG', 'TERM', 'OP#'])} ${int(r, 1, 99)} ${pick(r, ['TRANS', 'TR#', 'TXN'])} ${int(r, 1000, 99999)}`);
    const goods = ['BANANAS', 'MILK 2%', 'BREAD WHT', 'EGGS LG 12CT', 'COFFEE BEANS', 'USB CABLE', 'BATTERIES AA', 'SHAMPOO', 'APPLES GALA', 'CHEESE CHED', 'WATER 24PK', 'HEADPHONES', 'T-SHIRT', 'NOTEBOOK', 'PASTA', 'LATTE GRANDE', 'SANDWICH', 'PHONE CASE', 'TV 55IN', 'HDMI ADAPTER'];
    const items = Array.from({ length: int(r, 2, 12) }, () => [pick(r, goods), `${chance(r, 0.3) ? `${int(r, 1, 4)} @ ` : ''}${money(r, 0.5, 400)}`, pick(r, ['', 'T', 'F', 'S', 'N'])]);
    if (chance(r, 0.5)) table(d, items);
    else for (const item of items) d.lines.push(item.join(' ').trim());
    // Totals are key-value pairs to a forms-aware OCR.
    kv(d, pick(r, ['SUBTOTAL', 'SUB TOTAL', 'Subtotal']), money(r, 5, 900));
    kv(d, pick(r, ['TAX', 'SALES TAX', 'TAX 1']), money(r, 0.1, 60));
    kv(d, pick(r, ['TOTAL', '**** TOTAL', 'BALANCE DUE']), money(r, 5, 950));
    d.lines.push(`${pick(r, ['VISA', 'MASTERCARD', 'DEBIT', 'CASH', 'AMEX'])} ${pick(r, ['TEND', '', 'CARD'])} ${money(r, 5, 950)}`.replace(/\s+/g, ' '));
    if (chance(r, 0.6)) kv(d, pick(r, ['CHANGE DUE', 'CHANGE']), money(r, 0, 20));
    if (chance(r, 0.7)) d.lines.push(`${pick(r, ['CARD', 'ACCT'])} ************${int(r, 1000, 9999)}`, `${pick(r, ['APPROVAL', 'AUTH CODE', 'APPR#'])} ${id(r)}`);
    d.lines.push(`${date(r)} ${int(r, 0, 23)}:${String(int(r, 0, 59)).padStart(2, '0')}`, pick(r, ['THANK YOU FOR SHOPPING', 'THANK YOU! PLEASE COME AGAIN', 'RETURNS WITHIN 30 DAYS WITH RECEIPT', 'ITEMS SOLD ' + int(r, 1, 20), 'SAVE THIS RECEIPT']));
  },
  paystub(r, d) {
    d.lines.push(pick(r, ['Earnings Statement', 'Pay Stub', 'Payroll Advice', 'Statement of Earnings and Deductions', 'PAY STATEMENT']), company(r).toUpperCase(), street(r));
    kv(d, pick(r, ['Pay Period:', 'Period Ending:', 'Period Beginning:']), date(r), chance(r, 0.5));
    kv(d, pick(r, ['Pay Date:', 'Check Date:', 'Payment Date']), date(r), chance(r, 0.5));
    kv(d, pick(r, ['Employee ID', 'Employee No.', 'File #']), id(r));
    d.lines.push(name(r).toUpperCase(), street(r));
    if (chance(r, 0.6)) kv(d, pick(r, ['Social Security Number:', 'SSN:']), `XXX-XX-${int(r, 1000, 9999)}`);
    if (chance(r, 0.5)) kv(d, pick(r, ['Taxable Marital Status:', 'Filing Status:']), pick(r, ['Single', 'Married']));
    table(d, [
      [pick(r, ['Earnings', 'Description']), 'Rate', 'Hours', pick(r, ['This Period', 'Current']), pick(r, ['Year to Date', 'YTD'])],
      ['Regular', money(r, 10, 80), String(int(r, 20, 80)), money(r, 400, 5000), money(r, 2000, 90000)],
      ...(chance(r, 0.6) ? [['Overtime', money(r, 15, 120), String(int(r, 1, 20)), money(r, 20, 900), money(r, 100, 9000)]] : []),
      ...(chance(r, 0.3) ? [[pick(r, ['Holiday', 'Vacation', 'Bonus']), '', '', money(r, 50, 900), money(r, 100, 9000)]] : []),
      [pick(r, ['Gross Pay', 'Total Gross']), '', '', money(r, 400, 6000), money(r, 2000, 99000)],
    ]);
    const deductions = ['Federal Income Tax', 'Social Security Tax', 'Medicare Tax', 'State Income Tax', '401(k)', 'Health Insurance', 'Dental', 'City Tax', 'SDI'];
    table(d, [[pick(r, ['Deductions', 'Taxes and Deductions', 'Statutory']), 'Current', 'YTD'], ...some(r, deductions, 3, 7).map((k) => [k, `-${money(r, 5, 600)}`, money(r, 50, 9000)])]);
    kv(d, pick(r, ['Net Pay', 'NET PAY', 'Net Check']), money(r, 300, 5000));
    if (chance(r, 0.5)) d.lines.push(pick(r, ['Direct Deposit', 'Checking', 'Advice number']) + ` ${id(r)}`);
  },
  bank_statement(r, d) {
    d.lines.push(`${pick(r, COMPANY_A)} ${pick(r, ['Bank', 'Savings Bank', 'Credit Union', 'Trust'])}`, pick(r, ['Account Statement', 'Statement of Account', 'Monthly Statement', 'Checking Account Statement']), name(r), street(r), pick(r, CITIES));
    kv(d, pick(r, ['Account Number:', 'Account No.', 'Acct #']), `****${int(r, 1000, 9999)}`);
    kv(d, pick(r, ['Statement Period:', 'Statement Date', 'For the period']), `${date(r)} - ${date(r)}`);
    kv(d, pick(r, ['Beginning Balance', 'Opening Balance', 'Previous Balance']), money(r, 0, 20000));
    if (chance(r, 0.7)) kv(d, pick(r, ['Deposits and Credits', 'Total Deposits']), money(r, 0, 20000));
    if (chance(r, 0.7)) kv(d, pick(r, ['Withdrawals and Debits', 'Total Withdrawals']), money(r, 0, 20000));
    kv(d, pick(r, ['Ending Balance', 'Closing Balance', 'New Balance']), money(r, 0, 20000));
    const what = ['ATM Withdrawal', 'Direct Deposit Payroll', 'POS Purchase', 'Online Transfer', 'Check', 'Interest Paid', 'Service Fee', 'Card Purchase', 'Mobile Deposit', 'Wire Transfer', 'Utility Payment', 'Rent Payment', 'Credit Card Payment', 'Refund'];
    const header = pick(r, [['Date', 'Description', 'Withdrawals', 'Deposits', 'Balance'], ['Date', 'Transaction', 'Debit', 'Credit', 'Balance'], ['Posted', 'Details', 'Amount', '', 'Balance']]);
    table(d, [header, ...Array.from({ length: int(r, 3, 14) }, () => [date(r), `${pick(r, what)}${chance(r, 0.4) ? ` ${id(r)}` : ''}`, chance(r, 0.5) ? money(r, 1, 2000) : '', chance(r, 0.5) ? money(r, 1, 3000) : '', money(r, 0, 20000)])]);
    if (chance(r, 0.5)) d.lines.push(pick(r, ['Member FDIC', 'Questions? Call us 24/7', 'Please examine this statement promptly', 'Overdraft protection is available']));
  },
  tax_form(r, d) {
    const form = pick(r, ['Form W-2 Wage and Tax Statement', 'Form 1099-MISC Miscellaneous Information', 'Form 1040 U.S. Individual Income Tax Return', 'Form W-4 Employee’s Withholding Certificate', 'Form 1099-INT Interest Income', 'Schedule C Profit or Loss From Business']);
    d.lines.push(form, pick(r, ['Department of the Treasury - Internal Revenue Service', 'Internal Revenue Service', 'Department of the Treasury']), `OMB No. ${int(r, 1500, 1599)}-${int(r, 1000, 9999)}`, `Tax year ${int(r, 2015, 2025)}`);
    const boxes = ['Wages, tips, other compensation', 'Federal income tax withheld', 'Social security wages', 'Social security tax withheld', 'Medicare wages and tips', 'Medicare tax withheld', 'State wages', 'Taxable interest', 'Adjusted gross income', 'Taxable income', 'Total tax', 'Nonemployee compensation', 'Rents', 'Royalties', 'Standard deduction', 'Refund', 'Amount you owe'];
    kv(d, pick(r, ["Employer identification number (EIN)", "PAYER'S TIN", 'Your social security number']), `${int(r, 10, 99)}-${int(r, 1000000, 9999999)}`, false);
    kv(d, pick(r, ["Employee's name", "RECIPIENT'S name", 'Your first name and middle initial']), name(r), false);
    for (const [i, box] of some(r, boxes, 4, 10).entries()) kv(d, `${i + 1} ${box}`, money(r, 0, 90000).replace('$', ''), chance(r, 0.5));
    for (const status of some(r, ['Single', 'Married filing jointly', 'Married filing separately', 'Head of household', 'Qualifying surviving spouse'], 0, 5)) checkbox(d, r, status);
    d.lines.push(pick(r, ['For Privacy Act and Paperwork Reduction Act Notice, see separate instructions.', 'Copy B To Be Filed With Employee’s FEDERAL Tax Return', 'Cat. No. ' + id(r) + 'X', 'Under penalties of perjury, I declare that I have examined this return']));
  },
  application_form(r, d) {
    d.lines.push(pick(r, ['Application Form', 'APPLICATION FOR ASSISTANCE', 'Employment Application', 'Rental Application', 'Membership Application', 'Patient Registration Form', 'Loan Application', 'New Patient Information', 'Scholarship Application', 'Request for Verification', 'Enrollment Form']));
    if (chance(r, 0.6)) d.lines.push(pick(r, ['Please print clearly in ink.', 'Complete all sections of this form.', 'Please complete and return this form to the office.', 'All information will be kept confidential.']));
    // Long forms: numbered sections with paragraphs of instructions, which a text-only OCR reads as running text.
    if (chance(r, 0.4)) {
      for (let section = 0; section < int(r, 1, 3); section++) {
        d.lines.push(`${'ABCD'[section]}. ${pick(r, ['HOUSEHOLD MEMBERS', 'INCOME AND EMPLOYMENT', 'HOUSING COSTS', 'CONTACT DETAILS', 'SUPPORTING DOCUMENTS', 'DECLARATION'])}`);
        d.lines.push(...some(r, FORM_INSTRUCTIONS, 2, 5));
      }
    }
    d.lines.push(pick(r, ['Applicant Information', 'Personal Information', 'Section 1', 'Part I', 'Patient Information']));
    const keys = ['First Name:', 'Last Name:', 'Middle Initial', 'Date of Birth:', 'Social Security Number', 'Address:', 'City:', 'State:', 'Zip Code:', 'Phone:', 'Email Address:', 'Employer:', 'Occupation:', 'Marital Status:', 'Emergency Contact:', 'Relationship:', 'Insurance Provider:', 'Policy Number:', 'Household Size:', 'Monthly Income:', 'Position Applied For:', 'Start Date:', 'Previous Employer:', 'Reason for Leaving:', 'Signature:', 'Date:'];
    for (const key of some(r, keys, 6, 16)) {
      const value = /Name/.test(key) ? pick(r, FIRST) : /Date/.test(key) ? date(r) : /Phone/.test(key) ? `${int(r, 200, 999)}-555-${int(r, 1000, 9999)}` : /Address/.test(key) ? street(r) : /Income|Size|Number/.test(key) ? String(int(r, 1, 99999)) : chance(r, 0.3) ? '' : pick(r, [...NOUNS, ...FIRST]);
      kv(d, key, value, chance(r, 0.6));
    }
    for (const label of some(r, ['Yes', 'No', 'Male', 'Female', 'Full-time', 'Part-time', 'Married', 'Single', 'Own', 'Rent', 'Check if applicable', 'U.S. Citizen'], 2, 8)) checkbox(d, r, label);
    if (chance(r, 0.7)) d.lines.push(pick(r, ['I certify that the information provided is true and complete.', 'By signing below, I authorize verification of the information above.', 'FOR OFFICE USE ONLY', 'Applicant Signature ____________ Date ______']));
    if (chance(r, 0.3)) table(d, [['Employer', 'From', 'To', 'Position'], [company(r), date(r), date(r), pick(r, ['Clerk', 'Driver', 'Analyst', 'Nurse'])]]);
  },
  id_document(r, d) {
    const kind = pick(r, ['DRIVER LICENSE', 'PASSPORT', 'IDENTIFICATION CARD', 'RESIDENCE PERMIT', 'NATIONAL ID CARD']);
    d.lines.push(pick(r, ['STATE OF', 'UNITED STATES OF AMERICA', 'REPUBLIC OF', 'COMMONWEALTH OF']) + ` ${pick(r, ['OREGON', 'TEXAS', 'UTOPIA', 'CANADA', 'IRELAND'])}`, kind);
    kv(d, pick(r, ['DL', 'No.', 'Document No', 'ID']), `${pick(r, ['D', 'X', 'P'])}${int(r, 1000000, 99999999)}`);
    kv(d, pick(r, ['LN', 'Surname']), pick(r, LAST).toUpperCase());
    kv(d, pick(r, ['FN', 'Given names']), pick(r, FIRST).toUpperCase());
    kv(d, pick(r, ['DOB', 'Date of birth']), date(r));
    kv(d, pick(r, ['EXP', 'Date of expiry']), date(r));
    if (chance(r, 0.7)) kv(d, pick(r, ['ISS', 'Date of issue']), date(r));
    for (const [k, v] of some(r, [['SEX', pick(r, ['M', 'F', 'X'])], ['HGT', `${int(r, 4, 6)}-${int(r, 0, 11)}`], ['EYES', pick(r, ['BRO', 'BLU', 'GRN'])], ['CLASS', pick(r, ['C', 'D', 'M'])], ['Nationality', pick(r, ['USA', 'CAN', 'IRL'])], ['Place of birth', pick(r, CITIES).split(',')[0]], ['Authority', pick(r, ['DMV', 'Ministry of Interior'])], ['RESTR', 'NONE'], ['END', 'NONE']], 2, 6)) kv(d, k, v);
    if (kind === 'PASSPORT' || chance(r, 0.2)) d.lines.push(`P<${pick(r, ['USA', 'CAN', 'IRL'])}${pick(r, LAST).toUpperCase()}<<${pick(r, FIRST).toUpperCase()}<<<<<<<<<<<<<<`, `${int(r, 100000000, 999999999)}<${int(r, 1000000, 9999999)}<<<<<<<<<<<<${int(r, 10, 99)}`);
    if (chance(r, 0.5)) d.lines.push(pick(r, ['DONOR', 'VETERAN', 'NOT FOR FEDERAL IDENTIFICATION', 'Signature of holder']));
  },
  letter(r, d) {
    d.lines.push(company(r), street(r), pick(r, CITIES), date(r), name(r), street(r), pick(r, CITIES));
    if (chance(r, 0.5)) d.lines.push(`Re: ${pick(r, ['Your account', 'Application status', 'Change of address', 'Your inquiry', 'Policy renewal', 'Meeting next week'])}`);
    d.lines.push(`${pick(r, ['Dear', 'Dear Mr.', 'Dear Ms.', 'Dear Dr.'])} ${pick(r, LAST)},`);
    d.lines.push(pick(r, ['I am writing to', 'Thank you for your letter of', 'We are pleased to inform you that', 'Further to our conversation,', 'Please find enclosed']) + ' ' + sentence(r).toLowerCase());
    d.lines.push(...prose(r, int(r, 4, 14)));
    d.lines.push(pick(r, ['If you have any questions, please do not hesitate to contact me.', 'We look forward to hearing from you.', 'Thank you for your time and attention.']));
    d.lines.push(pick(r, ['Sincerely,', 'Yours sincerely,', 'Best regards,', 'Kind regards,', 'Yours faithfully,']), name(r), pick(r, ['Customer Relations', 'Director', 'Office Manager', 'Account Executive', '']));
    if (chance(r, 0.3)) d.lines.push(pick(r, ['Enclosure', 'cc: file', 'Encl.']));
  },
  resume(r, d) {
    d.lines.push(name(r).toUpperCase(), `${pick(r, FIRST).toLowerCase()}.${pick(r, LAST).toLowerCase()}@mail.com | ${int(r, 200, 999)}-555-${int(r, 1000, 9999)} | ${pick(r, CITIES)}`);
    const sections = some(r, ['Summary', 'Professional Summary', 'Objective'], 0, 1);
    for (const s of sections) d.lines.push(s, ...prose(r, int(r, 1, 3)));
    d.lines.push(pick(r, ['Experience', 'Work Experience', 'Professional Experience', 'EMPLOYMENT HISTORY']));
    const titles = ['Software Engineer', 'Project Manager', 'Data Analyst', 'Marketing Coordinator', 'Registered Nurse', 'Sales Associate', 'Accountant', 'Graphic Designer', 'Operations Lead', 'Teacher'];
    const bullets = ['Led a team of', 'Developed and maintained', 'Managed budgets for', 'Improved customer satisfaction by', 'Designed', 'Coordinated', 'Implemented', 'Reduced costs by', 'Trained new staff on', 'Built reporting tools for'];
    for (let i = int(r, 1, 4); i > 0; i--) {
      const from = int(r, 2005, 2022);
      d.lines.push(`${pick(r, titles)} - ${company(r)}`, `${pick(r, MONTHS).slice(0, 3)} ${from} - ${chance(r, 0.3) ? 'Present' : `${pick(r, MONTHS).slice(0, 3)} ${from + int(r, 1, 4)}`}`);
      for (let b = int(r, 1, 4); b > 0; b--) d.lines.push(`• ${pick(r, bullets)} ${sentence(r, int(r, 4, 9)).toLowerCase()}`);
    }
    d.lines.push(pick(r, ['Education', 'EDUCATION']), `${pick(r, ['B.S.', 'B.A.', 'M.S.', 'MBA', 'Ph.D.', 'Associate Degree'])} in ${pick(r, ['Computer Science', 'Economics', 'Nursing', 'Business Administration', 'Design', 'Mathematics'])}`, `${pick(r, ['University of', 'State University of', 'College of'])} ${pick(r, STREETS)} ${int(r, 1995, 2022)}`);
    d.lines.push(pick(r, ['Skills', 'Technical Skills', 'SKILLS']), some(r, ['Python', 'Excel', 'SQL', 'Leadership', 'Java', 'Negotiation', 'Photoshop', 'Scheduling', 'Public speaking', 'Spanish', 'Budgeting'], 3, 7).join(', '));
    if (chance(r, 0.3)) d.lines.push(pick(r, ['References available upon request', 'Certifications', 'Languages']));
  },
  report(r, d) {
    if (chance(r, 0.25)) {
      // A measurement or test printout: quantities, values and units, little prose.
      d.lines.push(pick(r, ['Measurement', 'Test Results', 'Layer Thickness', 'Calibration Record', 'Inspection Results', 'Sample Analysis']));
      const quantities = ['Layer thickness', 'Diameter', 'Depth', 'Width', 'Hardness', 'Temperature', 'Pressure', 'Roughness', 'Weight', 'Voltage', 'Max. depth', 'Ball diameter', 'Coating 1', 'Coating 2'];
      for (const q of some(r, quantities, 3, 9)) d.lines.push(`${q}:`, `${int(r, 0, 999)}.${int(r, 0, 999)} ${pick(r, ['mm', 'um', 'µm', 'kg', '°C', 'bar', 'V', 'HV', 'N'])}`);
      if (chance(r, 0.5)) d.lines.push(`${pick(r, ['Operator', 'Instrument', 'Method'])}: ${pick(r, [name(r), pick(r, NOUNS)])}`);
      return;
    }
    if (chance(r, 0.5)) d.lines.push(pick(r, ['Confidential', 'Draft', 'Internal use only', company(r)]), `${pick(r, ['Page', 'p.'])} ${int(r, 1, 40)}${chance(r, 0.5) ? ` of ${int(r, 40, 90)}` : ''}`);
    d.lines.push(pick(r, ['Annual Report', 'Quarterly Report', 'Technical Report', 'Test Report', 'Inspection Report', 'Financial Statements', 'Research Summary', 'Progress Report', 'Measurement Report', 'Notes to the Financial Statements']));
    if (chance(r, 0.5)) d.lines.push(`${pick(r, ['For the year ended', 'As of', 'Period ending', 'Prepared on'])} ${date(r)}`);
    for (let s = int(r, 1, 4); s > 0; s--) {
      d.lines.push(`${chance(r, 0.5) ? `${s}. ` : ''}${pick(r, ['Executive Summary', 'Introduction', 'Methodology', 'Results', 'Discussion', 'Conclusion', 'Background', 'Findings', 'Analysis', 'Outlook', 'Recommendations'])}`);
      d.lines.push(...prose(r, int(r, 2, 9), 14));
      if (chance(r, 0.4)) d.lines.push(`${pick(r, ['Revenue', 'Operating income', 'The measured value', 'Net assets', 'Average thickness', 'Response time', 'Participation'])} ${pick(r, ['increased', 'decreased', 'was', 'remained at'])} ${int(r, 1, 99)}.${int(r, 0, 9)} ${pick(r, ['percent', '%', 'million', 'mm', 'um', 'ms', 'points'])} ${pick(r, ['compared with the prior year.', 'over the period.', 'in the sample.', 'on average.'])}`);
    }
    if (chance(r, 0.6)) {
      const cols = int(r, 2, 5);
      table(d, [[pick(r, ['Item', 'Measure', 'Category', 'Sample', 'Account']), ...Array.from({ length: cols - 1 }, (_, i) => pick(r, [`${int(r, 2015, 2025)}`, `Q${i + 1}`, 'Value', 'Mean', 'Change']))], ...Array.from({ length: int(r, 2, 8) }, () => [pick(r, NOUNS), ...Array.from({ length: cols - 1 }, () => `${int(r, 0, 9999)}.${int(r, 0, 9)}`)])]);
      d.lines.push(`${pick(r, ['Table', 'Figure', 'Exhibit'])} ${int(r, 1, 12)}: ${sentence(r, int(r, 3, 7))}`);
    }
  },
  other(r, d) {
    const kind = pick(r, [0, 1, 2, 2, 3, 4, 5]);
    if (kind === 0) d.lines.push(...prose(r, int(r, 6, 25), 13)); // prose: a book or an article page
    else if (kind === 1) {
      d.lines.push(pick(r, ['Agreement', 'Terms and Conditions', 'Service Agreement', 'Lease Terms']), ...Array.from({ length: int(r, 3, 10) }, () => `${pick(r, ['The Parties', 'Each party', 'The Tenant', 'The Provider', 'This Agreement'])} ${pick(r, ['shall', 'will', 'may not', 'agrees to'])} ${sentence(r, int(r, 5, 12)).toLowerCase()}`));
      if (chance(r, 0.5)) d.lines.push(`${pick(r, ['Term', 'Effective Date', 'Year 1'])}: ${date(r)} - ${date(r)}`);
    } else if (kind === 2) {
      // A sample or test page: headings, a few pairs, a small grid of placeholder cells.
      d.lines.push(pick(r, ['Sample Document', 'Test Page', 'Demo Sheet', 'Example Layout', 'Untitled', 'Template']), `${pick(r, ['Page', 'Sheet', 'Part'])} ${int(r, 1, 9)}`);
      for (let i = int(r, 1, 4); i > 0; i--) kv(d, `${pick(r, ['Field', 'Label', 'Entry', 'Item', 'Name', 'Version', 'Author', 'Title', 'Date', 'Key', 'Project'])}${chance(r, 0.5) ? ` ${String.fromCharCode(65 + int(r, 0, 25))}` : ''}:`, pick(r, [pick(r, NOUNS), date(r), id(r), `${pick(r, NOUNS)} ${int(r, 1, 9)}`]), true);
      if (chance(r, 0.5)) d.lines.push(`${pick(r, ['Some', 'A few', 'Two', 'Several'])} ${pick(r, ['tables', 'rows', 'items', 'sections'])} ${pick(r, ['on this page', 'below', 'for testing'])}`);
      for (let t = int(r, 0, 3); t > 0; t--) {
        const cols = int(r, 2, 5);
        const page = int(r, 1, 9);
        table(d, Array.from({ length: int(r, 2, 6) }, (_, row) => Array.from({ length: cols }, (_, col) => pick(r, [`R${row + 1}C${col + 1}`, `Entry ${row}.${col}`, `Item ${t}.${row}.${col}`, `Page ${page} - Row ${row + 1}`, pick(r, NOUNS), String(int(r, 1, 99))]))));
      }
    } else if (kind === 3) {
      d.lines.push(pick(r, ['Menu', 'Schedule', 'Agenda', 'Recipe', 'Instructions', 'Notice', 'Checklist']));
      for (let i = int(r, 4, 14); i > 0; i--) d.lines.push(`${chance(r, 0.5) ? `${int(r, 1, 12)}:${pick(r, ['00', '30'])} ` : '- '}${sentence(r, int(r, 2, 7))}`);
    } else if (kind === 4) {
      d.lines.push(`${pick(r, ['Chapter', 'CHAPTER', 'Part'])} ${pick(r, ['I', 'II', 'III', 'IV', 'One', 'Two', '3'])}`, ...prose(r, int(r, 8, 24), 11));
    } else {
      d.lines.push(pick(r, ['Record', 'Card', 'Certificate', 'Log', 'Notes']), name(r));
      for (let i = int(r, 2, 6); i > 0; i--) kv(d, `${pick(r, ['Date', 'Reference', 'Number', 'Location', 'Product', 'Lot'])}:`, pick(r, [date(r), id(r), pick(r, NOUNS)]), chance(r, 0.5));
      if (chance(r, 0.5)) table(d, [[pick(r, ['Date', 'Entry']), pick(r, ['Note', 'Detail', 'Site'])], [date(r), pick(r, NOUNS)], [date(r), pick(r, NOUNS)]]);
    }
  },
};

// ---- OCR noise -----------------------------------------------------------------------------------------------------
const CONFUSIONS: [RegExp, string][] = [[/O/g, '0'], [/l/g, '1'], [/S/g, '5'], [/rn/g, 'm'], [/e/g, 'c'], [/I/g, 'l'], [/B/g, '8']];

function noisy(r: Random, text: string, level: number): string {
  let out = text;
  if (chance(r, level)) out = out.replace(/\S/, ''); // a dropped character
  if (chance(r, level / 2)) out = out.replace(/ (\S)/, '$1'); // two words merged
  if (chance(r, level)) {
    const [from, to] = pick(r, CONFUSIONS);
    out = out.replace(new RegExp(from.source), to); // one confused character
  }
  if (chance(r, level / 3)) out = out.toUpperCase();
  return out;
}

function acrossColumns(r: Random, lines: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (i + 1 < lines.length && chance(r, 0.5)) out.push(`${lines[i]} ${lines[++i]}`);
    else out.push(lines[i]);
  }
  return out;
}

// ---- to the common format -------------------------------------------------------------------------------------------
export function generatePage(label: PageClass, r: Random, pageNumber = 1, noise = 0.15): Page {
  const d = draft();
  GENERATORS[label](r, d);
  // A line-based OCR reads a multi-column page across its columns: two short lines at one height become one long
  // line. Some pages get that, so that the words per line do not decide the class on their own.
  if (chance(r, 0.15)) d.lines = acrossColumns(r, d.lines);
  const page: Page = { id: `p${pageNumber}`, number: pageNumber, orientation: 0, predictions: null, words: [], lines: [], regions: [], tables: [], fields: [], selections: [], signatures: [], vendorIds: [] };
  const height = 0.9 / Math.max(1, d.lines.length);
  d.lines.forEach((raw, i) => {
    const text = noisy(r, raw, noise).replace(/\s+/g, ' ').trim();
    if (!text) return;
    const tokens = text.split(' ');
    const left = 0.05 + r() * 0.3;
    const wordIds = tokens.map((token, k) => {
      const word: Word = { id: `w${page.words.length + 1}`, text: token, confidence: 0.8 + r() * 0.2, geometry: { box: { left: Math.min(0.95, left + k * 0.06), top: 0.05 + i * height, width: 0.05, height: height * 0.8 } }, vendorIds: [] };
      page.words.push(word);
      return word.id;
    });
    const line: Line = { id: `l${page.lines.length + 1}`, text, wordIds, confidence: 0.9, vendorIds: [] };
    page.lines.push(line);
  });
  d.tables.forEach((rows, t) => {
    const columns = Math.max(...rows.map((row) => row.length));
    const cells: Cell[] = [];
    rows.forEach((row, ri) => row.forEach((text, ci) => cells.push({ id: `t${t + 1}c${cells.length + 1}`, row: ri, column: ci, rowSpan: 1, colSpan: 1, text, wordIds: [], selectionIds: [], signatureIds: [], roles: ri === 0 ? ['column_header'] : [], vendorIds: [] })));
    const tableElement: Table = { id: `t${t + 1}`, rows: rows.length, columns, kind: 'structured', cells, titles: [], footers: [], vendorIds: [] };
    page.tables.push(tableElement);
  });
  d.fields.forEach((f, i) => {
    const selectionIds: string[] = [];
    if (f.checkbox) {
      const selection: SelectionElement = { id: `s${page.selections.length + 1}`, selected: f.checked ?? false, vendorIds: [] };
      page.selections.push(selection);
      selectionIds.push(selection.id);
    }
    const field: Field = {
      id: `f${i + 1}`,
      key: { text: f.key, wordIds: [], selectionIds: [], signatureIds: [], vendorIds: [] },
      value: { text: f.value, wordIds: [], selectionIds, signatureIds: [], vendorIds: [] },
      valueType: f.checkbox ? 'selection' : f.value ? 'text' : 'empty',
      ...(f.checkbox ? { selected: f.checked } : {}),
      vendorIds: [],
    };
    page.fields.push(field);
  });
  // Not every vendor finds tables and fields (Tesseract finds neither): drop them sometimes, so the text decides too.
  if (chance(r, 0.3)) {
    page.tables = [];
    page.fields = [];
    page.selections = [];
  }
  return page;
}

export interface LabelledPage {
  label: PageClass;
  page: Page;
}

export function generateCorpus(classes: readonly PageClass[], pagesPerClass: number, seed: number): LabelledPage[] {
  const r = seeded(seed);
  const corpus: LabelledPage[] = [];
  for (let i = 0; i < pagesPerClass; i++) for (const label of classes) corpus.push({ label, page: generatePage(label, r, 1, 0.05 + r() * 0.25) });
  return corpus;
}
