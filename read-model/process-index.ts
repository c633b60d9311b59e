/**
 * The process index: every process summary and every task (the fields its filters and order
 * need), held in the API process's memory and kept current from the change log
 * (./change-log.ts), so that search, the dashboard and the inbox answer from memory at any
 * size instead of asking the database to scan.
 *
 * Why: with 100,000 processes FerretDB 1.24 (the embedded default) takes seconds to tens of
 * seconds for any filtered find, count or aggregate, because it serves only `_id` lookups
 * from an index (docs/benchmarks.md). The summaries and task records in MongoDB stay the
 * record; this is a cache of them that any number of API processes each keep. It is loaded
 * once (one full read), then follows the log: each request first reads the log up to the end
 * it has when the request comes (when nothing changed, two `_id` lookups: the next slot and
 * the current epoch), so an answer includes every change whose write finished before the
 * request came; a timer also follows it between requests. Entries appended while a request
 * reads are left to the next one, so a stream of writes never keeps a reader waiting; and the
 * wait is bounded (`maxWaitMs`): past it, as when a full reload after a bulk load or a
 * compaction takes longer, the answer comes from the index as it stands, marked as behind.
 */
import type { Models } from '../models/index.js';
import type { ProcessSummary } from '../models/process-summary.js';
import type { TaskRecord } from '../models/task.js';
import type { ReadModelChange } from '../models/read-model-change.js';
import { currentEpoch, endOfLog, endOfLogAbove, readChanges } from './change-log.js';
import type { Filter } from './filter.js';
import type { OpenWork } from './open-work.js';
import { ProcessRecords, type IndexedTask, type SummarySort } from './process-records.js';

export type { IndexedTask, SummarySort };

const TASK_FIELDS = { processId: 1, processType: 1, title: 1, titleZh: 1, orgId: 1, orgPath: 1, dueDate: 1, dueAt: 1, overdue: 1, escalationLevel: 1, status: 1 } as const;

/** Whole task records held for inbox pages (a few kilobytes each). */
const MAX_HELD_RECORDS = 10_000;

/**
 * Change entries read per round trip while catching up: at first, and at most. A request
 * usually finds a few new entries (each slot read is one lookup, side by side with the others),
 * so the first read asks for few: 32 made every catch-up under load cost 32 lookups, load the
 * database bore for every read (issue 11); a burst behind doubles it per read.
 */
const READ_AHEAD = 4;
const MAX_READ_AHEAD = 512;

export interface ProcessIndexOptions {
  /** How often the log is followed between requests; 0 = only when asked. */
  pollMs?: number;
  /** How long a request waits for the index to catch up before it is answered from the index as it stands. */
  maxWaitMs?: number;
  onError?: (err: unknown) => void;
}

/** The default bound of a request's wait: well above a normal catch-up (milliseconds), well below a full reload at 100,000 processes. */
export const DEFAULT_MAX_WAIT_MS = 2_000;

