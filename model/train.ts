/**
 * `npm run model:train [-- --version V] [--seed N] [--pages-per-class N] [--epochs N]`: trains a candidate, scores it
 * on the real evaluation pages and writes model/artifacts/<version>/. It does not promote it: `npm run
 * model:evaluate -- <version>` compares it with the current model and promotes it only if it is not worse.
 */
import { parseArgs } from 'node:util';
import { writeVersion } from './artifacts';
import { DEFAULT_TRAIN_OPTIONS, evaluate, loadEvaluationPages, readLabels, train } from './training';

const { values } = parseArgs({ options: { version: { type: 'string' }, seed: { type: 'string' }, 'pages-per-class': { type: 'string' }, epochs: { type: 'string' } } });
const version = values.version ?? `1.0.0-${new Date().toISOString().replace(/[-:T]/g, '').slice(0, 12)}`;
const started = Date.now();
const artifact = train({
  ...DEFAULT_TRAIN_OPTIONS,
  version,
  ...(values.seed ? { seed: Number(values.seed) } : {}),
  ...(values['pages-per-class'] ? { pagesPerClass: Number(values['pages-per-class']) } : {}),
  ...(values.epochs ? { epochs: Number(values.epochs) } : {}),
});
const metrics = evaluate(artifact, loadEvaluationPages(readLabels()));
const dir = writeVersion(artifact, metrics);
process.stdout.write(
  `trained ${artifact.name} ${version} in ${((Date.now() - started) / 1000).toFixed(1)} s -> ${dir}\n` +
    `real pages: ${metrics.pages}, accuracy ${metrics.accuracy.toFixed(3)}, macro F1 ${metrics.macroF1.toFixed(3)}, ECE ${metrics.ece.toFixed(3)}\n` +
    `next: npm run model:evaluate -- ${version}\n`,
);
