import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CATALOGUE, CATALOGUE_ROWS, catalogueEntry } from '../../domain/obligations/catalogue.js';
import { dueAt, dueDateFor, opensOn, periodFor, periodsOf } from '../../domain/obligations/due-dates.js';
import {
  OBLIGATION_ORG_CATEGORIES,
  OBLIGATION_ORG_KINDS,
  OBLIGATION_POSTS,
  PolicyEntry,
} from '../../domain/obligations/policy-entry.js';
import type { LocalDate } from '../../domain/calendar.js';
import { ORG_CATEGORIES, ORG_KINDS } from '../../models/org.js';
import { POSTS } from '../../models/person.js';
import { repoRoot } from '../../scripts/lib/services.js';

function entry(code: string) {
  const found = catalogueEntry(code);
  if (!found) throw new Error(`no catalogue entry ${code}`);
  return found;
}

/** Period key → due date for every period of the entry between the two dates. */
function dueDates(code: string, from: LocalDate, to: LocalDate): Record<string, LocalDate> {
  const e = entry(code);
  return Object.fromEntries(periodsOf(e, from, to).map((p) => [p.key, dueDateFor(e, p.start)]));
}

const QUARTERS_2027 = { '2027-Q1': '2027-03-31', '2027-Q2': '2027-06-30', '2027-Q3': '2027-09-30', '2027-Q4': '2027-12-31' };
const HALVES_2027 = { '2027-H1': '2027-06-30', '2027-H2': '2027-12-31' };

interface RowCase {
  name: string;
  code: string;
  /** The periods checked: every one with a day in [from, to]. */
  from: LocalDate;
  to: LocalDate;
  due: Record<string, LocalDate>;
  minimumCount?: number;
}

