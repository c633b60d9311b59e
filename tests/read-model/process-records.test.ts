/**
 * The process index's records (read-model/process-records.ts) against the plain answer: after
 * any sequence of processes and tasks entering, changing and leaving, each filter the search,
 * the inbox and the dashboard use finds what a pass over every record finds (an inbox page
 * too), and the
 * dashboard's kept counts, week and oldest overdue equal those counted afresh (issue 11: the
 * index reads only the records a filter names, and keeps the dashboard's counts as it goes).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ProcessRecords, type IndexedTask } from '../../read-model/process-records.js';
import { compileFilter, type Filter } from '../../read-model/filter.js';
import type { ProcessSummary } from '../../models/process-summary.js';
import { addDays, endOfDayMs, localDateOf } from '../../domain/calendar.js';

const DAY = 86_400_000;
const NOW = Date.parse('2027-03-10T04:00:00Z');
/** A small tree: city ▸ two towns ▸ two units each; records share path arrays, as in the index. */
const PATHS: string[][] = [['city'], ['city', 'town-a'], ['city', 'town-b'], ['city', 'town-a', 'unit-a1'], ['city', 'town-a', 'unit-a2'], ['city', 'town-b', 'unit-b1'], ['city', 'town-b', 'unit-b2']];
const TYPES = ['rectification', 'interview', 'obligation'];

const taskArb = fc.record({
  id: fc.integer({ min: 0, max: 15 }),
  process: fc.integer({ min: 0, max: 5 }),
  path: fc.constantFrom(...PATHS),
  processType: fc.constantFrom(...TYPES),
  status: fc.constantFrom('open', 'open', 'completed', 'cancelled'),
  dueInHours: fc.integer({ min: -20 * 24, max: 20 * 24 }),
  escalationLevel: fc.constantFrom(0, 0, 1, 2),
});
const summaryArb = fc.record({
  id: fc.integer({ min: 0, max: 10 }),
  path: fc.constantFrom(...PATHS),
  processType: fc.constantFrom(...TYPES),
  status: fc.constantFrom('running', 'running', 'completed', 'cancelled'),
  startedDaysAgo: fc.integer({ min: 0, max: 3 }),
  nextDueInDays: fc.option(fc.integer({ min: -3, max: 3 })),
  overdue: fc.constantFrom(true, false, undefined),
});
const stepArb = fc.oneof(
  taskArb.map((t) => ({ kind: 'task' as const, ...t })),
  summaryArb.map((s) => ({ kind: 'summary' as const, ...s })),
  fc.integer({ min: 0, max: 15 }).map((id) => ({ kind: 'taskGone' as const, id })),
  fc.integer({ min: 0, max: 10 }).map((id) => ({ kind: 'summaryGone' as const, id })),
);

function task(t: { id: number; process: number; path: string[]; processType: string; status: string; dueInHours: number; escalationLevel: number }): IndexedTask {
  const dueAt = new Date(NOW + t.dueInHours * 3_600_000);
  return {
    _id: `t${t.id}`,
    processId: `p${t.process}`,
    processType: t.processType,
    title: 'task',
    titleZh: '任务',
    orgId: t.path.at(-1) as string,
    orgPath: t.path,
    status: t.status as IndexedTask['status'],
    dueDate: localDateOf(dueAt),
    dueAt,
    overdue: dueAt.getTime() < NOW,
    escalationLevel: t.escalationLevel,
  };
}

/** Few distinct dates, so that ties (broken by `_id`) and missing values (first ascending) occur. */
function summary(s: { id: number; path: string[]; processType: string; status: string; startedDaysAgo: number; nextDueInDays: number | null; overdue: boolean | undefined }): ProcessSummary {
  return {
    _id: `p${s.id}`,
    processType: s.processType,
    title: 'process',
    orgId: s.path.at(-1) as string,
    orgPath: s.path,
    status: s.status,
    startedAt: new Date(NOW - s.startedDaysAgo * DAY),
    ...(s.nextDueInDays === null ? {} : { nextDueAt: new Date(NOW + s.nextDueInDays * DAY) }),
    ...(s.overdue === undefined ? {} : { overdue: s.overdue }),
  } as ProcessSummary;
}

const FILTERS: Filter[] = [
  {},
  { status: 'open' },
  { status: 'running' },
  { orgPath: 'town-a', status: 'open' },
  { orgPath: 'town-b' },
  { orgId: 'unit-a1', status: 'open' },
  { orgId: 'town-a' },
  { processId: 'p3', status: 'open' },
  { processId: 'p1', orgId: 'unit-b2' },
  { _id: 't4' },
  { _id: 'p2' },
  { orgPath: 'city', status: 'running', processType: 'interview' },
];

const ids = (records: Array<{ _id: string }>) => records.map((r) => r._id).sort();

