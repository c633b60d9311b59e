/**
 * Records kept in one order (a B+ tree, `sorted-btree`), so that a page is read from the
 * front (or the back) and a range from its start, without sorting or passing over the rest:
 * a search's or an inbox's first page, the oldest overdue tasks, the tasks due later today.
 * A record is found by its own order, so one that changes is removed as it was and added as
 * it is (the index replaces records, never edits them).
 */
import { createRequire } from 'node:module';

// sorted-btree is CommonJS with its class as `exports.default`; require it as such, so Node,
// tsx and vitest all get the class (an ESM default import gives the whole exports object).
const { default: BTree } = createRequire(import.meta.url)('sorted-btree') as typeof import('sorted-btree');

export class OrderedRecords<T> {
  private readonly tree: InstanceType<typeof BTree<T, undefined>>;

  constructor(readonly compare: (a: T, b: T) => number) {
    this.tree = new BTree<T, undefined>(undefined, compare);
  }

  get size(): number {
    return this.tree.size;
  }

  add(record: T): void {
    this.tree.set(record, undefined);
  }

  remove(record: T): void {
    this.tree.delete(record);
  }

  /** Every record in order (`desc`: last first), from `start` on when given. */
  *inOrder(direction: 'asc' | 'desc' = 'asc', start?: T): IterableIterator<T> {
    const entries = direction === 'asc' ? this.tree.entries(start) : this.tree.entriesReversed(start);
    for (const [record] of entries) yield record;
  }

  /** The first `limit` records in order that pass `test`, after skipping `skip` of those. */
  first(limit: number, test: (record: T) => boolean, direction: 'asc' | 'desc' = 'asc', skip = 0): T[] {
    const found: T[] = [];
    if (limit <= 0) return found;
    let skipped = 0;
    for (const record of this.inOrder(direction)) {
      if (!test(record)) continue;
      if (skipped < skip) skipped += 1;
      else if (found.push(record) >= limit) break;
    }
    return found;
  }
}
