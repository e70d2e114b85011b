/**
 * `docpipe normalize <vendor-response.json ...> [--out DIR] [--vendor textract|google-docai] [--merged-cells repeat|anchor]`
 *
 * One input: its common JSON on stdout. Several: a JSON array on stdout. With --out: one `<name>.docpipe.json` per
 * input in DIR (and `<name>.page-N-table-K.csv` per table), and a line per file on stderr. `<name>` is the file name
 * without `.json`; inputs of the same name from different folders get `<name>-2`, `<name>-3`, ... in the order given.
 * An input file that holds a JSON array is read as the chunks of one paginated async result.
 * Exit 0 when every input was normalised, 1 when any failed (each failure printed as `error <CODE>: ...`), 2 on usage errors.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { normalizeResponse } from '../../domain/adapters';
import { validateDocument } from '../../domain/document';
import { buildTableCsvs, type MergedCellPolicy } from '../../domain/export';
import { readJsonFile, reportError, uniqueOutputNames, UsageError } from './io';

export const usage = 'docpipe normalize <vendor-response.json ...> [--out DIR] [--vendor textract|google-docai] [--merged-cells repeat|anchor]';

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { out: { type: 'string' }, vendor: { type: 'string' }, 'merged-cells': { type: 'string' } },
  });
  if (positionals.length === 0) throw new UsageError(`No input given. Usage: ${usage}`);
  const policy = (values['merged-cells'] ?? 'repeat') as MergedCellPolicy;
  if (policy !== 'repeat' && policy !== 'anchor') throw new UsageError('--merged-cells takes "repeat" or "anchor".');

  const stems = outputStems(positionals);
  const documents: unknown[] = [];
  let failures = 0;
  for (const [index, path] of positionals.entries()) {
    try {
      const document = validateDocument(normalizeResponse(readJsonFile(path), { vendor: values.vendor, source: { name: basename(path) } }));
      if (values.out) {
        mkdirSync(values.out, { recursive: true });
        const stem = stems[index];
        writeFileSync(join(values.out, `${stem}.docpipe.json`), JSON.stringify(document, null, 2));
        for (const table of buildTableCsvs(document, { mergedCells: policy })) writeFileSync(join(values.out, `${stem}.${table.name}`), table.csv);
        process.stderr.write(`${path} -> ${join(values.out, `${stem}.docpipe.json`)} (${document.pages.length} page(s))\n`);
      } else {
        documents.push(document);
      }
    } catch (error) {
      failures++;
      reportError(error, path);
    }
  }
  if (!values.out && documents.length > 0) {
    process.stdout.write(`${JSON.stringify(positionals.length === 1 ? documents[0] : documents, null, 2)}\n`);
  }
  return failures > 0 ? 1 : 0;
}

/**
 * The output name of each input: its file name without `.json`, unique among the inputs. `a/doc.json b/doc.json` is
 * a natural call (one response per folder), so the later ones get `doc-2`, `doc-3`, ... rather than overwriting the
 * first; a suffix never takes the name another input has of itself. Compared without case: on macOS and Windows
 * `Doc` and `doc` are one file.
 */
export function outputStems(paths: readonly string[]): string[] {
  // Not cut to a length: `.docpipe.json` or `.page-N-table-K.csv` follows the stem, and names stay as before.
  return uniqueOutputNames(paths.map((path) => basename(path).replace(/\.json$/i, '')), { maxBytes: Infinity });
}
