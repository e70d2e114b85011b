/**
 * Versioned model artifacts: model/artifacts/<version>/model.json (the classifier) and metrics.json (its scores on
 * the real evaluation pages), and model/artifacts/current.json naming the version in use.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkArtifact, type ModelArtifact } from '../lambdas/domain/page-model/model';
import type { Metrics } from './training';

export const ARTIFACTS_DIR = join(__dirname, 'artifacts');

export function currentVersion(dir = ARTIFACTS_DIR): string | undefined {
  const pointer = join(dir, 'current.json');
  return existsSync(pointer) ? (JSON.parse(readFileSync(pointer, 'utf8')) as { version: string }).version : undefined;
}

export function readModel(version: string, dir = ARTIFACTS_DIR): ModelArtifact {
  return checkArtifact(JSON.parse(readFileSync(join(dir, version, 'model.json'), 'utf8')) as ModelArtifact);
}

export function readMetrics(version: string, dir = ARTIFACTS_DIR): Metrics | undefined {
  const file = join(dir, version, 'metrics.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Metrics) : undefined;
}

export function writeVersion(artifact: ModelArtifact, metrics: Metrics, dir = ARTIFACTS_DIR): string {
  const target = join(dir, artifact.version);
  if (existsSync(join(target, 'model.json'))) throw new Error(`Version ${artifact.version} exists already: versions are immutable, pick a new one (--version).`);
  mkdirSync(target, { recursive: true });
  // One weight row per line: small diffs, and still plain JSON.
  const body = JSON.stringify({ ...artifact, weights: '__W__' }, null, 1).replace('"__W__"', `[\n${artifact.weights.map((row) => JSON.stringify(row)).join(',\n')}\n]`);
  writeFileSync(join(target, 'model.json'), `${body}\n`);
  writeFileSync(join(target, 'metrics.json'), `${JSON.stringify(metrics, null, 1)}\n`);
  return target;
}

export function promote(version: string, dir = ARTIFACTS_DIR): void {
  writeFileSync(join(dir, 'current.json'), `${JSON.stringify({ version, promotedAt: new Date().toISOString() }, null, 2)}\n`);
}
