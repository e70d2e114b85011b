/**
 * Layout regions of a born-digital page, which the text layer does not give: read from its lines' positions and
 * font sizes, top to bottom. Lines whose words all sit in one table make that table's region. Other lines that
 * follow each other closely, in the same font size and over the same stretch of the page, make a block: a short
 * block in type clearly larger than the page's body text is the title (the first one, in the top third) or a
 * section header; a line in the bottom margin that reads as a page number ("Page 1/1", "3", "- 2 -") is page-number
 * furniture; any other block is a paragraph.
 */
import type { Line, Page, Region, RegionType } from '../../document';
import type { IdSequence } from '../page-assembly';
import { boxOf, geometryOf, median, union, type Box } from '../word-layout';

/** A gap between lines over this share of their height starts a new block; so does a size change over this ratio. */
const BLOCK_GAP = 0.8;
const SIZE_CHANGE = 1.25;
/** Type this much larger than the body text, in a block of at most HEADING_LINES lines, is a heading. */
const HEADING_SIZE = 1.4;
const HEADING_LINES = 2;
/** Titles start in the page's top third; page numbers sit in its bottom tenth. */
const TITLE_ZONE = 1 / 3;
const PAGE_NUMBER_ZONE = 0.9;
const PAGE_NUMBER = /^(page\s*)?\(?\s*\d+\s*\)?(\s*(\/|of)\s*\d+)?$|^[-–]\s*\d+\s*[-–]$/i;

interface Block {
  lines: Line[];
  box: Box;
  /** The font size of its lines (the median height of their words), on the page's scale. */
  size: number;
  tableId?: string;
  pageNumber?: boolean;
}

export function pdfRegions(page: Page, ids: IdSequence): Region[] {
  const wordHeight = new Map(page.words.map((w) => [w.id, w.geometry?.box.height ?? 0]));
  // A line's size is its words' (a band of items at slightly different heights is taller than its type).
  const placed = page.lines
    .map((line) => ({ line, box: boxOf(line), size: median(line.wordIds.map((id) => wordHeight.get(id) ?? 0)) }))
    .filter((l): l is { line: Line; box: Box; size: number } => l.box !== undefined && l.size > 0);
  if (placed.length === 0) return [];
  const body = median(placed.map((l) => l.size));
  const tableOf = new Map(page.tables.flatMap((table) => table.cells.flatMap((cell) => cell.wordIds.map((id) => [id, table.id] as const))));
  const blocks: Block[] = [];
  const tableBlocks = new Map<string, Block>();
  let current: Block | undefined;
  for (const { line, box, size } of placed) {
    const tables = new Set(line.wordIds.map((id) => tableOf.get(id)));
    const tableId = tables.size === 1 ? [...tables][0] : undefined;
    if (tableId !== undefined) {
      const block = tableBlocks.get(tableId);
      if (block) {
        block.lines.push(line);
        block.box = union([block.box, box]);
      } else {
        const created: Block = { lines: [line], box, size, tableId };
        tableBlocks.set(tableId, created);
        blocks.push(created);
      }
      continue; // a line of a table beside a block (an address beside the invoice details) does not end it
    }
    if (isPageNumber(line, box)) {
      blocks.push({ lines: [line], box, size, pageNumber: true });
      current = undefined;
      continue;
    }
    const joins =
      current !== undefined &&
      box.top - current.box.bottom <= BLOCK_GAP * Math.max(size, current.size) &&
      Math.max(size, current.size) / Math.min(size, current.size) <= SIZE_CHANGE &&
      box.left < current.box.right &&
      box.right > current.box.left;
    if (joins) {
      current!.lines.push(line);
      current!.box = union([current!.box, box]);
    } else {
      current = { lines: [line], box, size };
      blocks.push(current);
    }
  }
  let titled = false;
  return blocks.map((block, order) => {
    const type = block.tableId !== undefined ? 'table' : typeOf(block, body, titled);
    if (type === 'title') titled = true;
    return {
      id: ids.next('r'),
      type,
      layer: type === 'page_number' ? 'furniture' : 'body',
      order,
      lineIds: block.lines.map((l) => l.id),
      regionIds: [],
      tableIds: block.tableId !== undefined ? [block.tableId] : [],
      fieldIds: [],
      confidence: 1,
      geometry: geometryOf(block.box),
      vendorIds: [],
    } satisfies Region;
  });
}

const isPageNumber = (line: Line, box: Box): boolean => box.top >= PAGE_NUMBER_ZONE && PAGE_NUMBER.test(line.text.trim());

function typeOf(block: Block, body: number, titled: boolean): RegionType {
  if (block.pageNumber) return 'page_number';
  if (block.lines.length <= HEADING_LINES && block.size >= HEADING_SIZE * body) return !titled && block.box.top < TITLE_ZONE ? 'title' : 'section_header';
  return 'paragraph';
}
