/**
 * Textract tables to the common format: one logical cell per span. A MERGED_CELL covers several 1x1 CELLs; it
 * becomes one cell with the covered cells' words, and the covered cells are not emitted again. Header and other roles
 * may sit on the merged cell or on the cells under it: both count.
 */
import { MAX_TABLE_POSITIONS, type Cell, type CellRole, type Table, type TableCaption } from '../../document';
import { BlockIndex, contentOf } from './context';
import { confidenceOf, rawConfidenceOf, toGeometry } from './geometry';
import type { RawBlock } from './model';
import { entityTypesOf, wrongType } from './response-schema';

const ROLE_OF: Record<string, CellRole> = {
  COLUMN_HEADER: 'column_header',
  TABLE_TITLE: 'title',
  TABLE_FOOTER: 'footer',
  TABLE_SECTION_TITLE: 'section_title',
  TABLE_SUMMARY: 'summary',
};

/** Adds the block's roles to `roles`, each role once, in the order first met. */
function addRoles(roles: CellRole[], block: RawBlock): void {
  const types = entityTypesOf(block);
  for (let i = 0; i < types.length; i++) {
    const role = ROLE_OF[types[i]];
    if (role !== undefined && !roles.includes(role)) roles.push(role);
  }
}

/** A logical cell: a 1x1 CELL on its own (no `parts`), or a MERGED_CELL over the CELLs it covers. */
function cellFrom(index: BlockIndex, anchor: RawBlock, parts?: RawBlock[]): Cell {
  const roles: CellRole[] = [];
  addRoles(roles, anchor);
  let children: number[];
  const vendorIds = [anchor.Id as string];
  if (parts === undefined) {
    children = index.related(anchor, 'CHILD');
  } else {
    children = [];
    for (const part of parts) {
      index.related(part, 'CHILD', children);
      vendorIds.push(part.Id as string);
      addRoles(roles, part);
    }
  }
  const content = contentOf(index, children);
  return {
    id: index.nextId('c'),
    row: gridNumber(anchor, 'RowIndex') - 1,
    column: gridNumber(anchor, 'ColumnIndex') - 1,
    rowSpan: gridNumber(anchor, 'RowSpan'),
    colSpan: gridNumber(anchor, 'ColumnSpan'),
    text: content.text,
    wordIds: content.wordIds,
    selectionIds: content.selectionIds,
    signatureIds: content.signatureIds,
    roles,
    confidence: confidenceOf(anchor.Confidence),
    rawConfidence: rawConfidenceOf(anchor.Confidence),
    geometry: toGeometry(anchor.Geometry),
    vendorIds,
  };
}

/** A cell's index or span (1 when absent): a whole number from 1 to MAX_TABLE_POSITIONS, or the response is malformed. */
function gridNumber(cell: RawBlock, name: 'RowIndex' | 'ColumnIndex' | 'RowSpan' | 'ColumnSpan'): number {
  const value = cell[name];
  if (value === undefined || value === null) return 1;
  if (!Number.isInteger(value) || value < 1 || value > MAX_TABLE_POSITIONS) throw wrongType(`Block ${cell.Id}: ${name}`);
  return value;
}

function captionsOf(index: BlockIndex, table: RawBlock, type: 'TABLE_TITLE' | 'TABLE_FOOTER'): TableCaption[] {
  return index.related(table, type).map((position) => {
    const block = index.blocks[position];
    const content = contentOf(index, index.related(block, 'CHILD'));
    return {
      id: index.assignAt(position, 'tc'),
      text: content.text,
      wordIds: content.wordIds,
      confidence: confidenceOf(block.Confidence),
      rawConfidence: rawConfidenceOf(block.Confidence),
      geometry: toGeometry(block.Geometry),
      vendorIds: [block.Id as string],
    };
  });
}

export function buildTable(index: BlockIndex, position: number): Table {
  const table = index.blocks[position];
  const id = index.assignAt(position, 't');
  const blocksOf = (positions: number[], type: string): RawBlock[] => {
    const blocks: RawBlock[] = [];
    for (const position of positions) if (index.blocks[position].BlockType === type) blocks.push(index.blocks[position]);
    return blocks;
  };
  const cells = blocksOf(index.related(table, 'CHILD'), 'CELL');
  const merged = blocksOf(index.related(table, 'MERGED_CELL'), 'MERGED_CELL');

  const covered = new Set<RawBlock>();
  const logical: Cell[] = [];
  for (const span of merged) {
    const parts = blocksOf(index.related(span, 'CHILD'), 'CELL');
    for (const part of parts) covered.add(part);
    logical.push(cellFrom(index, span, parts));
  }
  for (const cell of cells) if (!covered.has(cell)) logical.push(cellFrom(index, cell));
  logical.sort((a, b) => a.row - b.row || a.column - b.column);

  let rows = 0;
  let columns = 0;
  for (const cell of logical) {
    rows = Math.max(rows, cell.row + cell.rowSpan);
    columns = Math.max(columns, cell.column + cell.colSpan);
  }
  const entity = entityTypesOf(table);
  return {
    id,
    rows,
    columns,
    kind: entity.includes('SEMI_STRUCTURED_TABLE') ? 'semi_structured' : entity.includes('STRUCTURED_TABLE') ? 'structured' : 'unknown',
    cells: logical,
    titles: captionsOf(index, table, 'TABLE_TITLE'),
    footers: captionsOf(index, table, 'TABLE_FOOTER'),
    confidence: confidenceOf(table.Confidence),
    rawConfidence: rawConfidenceOf(table.Confidence),
    geometry: toGeometry(table.Geometry),
    vendorIds: [table.Id as string],
  };
}
