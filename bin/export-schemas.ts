/** `npm run schema`: writes docs/schema/document-v1.json from the zod definition. A test fails when it is stale. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { documentJsonSchema } from '../lambdas/domain/document/json-schema';

const target = join(__dirname, '..', 'docs', 'schema', 'document-v1.json');
writeFileSync(target, `${JSON.stringify(documentJsonSchema(), null, 2)}\n`);
process.stdout.write(`wrote ${target}\n`);
