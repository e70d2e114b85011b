/**
 * What the local adapters (Tesseract, the PDF text layer) find beside the words: the checkboxes and ruled tables of
 * the page image (a scan, or a born-digital page rendered), and then the tables and fields the words' positions
 * give. One order for both: checkboxes first (a row of checkbox options is not a table row), then tables from word
 * positions, then ruled tables (which replace a word-position table they hold), then layout regions when the adapter
 * reads them off the tables, then fields (which leave a title alone).
 */
import type { Page, Region } from '../document';
import { addCheckboxes, detectCheckboxes, type CheckboxBox } from './checkbox-detection';
import { detectFields } from './field-detection';
import type { IdSequence } from './page-assembly';
import type { GreyImage } from './page-image';
import { addRuledTables, detectRuledTables, type RuledGrid } from './ruled-table-detection';
import { detectTables } from './table-detection';

/** Checkboxes and ruled tables in image pixels, as found in the page image. */
export interface PageStructure {
  checkboxes?: CheckboxBox[];
  rulings?: RuledGrid[];
}

/** Looks for checkboxes and ruled tables in the page image; `textHeight` (pixels) sizes what is looked for. */
export function findPageStructure(image: GreyImage, textHeight: number): Required<PageStructure> {
  // A short buffer would read as paper past its end, and find nothing without saying why.
  if (image.grey.length !== image.width * image.height) throw new RangeError(`The page image holds ${image.grey.length} pixels, not ${image.width} x ${image.height}.`);
  if (!(textHeight > 0)) throw new RangeError(`The text height must be positive to size checkboxes and rules, not ${textHeight}.`);
  return { checkboxes: detectCheckboxes(image, { textHeight }), rulings: detectRuledTables(image, { textHeight }) };
}

/**
 * Completes a page of words with its structure. `imageSize` is the size, in pixels, of the image the structure was
 * found in (the page's own size for a scan, the rendering's for a PDF page). `regionsOf` gives the page's layout
 * regions once its tables are known, for an adapter that reads them off the tables (an engine's own regions are on
 * the page already).
 */
export function addPageStructure(
  page: Page,
  structure: PageStructure,
  imageSize: { width: number; height: number },
  ids: IdSequence,
  regionsOf?: (page: Page) => Region[],
): void {
  if (structure.checkboxes) addCheckboxes(page, structure.checkboxes, imageSize, ids);
  page.tables = detectTables(page, ids);
  if (structure.rulings) addRuledTables(page, structure.rulings, imageSize, ids);
  // Regions read off the tables (the PDF text layer's) come before the fields, which leave titles alone.
  if (regionsOf) page.regions = regionsOf(page);
  page.fields.push(...detectFields(page, ids));
}
