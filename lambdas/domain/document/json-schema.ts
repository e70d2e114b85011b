/** The JSON Schema of docpipe.document v1, generated from the zod definition (the zod schema is the source). */
import * as z from 'zod';
import { DOCUMENT_SCHEMA_ID, DOCUMENT_SCHEMA_NAME, DOCUMENT_SCHEMA_VERSION, DocumentSchema } from './schema';

export function documentJsonSchema(): Record<string, unknown> {
  // `output`: the shape docpipe emits, with every defaulted array present.
  const generated = z.toJSONSchema(DocumentSchema, { target: 'draft-2020-12', io: 'output', unrepresentable: 'any', reused: 'ref' }) as Record<string, unknown>;
  return {
    $schema: generated.$schema,
    $id: DOCUMENT_SCHEMA_ID,
    title: `${DOCUMENT_SCHEMA_NAME} v${DOCUMENT_SCHEMA_VERSION}`,
    description: 'The common document format: what every OCR vendor adapter produces and everything after it reads. See docs/common-format.md.',
    ...Object.fromEntries(Object.entries(generated).filter(([key]) => key !== '$schema')),
  };
}
