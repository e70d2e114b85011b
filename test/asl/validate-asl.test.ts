import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { localArn } from '../../lambdas/local/state-machine-runner';

// asl-validator ships CommonJS without types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const aslValidator = require('asl-validator') as (definition: unknown) => { isValid: boolean; errorsText: (separator?: string) => string };

const DIR = join(__dirname, '..', '..', 'state-machines');
const files = readdirSync(DIR).filter((name) => name.endsWith('.asl.json'));

describe('every ASL file', () => {
  it('exists', () => {
    expect(files).toEqual(expect.arrayContaining(['webhook-delivery.asl.json']));
  });

  it.each(files)('%s is valid ASL once its placeholders are substituted, and uses JSONPath only', (name) => {
    const text = readFileSync(join(DIR, name), 'utf8');
    const definition = JSON.parse(text.replace(/\$\{([A-Za-z0-9_]+)\}/g, (_m, key: string) => localArn(key)));
    const result = aslValidator(definition);
    expect(result.errorsText('\n')).toBe('');
    expect(result.isValid).toBe(true);
    // aws-local-stepfunctions silently ignores JSONata, and our runner depends on it: keep JSONPath.
    expect(text).not.toMatch(/"QueryLanguage"\s*:\s*"JSONata"|\{%/);
    expect(definition.Comment).toEqual(expect.any(String));
  });
});
