/**
 * Layout regions of a born-digital page, which the text layer does not give: read from its lines' positions and
 * font sizes. Lines whose words all sit in one table make that table's region; a line that reads as a page number is
 * one of its own. Other lines that follow each other closely, in the same font size and over the same stretch of the
 * page, make a block, typed by its size and place (region-typing.ts); several blocks grow side by side, so that two
 * columns make two blocks. List items set apart by more than a line's gap still make one list. The blocks are then
 * put in reading order by cutting the page where nothing crosses: first across (rows of blocks, top to bottom), then
 * down (columns, left to right), and so on inside each part. Text set aside from the flow (a diagonal stamp) comes
 * last.
 */
import type { Line, Page, Region } from '../../document';
import type { IdSequence } from '../page-assembly';
import { isListItem, isPageNumber, lineSizes, RegionTyper } from '../region-typing';
import { boxOf, geometryOf, median, union, type Box } from '../word-layout';

/** A gap between lines over this share of their height starts a new block; so does a size change over this ratio. */
const BLOCK_GAP = 0.8;
const SIZE_CHANGE = 1.25;
/** Items of one list may stand this many times their height apart, starting where the list's first item starts. */
const LIST_ITEM_GAP = 2;
/** Fewer lines than this outside tables do not tell the body text's size. */
const MIN_PROSE_LINES = 5;
/** Boxes that overlap by less than this (a share of the page) do not stop a cut between them. */
const CUT_TOLERANCE = 0.002;

interface Block {
  lines: Line[];
  box: Box;
  /** The font size of its lines (the median height of their words), on the page's scale. */
  size: number;
  tableId?: string;
  pageNumber?: boolean;
}

/** `aside`: the ids of lines outside the flow of the text (rotated), given regions of their own after the rest. */
export function pdfRegions(page: Page, ids: IdSequence, aside: ReadonlySet<string> = new Set()): Region[] {
  const sizes = lineSizes(page);
  const placed = page.lines
    .map((line) => ({ line, box: boxOf(line), size: sizes.get(line.id) ?? 0 }))
    .filter((l): l is { line: Line; box: Box; size: number } => l.box !== undefined && l.size > 0);
  if (placed.length === 0) return [];
  const tableOf = new Map(page.tables.flatMap((table) => table.cells.flatMap((cell) => cell.wordIds.map((id) => [id, table.id] as const))));
  // The body text's size, from the lines outside tables: a table's short cells make many lines, and are not the body.
  // A page that is nearly all table (a form laid out in one) has too few other lines to tell: all of them count.
  const prose = placed.filter((l) => !l.line.wordIds.every((id) => tableOf.has(id)));
  const body = median((prose.length >= MIN_PROSE_LINES ? prose : placed).map((l) => l.size));
  const blocks: Block[] = [];
  const apart: Block[] = [];
  const tableBlocks = new Map<string, Block>();
  // Text blocks a later line may still join, latest first when looked through.
  let open: Block[] = [];
  for (const { line, box, size } of [...placed].sort((a, b) => a.box.top - b.box.top || a.box.left - b.box.left)) {
    if (aside.has(line.id)) {
      apart.push({ lines: [line], box, size });
      continue;
    }
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
      open = [];
      continue;
    }
    const joined = [...open].reverse().find((block) => joins(block, line, box, size));
    if (joined) {
      joined.lines.push(line);
      joined.box = union([joined.box, box]);
    } else {
      const created: Block = { lines: [line], box, size };
      blocks.push(created);
      open.push(created);
    }
  }
  const typer = new RegionTyper(body);
  return [...readingOrder(blocks), ...apart].map((block, order) => {
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

/** A line goes on a block just above it, over the same stretch of the page, in the same font size. */
function joins(block: Block, line: Line, box: Box, size: number): boolean {
  // The next item of a list, even set apart: it starts like the list's first item, where that one starts.
  const nextItem = isListItem(block.lines[0].text) && isListItem(line.text) && Math.abs(box.left - block.box.left) <= size;
  const larger = Math.max(size, block.size);
  return (
    box.top - block.box.bottom <= (nextItem ? LIST_ITEM_GAP : BLOCK_GAP) * larger &&
    larger / Math.min(size, block.size) <= SIZE_CHANGE &&
    box.left < block.box.right &&
    box.right > block.box.left
  );
}

/** Blocks in reading order: cut into rows where no block crosses, else into columns, and so on inside each part. */
function readingOrder(blocks: Block[]): Block[] {
  if (blocks.length <= 1) return blocks;
  const rows = parts(blocks, (b) => b.top, (b) => b.bottom);
  if (rows.length > 1) return rows.flatMap(readingOrder);
  const columns = parts(blocks, (b) => b.left, (b) => b.right);
  if (columns.length > 1) return columns.flatMap(readingOrder);
  return [...blocks].sort((a, b) => a.box.top - b.box.top || a.box.left - b.box.left);
}

/** The blocks in groups, along one axis, with a clear cut between one group and the next. */
function parts(blocks: Block[], start: (box: Box) => number, end: (box: Box) => number): Block[][] {
  const groups: Block[][] = [];
  let reach = -Infinity;
  for (const block of [...blocks].sort((a, b) => start(a.box) - start(b.box))) {
    if (groups.length && start(block.box) < reach - CUT_TOLERANCE) groups[groups.length - 1].push(block);
    else groups.push([block]);
    reach = Math.max(reach, end(block.box));
  }
  return groups;
}
