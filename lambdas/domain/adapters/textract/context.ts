/**
 * What the table, field and expense builders share: the block index. Each entry keeps the raw block and, once the
 * block has become an element, the docpipe id of that element, so that resolving a relationship is one lookup.
 */
import type { RawBlock } from './model';

export interface Entry {
  block: RawBlock;
  /** The docpipe id of the element built from this block, once built. */
  id: string | undefined;
}

export class BlockIndex {
  private readonly entries = new Map<string, Entry>();
  private readonly counters = new Map<string, number>();
  /** References to blocks that the response does not contain. */
  unresolved = 0;

  /** Adds a block; a block seen before (the same Id in two chunks or expense documents) is ignored. */
  add(block: RawBlock): boolean {
    const id = block.Id as string;
    if (this.entries.has(id)) return false;
    this.entries.set(id, { block, id: undefined });
    return true;
  }

  get(id: string): RawBlock | undefined {
    return this.entries.get(id)?.block;
  }

  /** The entries related to `block` by relationships of the given type, in the vendor's order. */
  related(block: RawBlock, type: string): Entry[] {
    const out: Entry[] = [];
    const relationships = block.Relationships;
    if (!relationships) return out;
    for (let r = 0; r < relationships.length; r++) {
      const relationship = relationships[r];
      if (relationship.Type !== type || !relationship.Ids) continue;
      const ids = relationship.Ids;
      for (let i = 0; i < ids.length; i++) {
        const entry = this.entries.get(ids[i]);
        if (entry) out.push(entry);
        else this.unresolved++;
      }
    }
    return out;
  }

  nextId(prefix: string): string {
    const n = (this.counters.get(prefix) ?? 0) + 1;
    this.counters.set(prefix, n);
    return prefix + n;
  }

  /** Creates the docpipe id for a block and remembers it. */
  assign(block: RawBlock, prefix: string): string {
    const id = this.nextId(prefix);
    const entry = this.entries.get(block.Id as string);
    if (entry) entry.id = id;
    return id;
  }

  idOf(vendorId: string | undefined): string | undefined {
    return vendorId === undefined ? undefined : this.entries.get(vendorId)?.id;
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

export function contentOf(entries: Entry[]): ContentRefs {
  let text = '';
  const wordIds: string[] = [];
  const selectionIds: string[] = [];
  const signatureIds: string[] = [];
  let selected: boolean | undefined;
  for (let i = 0; i < entries.length; i++) {
    const { block, id } = entries[i];
    if (id === undefined) continue;
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