describe('process records: the index answers as a pass over every record would', () => {
  it('when records enter, change and leave in any order, then every filter, count, week and oldest list is what a full pass gives', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 60 }), (steps) => {
        const records = new ProcessRecords();
        const tasks = new Map<string, IndexedTask>();
        const summaries = new Map<string, ProcessSummary>();
        for (const step of steps) {
          if (step.kind === 'task') {
            const t = task(step);
            tasks.set(t._id, t);
            records.putTask(t._id, t);
          } else if (step.kind === 'summary') {
            const s = summary(step);
            summaries.set(s._id, s);
            records.putSummary(s._id, s);
          } else if (step.kind === 'taskGone') {
            tasks.delete(`t${step.id}`);
            records.putTask(`t${step.id}`, null);
          } else {
            summaries.delete(`p${step.id}`);
            records.putSummary(`p${step.id}`, null);
          }
        }
        const all = <T extends { _id: string }>(m: Map<string, T>, f: Filter): T[] => {
          const matches = compileFilter(f);
          return [...m.values()].filter((r) => matches(r));
        };
        for (const f of FILTERS) {
          expect(ids(records.findTasks(f)), JSON.stringify(f)).toEqual(ids(all(tasks, f)));
          expect(ids(records.findSummaries(f)), JSON.stringify(f)).toEqual(ids(all(summaries, f)));
          const openOnly = f.status === undefined || f.status === 'open' ? all(tasks, { ...f, status: 'open' }) : [];
          expect(ids(records.findOpenTasks(f)), JSON.stringify(f)).toEqual(ids(openOnly));
        }

        // The inbox's pages: a wide one read from the front of the open tasks, the others from a pass.
        for (const f of [...FILTERS, { status: 'open', orgPath: 'city' }, { status: 'open', orgPath: 'unit-a2' }, { status: 'open', orgId: 'town-a' }, { status: 'open', orgPath: 'town-b', orgId: 'unit-b1' }]) {
          const all2 = all(tasks, f).sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || (a._id < b._id ? -1 : 1));
          for (const [offset, limit] of [[0, 3], [2, 2], [0, 50]] as const) {
            const { page, total } = records.pageOfTasks(f, offset, limit);
            expect(page.map((t) => t._id), `${JSON.stringify(f)} ${offset}+${limit}`).toEqual(all2.slice(offset, offset + limit).map((t) => t._id));
            expect(total).toBe(all2.length);
          }
        }

        // The search's pages: read from the front or the back of an order, or from a pass.
        for (const f of [...FILTERS, { orgPath: 'town-a', status: 'running', overdue: true }, { orgId: 'unit-b1', overdue: false }, { status: 'completed', processType: 'interview' }, { orgPath: 'city', startedAt: { $lte: new Date(NOW - 3 * DAY) } }]) {
          for (const sort of ['startedAt', 'nextDueAt'] as const) {
            for (const order of ['asc', 'desc'] as const) {
              const at = (s: ProcessSummary) => s[sort]?.getTime() ?? -Infinity;
              const ascending = (a: ProcessSummary, b: ProcessSummary) => at(a) - at(b) || (a._id < b._id ? -1 : 1);
              const sorted = all(summaries, f).sort(order === 'asc' ? ascending : (a, b) => ascending(b, a));
              for (const [offset, limit] of [[0, 2], [1, 3], [0, 50]] as const) {
                const { page, total } = records.pageOfSummaries(f, sort, order, offset, limit);
                expect(page.map((s) => s._id), `${JSON.stringify(f)} by ${sort} ${order}, ${offset}+${limit}`).toEqual(sorted.slice(offset, offset + limit).map((s) => s._id));
                expect(total, JSON.stringify(f)).toBe(sorted.length);
              }
            }
          }
        }

        const open = [...tasks.values()].filter((t) => t.status === 'open');
        const running = [...summaries.values()].filter((s) => s.status === 'running');
        const week = Array.from({ length: 7 }, (_, i) => addDays(localDateOf(NOW), i));
        const weekEnd = endOfDayMs(week.at(-1) as string);
        for (const root of [null, 'city', 'town-a', 'unit-b1']) {
          const inScope = (path: string[]) => root === null || path.includes(root);
          const counted = new Map<string, number[]>();
          for (const c of records.openWork.cellsIn(root)) {
            const key = `${c.orgId}/${c.processType}`;
            const sum = counted.get(key) ?? [0, 0, 0, 0];
            counted.set(key, [sum[0]! + c.counts.openProcesses, sum[1]! + c.counts.openTasks, sum[2]! + c.counts.overdue, sum[3]! + c.counts.escalated]);
          }
          const expected = new Map<string, number[]>();
          const add = (orgId: string, type: string, i: number) => {
            const key = `${orgId}/${type}`;
            const sum = expected.get(key) ?? [0, 0, 0, 0];
            sum[i]! += 1;
            expected.set(key, sum);
          };
          for (const s of running.filter((x) => inScope(x.orgPath))) add(s.orgId, s.processType, 0);
          for (const t of open.filter((x) => inScope(x.orgPath))) {
            add(t.orgId, t.processType, 1);
            if (t.overdue) add(t.orgId, t.processType, 2);
            if (t.escalationLevel > 0) add(t.orgId, t.processType, 3);
          }
          const nonZero = (m: Map<string, number[]>) => [...m].filter(([, v]) => v.some((n) => n !== 0)).sort();
          expect(nonZero(counted), `cells under ${root}`).toEqual(nonZero(expected));

          // Due this week from this hour: today in part, six whole days.
          const perCell = (list: IndexedTask[]) => {
            const m = new Map<string, number>();
            for (const t of list) m.set(`${t.orgId}/${t.processType}`, (m.get(`${t.orgId}/${t.processType}`) ?? 0) + 1);
            return [...m].sort();
          };
          const dueThisWeek = open.filter((t) => inScope(t.orgPath) && t.dueAt.getTime() >= NOW && t.dueAt.getTime() <= weekEnd);
          const dueCounted = [...records.openWork.dueBetween(root, NOW, weekEnd)].map(([c, n]) => [`${c.orgId}/${c.processType}`, n] as const).sort();
          expect(dueCounted, `due this week under ${root}`).toEqual(perCell(dueThisWeek));

          const oldest = open
            .filter((t) => t.overdue && inScope(t.orgPath))
            .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || (a._id < b._id ? -1 : 1))
            .slice(0, 3)
            .map((t) => t._id);
          expect(records.openWork.oldestOverdue(root, 3).map((t) => t._id)).toEqual(oldest);
        }
      }),
      { numRuns: 500 },
    );
  });
});