/** One case per catalogue row; the name starts with the row's first article and its code. */
const rows: RowCase[] = [
  { name: 'Art. 6(1) PC-ANNUAL-DEPLOY: when the year is 2027, then the deployment at the annual work conference is due 2027-03-31', code: 'PC-ANNUAL-DEPLOY', from: '2027-01-01', to: '2027-12-31', due: { '2027': '2027-03-31' } },
  { name: 'Art. 6(2) PC-ANNUAL-REVIEW: when the year reviewed is 2026, then the start-of-year meeting is due 2027-01-31', code: 'PC-ANNUAL-REVIEW', from: '2026-01-01', to: '2027-12-31', due: { '2026': '2027-01-31', '2027': '2028-01-31' } },
  { name: 'Art. 6(2) PC-QUARTERLY-MEETING: when the year is 2027, then the meetings are due 03-31, 06-30, 09-30 and 12-31', code: 'PC-QUARTERLY-MEETING', from: '2027-01-01', to: '2027-12-31', due: QUARTERS_2027 },
  { name: 'Art. 10(1) PC-ANNUAL-REPORT: when the year is 2026, then the report is due 2027-01-15', code: 'PC-ANNUAL-REPORT', from: '2026-01-01', to: '2027-12-31', due: { '2026': '2027-01-15', '2027': '2028-01-15' } },
  { name: "Art. 10(1) PM-ANNUAL-REPORT: when the year is 2026, then each team member's report is due 2027-01-15", code: 'PM-ANNUAL-REPORT', from: '2026-01-01', to: '2027-12-31', due: { '2026': '2027-01-15', '2027': '2028-01-15' } },
  { name: "Art. 10(1) UNIT-ANNUAL-REPORT: when the year is 2026, then the unit head's report is due 2027-01-15", code: 'UNIT-ANNUAL-REPORT', from: '2026-01-01', to: '2027-12-31', due: { '2026': '2027-01-15', '2027': '2028-01-15' } },
  { name: 'Art. 10(2) PC-EVALUATION-HEARING: when the year reported on is 2026, then the face-to-face hearing is due 2027-03-31', code: 'PC-EVALUATION-HEARING', from: '2026-01-01', to: '2026-12-31', due: { '2026': '2027-03-31' } },
  { name: 'Art. 7(2) PL-QUARTERLY-HEARING: when the year is 2027, then at least one hearing is due by each quarter end', code: 'PL-QUARTERLY-HEARING', from: '2027-01-01', to: '2027-12-31', due: QUARTERS_2027, minimumCount: 1 },
  { name: 'Art. 7(2) PL-ANNUAL-LECTURE: when the year is 2027, then at least one lecture is due by 2027-12-31', code: 'PL-ANNUAL-LECTURE', from: '2027-01-01', to: '2027-12-31', due: { '2027': '2027-12-31' }, minimumCount: 1 },
  { name: 'Art. 8(4) PM-ANNUAL-LECTURE: when the year is 2027, then at least one lecture per team member is due by 2027-12-31', code: 'PM-ANNUAL-LECTURE', from: '2027-01-01', to: '2027-12-31', due: { '2027': '2027-12-31' }, minimumCount: 1 },
  { name: 'Art. 7(3) PL-REGULAR-INTERVIEWS: when the year is 2027, then interviews are due by 2027-06-30 and 2027-12-31 (half-year reading)', code: 'PL-REGULAR-INTERVIEWS', from: '2027-01-01', to: '2027-12-31', due: HALVES_2027, minimumCount: 1 },
  { name: 'Art. 8(1) PM-QUARTERLY-REPORT: when the year is 2027, then the reports are due 03-31, 06-30, 09-30 and 12-31', code: 'PM-QUARTERLY-REPORT', from: '2027-01-01', to: '2027-12-31', due: QUARTERS_2027 },
  { name: 'Art. 8(2) PM-SPECIAL-ANALYSIS: when the year is 2027, then at least two analyses are due by 2027-12-31', code: 'PM-SPECIAL-ANALYSIS', from: '2027-01-01', to: '2027-12-31', due: { '2027': '2027-12-31' }, minimumCount: 2 },
  { name: 'Art. 8(3) PM-SEMIANNUAL-HEARING: when the year is 2027, then the hearings are due 2027-06-30 and 2027-12-31', code: 'PM-SEMIANNUAL-HEARING', from: '2027-01-01', to: '2027-12-31', due: HALVES_2027 },
  { name: 'Art. 9(1) DIC-JANUARY-REPORT: when the year reported on is 2026, then the January report is due 2027-01-31', code: 'DIC-JANUARY-REPORT', from: '2026-01-01', to: '2027-12-31', due: { '2026': '2027-01-31', '2027': '2028-01-31' } },
  { name: 'Art. 9(6) DIC-WARNING-EDUCATION: when the year is 2027, then at least one activity is due by 2027-12-31', code: 'DIC-WARNING-EDUCATION', from: '2027-01-01', to: '2027-12-31', due: { '2027': '2027-12-31' }, minimumCount: 1 },
  { name: 'Art. 9(7) DIC-SPECIAL-INSPECTION: when the year is 2027, then the special inspection is due by 2027-12-31', code: 'DIC-SPECIAL-INSPECTION', from: '2027-01-01', to: '2027-12-31', due: { '2027': '2027-12-31' }, minimumCount: 1 },
  { name: 'Art. 10(3) DIC-SEMIANNUAL-REPORT: when the half-years are 2027-H1 and 2027-H2, then the reports are due 2027-07-15 and 2028-01-15', code: 'DIC-SEMIANNUAL-REPORT', from: '2026-07-01', to: '2027-12-31', due: { '2026-H2': '2027-01-15', '2027-H1': '2027-07-15', '2027-H2': '2028-01-15' } },
  { name: 'Art. 10(3) DIC-QUARTERLY-INTEGRITY: when the year is 2027, then the face-to-face reports are due 03-31, 06-30, 09-30 and 12-31', code: 'DIC-QUARTERLY-INTEGRITY', from: '2027-01-01', to: '2027-12-31', due: QUARTERS_2027 },
  {
    name: 'Art. 10(3) DIC-MONTHLY-VIOLATIONS: when the month is 2027-01, then its report is due 2027-02-05 (and each month the 5th of the next)',
    code: 'DIC-MONTHLY-VIOLATIONS',
    from: '2027-01-01',
    to: '2027-12-31',
    due: {
      '2027-01': '2027-02-05', '2027-02': '2027-03-05', '2027-03': '2027-04-05', '2027-04': '2027-05-05',
      '2027-05': '2027-06-05', '2027-06': '2027-07-05', '2027-07': '2027-08-05', '2027-08': '2027-09-05',
      '2027-09': '2027-10-05', '2027-10': '2027-11-05', '2027-11': '2027-12-05', '2027-12': '2028-01-05',
    },
  },
  { name: 'Art. 10(4) DIC-ANNUAL-DEBRIEF: when the year debriefed is 2026, then the debriefing is due 2027-01-31', code: 'DIC-ANNUAL-DEBRIEF', from: '2026-01-01', to: '2026-12-31', due: { '2026': '2027-01-31' } },
  { name: 'Art. 11(1) DIC-RESPONSIBILITY-LETTER: when the year is 2027, then the letter for it is due 2027-01-31', code: 'DIC-RESPONSIBILITY-LETTER', from: '2027-01-01', to: '2027-12-31', due: { '2027': '2027-01-31' } },
  { name: 'Art. 11(3) DIC-LIST-SIGNOFF: when the year is 2027, then the signed lists are due 2027-12-31', code: 'DIC-LIST-SIGNOFF', from: '2027-01-01', to: '2027-12-31', due: { '2027': '2027-12-31' } },
  { name: 'Art. 12(2) CITY-DIC-HEAD-INTERVIEWS: when the year is 2027, then at least one interview is due by 2027-12-31', code: 'CITY-DIC-HEAD-INTERVIEWS', from: '2027-01-01', to: '2027-12-31', due: { '2027': '2027-12-31' }, minimumCount: 1 },
  { name: 'Art. 13(2) PC-QUANTIFIED-TARGETS: when the year is 2027, then its quantified targets are due 2027-01-31', code: 'PC-QUANTIFIED-TARGETS', from: '2027-01-01', to: '2027-12-31', due: { '2027': '2027-01-31' } },
  { name: 'Art. 13(2) PC-QUANTIFIED-SCORES: when the year is 2027, then its scores are due 2027-12-31', code: 'PC-QUANTIFIED-SCORES', from: '2027-01-01', to: '2027-12-31', due: { '2027': '2027-12-31' } },
];

