/**
 * What the process index holds, apart from how it is kept current: every process summary and
 * every task, reachable by the ways in its filters name (./indexed-records.ts), with running
 * processes and open tasks apart from the rest; summaries also in the search's two orders and
 * counted per cell (./summary-counts.ts), and the dashboard's counts kept as records come and
 * go (./open-work.ts). Pure: ./process-index.ts fills it from the database and the change log;
 * tests fill it directly.
 */
import type { ProcessSummary } from '../models/process-summary.js';
import type { TaskRecord } from '../models/task.js';
import { compileFilter, type Filter } from './filter.js';
import { IndexedRecords, type OrgRecord } from './indexed-records.js';
import { OpenWork, byDueAt } from './open-work.js';
import { firstInOrder } from './first-in-order.js';
import { OrderedRecords } from './ordered-records.js';
import { SummaryCounts, countable } from './summary-counts.js';

/** What the dashboard and the inbox's filters and order need of a task. */
export type IndexedTask = Pick<TaskRecord, '_id' | 'processId' | 'processType' | 'title' | 'titleZh' | 'orgId' | 'orgPath' | 'status' | 'dueDate' | 'dueAt' | 'overdue' | 'escalationLevel'>;

/** The orders a search can ask for. */
export type SummarySort = 'startedAt' | 'nextDueAt';

/**
 * MongoDB's order for `sort({ [key]: 1, _id: 1 })`: a missing value sorts before every date,
 * `_id` breaks ties. Descending is this order read backwards.
 */
export function summaryOrder(key: SummarySort): (a: ProcessSummary, b: ProcessSummary) => number {
  const at = (s: ProcessSummary) => s[key]?.getTime() ?? -Infinity;
  // Two missing values give NaN, which is falsy: `_id` decides, as it should.
  return (a, b) => at(a) - at(b) || (a._id < b._id ? -1 : a._id > b._id ? 1 : 0);
}

const summaryOrders = () => ({ startedAt: new OrderedRecords(summaryOrder('startedAt')), nextDueAt: new OrderedRecords(summaryOrder('nextDueAt')) });

export class ProcessRecords {
  private readonly runningSummaries = new IndexedRecords<ProcessSummary>();
  private readonly endedSummaries = new IndexedRecords<ProcessSummary>();
  private readonly openTasks = new IndexedRecords<IndexedTask>();
  private readonly closedTasks = new IndexedRecords<IndexedTask>();
  /** Summaries in each order a search can ask for: the running ones, and all. */
  private readonly ordered = { running: summaryOrders(), all: summaryOrders() };
  private readonly summaryCounts = new SummaryCounts();
  /** The dashboard's counts of the running processes and open tasks. */
  readonly openWork = new OpenWork();

  summary(processId: string): ProcessSummary | undefined {
    return this.runningSummaries.get(processId) ?? this.endedSummaries.get(processId);
  }

  /** Summaries that match a filter of the shape `api/processes/search.ts` builds; running ones only are read for `status: 'running'`. */
  findSummaries(filter: Filter): ProcessSummary[] {
    const running = filter.status === undefined || filter.status === 'running';
    const ended = filter.status !== 'running';
    return [...(running ? matching(this.runningSummaries, filter) : []), ...(ended ? matching(this.endedSummaries, filter) : [])];
  }

  /**
   * One page of the summaries `filter` matches in the order asked for, and how many match. A
   * filter the kept counts answer (./summary-counts.ts) is paged from the front (or back) of
   * the summaries in that order when that reads fewer than a pass over its organisation or
   * subtree would; any other filter (date ranges) takes the pass.
   */
  pageOfSummaries(filter: Filter, sort: SummarySort, order: 'asc' | 'desc', offset: number, limit: number): { page: ProcessSummary[]; total: number } {
    const counted = countable(filter);
    if (counted) {
      const { matching, inScope } = this.summaryCounts.matching(counted);
      if (matching === 0) return { page: [], total: 0 };
      const list = (counted.status === 'running' ? this.ordered.running : this.ordered.all)[sort];
      // From the front, a page is found after about (offset + limit) × listed ÷ matching summaries.
      if (((offset + limit) * list.size) / matching < inScope) {
        return { page: list.first(limit, compileFilter(filter), order, offset), total: matching };
      }
    }
    const found = this.findSummaries(filter);
    const ascending = summaryOrder(sort);
    const compare = order === 'asc' ? ascending : (a: ProcessSummary, b: ProcessSummary) => ascending(b, a);
    return { page: firstInOrder(found, compare, offset + limit).slice(offset), total: found.length };
  }

