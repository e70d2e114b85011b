/**
 * What the builders share: the block index (blocks by position, id and type, and the element ids given to them) and
 * the reading of a block's content.
 */
import { IdSequence, type PrefixedIds } from '../page-assembly';
import { IdTable } from './id-table';
import type { RawBlock } from './model';
import { wrongType } from './response-schema';

/** A copy of `kinds` with room for `position`, holding `kind` there. */
function grown(kinds: Uint8Array, position: number, kind: Kind): Uint8Array {
  const larger = new Uint8Array(Math.max(16, position * 2));
  larger.set(kinds);
  larger[position] = kind;
  return larger;
}

/**
 * What a block is, by position, so that the builders can tell a word from a selection element without reading the
 * block again (each read of a freshly parsed block costs a cache miss: that, not the arithmetic, is what an adapter
 * spends its time on).
 */
export const KIND = { OTHER: 0, WORD: 1, SELECTION_ELEMENT: 2, SIGNATURE: 3, LINE: 4, LAYOUT: 5 } as const;
type Kind = (typeof KIND)[keyof typeof KIND];

function kindOf(type: string): Kind {
  if (type === 'WORD' || type === 'SELECTION_ELEMENT' || type === 'SIGNATURE' || type === 'LINE') return KIND[type];
  return type.startsWith('LAYOUT_') ? KIND.LAYOUT : KIND.OTHER;
}

const NONE: readonly number[] = [];

/**
 * The blocks of a response: by position (a small integer), by id (a hash table of positions) and by type (lists of
 * positions, in the vendor's order). Each position keeps, once the block has become an element, the docpipe id of
 * that element, so that resolving a relationship is one lookup and no object is made per block.
 */
export class BlockIndex {
  /** The blocks, by position. */
  readonly blocks: RawBlock[] = [];
  /** Each block's kind, by position. */
  private kinds: Uint8Array;
  /** The positions of the LAYOUT_* blocks, whatever their type, in the vendor's order (which is the reading order). */
  readonly layout: number[] = [];
  /** The docpipe id of the element built from the block at each position, once built. */
  private readonly ids: (string | undefined)[] = [];
  /** Each word's text, by position (see keepText); filled with undefined up front, so that it stays a dense array. */
  private readonly texts: (string | undefined)[];
  /** The blocks' positions by id. */
  private readonly byId: IdTable;
  private readonly byType = new Map<string, number[]>();
  /** Textract lists blocks of a type one after another, so the previous block's type is usually this one's. */
  private lastType: string | undefined;
  private lastList: number[] = [];
  private lastKind: Kind = KIND.OTHER;
  private readonly elementIds = new IdSequence();
  /** The position after the last related block found: the first guess for the next one. */
  private cursor = -1;
  /** References to blocks that the response does not contain. */
  unresolved = 0;

  /** @param capacity how many blocks will be added, to size the tables once (they grow if more come). */
  constructor(capacity = 0) {
    this.byId = new IdTable(capacity);
    this.kinds = new Uint8Array(capacity);
    this.texts = new Array<string | undefined>(capacity).fill(undefined);
  }

  /**
   * Adds a block and returns its position; a block seen before (the same Id in two chunks or expense documents) is
   * ignored, and -1 returned. `Id` and `BlockType` must be strings.
   */
  add(block: RawBlock): number {
    const position = this.byId.add(block.Id as string);
    if (position < 0) return -1;
    this.blocks.push(block);
    this.ids.push(undefined);
    if (position >= this.texts.length) this.texts.push(undefined);
    const type = block.BlockType as string;
    if (type !== this.lastType) {
      let list = this.byType.get(type);
      if (!list) this.byType.set(type, (list = []));
      this.lastType = type;
      this.lastList = list;
      this.lastKind = kindOf(type);
    }
    this.lastList.push(position);
    if (position < this.kinds.length) this.kinds[position] = this.lastKind;
    else this.kinds = grown(this.kinds, position, this.lastKind);
    if (this.lastKind === KIND.LAYOUT) this.layout.push(position);
    return position;
  }

  /** The kind of the block at `position` (one of KIND). */
  kindAt(position: number): number {
    return this.kinds[position];
  }

  /** The positions of the blocks of one type, in the vendor's order. */
  ofType(type: string): readonly number[] {
    return this.byType.get(type) ?? NONE;
  }

  hasType(type: string): boolean {
    return this.byType.has(type);
  }

  /** The block types present, in the order they first appear. */
  types(): IterableIterator<string> {
    return this.byType.keys();
  }

  /** The position of the block with this id, or undefined when the response has none. */
  positionOf(id: string): number | undefined {
    return this.byId.positionOf(id);
  }

  /** The docpipe id of the element built from the block at `position`, if it has been built. */
  idAt(position: number): string | undefined {
    return this.ids[position];
  }

  /**
   * The positions of the blocks related to `block` by relationships of the given type, in the vendor's order.
   * Textract mostly lists related blocks one after another, and the builders walk blocks in the vendor's order (the
   * next line's first word follows the previous line's last), so the block after the last one found is tried before
   * the hash lookup: that skips hashing for 78-100% of the ids on the large fixtures.
   */
  related(block: RawBlock, type: string, out: number[] = []): number[] {
    const relationships = block.Relationships;
    if (!relationships) return out;
    const { byId } = this;
    for (let r = 0; r < relationships.length; r++) {
      const relationship = relationships[r];
      if (relationship.Type !== type) continue;
      const ids = relationship.Ids;
      if (!Array.isArray(ids)) {
        if (ids === undefined || ids === null) continue;
        throw wrongType(`Block ${block.Id}: Relationships.Ids`);
      }
      let next = this.cursor;
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i];
        // The guess is checked against the ids the table keeps, not the block: reading a block is a cache miss.
        const position = next >= 0 && byId.idAt(next) === id ? next : byId.positionOf(id);
        if (position === undefined) {
          this.unresolved++;
          next = -1;
          continue;
        }
        out.push(position);
        next = position + 1;
      }
      this.cursor = next;
    }
    return out;
  }

  /** The sequence of element ids with this prefix, in this document. */
  sequence(prefix: string): PrefixedIds {
    return this.elementIds.of(prefix);
  }

  nextId(prefix: string): string {
    return this.elementIds.next(prefix);
  }

  /** Creates the docpipe id for the block at `position` and remembers it. */
  assignAt(position: number, ids: PrefixedIds | string): string {
    return (this.ids[position] = (typeof ids === 'string' ? this.elementIds.of(ids) : ids).next());
  }

  /** Keeps a word's text by position, so that the cells and fields holding the word spell it without reading the block again. */
  keepText(position: number, text: string): void {
    this.texts[position] = text;
  }

  /** The text kept for the word at `position`. */
  textAt(position: number): string {
    return this.texts[position] ?? '';
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
    switch (index.kindAt(positions[i])) {
      case KIND.WORD: {
        const word = index.textAt(positions[i]);
        wordIds.push(id);
        text = text.length ? text + ' ' + word : word;
        break;
      }
      case KIND.SELECTION_ELEMENT:
        selectionIds.push(id);
        selected = selected === true || index.blocks[positions[i]].SelectionStatus === 'SELECTED';
        break;
      case KIND.SIGNATURE:
        signatureIds.push(id);
        break;
    }
  }
  return { text, wordIds, selectionIds, signatureIds, selected };
}
