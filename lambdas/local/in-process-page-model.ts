/** The PageModel port in-process: the current model artifact loaded once, predictions in this process. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page, PagePrediction } from '../domain/document';
import { checkArtifact, createClassifier, DEFAULT_REVIEW_THRESHOLD, type Classifier, type ModelArtifact } from '../domain/page-model/model';
import type { PageModel } from '../ports/page-model';

export const MODEL_ARTIFACTS_DIR = join(__dirname, '..', '..', 'model', 'artifacts');

/** The artifact of the current model (model/artifacts/current.json), or of a named version. */
export function loadModelArtifact(version?: string, dir = MODEL_ARTIFACTS_DIR): ModelArtifact {
  const chosen = version ?? (JSON.parse(readFileSync(join(dir, 'current.json'), 'utf8')) as { version: string }).version;
  return checkArtifact(JSON.parse(readFileSync(join(dir, chosen, 'model.json'), 'utf8')) as ModelArtifact);
}

export class InProcessPageModel implements PageModel {
  private readonly classifier: Classifier;

  constructor(artifact: ModelArtifact = loadModelArtifact(), { reviewThreshold = DEFAULT_REVIEW_THRESHOLD } = {}) {
    this.classifier = createClassifier(artifact, { reviewThreshold });
  }

  get version(): string {
    return this.classifier.artifact.version;
  }

  async predict(pages: readonly Page[]): Promise<PagePrediction[]> {
    return pages.map((page) => this.classifier.predictPage(page));
  }
}