export class ProcessIndex {
  private indexed = new ProcessRecords();
  /**
   * Whole task records (forms, context, results) of recently listed tasks, most recent last, so
   * an inbox page is read from memory; a record leaves when the log says it changed.
   */
  private readonly records = new Map<string, TaskRecord>();
  /** Records being read from the database right now, and those of them the log said changed meanwhile. */
  private readonly reading = new Map<string, number>();
  private readonly changedWhileReading = new Set<string>();
  private reloads = 0;
  /** Whether the last request was answered before the index had caught up (its wait ran out). */
  private behind = false;
  /** The change-log epoch being followed, and the next slot of it to read. */
  private epoch = 0;
  private position = 0;
  private hasLoaded = false;
  /** One shared array per organisation path (thousands of records share a few hundred paths). */
  private paths = new PathPool();
  private loading?: Promise<void>;
  private running?: Promise<void>;
  private queued?: Promise<void>;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly models: Models,
    private readonly options: ProcessIndexOptions = {},
  ) {}

  /**
   * Loaded, and caught up with every change written before this call, unless that takes
   * longer than `maxWaitMs` (then `isBehind()` is true until a catch-up finishes). The first
   * load is always waited for: before it there is nothing to answer from.
   */
  async current(): Promise<this> {
    await this.loaded();
    this.startPolling();
    const caughtUp = this.catchUp().then(() => true);
    const waitMs = this.options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), waitMs);
    });
    try {
      this.behind = !(await Promise.race([caughtUp, timedOut]));
    } finally {
      clearTimeout(timer);
    }
    // The round goes on in the background; its failure is the next request's to see.
    if (this.behind) caughtUp.catch((err: unknown) => this.options.onError?.(err));
    return this;
  }

  /** True when the last answer came from an index that had not read every earlier change. */
  isBehind(): boolean {
    return this.behind;
  }

  /** Summaries that match a filter of the shape `api/processes/search.ts` builds. */
  /** One process's summary by its ID (the inbox names each task's process and subject). */
  summary(processId: string): ProcessSummary | undefined {
    return this.indexed.summary(processId);
  }

  findSummaries(filter: Filter): ProcessSummary[] {
    return this.indexed.findSummaries(filter);
  }

  /** A page of the summaries that match, in the order asked for, and how many match (./process-records.ts). */
  pageOfSummaries(filter: Filter, sort: SummarySort, order: 'asc' | 'desc', offset: number, limit: number): { page: ProcessSummary[]; total: number } {
    return this.indexed.pageOfSummaries(filter, sort, order, offset, limit);
  }

  /** The dashboard's counts (./open-work.ts), as of the last catch-up. */
  openWork(): OpenWork {
    return this.indexed.openWork;
  }

  findOpenTasks(filter: Filter): IndexedTask[] {
    return this.indexed.findOpenTasks(filter);
  }

  /** Tasks of any status that match a filter of the shape the inbox builds. */
  findTasks(filter: Filter): IndexedTask[] {
    return this.indexed.findTasks(filter);
  }

  /** A page of the inbox, earliest due first, and how many tasks match (./process-records.ts). */
  pageOfTasks(filter: Filter, offset: number, limit: number): { page: IndexedTask[]; total: number } {
    return this.indexed.pageOfTasks(filter, offset, limit);
  }

  /**
   * The whole records of the given tasks, in the given order (a missing one left out): from
   * memory where held, else read by `_id` (the one lookup FerretDB answers without a scan)
   * and held for next time unless the log said the task changed while it was being read.
   */
  async taskRecords(ids: string[]): Promise<TaskRecord[]> {
    const reloads = this.reloads;
    const found = await Promise.all(
      ids.map(async (id) => {
        const held = this.records.get(id);
        if (held) {
          this.records.delete(id); // most recently used goes last
          this.records.set(id, held);
          return held;
        }
        this.reading.set(id, (this.reading.get(id) ?? 0) + 1);
        try {
          const record = await this.models.Task.findById(id).lean<TaskRecord>();
          if (record && reloads === this.reloads && !this.changedWhileReading.has(id)) this.hold(id, record);
          return record;
        } finally {
          const left = (this.reading.get(id) ?? 1) - 1;
          if (left > 0) this.reading.set(id, left);
          else {
            this.reading.delete(id);
            this.changedWhileReading.delete(id);
          }
        }
      }),
    );
    return found.filter((r): r is TaskRecord => r !== null);
  }

  private hold(id: string, record: TaskRecord): void {
    this.records.set(id, record);
    if (this.records.size > MAX_HELD_RECORDS) this.records.delete(this.records.keys().next().value as string);
  }

  /** The log says the task changed: its held record is out of date. */
  private forget(id: string): void {
    this.records.delete(id);
    if (this.reading.has(id)) this.changedWhileReading.add(id);
  }

  /** For /health, /metrics and logs: whether it has loaded, what it holds, how far it has read the log. */
  stats(): { state: 'notLoaded' | 'loading' | 'ready'; summaries: number; openTasks: number; tasks: number; logPosition: number; behind: boolean } {
    const state = this.hasLoaded ? 'ready' : this.loading ? 'loading' : 'notLoaded';
    return { state, ...this.indexed.sizes(), logPosition: this.position, behind: this.behind };
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
    const paths = new PathPool();
    const indexed = new ProcessRecords();
    // Record by record from cursors, not two arrays: a decoded document is garbage as soon as
    // its entry is made, so at 100,000 processes the load leaves no old-generation heap of
    // documents behind for a long collection to clear while the first requests are answered.
    await Promise.all([
      (async () => {
        for await (const s of this.models.ProcessSummary.find({}).lean<ProcessSummary>().cursor()) indexed.putSummary(s._id, summaryEntry(s, paths));
      })(),
      (async () => {
        for await (const t of this.models.Task.find({}, TASK_FIELDS).lean<IndexedTask>().cursor()) indexed.putTask(t._id, taskEntry(t, paths));
      })(),
    ]);
    this.indexed = indexed;
    this.paths = paths;
    this.epoch = epoch;
    this.position = position;
    this.hasLoaded = true;
    this.records.clear();
    this.reloads += 1;
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

  /**
   * Reads the log up to the end it has now. Entries appended meanwhile are the next round's,
   * so a steady stream of writes cannot keep this round (and the requests waiting on it) going.
   * Far behind (after a burst of writes), each read asks for twice as many entries as the
   * last, so a round takes a few round trips, not one per 32 entries.
   */
  private async followLog(): Promise<void> {
    let target: number | undefined;
    let want = READ_AHEAD;
    for (;;) {
      const limit = target === undefined ? want : Math.min(want, target - this.position);
      if (limit <= 0) return;
      const [epoch, entries] = await Promise.all([currentEpoch(this.models), readChanges(this.models, this.epoch, this.position, limit)]);
      // A compaction started a new epoch: what was written since is in it, so read everything again.
      if (epoch !== this.epoch || entries.some((e) => e.kind === 'reload')) {
        await this.reload();
        return;
      }
      await this.apply(entries);
      // Fewer than asked for: the end of the log was reached.
      if (entries.length < limit) return;
      // More than one read's worth: find (in one round trip) how far the log reaches now, and read only that far.
      target ??= await endOfLogAbove(this.models, this.epoch, this.position);
      want = Math.min(want * 2, MAX_READ_AHEAD);
    }
  }

  /** Re-reads each record the entries name, as it is now (a later entry about the same record reads it again). */
  private async apply(entries: ReadModelChange[]): Promise<void> {
    if (entries.length === 0) return;
    const idsOf = (kind: string) => [...new Set(entries.filter((e) => e.kind === kind).map((e) => e.id as string))];
    const [summaries, tasks] = await Promise.all([
      Promise.all(idsOf('summary').map(async (id) => [id, await this.models.ProcessSummary.findById(id).lean<ProcessSummary>()] as const)),
      Promise.all(idsOf('task').map(async (id) => [id, await this.models.Task.findById(id, TASK_FIELDS).lean<IndexedTask>()] as const)),
    ]);
    for (const [id, s] of summaries) this.indexed.putSummary(id, s ? summaryEntry(s, this.paths) : null);
    for (const [id, t] of tasks) {
      this.forget(id);
      this.indexed.putTask(id, t ? taskEntry(t, this.paths) : null);
    }
    this.position += entries.length;
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

/**
 * A copy with every field in one fixed order: records decoded from BSON differ in shape, and
 * objects of one shape make the filter pass over 100,000 of them several times faster.
 */
function summaryEntry(s: ProcessSummary, paths: PathPool): ProcessSummary {
  return {
    _id: s._id,
    processType: s.processType,
    title: s.title,
    orgId: s.orgId,
    orgPath: paths.get(s.orgPath),
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

function taskEntry(t: IndexedTask, paths: PathPool): IndexedTask {
  return {
    _id: t._id,
    processId: t.processId,
    processType: t.processType,
    title: t.title,
    titleZh: t.titleZh,
    orgId: t.orgId,
    orgPath: paths.get(t.orgPath),
    status: t.status,
    dueDate: t.dueDate,
    dueAt: t.dueAt,
    overdue: t.overdue ?? false,
    escalationLevel: t.escalationLevel ?? 0,
  };
}

/** Hands out one array per distinct organisation path, so records of one organisation share it. */
class PathPool {
  private readonly pool = new Map<string, string[]>();

  get(path: string[]): string[] {
    const key = path.join('/');
    let shared = this.pool.get(key);
    if (!shared) this.pool.set(key, (shared = [...path]));
    return shared;
  }
}
