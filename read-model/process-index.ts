/**
 * The process index: every process summary and every open task, held in the API process's
 * memory and kept current from the change log (./change-log.ts), so that search and the
 * dashboard answer from memory at any size instead of asking the database to scan.
 *
 * Why: with 100,000 processes FerretDB 1.24 (the embedded default) takes seconds to tens of
 * seconds for any filtered find, count or aggregate, because it serves only `_id` lookups
 * from an index (docs/benchmarks.md). The summaries and task records in MongoDB stay the
 * record; this is a cache of them that any number of API processes each keep. It is loaded
 * once (one full read), then follows the log: each request first reads the log to its end
 * (when nothing changed, two `_id` lookups: the next slot and the current epoch), so an
 * answer includes every change whose write finished before the request came; a timer also
 * follows it between requests.
 */
import type { Models } from '../models/index.js';
import type { ProcessSummary } from '../models/process-summary.js';
import type { TaskRecord } from '../models/task.js';
import { currentEpoch, endOfLog, readChanges } from './change-log.js';
import { compileFilter, type Filter } from './filter.js';

/** What the dashboard needs of an open task. */
export type IndexedTask = Pick<TaskRecord, '_id' | 'processId' | 'processType' | 'title' | 'titleZh' | 'orgId' | 'orgPath' | 'dueDate' | 'dueAt' | 'overdue' | 'escalationLevel'>;

const TASK_FIELDS = { processId: 1, processType: 1, title: 1, titleZh: 1, orgId: 1, orgPath: 1, dueDate: 1, dueAt: 1, overdue: 1, escalationLevel: 1, status: 1 } as const;

/** Change entries read per round trip while catching up. */
const READ_AHEAD = 32;

export interface ProcessIndexOptions {
  /** How often the log is followed between requests; 0 = only when asked. */
  pollMs?: number;
  onError?: (err: unknown) => void;
}

