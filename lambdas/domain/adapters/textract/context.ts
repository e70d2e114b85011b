/**
 * What the table, field and expense builders share: the block index. A block is known by its position in the index
 * (a small integer), and each position keeps, once the block has become an element, the docpipe id of that element,
 * so that resolving a relationship is one lookup and no object is made per block.
 */
import type { RawBlock } from './model';

/** Ids above this count are made afresh instead of kept for the next document: at most about 0.5 MB kept per prefix. */
const CACHED_IDS_PER_PREFIX = 1 << 14;
/** Element ids ("w1", "l2", ...) are the same in every document: made once per process, not once per element. */
const idCache = new Map<string, string[]>();

function elementId(prefix: string, n: number): string {
  let cached = idCache.get(prefix);
  if (!cached) idCache.set(prefix, (cached = []));
  if (n >= CACHED_IDS_PER_PREFIX) return prefix + n;
  return cached[n] ?? (cached[n] = prefix + n);
}

export class BlockIndex {
  /** The blocks, by position. */
  readonly blocks: RawBlock[] = [];
  /** The docpipe id of the element built from the block at each position, once built. */
  private readonly ids: (string | undefined)[] = [];
  private readonly positions = new Map<string, number>();
  private readonly counters = new Map<string, number>();
  /** References to blocks that the response does not contain. */
  unresolved = 0;

  /** Adds a block; a block seen before (the same Id in two chunks or expense documents) is ignored. */
  add(block: RawBlock): boolean {
    const id = block.Id as string;
    if (this.positions.has(id)) return false;
    this.positions.set(id, this.blocks.length);
    this.blocks.push(block);
    this.ids.push(undefined);
    return true;
  }

  /** The docpipe id of the element built from the block at `position`, if it has been built. */
  idAt(position: number): string | undefined {
    return this.ids[position];
  }

  /**
   * The positions of the blocks related to `block` by relationships of the given type, in the vendor's order.
   * Textract mostly lists related blocks one after another, so the block after the previous one is tried before the
   * hash lookup.
   */
  related(block: RawBlock, type: string, out: number[] = []): number[] {
    const relationships = block.Relationships;
    if (!relationships) return out;
    const { blocks, positions } = this;
    for (let r = 0; r < relationships.length; r++) {
      const relationship = relationships[r];
      if (relationship.Type !== type || !relationship.Ids) continue;
      const ids = relationship.Ids;
      let next = -1;
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i];
        const position = next >= 0 && next < blocks.length && blocks[next].Id === id ? next : positions.get(id);
        if (position === undefined) {
          this.unresolved++;
          next = -1;
          continue;
        }
        out.push(position);
        next = position + 1;
      }
    }
    return out;
  }

  nextId(prefix: string): string {
    const n = (this.counters.get(prefix) ?? 0) + 1;
    this.counters.set(prefix, n);
    return elementId(prefix, n);
  }

  /** Creates the docpipe id for the block at `position` and remembers it. */
  assignAt(position: number, prefix: string): string {
    return (this.ids[position] = this.nextId(prefix));
  }

  /** Creates the docpipe id for a block and remembers it. */
  assign(block: RawBlock, prefix: string): string {
    const position = this.positions.get(block.Id as string);
    return position === undefined ? this.nextId(prefix) : this.assignAt(position, prefix);
  }

  idOf(vendorId: string | undefined): string | undefined {
    if (vendorId === undefined) return undefined;
    const position = this.positions.get(vendorId);
    return position === undefined ? undefined : this.ids[position];
  }
}

/** Words, selection elements and signatures under a block, as docpipe ids, with the text they spell. */
export interface ContentRefs {
  text: string;
  wordIds: string[];
  selectionIds: string[];
  signatureIds: string[];
  selected: boolean | undefined;
}

export function contentOf(index: BlockIndex, positions: number[]): ContentRefs {
  let text = '';
  const wordIds: string[] = [];
  const selectionIds: string[] = [];
  const signatureIds: string[] = [];
  let selected: boolean | undefined;
  for (let i = 0; i < positions.length; i++) {
    const id = index.idAt(positions[i]);
    if (id === undefined) continue;
    const block = index.blocks[positions[i]];
    switch (block.BlockType) {
      case 'WORD':
        wordIds.push(id);
        text = text.length ? text + ' ' + (block.Text ?? '') : (block.Text ?? '');
        break;
      case 'SELECTION_ELEMENT':
        selectionIds.push(id);
        selected = selected === true || block.SelectionStatus === 'SELECTED';
        break;
      case 'SIGNATURE':
        signatureIds.push(id);
        break;
    }
  }
  return { text, wordIds, selectionIds, signatureIds, selected };
}