  findOpenTasks(filter: Filter): IndexedTask[] {
    return matching(this.openTasks, filter);
  }

  /** Tasks of any status that match a filter of the shape the inbox builds; open ones only are read for `status: 'open'`. */
  findTasks(filter: Filter): IndexedTask[] {
    const open = filter.status === undefined || filter.status === 'open';
    const closed = filter.status !== 'open';
    return [...(open ? matching(this.openTasks, filter) : []), ...(closed ? matching(this.closedTasks, filter) : [])];
  }

  /**
   * One page of the tasks `filter` matches, earliest due first (then by `_id`), and how many
   * match. An inbox of open tasks by subtree or organisation only (the usual one) is read from
   * the front of the open tasks in due order, with its total from the kept counts, when that
   * reads fewer tasks than a pass over the matching ones would; any other filter takes the pass.
   */
  pageOfTasks(filter: Filter, offset: number, limit: number): { page: IndexedTask[]; total: number } {
    const { status, orgPath, orgId, ...rest } = filter;
    const plain = status === 'open' && Object.keys(rest).length === 0 && (orgPath === undefined || typeof orgPath === 'string') && (orgId === undefined || typeof orgId === 'string');
    if (plain) {
      const root = orgPath ?? null;
      const total = this.openWork.openTaskCount(root, orgId);
      // From the front, a page is found after about (offset + limit) × all ÷ total tasks.
      if (total > 0 && ((offset + limit) * this.openWork.openTaskTotal()) / total < total) {
        const fits = (t: IndexedTask) => (root === null || t.orgPath.includes(root)) && (orgId === undefined || t.orgId === orgId);
        return { page: this.openWork.firstOpen(offset + limit, fits).slice(offset), total };
      }
    }
    const found = this.findTasks(filter);
    return { page: firstInOrder(found, byDueAt, offset + limit).slice(offset), total: found.length };
  }

  /** Sets the summary `id` as it now is (null: gone). */
  putSummary(id: string, summary: ProcessSummary | null): void {
    const wasRunning = this.runningSummaries.get(id);
    const was = wasRunning ?? this.endedSummaries.get(id);
    if (was) this.orderAndCount(was, -1);
    if (wasRunning) this.openWork.countProcess(wasRunning, -1);
    this.runningSummaries.delete(id);
    this.endedSummaries.delete(id);
    if (!summary) return;
    this.orderAndCount(summary, 1);
    if (summary.status !== 'running') return this.endedSummaries.set(summary);
    this.runningSummaries.set(summary);
    this.openWork.countProcess(summary, 1);
  }

  /** Adds a summary to (+1) or takes it from (-1) the search's orders and counts. */
  private orderAndCount(s: ProcessSummary, sign: 1 | -1): void {
    this.summaryCounts.count(s, sign);
    const lists = s.status === 'running' ? [this.ordered.running, this.ordered.all] : [this.ordered.all];
    for (const list of lists.flatMap((l) => [l.startedAt, l.nextDueAt])) {
      if (sign > 0) list.add(s);
      else list.remove(s);
    }
  }

  /** Sets the task `id` as it now is (null: gone). */
  putTask(id: string, task: IndexedTask | null): void {
    const wasOpen = this.openTasks.get(id);
    if (wasOpen) this.openWork.countTask(wasOpen, -1);
    this.openTasks.delete(id);
    this.closedTasks.delete(id);
    if (!task) return;
    if (task.status !== 'open') return this.closedTasks.set(task);
    this.openTasks.set(task);
    this.openWork.countTask(task, 1);
  }

  sizes(): { summaries: number; openTasks: number; tasks: number } {
    return { summaries: this.runningSummaries.size + this.endedSummaries.size, openTasks: this.openTasks.size, tasks: this.openTasks.size + this.closedTasks.size };
  }
}

function matching<T extends OrgRecord>(records: IndexedRecords<T>, filter: Filter): T[] {
  const matches = compileFilter(filter);
  const found: T[] = [];
  for (const r of records.candidates(filter)) if (matches(r)) found.push(r);
  return found;
}