export class ProcessIndex {
  private summaries = new Map<string, ProcessSummary>();
  private openTasks = new Map<string, IndexedTask>();
  /** The change-log epoch being followed, and the next slot of it to read. */
  private epoch = 0;
  private position = 0;
  private hasLoaded = false;
  private loading?: Promise<void>;
  private running?: Promise<void>;
  private queued?: Promise<void>;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly models: Models,
    private readonly options: ProcessIndexOptions = {},
  ) {}

  /** Loaded, and caught up with every change written before this call. */
  async current(): Promise<this> {
    await this.loaded();
    await this.catchUp();
    this.startPolling();
    return this;
  }

  /** Summaries that match a filter of the shape `api/processes/search.ts` builds. */
  findSummaries(filter: Filter): ProcessSummary[] {
    return matching(this.summaries.values(), filter);
  }

  findOpenTasks(filter: Filter): IndexedTask[] {
    return matching(this.openTasks.values(), filter);
  }

  /** For /health, /metrics and logs: whether it has loaded, what it holds, how far it has read the log. */
  stats(): { state: 'notLoaded' | 'loading' | 'ready'; summaries: number; openTasks: number; logPosition: number } {
    const state = this.hasLoaded ? 'ready' : this.loading ? 'loading' : 'notLoaded';
    return { state, summaries: this.summaries.size, openTasks: this.openTasks.size, logPosition: this.position };
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private loaded(): Promise<void> {
    this.loading ??= this.reload().catch((err: unknown) => {
      this.loading = undefined; // the next request tries again
      throw err;
    });
    return this.loading;
  }

  /** Everything, read afresh; the log position is taken first so no change in between is missed. */
  private async reload(): Promise<void> {
    const epoch = await currentEpoch(this.models);
    const position = await endOfLog(this.models, epoch);
    const [summaries, tasks] = await Promise.all([
      this.models.ProcessSummary.find({}).lean<ProcessSummary[]>(),
      this.models.Task.find({ status: 'open' }, TASK_FIELDS).lean<Array<IndexedTask & { status: string }>>(),
    ]);
    this.summaries = new Map(summaries.map((s) => [s._id, summaryEntry(s)]));
    this.openTasks = new Map(tasks.map((t) => [t._id, taskEntry(t)]));
    this.epoch = epoch;
    this.position = position;
    this.hasLoaded = true;
  }

  /**
   * Reads the log to its end. Calls made while a round is running share the next round
   * (which starts after they were made), so each caller sees every change before its call.
   */
  private catchUp(): Promise<void> {
    if (this.queued) return this.queued;
    const round: Promise<void> = (this.running ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        this.running = round;
        return this.followLog();
      })
      .finally(() => {
        if (this.running === round) this.running = undefined;
      });
    this.queued = round;
    return round;
  }

  private async followLog(): Promise<void> {
    for (;;) {
      const [epoch, entries] = await Promise.all([currentEpoch(this.models), readChanges(this.models, this.epoch, this.position, READ_AHEAD)]);
      // A compaction started a new epoch: what was written since is in it, so read everything again.
      if (epoch !== this.epoch || entries.some((e) => e.kind === 'reload')) {
        await this.reload();
        continue;
      }
      if (entries.length === 0) return;
      const idsOf = (kind: string) => [...new Set(entries.filter((e) => e.kind === kind).map((e) => e.id as string))];
      // The records as they are now: a later entry about the same record reads it again.
      const [summaries, tasks] = await Promise.all([
        Promise.all(idsOf('summary').map(async (id) => [id, await this.models.ProcessSummary.findById(id).lean<ProcessSummary>()] as const)),
        Promise.all(idsOf('task').map(async (id) => [id, await this.models.Task.findById(id, TASK_FIELDS).lean<IndexedTask & { status: string }>()] as const)),
      ]);
      for (const [id, s] of summaries) {
        if (s) this.summaries.set(id, summaryEntry(s));
        else this.summaries.delete(id);
      }
      for (const [id, t] of tasks) {
        if (t?.status === 'open') this.openTasks.set(id, taskEntry(t));
        else this.openTasks.delete(id);
      }
      this.position += entries.length;
    }
  }

  private startPolling(): void {
    const pollMs = this.options.pollMs ?? 1000;
    if (this.timer || pollMs <= 0) return;
    this.timer = setInterval(() => {
      this.catchUp().catch((err: unknown) => this.options.onError?.(err));
    }, pollMs);
    this.timer.unref(); // never keeps a process alive
  }
}

function matching<T extends object>(records: Iterable<T>, filter: Filter): T[] {
  const matches = compileFilter(filter);
  const found: T[] = [];
  for (const r of records) if (matches(r)) found.push(r);
  return found;
}

/**
 * A copy with every field in one fixed order: records decoded from BSON differ in shape, and
 * objects of one shape make the filter pass over 100,000 of them several times faster.
 */
function summaryEntry(s: ProcessSummary): ProcessSummary {
  return {
    _id: s._id,
    processType: s.processType,
    title: s.title,
    orgId: s.orgId,
    orgPath: s.orgPath,
    status: s.status,
    startedAt: s.startedAt,
    endedAt: s.endedAt,
    activeElements: s.activeElements,
    openTasks: s.openTasks,
    overdue: s.overdue,
    nextDueAt: s.nextDueAt,
    escalationLevel: s.escalationLevel,
    updatedAt: s.updatedAt,
  };
}

function taskEntry(t: IndexedTask & { status?: string }): IndexedTask {
  return {
    _id: t._id,
    processId: t.processId,
    processType: t.processType,
    title: t.title,
    titleZh: t.titleZh,
    orgId: t.orgId,
    orgPath: t.orgPath,
    dueDate: t.dueDate,
    dueAt: t.dueAt,
    overdue: t.overdue ?? false,
    escalationLevel: t.escalationLevel ?? 0,
  };
}
