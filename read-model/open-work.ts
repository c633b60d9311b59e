/**
 * What the dashboard counts, kept up to date as the process index changes, so a supervisor's
 * dashboard adds up a few hundred cells instead of passing over every running process and
 * open task (25,000 and 29,000 at 100,000 processes: the dashboard's cost grew with the store,
 * issue 11):
 * - per organisation × process type: running processes, open tasks, overdue, escalated;
 * - open tasks by local due date, for "due this week" (only the week's tasks are looked at);
 * - open tasks, and overdue ones, in due order: the oldest overdue and a wide inbox's first
 *   page are read from the front.
 * The process index (./process-index.ts) adds each record as it enters and takes it out as it
 * leaves or changes; the numbers are those a pass over the records would give.
 */
import type { ProcessSummary } from '../models/process-summary.js';
import { localDateOf, type LocalDate } from '../domain/calendar.js';
import type { IndexedTask } from './process-records.js';

export interface OpenWorkCounts {
  openProcesses: number;
  openTasks: number;
  /** Left 0 here: it depends on the hour of asking (`dueIn`). */
  dueThisWeek: number;
  overdue: number;
  escalated: number;
}

export const noOpenWork = (): OpenWorkCounts => ({ openProcesses: 0, openTasks: 0, dueThisWeek: 0, overdue: 0, escalated: 0 });

/** One organisation's cells; `path` is its place in the tree as its records carry it. */
export interface OpenWorkCell {
  orgId: string;
  path: string[];
  processType: string;
  counts: OpenWorkCounts;
}

/** The inbox's and the dashboard's order: earliest due first, then by `_id` (MongoDB's `sort({ dueAt: 1, _id: 1 })`). */
export const byDueAt = (a: IndexedTask, b: IndexedTask) => a.dueAt.getTime() - b.dueAt.getTime() || (a._id < b._id ? -1 : a._id > b._id ? 1 : 0);

const inScope = (path: string[], root: string | null) => root === null || path.includes(root);

export class OpenWork {
  /** Keyed by the shared path array (one per organisation, PathPool), then process type. */
  private readonly cells = new Map<string[], Map<string, OpenWorkCell>>();
  private readonly dueOn = new Map<LocalDate, Set<IndexedTask>>();
  /** Open tasks, and the overdue ones, in due order. */
  private readonly open = new DueOrdered();
  private readonly overdue = new DueOrdered();

  /** A running process entering (+1) or leaving (-1). */
  countProcess(s: ProcessSummary, sign: 1 | -1): void {
    this.cell(s.orgId, s.orgPath, s.processType).openProcesses += sign;
  }

  /** An open task entering (+1) or leaving (-1). */
  countTask(t: IndexedTask, sign: 1 | -1): void {
    const counts = this.cell(t.orgId, t.orgPath, t.processType);
    counts.openTasks += sign;
    if (t.overdue) counts.overdue += sign;
    if (t.escalationLevel > 0) counts.escalated += sign;
    const day = localDateOf(t.dueAt);
    let due = this.dueOn.get(day);
    if (sign > 0) {
      if (!due) this.dueOn.set(day, (due = new Set()));
      due.add(t);
    } else {
      due?.delete(t);
      if (due?.size === 0) this.dueOn.delete(day);
    }
    for (const list of t.overdue ? [this.open, this.overdue] : [this.open]) {
      if (sign > 0) list.add(t);
      else list.remove(t);
    }
  }

  /** While many tasks are added at once (a full load), the ordered lists are sorted once at the end. */
  beginLoad(): void {
    this.open.beginLoad();
    this.overdue.beginLoad();
  }

  endLoad(): void {
    this.open.endLoad();
    this.overdue.endLoad();
  }

  /** The cells of organisations in the subtree of `root` (null: all). */
  *cellsIn(root: string | null): Iterable<OpenWorkCell> {
    for (const [path, byType] of this.cells) if (inScope(path, root)) yield* byType.values();
  }

  /** Open tasks in the subtree due from `from` on, up to `until`, whose due date is one of `days`. */
  *dueIn(root: string | null, days: LocalDate[], from: number, until: number): Iterable<IndexedTask> {
    for (const day of days) {
      for (const t of this.dueOn.get(day) ?? []) {
        const due = t.dueAt.getTime();
        if (due >= from && due <= until && inScope(t.orgPath, root)) yield t;
      }
    }
  }

  /** The oldest overdue open tasks of the subtree, at most `limit`. */
  oldestOverdue(root: string | null, limit: number): IndexedTask[] {
    return this.overdue.first(limit, (t) => inScope(t.orgPath, root));
  }

  /** The first open tasks in due order that pass `test`, at most `limit`. */
  firstOpen(limit: number, test: (t: IndexedTask) => boolean): IndexedTask[] {
    return this.open.first(limit, test);
  }

  /** Open tasks in the subtree of `root` (null: all), of organisation `orgId` if given, from the kept counts. */
  openTaskCount(root: string | null, orgId?: string): number {
    let n = 0;
    for (const c of this.cellsIn(root)) if (orgId === undefined || c.orgId === orgId) n += c.counts.openTasks;
    return n;
  }

  /** All open tasks. */
  openTaskTotal(): number {
    return this.open.size;
  }

  private cell(orgId: string, path: string[], processType: string): OpenWorkCounts {
    let byType = this.cells.get(path);
    if (!byType) this.cells.set(path, (byType = new Map<string, OpenWorkCell>()));
    const key = `${orgId}\u0000${processType}`;
    let cell = byType.get(key);
    if (!cell) byType.set(key, (cell = { orgId, path, processType, counts: noOpenWork() }));
    return cell.counts;
  }
}

/** Tasks kept in due order: a sorted array, so a page is read from its front. */
class DueOrdered {
  private items: IndexedTask[] = [];
  private loading = false;

  get size(): number {
    return this.items.length;
  }

  add(t: IndexedTask): void {
    if (this.loading) this.items.push(t);
    else this.items.splice(this.indexOf(t), 0, t);
  }

  remove(t: IndexedTask): void {
    const at = this.loading ? this.items.indexOf(t) : this.indexOf(t);
    if (at >= 0 && this.items[at] === t) this.items.splice(at, 1);
  }

  first(limit: number, test: (t: IndexedTask) => boolean): IndexedTask[] {
    const found: IndexedTask[] = [];
    for (const t of this.items) {
      if (found.length >= limit) break;
      if (test(t)) found.push(t);
    }
    return found;
  }

  beginLoad(): void {
    this.loading = true;
  }

  endLoad(): void {
    this.loading = false;
    this.items.sort(byDueAt);
  }

  /** Where `t` is, or would go (binary search in due order). */
  private indexOf(t: IndexedTask): number {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (byDueAt(this.items[mid] as IndexedTask, t) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
