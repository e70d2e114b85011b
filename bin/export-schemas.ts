/** `npm run schema`: writes the JSON Schemas generated from the zod definitions. A test fails when one is stale. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { documentJsonSchema } from '../lambdas/domain/document/json-schema';
import { eventJsonSchemas } from '../lambdas/domain/webhooks/json-schema';

const dir = join(__dirname, '..', 'docs', 'schema');
const write = (path: string, schema: unknown): void => {
  writeFileSync(path, `${JSON.stringify(schema, null, 2)}\n`);
  process.stdout.write(`wrote ${path}\n`);
};
write(join(dir, 'document-v1.json'), documentJsonSchema());
mkdirSync(join(dir, 'events'), { recursive: true });
for (const [type, schema] of Object.entries(eventJsonSchemas())) write(join(dir, 'events', `${type}.json`), schema);