describe('obligation catalogue: the due dates of every recurring duty (digest, "Recurring duties")', () => {
  for (const row of rows) {
    it(row.name, () => {
      const e = entry(row.code);
      expect(row.name.startsWith(`Art. ${e.articles[0]} ${row.code}:`)).toBe(true);
      expect(dueDates(row.code, row.from, row.to)).toEqual(row.due);
      expect(e.minimumCount).toBe(row.minimumCount ?? 1);
    });
  }

  it('when the catalogue is compared with the cases above, then every row has exactly one case', () => {
    expect(rows.map((r) => r.code).sort()).toEqual(CATALOGUE.map((e) => e.code).sort());
    expect(new Set(CATALOGUE.map((e) => e.code)).size).toBe(CATALOGUE.length);
  });
});

describe('obligation catalogue: the entries as policy data', () => {
  it('when each catalogue row is parsed on its own, then it validates against the policy schema', () => {
    for (const row of CATALOGUE_ROWS) {
      const result = PolicyEntry.safeParse(row);
      expect(result.success, `${row.code}: ${JSON.stringify(result.error?.issues)}`).toBe(true);
    }
  });

  it('when an entry asks for acceptance with no recipient, then the schema rejects it', () => {
    const bad = { ...entry('PM-SPECIAL-ANALYSIS'), requiresAcceptance: true, recipient: 'none' };
    const result = PolicyEntry.safeParse(bad);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['requiresAcceptance']);
  });

  it('when the rules digest is read, then every [reading] of its recurring-duties table is quoted in an entry of that row', () => {
    // The project's own copy (docs/rules/README.md): no test reads outside the repository.
    const text = readFileSync(join(repoRoot, 'docs', 'rules', 'rules-digest.md'), 'utf8');
    const section = text.slice(text.indexOf('## Recurring duties'), text.indexOf('## Event-driven processes'));
    let readingsFound = 0;
    for (const line of section.split('\n').filter((l) => /^\| [A-Z]/.test(l))) {
      const codes = (line.split('|')[1] ?? '').split(',').map((c) => c.trim());
      for (const [, reading] of line.matchAll(/\[reading:\s*([^\]]+)\]/g)) {
        readingsFound += 1;
        for (const code of codes) {
          const quoted = entry(code).readings.some((r) => r.includes(`[reading: ${reading!.trim()}]`));
          expect(quoted, `${code} quotes [reading: ${reading}]`).toBe(true);
        }
      }
    }
    expect(readingsFound).toBeGreaterThanOrEqual(12);
  });

  it('when the domain mirrors of org kinds, categories and posts are compared with the models, then they are equal', () => {
    expect([...OBLIGATION_ORG_KINDS]).toEqual([...ORG_KINDS]);
    expect([...OBLIGATION_ORG_CATEGORIES]).toEqual([...ORG_CATEGORIES]);
    expect([...OBLIGATION_POSTS]).toEqual([...POSTS]);
  });

  it('when a duty names a recipient, then the catalogue asks for its acceptance', () => {
    for (const e of CATALOGUE) expect(e.requiresAcceptance, e.code).toBe(e.recipient !== 'none');
  });
});

