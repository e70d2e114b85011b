/** What the table, field and expense builders share: the block index and the vendor-id to docpipe-id maps. */
import type { RawBlock } from './model';

export class BlockIndex {
  private readonly byId = new Map<string, RawBlock>();
  /** Vendor block id -> docpipe element id, for every element already created. */
  private readonly mapped = new Map<string, string>();
  private readonly counters = new Map<string, number>();
  /** References to blocks that the response does not contain. */
  unresolved = 0;

  /** Adds a block; a block seen before (the same Id in two chunks or expense documents) is ignored. */
  add(block: RawBlock): boolean {
    if (!block.Id || this.byId.has(block.Id)) return false;
    this.byId.set(block.Id, block);
    return true;
  }

  get(id: string): RawBlock | undefined {
    return this.byId.get(id);
  }

  /** The blocks related to `block` by relationships of the given type, in the vendor's order. */
  related(block: RawBlock, type: string): RawBlock[] {
    const out: RawBlock[] = [];
    for (const relationship of block.Relationships ?? []) {
      if (relationship.Type !== type) continue;
      for (const id of relationship.Ids ?? []) {
        const target = this.byId.get(id);
        if (target) out.push(target);
        else this.unresolved++;
      }
    }
    return out;
  }

  nextId(prefix: string): string {
    const n = (this.counters.get(prefix) ?? 0) + 1;
    this.counters.set(prefix, n);
    return `${prefix}${n}`;
  }

  assign(vendorId: string, id: string): void {
    this.mapped.set(vendorId, id);
  }

  idOf(vendorId: string | undefined): string | undefined {
    return vendorId === undefined ? undefined : this.mapped.get(vendorId);
  }
}

/** Words, selection elements and signatures under a block, as docpipe ids, with the text they spell. */
export interface ContentRefs {
  text: string;
  wordIds: string[];
  selectionIds: string[];
  signatureIds: string[];
  selected?: boolean;
}

export function contentOf(index: BlockIndex, blocks: RawBlock[]): ContentRefs {
  const words: string[] = [];
  const refs: ContentRefs = { text: '', wordIds: [], selectionIds: [], signatureIds: [] };
  for (const block of blocks) {
    const id = index.idOf(block.Id);
    if (!id) continue;
    switch (block.BlockType) {
      case 'WORD':
        refs.wordIds.push(id);
        words.push(block.Text ?? '');
        break;
      case 'SELECTION_ELEMENT':
        refs.selectionIds.push(id);
        refs.selected = (refs.selected ?? false) || block.SelectionStatus === 'SELECTED';
        break;
      case 'SIGNATURE':
        refs.signatureIds.push(id);
        break;
    }
  }
  refs.text = words.join(' ');
  return refs;
}
