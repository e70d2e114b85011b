/** AnalyzeExpense results to the common format's expense documents (summary fields and line-item groups). */
import type { ExpenseDocument, ExpenseField, ExpenseText } from '../../document';
import { BlockIndex } from './context';
import { confidenceOf, rawConfidenceOf, toGeometry } from './geometry';
import type { RawExpenseDetection, RawExpenseDocument, RawExpenseField } from './model';
import { checkedPageNumber } from './response';
import { stringOr, wrongType } from './response-schema';

/** Textract's expense field types in docpipe's vocabulary; any other type is lower-cased as it is. */
const NORMALISED_TYPE: Record<string, string> = {
  TOTAL: 'total',
  AMOUNT_DUE: 'amount_due',
  AMOUNT_PAID: 'amount_paid',
  SUBTOTAL: 'subtotal',
  TAX: 'tax',
  TAX_PAYER_ID: 'tax_id',
  DISCOUNT: 'discount',
  GRATUITY: 'tip',
  SERVICE_CHARGE: 'service_charge',
  PRIOR_BALANCE: 'prior_balance',
  SHIPPING_HANDLING_CHARGE: 'shipping',
  VENDOR_NAME: 'vendor_name',
  NAME: 'name',
  VENDOR_ADDRESS: 'vendor_address',
  ADDRESS: 'address',
  RECEIVER_NAME: 'receiver_name',
  RECEIVER_ADDRESS: 'receiver_address',
  INVOICE_RECEIPT_DATE: 'invoice_date',
  INVOICE_RECEIPT_ID: 'invoice_id',
  ORDER_DATE: 'order_date',
  DUE_DATE: 'due_date',
  PO_NUMBER: 'po_number',
  PAYMENT_TERMS: 'payment_terms',
  ITEM: 'item',
  PRICE: 'price',
  UNIT_PRICE: 'unit_price',
  QUANTITY: 'quantity',
  PRODUCT_CODE: 'product_code',
  EXPENSE_ROW: 'expense_row',
};

export function normalisedExpenseType(type: string): string {
  return NORMALISED_TYPE[type] ?? type.toLowerCase();
}

function textOf(detection: RawExpenseDetection): ExpenseText {
  const geometry = toGeometry(detection.Geometry);
  const text: ExpenseText = { text: stringOr(detection.Text, '', 'An expense detection: Text') };
  if (detection.Confidence !== undefined) {
    text.confidence = confidenceOf(detection.Confidence);
    text.rawConfidence = rawConfidenceOf(detection.Confidence);
  }
  if (geometry) text.geometry = geometry;
  return text;
}

function fieldOf(index: BlockIndex, raw: RawExpenseField, pages: Set<number>): ExpenseField {
  const type = stringOr(raw.Type?.Text, 'OTHER', 'An expense field: Type.Text');
  const page = raw.PageNumber === undefined ? undefined : checkedPageNumber(raw.PageNumber, `Expense field "${type}": "PageNumber"`);
  if (page !== undefined) pages.add(page);
  const typeConfidence = confidenceOf(raw.Type?.Confidence);
  return {
    id: index.nextId('xf'),
    type,
    normalizedType: normalisedExpenseType(type),
    ...(typeConfidence !== undefined ? { typeConfidence } : {}),
    ...(raw.LabelDetection ? { label: textOf(raw.LabelDetection) } : {}),
    value: textOf(raw.ValueDetection ?? {}),
    ...(raw.Currency?.Code ? { currency: { code: raw.Currency.Code, ...(raw.Currency.Confidence !== undefined ? { confidence: confidenceOf(raw.Currency.Confidence) } : {}) } } : {}),
    groups: (raw.GroupProperties ?? []).map((group) => ({ id: group.Id ?? '', types: group.Types ?? [] })),
    ...(page !== undefined ? { page } : {}),
  };
}

/** Textract numbers line-item groups from 1; absent, a group's place in the list. */
function groupIndexOf(value: unknown, place: number): number {
  if (value === undefined || value === null) return place;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw wrongType('LineItemGroupIndex');
  return Math.max(0, value - 1);
}

export function buildExpenseDocument(index: BlockIndex, raw: RawExpenseDocument, position: number): ExpenseDocument {
  const pages = new Set<number>();
  for (const block of raw.Blocks ?? []) if (block.BlockType === 'PAGE') pages.add(checkedPageNumber(block.Page ?? 1, `Block ${block.Id}: "Page"`));
  const summaryFields = (raw.SummaryFields ?? []).map((field) => fieldOf(index, field, pages));
  const lineItemGroups = (raw.LineItemGroups ?? []).map((group, g) => ({
    index: groupIndexOf(group.LineItemGroupIndex, g),
    lineItems: (group.LineItems ?? []).map((item) => ({ fields: (item.LineItemExpenseFields ?? []).map((field) => fieldOf(index, field, pages)) })),
  }));
  return {
    id: index.nextId('x'),
    index: position,
    pages: [...pages].sort((a, b) => a - b),
    summaryFields,
    lineItemGroups,
    ...(raw.ExpenseIndex !== undefined ? { ext: { textract: { expenseIndex: raw.ExpenseIndex } } } : {}),
  };
}
