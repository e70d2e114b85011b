/**
 * Layout regions of a born-digital page, which the text layer does not give: read from its lines' positions and
 * font sizes, top to bottom. Lines whose words all sit in one table make that table's region; a line that reads as
 * a page number is one of its own. Other lines that follow each other closely, in the same font size and over the
 * same stretch of the page, make a block, typed by its size and place (region-typing.ts). List items set apart
 * by more than a line's gap still make one list.
 */
import type { Line, Page, Region } from '../../document';
import type { IdSequence } from '../page-assembly';
import { isListItem, isPageNumber, lineSizes, RegionTyper } from '../region-typing';
import { boxOf, geometryOf, median, union, type Box } from '../word-layout';

/** A gap between lines over this share of their height starts a new block; so does a size change over this ratio. */
const BLOCK_GAP = 0.8;
/** Items of one list may stand this many times their height apart, starting where the list's first item starts. */
const LIST_ITEM_GAP = 2;
const SIZE_CHANGE = 1.25;

interface Block {
  lines: Line[];
  box: Box;
  /** The font size of its lines (the median height of their words), on the page's scale. */
  size: number;
  tableId?: string;
  pageNumber?: boolean;
}

export function pdfRegions(page: Page, ids: IdSequence): Region[] {
  const sizes = lineSizes(page);
  const placed = page.lines
    .map((line) => ({ line, box: boxOf(line), size: sizes.get(line.id) ?? 0 }))
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
    if (isPageNumber(line.text, box.top)) {
      blocks.push({ lines: [line], box, size, pageNumber: true });
      current = undefined;
      continue;
    }
    // The next item of a list, even set apart: it starts like the list's first item, where that one starts.
    const nextItem = current !== undefined && isListItem(current.lines[0].text) && isListItem(line.text) && Math.abs(box.left - current.box.left) <= size;
    const joins =
      current !== undefined &&
      box.top - current.box.bottom <= (nextItem ? LIST_ITEM_GAP : BLOCK_GAP) * Math.max(size, current.size) &&
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
  const typer = new RegionTyper(body);
  return blocks.map((block, order) => {
    const type = block.tableId !== undefined ? 'table' : block.pageNumber ? 'page_number' : typer.typeOf(block.lines.map((l) => l.text), block.box.top, block.size);
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
