import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BlockIndex } from '../../lambdas/domain/adapters/textract/context';
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
