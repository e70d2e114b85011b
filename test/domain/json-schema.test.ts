import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { normalizeTextract } from '../../lambdas/domain/adapters/textract';
import { checkDocument } from '../../lambdas/domain/document';
import { documentJsonSchema } from '../../lambdas/domain/document/json-schema';
import { buildDocumentEvent } from '../../lambdas/domain/webhooks/events';
import { eventJsonSchemas } from '../../lambdas/domain/webhooks/json-schema';

const committed = JSON.parse(readFileSync(join(__dirname, '..', '..', 'docs', 'schema', 'document-v1.json'), 'utf8'));

describe('docs/schema/document-v1.json', () => {
  it('is the schema generated from the zod definition (run `npm run schema` when this fails)', () => {
    expect(committed).toEqual(documentJsonSchema());
    expect(committed.$id).toBe('https://docpipe.dev/schema/document-v1.json');
  });

  it('accepts real adapter output and rejects a broken document, with a standard JSON Schema validator', () => {
    const validate = new Ajv2020({ strict: false, allErrors: true }).compile(committed);
    for (const name of ['form1005-response.json', 'analyzeExpenseResponse-multipage.json', 'multi-page-forms-samples-2-page.json']) {
      const document = normalizeTextract(JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'textract', name), 'utf8')));
      expect({ name, ok: validate(document), errors: validate.errors }).toEqual({ name, ok: true, errors: null });
    }
    expect(validate({ schema: 'docpipe.document', version: '1.0.0', pages: [{ number: 0 }] })).toBe(false);
  });
});

describe('docs/examples/document-v1.example.json (the worked example of docs/common-format.md)', () => {
  it('validates, references included', () => {
    const example = JSON.parse(readFileSync(join(__dirname, '..', '..', 'docs', 'examples', 'document-v1.example.json'), 'utf8'));
    expect(checkDocument(example).issues).toEqual([]);
  });
});

describe('docs/schema/events/*.json', () => {
  it('are the schemas generated from the zod event definitions, and accept a built event', () => {
    for (const [type, schema] of Object.entries(eventJsonSchemas())) {
      const committedEvent = JSON.parse(readFileSync(join(__dirname, '..', '..', 'docs', 'schema', 'events', `${type}.json`), 'utf8'));
      expect(committedEvent).toEqual(schema);
    }
    const validate = new Ajv2020({ strict: false }).compile(JSON.parse(readFileSync(join(__dirname, '..', '..', 'docs', 'schema', 'events', 'document.failed.json'), 'utf8')));
    const event = buildDocumentEvent({ type: 'document.failed', documentId: 'd', clientId: 'c', error: { code: 'EMPTY_FILE', message: 'The file is empty.' } });
    expect(validate(JSON.parse(JSON.stringify(event)))).toBe(true);
    expect(validate({ ...event, type: 'document.completed' })).toBe(false);
  });
});
