/**
 * PageModel: page-level predictions (page class + calibrated confidence). SageMaker endpoint in the cloud,
 * the same prediction code in-process locally.
 */
import type { Page, PagePrediction } from '../domain/document';

export interface PageModel {
  /** One prediction per page, in the order given. */
  predict(pages: readonly Page[]): Promise<PagePrediction[]>;
}
