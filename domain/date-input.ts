/**
 * Dates people type in (a feedback date, a period to enrol from, a plan's target date, a
 * search filter) are bounded by a range kept in editable policy (INPUT-DATES): by default
 * from 2015-01-01 (the Rules date from 2015) to twelve months ahead of today. A year 0001
 * or 9999 is a typing slip, not a date the service can run a deadline on.
 *
 * A schema says it takes such a date by being built from `DateInput` (or marked with
 * `boundedDate`); `datesIn` finds every such value in a parsed request or form payload, so
 * the API checks them all in one place (api/http/dates.ts). Pure: the console imports the
 * forms built from it.
 */
import { z } from 'zod';
import { addMonths, compareDates, isLocalDate, localDateOf, type LocalDate } from './calendar.js';

export const DATE_POLICY_CODE = 'INPUT-DATES';

export const dateFieldsShape = {
  title: z.string().min(1).max(300),
  titleZh: z.string().min(1).max(300),
  /** The earliest date any input may name. */
  earliest: z.string().refine(isLocalDate, 'must be a date YYYY-MM-DD'),
  /** How far ahead of today (Asia/Shanghai) an input may reach, in calendar months. */
  latestMonthsAhead: z.number().int().min(0).max(120),
  /** How far back an enrolment in obligation cycles may start, in calendar months (its past periods are opened at once). */
  enrolBackfillMonths: z.number().int().min(0).max(120),
  readings: z.array(z.string().min(1)).default([]),
};

export const DateFields = z.object(dateFieldsShape);
export const DatePolicyEntry = z.object({ code: z.literal(DATE_POLICY_CODE), ...dateFieldsShape });
export type DatePolicyEntry = z.infer<typeof DatePolicyEntry>;

export const DEFAULT_DATE_POLICY: DatePolicyEntry = {
  code: DATE_POLICY_CODE,
  title: 'Dates accepted as input',
  titleZh: '输入日期的范围',
  earliest: '2015-01-01',
  latestMonthsAhead: 12,
  enrolBackfillMonths: 12,
  readings: [
    'Every date the API takes is between 2015-01-01 (the Rules are of 2015) and twelve months ahead of today; outside it is 400.',
    'An enrolment in obligation cycles starts at most twelve months back: each past period is opened at once and most of them are missed already.',
  ],
};

export interface DateRange {
  earliest: LocalDate;
  latest: LocalDate;
}

export function dateRangeOf(entry: Pick<DatePolicyEntry, 'earliest' | 'latestMonthsAhead'>, today: LocalDate): DateRange {
  return { earliest: entry.earliest, latest: addMonths(today, entry.latestMonthsAhead) };
}

type Kind = 'date' | 'instant';
/** Marked by definition: `.describe()` and `.meta()` copy a schema but keep its definition. */
const marked = new WeakMap<object, Kind>();

/** Marks a schema as taking a bounded date (`date`: YYYY-MM-DD) or instant (`instant`: ISO date-time). */
export function boundedDate<S extends z.ZodType>(schema: S, kind: Kind = 'date'): S {
  marked.set(schema._zod.def, kind);
  return schema;
}

/** A local date (YYYY-MM-DD, a real calendar day) inside the INPUT-DATES range. */
export const DateInput = boundedDate(z.string().refine(isLocalDate, 'must be a date YYYY-MM-DD'));

export interface FoundDate {
  path: Array<string | number>;
  value: string;
  /** The local date (Asia/Shanghai) it names. */
  date: LocalDate;
}

/**
 * Every bounded date in `value` as parsed by `schema`, with its path. Walks objects, arrays
 * and the wrappers (optional, default, pipe, union…); a value of a union is looked at with
 * every option, which at worst checks a date-shaped string twice.
 */
export function datesIn(schema: z.ZodType | undefined, value: unknown, path: Array<string | number> = []): FoundDate[] {
  if (!schema || value === undefined || value === null) return [];
  const def = schema._zod.def as unknown as Record<string, unknown> & { type: string };
  const kind = marked.get(def);
  if (kind) {
    if (typeof value !== 'string') return [];
    const date = kind === 'date' ? value : Number.isNaN(Date.parse(value)) ? undefined : localDateOf(value);
    return date && isLocalDate(date) ? [{ path, value, date }] : [];
  }
  switch (def.type) {
    case 'object': {
      if (typeof value !== 'object') return [];
      const shape = def.shape as Record<string, z.ZodType>;
      return Object.entries(shape).flatMap(([key, inner]) => (Object.hasOwn(value, key) ? datesIn(inner, (value as Record<string, unknown>)[key], [...path, key]) : []));
    }
    case 'array':
      return Array.isArray(value) ? value.flatMap((item, index) => datesIn(def.element as z.ZodType, item, [...path, index])) : [];
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return datesIn(def.innerType as z.ZodType, value, path);
    case 'pipe':
      return datesIn(def.in as z.ZodType, value, path);
    case 'union': {
      const seen = new Set<string>();
      return (def.options as z.ZodType[]).flatMap((option) => datesIn(option, value, path)).filter((found) => {
        const id = found.path.join('\u0000');
        return seen.has(id) ? false : (seen.add(id), true);
      });
    }
    default:
      return [];
  }
}

/** The dates outside the range, each as an issue in the API's `details` format. */
export function outOfRange(found: FoundDate[], range: DateRange): Array<{ code: 'date_out_of_range'; path: Array<string | number>; message: string }> {
  return found
    .filter(({ date }) => compareDates(date, range.earliest) < 0 || compareDates(date, range.latest) > 0)
    .map(({ path, value }) => ({ code: 'date_out_of_range', path, message: `${value} is outside the dates accepted, ${range.earliest} to ${range.latest} (policy ${DATE_POLICY_CODE})` }));
}
