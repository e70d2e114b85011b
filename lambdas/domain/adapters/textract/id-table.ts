/**
 * Block ids to positions: the adapter's one hash table. Textract ids are random UUIDs, so their length and first 8
 * and last 4 characters already tell them apart, and the table hashes only those: reading 12 characters costs less
 * than hashing all 36 (a `Map` keyed by the id strings, its largest single cost, took twice as long). Ids alike in
 * those characters would make the probes long, never the answer wrong; should that happen (ids that are not
 * Textract's), the table moves everything to a `Map`, whose seeded hash reads every character, so that lookups stay
 * short whatever the ids.
 */
export class IdTable {
  /**
   * Open addressing: each slot holds a position plus one (0 is an empty slot, so a new table needs no filling), and
   * the hash of its id beside it, compared first so that a collision does not read another id. At most half full.
   */
  private slots: Int32Array;
  private hashes: Int32Array;
  private readonly ids: string[] = [];
  private count = 0;
  private probes = 0;
  private searches = 0;
  /** Set once the ids have defeated the sampled hash. */
  private map: Map<string, number> | undefined;

  constructor(capacity = 0) {
    this.slots = new Int32Array(tableSizeFor(capacity));
    this.hashes = new Int32Array(this.slots.length);
  }

  /** True once the ids have defeated the sampled hash and a `Map` holds them. */
  get usesMap(): boolean {
    return this.map !== undefined;
  }

  /** Adds an id at the next position and returns that position; an id seen before is not added, and -1 returned. */
  add(id: string): number {
    if (this.map) {
      if (this.map.has(id)) return -1;
      this.map.set(id, this.count);
      this.ids.push(id);
      return this.count++;
    }
    const hash = sampledHash(id);
    const slot = this.slotOf(id, hash);
    if (this.slots[slot] !== 0) return -1;
    const position = this.count++;
    this.slots[slot] = position + 1;
    this.hashes[slot] = hash;
    this.ids.push(id);
    if (this.count * 2 > this.slots.length) this.rehash(tableSizeFor(this.count));
    this.checkProbes();
    return position;
  }

  /** The id at a position (undefined past the last): compared without reading the block it came from. */
  idAt(position: number): string | undefined {
    return this.ids[position];
  }

  /** The position of the id, or undefined when it was never added. */
  positionOf(id: string): number | undefined {
    if (this.map) return this.map.get(id);
    const filled = this.slots[this.slotOf(id, sampledHash(id))];
    this.checkProbes();
    return filled === 0 ? undefined : filled - 1;
  }

  /** The slot holding the id, or the empty slot where it would go. */
  private slotOf(id: string, hash: number): number {
    const { slots, hashes, ids } = this;
    const mask = slots.length - 1;
    let slot = hash & mask;
    let probes = 1;
    let filled: number;
    while ((filled = slots[slot]) !== 0 && (hashes[slot] !== hash || ids[filled - 1] !== id)) {
      slot = (slot + 1) & mask;
      probes++;
    }
    this.probes += probes;
    this.searches++;
    return slot;
  }

  private checkProbes(): void {
    if (this.searches > 1024 && this.probes > MAX_MEAN_PROBES * this.searches) {
      this.map = new Map();
      for (let position = 0; position < this.ids.length; position++) this.map.set(this.ids[position], position);
      this.slots = this.hashes = new Int32Array(0);
    }
  }

  private rehash(size: number): void {
    const slots = new Int32Array(size);
    const hashes = new Int32Array(size);
    const mask = size - 1;
    for (let position = 0; position < this.ids.length; position++) {
      const hash = sampledHash(this.ids[position]);
      let slot = hash & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = position + 1;
      hashes[slot] = hash;
    }
    this.slots = slots;
    this.hashes = hashes;
  }
}

function sampledHash(id: string): number {
  const length = id.length;
  let hash = length;
  const head = length < 8 ? length : 8;
  for (let i = 0; i < head; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x9e3779b1);
  for (let i = length > 12 ? length - 4 : head; i < length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x85ebca77);
  return hash ^ (hash >>> 15);
}

/** A power of two at least twice the count, so that the table is at most half full. */
function tableSizeFor(count: number): number {
  let size = 1024;
  while (size < count * 2) size *= 2;
  return size;
}
/** Probes per add or lookup, on average, beyond which the ids defeat the sampled hash. */
const MAX_MEAN_PROBES = 8;
