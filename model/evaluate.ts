/**
 * `npm run model:evaluate [-- <candidate-version>]`: scores the candidate and the current model on the same real
 * pages, and promotes the candidate (model/artifacts/current.json, docs/model-card.md) only if it is not worse.
 * Without a candidate it re-scores the current model. Exit 1 when the gate refuses, with the reasons.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { currentVersion, promote, readModel } from './artifacts';
import { renderModelCard } from './model-card';
import { evaluate, gate, loadEvaluationPages, loadLocalEvaluationPages, LOCAL_LABELS_FILE, readLabels } from './training';

async function main(): Promise<void> {
  const pages = loadEvaluationPages(readLabels());
  const current = currentVersion();
  const candidate = process.argv[2] ?? current;
  if (!candidate) {
    process.stderr.write('error MODEL_NOT_FOUND: no candidate given and no current model: run `npm run model:train` first.\n');
    process.exit(1);
  }
  const candidateModel = readModel(candidate);
  const candidateMetrics = evaluate(candidateModel, pages);
  const currentMetrics = current && current !== candidate ? evaluate(readModel(current), pages) : undefined;
  const line = (label: string, m: typeof candidateMetrics) => `${label}: accuracy ${m.accuracy.toFixed(3)}, macro F1 ${m.macroF1.toFixed(3)}, ECE ${m.ece.toFixed(3)} on ${m.pages} real pages\n`;
  process.stdout.write(line(`candidate ${candidate}`, candidateMetrics));
  if (currentMetrics) process.stdout.write(line(`current   ${current}`, currentMetrics));
  const verdict = gate(candidateMetrics, currentMetrics);
  if (!verdict.promote) {
    process.stdout.write(`REFUSED: ${candidate} is not promoted: ${verdict.reasons.join('; ')}.\n`);
    process.exit(1);
  }
  // The local OCR's output is reported, not gated on: 9 pages are a warning light, not a release criterion.
  const localMetrics = evaluate(candidateModel, await loadLocalEvaluationPages(readLabels(LOCAL_LABELS_FILE)));
  process.stdout.write(line(`candidate ${candidate} (local OCR)`, localMetrics));
  // Re-scoring the current model rewrites its card but is not a new promotion.
  if (candidate !== current) promote(candidate);
  writeFileSync(join(__dirname, '..', 'docs', 'model-card.md'), renderModelCard(candidateModel, candidateMetrics, localMetrics));
  process.stdout.write(
    candidate === current
      ? `RESCORED: ${candidate} stays the current model; docs/model-card.md rewritten.\n`
      : `PROMOTED: ${candidate} is the current model (${verdict.reasons.join('; ')}); docs/model-card.md rewritten.\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`error INTERNAL: ${(error as Error)?.message ?? String(error)}\n`);
  process.exitCode = 1;
});
