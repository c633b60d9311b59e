/**
 * The calendar of the Rules: local dates in Asia/Shanghai ("YYYY-MM-DD"), calendar-month
 * arithmetic with clamping, period ends, and the instants at which a local day begins
 * and ends. Pure functions, safe in workflow code.
 *
 * Asia/Shanghai has been UTC+08:00 all year since 1991 (no daylight saving), so a fixed
 * offset is exact for every date this service handles.
 */

export type LocalDate = string;
export type PeriodKind = 'month' | 'quarter' | 'half-year' | 'year';

export const TIME_ZONE = 'Asia/Shanghai';
const OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

interface Ymd {
  y: number;
  m: number; // 1..12
  d: number;
}

function parse(date: LocalDate): Ymd {
  const match = LOCAL_DATE.exec(date);
  if (!match) throw new RangeError(`not a local date (YYYY-MM-DD): ${date}`);
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) throw new RangeError(`no such date: ${date}`);
  return { y, m, d };
}

function format({ y, m, d }: Ymd): LocalDate {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

export function isLocalDate(value: string): boolean {
  try {
    parse(value);
    return true;
  } catch {
    return false;
  }
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function localDate(year: number, month: number, day: number): LocalDate {
  return format({ y: year, m: month, d: Math.min(day, daysInMonth(year, month)) });
}

/** Calendar months with clamping: 31 Jan + 1 month = 28 Feb (29 in a leap year). */
export function addMonths(date: LocalDate, months: number): LocalDate {
  const { y, m, d } = parse(date);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return localDate(year, month, d);
}

export function addDays(date: LocalDate, days: number): LocalDate {
  const { y, m, d } = parse(date);
  const t = new Date(Date.UTC(y, m - 1, d) + days * DAY_MS);
  return format({ y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() });
}

/** Whole days from `a` to `b` (negative when b is earlier). */
export function daysBetween(a: LocalDate, b: LocalDate): number {
  const pa = parse(a);
  const pb = parse(b);
  return Math.round((Date.UTC(pb.y, pb.m - 1, pb.d) - Date.UTC(pa.y, pa.m - 1, pa.d)) / DAY_MS);
}

export function compareDates(a: LocalDate, b: LocalDate): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The instant (ms since epoch) at which the local day begins: 00:00 in Shanghai. */
export function startOfDayMs(date: LocalDate): number {
  const { y, m, d } = parse(date);
  return Date.UTC(y, m - 1, d) - OFFSET_MS;
}

/** The last instant of the local day: a task due on a date is due until the end of it. */
export function endOfDayMs(date: LocalDate): number {
  return startOfDayMs(date) + DAY_MS - 1;
}

/** `endOfDayMs` as an ISO string: "2027-02-28" → "2027-02-28T15:59:59.999Z". */
export function endOfDayInstant(date: LocalDate): string {
  return new Date(endOfDayMs(date)).toISOString();
}

/** A given local time of day ("HH:MM") on a local date, as ms since epoch. */
export function localTimeMs(date: LocalDate, time: string): number {
  const match = /^(\d{2}):(\d{2})$/.exec(time);
  if (!match) throw new RangeError(`not a time (HH:MM): ${time}`);
  return startOfDayMs(date) + (Number(match[1]) * 60 + Number(match[2])) * 60 * 1000;
}

/** The Shanghai local date of an instant. */
export function localDateOf(instant: Date | number | string): LocalDate {
  const t = new Date(new Date(instant).getTime() + OFFSET_MS);
  return format({ y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() });
}

export function yearOf(date: LocalDate): number {
  return parse(date).y;
}

const periodMonths: Record<PeriodKind, number> = { month: 1, quarter: 3, 'half-year': 6, year: 12 };

/** First day of the period (of the given kind) that contains the date. */
export function periodStart(kind: PeriodKind, date: LocalDate): LocalDate {
  const { y, m } = parse(date);
  const size = periodMonths[kind];
  const firstMonth = Math.floor((m - 1) / size) * size + 1;
  return localDate(y, firstMonth, 1);
}

/** Last day of the period that contains the date: quarter ends 31 Mar, 30 Jun, 30 Sep, 31 Dec. */
export function periodEnd(kind: PeriodKind, date: LocalDate): LocalDate {
  return addDays(addMonths(periodStart(kind, date), periodMonths[kind]), -1);
}

/** First day of the period after the one that contains the date. */
export function nextPeriodStart(kind: PeriodKind, date: LocalDate): LocalDate {
  return addMonths(periodStart(kind, date), periodMonths[kind]);
}

/** A readable key of the period: 2027, 2027-Q1, 2027-H2, 2027-01. */
export function periodKey(kind: PeriodKind, date: LocalDate): string {
  const { y, m } = parse(date);
  switch (kind) {
    case 'year':
      return String(y);
    case 'half-year':
      return `${y}-H${m <= 6 ? 1 : 2}`;
    case 'quarter':
      return `${y}-Q${Math.floor((m - 1) / 3) + 1}`;
    case 'month':
      return `${y}-${String(m).padStart(2, '0')}`;
  }
}

/**
 * "By day D of month M" relative to a period: the period's own months are 1.. (month 1
 * = the period's first month); months beyond the period's length fall after it, so
 * DIC-MONTHLY-VIOLATIONS for January, due "by the 5th of the next month", is
 * `dayOfMonthAfterPeriodStart('2027-01-01', 2, 5)` = 2027-02-05.
 */
export function dayOfMonthAfterPeriodStart(periodStartDate: LocalDate, monthNumber: number, day: number): LocalDate {
  const first = addMonths(periodStartDate, monthNumber - 1);
  const { y, m } = parse(first);
  return localDate(y, m, day);
}
