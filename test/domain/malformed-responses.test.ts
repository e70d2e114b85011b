/**
 * Real responses spoiled at random (a seeded generator, so every run spoils them alike): a value replaced by one of
 * another type or far out of range, or a key removed. Whatever the damage, an adapter either throws a DocpipeError
 * or returns a document, and a document either validates or contradicts itself in a way only the validator sees
 * (two cells at one grid position, a line whose words are on another page). Before, the same damage made
 * 17 kinds of TypeError, hangs that ended with the heap exhausted, and documents with numbers for text.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeGoogleDocai } from '../../lambdas/domain/adapters/google-docai';
import { normalizeTextract } from '../../lambdas/domain/adapters/textract';
import { checkDocument, type Document } from '../../lambdas/domain/document';
import { DocpipeError } from '../../lambdas/domain/errors';

const FIXTURES = join(__dirname, '..', 'fixtures');
const CASES_PER_FIXTURE = 60;

/** Values a JSON response could hold where another was expected. */
const SPOILERS: unknown[] = [null, 0, -1, 1e308, 2.5, 1e7, '', 'x', '12', [], {}, [null], [{}], true, { X: 'a' }];

/** A small linear congruential generator: the same seed spoils the same places. */
function generator(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
}

function spoil(value: unknown, random: () => number, depth = 0): void {
  if (!value || typeof value !== 'object') return;
  const keys = Object.keys(value);
  if (keys.length === 0) return;
  const record = value as Record<string, unknown>;
  const key = keys[Math.floor(random() * keys.length)];
  if (random() < 0.5 && depth < 6 && record[key] && typeof record[key] === 'object') return spoil(record[key], random, depth + 1);
  if (random() < 0.3 && !Array.isArray(value)) delete record[key];
  else record[key] = SPOILERS[Math.floor(random() * SPOILERS.length)];
}

/** Issues that only the validator can see: the response contradicts itself. */
const CONTRADICTION = /covered by two cells|is on another page|belongs to no line/;

function outcomeOf(normalize: () => Document): 'refused' | 'valid' | 'contradiction' {
  let document: Document;
  try {
    document = normalize();
  } catch (error) {
    if (error instanceof DocpipeError) return 'refused';
    throw error;
  }
  const { ok, issues } = checkDocument(document);
  if (ok) return 'valid';
  const unexpected = issues.filter((issue) => !CONTRADICTION.test(issue.message));
  expect(unexpected).toEqual([]);
  return 'contradiction';
}

describe.each([
  ['textract/form1005-response.json', 1, (raw: any) => raw.Blocks, normalizeTextract],
  ['textract/analyzeExpenseResponse-multipage.json', 2, (raw: any) => raw.ExpenseDocuments[0].SummaryFields, normalizeTextract],
  ['textract/multi-page-forms-samples-2-page.json', 3, (raw: any) => raw.Blocks, normalizeTextract],
  ['other-vendors/google-docai/toolbox_invoice_test-0.json', 4, (raw: any) => raw.pages, normalizeGoogleDocai],
  ['other-vendors/google-docai/pretrained-form-parser-v1.0-2020-09-23_full-output.json', 5, (raw: any) => raw.pages, normalizeGoogleDocai],
])('%s spoiled at random', (path, seed, parts, normalize) => {
  it(`refuses it with a typed error or gives a document that validates, ${CASES_PER_FIXTURE} times`, () => {
    const text = readFileSync(join(FIXTURES, path), 'utf8');
    const random = generator(seed);
    const outcomes = { refused: 0, valid: 0, contradiction: 0 };
    for (let n = 0; n < CASES_PER_FIXTURE; n++) {
      const raw = JSON.parse(text);
      const list = parts(raw) as unknown[];
      for (let k = 0; k < 1 + Math.floor(random() * 3); k++) spoil(random() < 0.9 && list.length ? list[Math.floor(random() * list.length)] : raw, random);
      outcomes[outcomeOf(() => normalize(raw))]++;
    }
    // Both outcomes occur: the spoiling reaches values the adapter reads, and values it may go without.
    expect(outcomes.refused).toBeGreaterThan(0);
    expect(outcomes.valid).toBeGreaterThan(0);
  });
});
