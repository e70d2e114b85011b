import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BlockIndex, KIND } from '../../lambdas/domain/adapters/textract/context';
import { IdTable } from '../../lambdas/domain/adapters/textract/id-table';
import { normalizeTextract } from '../../lambdas/domain/adapters/textract';

const raw = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'textract', 'form1005-response.json'), 'utf8'));

/** The related blocks as a plain id lookup finds them: what the index's guess-then-lookup must agree with. */
function expected(blocks: any[], block: any, type: string): { ids: string[]; missing: number } {
  const byId = new Map(blocks.map((b) => [b.Id, b]));
  const ids: string[] = [];
  let missing = 0;
  for (const relationship of block.Relationships ?? []) {
    if (relationship.Type !== type) continue;
    for (const id of relationship.Ids) byId.has(id) ? ids.push(id) : missing++;
  }
  return { ids, missing };
}

function indexOf(blocks: any[]): BlockIndex {
  const index = new BlockIndex();
  for (const block of blocks) index.add(block);
  return index;
}

/** A fixed shuffle, so that related blocks are no longer next to each other. */
function shuffled<T>(items: T[]): T[] {
  const out = [...items];
  let seed = 7;
  for (let i = out.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const j = seed % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

describe('BlockIndex.related', () => {
  it.each([
    ['in the vendor order', raw.Blocks],
    ['with the blocks shuffled', shuffled(raw.Blocks)],
    ['with every fifth block missing', raw.Blocks.filter((_: unknown, i: number) => i % 5 !== 0)],
  ])('finds exactly the related blocks, in order, %s', (_name, blocks: any[]) => {
    const index = indexOf(blocks);
    let missing = 0;
    let checked = 0;
    for (const block of blocks) {
      for (const type of ['CHILD', 'VALUE', 'MERGED_CELL']) {
        const want = expected(blocks, block, type);
        const got = index.related(block, type).map((position) => index.blocks[position].Id);
        expect(got).toEqual(want.ids);
        missing += want.missing;
        checked += got.length;
      }
    }
    expect(checked).toBeGreaterThan(800);
    expect(index.unresolved).toBe(missing);
  });

  it('keeps the first of two blocks with the same id', () => {
    const first = { Id: 'a', BlockType: 'WORD', Text: 'first' };
    const index = indexOf([first, { Id: 'a', BlockType: 'WORD', Text: 'second' }]);
    expect(index.blocks).toEqual([first]);
    expect(index.related({ Relationships: [{ Type: 'CHILD', Ids: ['a', 'a'] }] }, 'CHILD')).toEqual([0, 0]);
  });
});

describe('BlockIndex lookup by id', () => {
  const block = (id: string, type = 'WORD') => ({ Id: id, BlockType: type });

  it('grows past the capacity it was given, and still finds every block', () => {
    const index = new BlockIndex(4);
    const ids = Array.from({ length: 5000 }, (_, i) => `id-${i}`);
    ids.forEach((id, i) => expect(index.add(block(id, i % 2 ? 'WORD' : 'LINE'))).toBe(i));
    expect(ids.every((id, i) => index.positionOf(id) === i)).toBe(true);
    expect(index.positionOf('id-5000')).toBeUndefined();
    expect(index.kindAt(4999)).toBe(KIND.WORD);
    expect(index.kindAt(4998)).toBe(KIND.LINE);
  });

  it('moves to a Map when many ids share the characters it samples, and still finds each one once', () => {
    // The same first 8 and last 4 characters: every id falls in the same slot under the sampled hash.
    const ids = Array.from({ length: 3000 }, (_, i) => `aaaaaaaa-${String(i).padStart(6, '0')}-bbbb`);
    const table = new IdTable(ids.length);
    ids.forEach((id, i) => expect(table.add(id)).toBe(i));
    expect(table.usesMap).toBe(true);
    expect(ids.every((id, i) => table.positionOf(id) === i)).toBe(true);
    expect(table.positionOf('aaaaaaaa-999999-bbbb')).toBeUndefined();
    expect(table.add(ids[7])).toBe(-1);
    expect(table.add('aaaaaaaa-new-bbbb')).toBe(3000);
  });

  it('keeps its own table for Textract ids (random UUIDs)', () => {
    const table = new IdTable(raw.Blocks.length);
    for (const b of raw.Blocks) table.add(b.Id);
    expect(raw.Blocks.every((b: any, i: number) => table.positionOf(b.Id) === i)).toBe(true);
    expect(table.usesMap).toBe(false);
  });

  it('lists blocks by type, and the LAYOUT_* blocks together in the vendor order', () => {
    const index = indexOf([block('1', 'PAGE'), block('2', 'LAYOUT_TITLE'), block('3', 'LINE'), block('4', 'LAYOUT_TEXT'), block('5', 'LAYOUT_TITLE')]);
    expect(index.ofType('LAYOUT_TITLE')).toEqual([1, 4]);
    expect(index.ofType('TABLE')).toEqual([]);
    expect(index.layout).toEqual([1, 3, 4]);
    expect([...index.types()]).toEqual(['PAGE', 'LAYOUT_TITLE', 'LINE', 'LAYOUT_TEXT']);
    expect([0, 1, 2].map((position) => index.kindAt(position))).toEqual([KIND.OTHER, KIND.LAYOUT, KIND.LINE]);
  });
});

describe('element ids', () => {
  it('are the same for the same response, one document after another', () => {
    const once = normalizeTextract(JSON.parse(JSON.stringify(raw)));
    const again = normalizeTextract(JSON.parse(JSON.stringify(raw)));
    expect(again).toEqual(once);
    expect(once.pages[0].words.map((word) => word.id).slice(0, 3)).toEqual(['w1', 'w2', 'w3']);
  });

  it('count on past the ids kept for the next document', () => {
    const index = new BlockIndex();
    const ids = Array.from({ length: 40_000 }, () => index.nextId('w'));
    expect(new Set(ids).size).toBe(40_000);
    expect([ids[0], ids[16_383], ids[16_384], ids[39_999]]).toEqual(['w1', 'w16384', 'w16385', 'w40000']);
    expect(new BlockIndex().nextId('w')).toBe('w1');
  });
});
