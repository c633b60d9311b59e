/**
 * What the dashboard counts, kept up to date as the process index changes, so a supervisor's
 * dashboard adds up a few hundred cells instead of passing over every running process and
 * open task (25,000 and 29,000 at 100,000 processes: the dashboard's cost grew with the store,
 * issue 11):
 * - per organisation × process type: running processes, open tasks, overdue, escalated;
 * - open tasks per local due date and cell, for "due this week" (only the tasks of a day the
 *   week holds in part, today after this hour, are looked at one by one);
 * - open tasks, and overdue ones, in due order: the oldest overdue and a wide inbox's first
 *   page are read from the front.
 * The process index (./process-index.ts) adds each record as it enters and takes it out as it
 * leaves or changes; the numbers are those a pass over the records would give.
 */
import type { ProcessSummary } from '../models/process-summary.js';
import { addDays, endOfDayMs, localDateOf, startOfDayMs, type LocalDate } from '../domain/calendar.js';
import type { IndexedTask } from './process-records.js';
import { OrderedRecords } from './ordered-records.js';

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
  /** Open tasks per local due date and cell. */
  private readonly dueOn = new Map<LocalDate, Map<OpenWorkCell, number>>();
  /** Open tasks, and the overdue ones, in due order. */
  private readonly open = new OrderedRecords<IndexedTask>(byDueAt);
  private readonly overdue = new OrderedRecords<IndexedTask>(byDueAt);

  /** A running process entering (+1) or leaving (-1). */
  countProcess(s: ProcessSummary, sign: 1 | -1): void {
    this.cell(s.orgId, s.orgPath, s.processType).counts.openProcesses += sign;
  }

  /** An open task entering (+1) or leaving (-1). */
  countTask(t: IndexedTask, sign: 1 | -1): void {
    const cell = this.cell(t.orgId, t.orgPath, t.processType);
    cell.counts.openTasks += sign;
    if (t.overdue) cell.counts.overdue += sign;
    if (t.escalationLevel > 0) cell.counts.escalated += sign;
    const day = localDateOf(t.dueAt);
    let due = this.dueOn.get(day);
    if (!due) this.dueOn.set(day, (due = new Map<OpenWorkCell, number>()));
    const left = (due.get(cell) ?? 0) + sign;
    if (left !== 0) due.set(cell, left);
    else {
      due.delete(cell);
      if (due.size === 0) this.dueOn.delete(day);
    }
    for (const list of t.overdue ? [this.open, this.overdue] : [this.open]) {
      if (sign > 0) list.add(t);
      else list.remove(t);
    }
  }

  /** The cells of organisations in the subtree of `root` (null: all). */
  *cellsIn(root: string | null): Iterable<OpenWorkCell> {
    for (const [path, byType] of this.cells) if (inScope(path, root)) yield* byType.values();
  }

  /**
   * Open tasks in the subtree due from `from` to `until` (instants), counted per cell: whole
   * local days from the kept counts, a day the span holds in part (today, from this hour) from
   * its tasks in due order.
   */
  dueBetween(root: string | null, from: number, until: number): Map<OpenWorkCell, number> {
    const counted = new Map<OpenWorkCell, number>();
    const add = (cell: OpenWorkCell, n: number) => counted.set(cell, (counted.get(cell) ?? 0) + n);
    for (let day = localDateOf(from); startOfDayMs(day) <= until; day = addDays(day, 1)) {
      const lo = Math.max(from, startOfDayMs(day));
      const hi = Math.min(until, endOfDayMs(day));
      if (lo === startOfDayMs(day) && hi === endOfDayMs(day)) {
        for (const [cell, n] of this.dueOn.get(day) ?? []) if (inScope(cell.path, root)) add(cell, n);
        continue;
      }
      for (const t of this.open.inOrder('asc', { dueAt: new Date(lo), _id: '' } as IndexedTask)) {
        if (t.dueAt.getTime() > hi) break;
        if (inScope(t.orgPath, root)) add(this.cell(t.orgId, t.orgPath, t.processType), 1);
      }
    }
    return counted;
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

  private cell(orgId: string, path: string[], processType: string): OpenWorkCell {
    let byType = this.cells.get(path);
    if (!byType) this.cells.set(path, (byType = new Map<string, OpenWorkCell>()));
    const key = `${orgId}\u0000${processType}`;
    let cell = byType.get(key);
    if (!cell) byType.set(key, (cell = { orgId, path, processType, counts: noOpenWork() }));
    return cell;
  }
}
