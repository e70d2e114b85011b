/**
 * Tables that a page break splits in two, for every adapter: no vendor docpipe reads marks a table continued on the
 * next page, so it is inferred. The last table of a page that reaches the bottom region and the first table of the
 * next page that starts in the top region, with the same number of columns, are one table split by the page break.
 */
import type { Page, Table } from '../document';

export function linkContinuedTables(pages: Page[], { bottom = 0.6, top = 0.4 } = {}): void {
  for (let i = 0; i + 1 < pages.length; i++) {
    if (pages[i + 1].number !== pages[i].number + 1) continue;
    const last = extreme(pages[i].tables, (t) => -(t.geometry!.box.top + t.geometry!.box.height));
    const first = extreme(pages[i + 1].tables, (t) => t.geometry!.box.top);
    if (!last || !first || last.columns !== first.columns) continue;
    if (last.geometry!.box.top + last.geometry!.box.height < bottom || first.geometry!.box.top > top) continue;
    last.continuesTo = first.id;
    first.continuesFrom = last.id;
  }
}

/** The table with the smallest key among those with geometry. */
function extreme(tables: Table[], key: (table: Table) => number): Table | undefined {
  let best: Table | undefined;
  for (const table of tables) {
    if (!table.geometry) continue;
    if (!best || key(table) < key(best)) best = table;
  }
  return best;
}
