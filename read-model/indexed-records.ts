/**
 * Records of the process index (./process-index.ts) with the ways in that its filters name:
 * by `_id`, by process, by organisation and by subtree. A filter is still tested on every
 * record it reads; this only chooses which records to read, so that a unit's inbox, a
 * subtree's search and the access check of one process read their own records, not all
 * 100,000 (the cost of a request must not grow with the store, issue 11).
 */
import type { Filter } from './filter.js';

export interface OrgRecord {
  _id: string;
  orgId: string;
  /** The organisation's path from the root, itself last; arrays shared between records (PathPool). */
  orgPath: string[];
  processId?: string;
}

/** The records of one organisation, and the paths they carry (one, unless it moved in the tree). */
interface OrgGroup<T> {
  records: Map<string, T>;
  paths: Map<string[], number>;
}

export class IndexedRecords<T extends OrgRecord> {
  private readonly all = new Map<string, T>();
  private readonly byOrg = new Map<string, OrgGroup<T>>();
  /** A process has a few tasks: an array each is lighter than a map (100,000 processes). */
  private readonly byProcess = new Map<string, T[]>();

  get size(): number {
    return this.all.size;
  }

  get(id: string): T | undefined {
    return this.all.get(id);
  }

  values(): IterableIterator<T> {
    return this.all.values();
  }

  /** Adds the record, or replaces the one with its `_id`. */
  set(record: T): void {
    this.delete(record._id);
    this.all.set(record._id, record);
    let group = this.byOrg.get(record.orgId);
    if (!group) this.byOrg.set(record.orgId, (group = { records: new Map<string, T>(), paths: new Map<string[], number>() }));
    group.records.set(record._id, record);
    group.paths.set(record.orgPath, (group.paths.get(record.orgPath) ?? 0) + 1);
    if (record.processId !== undefined) {
      const ofProcess = this.byProcess.get(record.processId);
      if (ofProcess) ofProcess.push(record);
      else this.byProcess.set(record.processId, [record]);
    }
  }

  delete(id: string): void {
    const old = this.all.get(id);
    if (!old) return;
    this.all.delete(id);
    const group = this.byOrg.get(old.orgId);
    if (group) {
      group.records.delete(id);
      const left = (group.paths.get(old.orgPath) ?? 1) - 1;
      if (left > 0) group.paths.set(old.orgPath, left);
      else group.paths.delete(old.orgPath);
      if (group.records.size === 0) this.byOrg.delete(old.orgId);
    }
    if (old.processId !== undefined) {
      const ofProcess = this.byProcess.get(old.processId) ?? [];
      const at = ofProcess.indexOf(old);
      if (at >= 0) ofProcess.splice(at, 1);
      if (ofProcess.length === 0) this.byProcess.delete(old.processId);
    }
  }

  /** The records `filter` can match, read through the narrowest way in it names. */
  candidates(filter: Filter): Iterable<T> {
    if (typeof filter._id === 'string') {
      const record = this.all.get(filter._id);
      return record ? [record] : [];
    }
    if (typeof filter.processId === 'string') return this.byProcess.get(filter.processId) ?? [];
    if (typeof filter.orgId === 'string') return this.byOrg.get(filter.orgId)?.records.values() ?? [];
    if (typeof filter.orgPath === 'string') return this.inSubtree(filter.orgPath);
    return this.all.values();
  }

  /** The records of every organisation one of whose paths passes through `root` (a few hundred organisations to look at). */
  private *inSubtree(root: string): Iterable<T> {
    for (const group of this.byOrg.values()) {
      for (const path of group.paths.keys()) {
        if (path.includes(root)) {
          yield* group.records.values();
          break;
        }
      }
    }
  }
}