describe('obligation periods and due instants', () => {
  it('Art. 10(1): when the 2026 report is due 2027-01-15, then it is due until 23:59:59.999 Shanghai time that day', () => {
    expect(dueAt(entry('PC-ANNUAL-REPORT'), '2026-01-01')).toBe('2027-01-15T15:59:59.999Z');
  });

  it('Art. 10(1): when a duty reports on a past year, then its task opens the day after that year ends', () => {
    expect(opensOn(entry('PC-ANNUAL-REPORT'), '2026-01-01')).toBe('2027-01-01');
    expect(opensOn(entry('DIC-MONTHLY-VIOLATIONS'), '2027-01-01')).toBe('2027-02-01');
  });

  it('Art. 6(1): when a duty is done within its year, then its task opens on the first day of that year', () => {
    expect(opensOn(entry('PC-ANNUAL-DEPLOY'), '2027-01-01')).toBe('2027-01-01');
    expect(opensOn(entry('PC-QUARTERLY-MEETING'), '2027-04-01')).toBe('2027-04-01');
  });

  it('when a date inside a period is given, then periodFor names that period with its first and last day', () => {
    expect(periodFor(entry('PC-QUARTERLY-MEETING'), '2027-05-17')).toEqual({ key: '2027-Q2', start: '2027-04-01', end: '2027-06-30' });
    expect(periodFor(entry('PL-REGULAR-INTERVIEWS'), '2027-07-01')).toEqual({ key: '2027-H2', start: '2027-07-01', end: '2027-12-31' });
    expect(periodFor(entry('DIC-MONTHLY-VIOLATIONS'), '2028-02-29')).toEqual({ key: '2028-02', start: '2028-02-01', end: '2028-02-29' });
  });

  it('when the range starts and ends inside periods, then periodsOf includes both partial periods', () => {
    expect(periodsOf(entry('PC-QUARTERLY-MEETING'), '2027-02-10', '2027-04-02').map((p) => p.key)).toEqual(['2027-Q1', '2027-Q2']);
    expect(periodsOf(entry('PC-QUARTERLY-MEETING'), '2027-05-01', '2027-04-01')).toEqual([]);
  });

  it('when dueDateFor is given a date that does not start a period, then it refuses', () => {
    expect(() => dueDateFor(entry('PC-QUARTERLY-MEETING'), '2027-02-01')).toThrow(RangeError);
  });

  it('when a due day is past the end of its month, then it is clamped to the last day', () => {
    const e = PolicyEntry.parse({ ...entry('DIC-MONTHLY-VIOLATIONS'), due: { kind: 'dayOfMonthAfterPeriodStart', month: 2, day: 31 } });
    expect(dueDateFor(e, '2028-01-01')).toBe('2028-02-29');
  });
});
