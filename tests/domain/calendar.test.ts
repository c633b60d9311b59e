import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  dayOfMonthAfterPeriodStart,
  daysBetween,
  endOfDayInstant,
  isLocalDate,
  localDateOf,
  localTimeMs,
  nextPeriodStart,
  periodEnd,
  periodKey,
  periodStart,
  startOfDayMs,
} from '../../domain/calendar.js';

describe('calendar: local dates in Asia/Shanghai', () => {
  it.each([
    ['2027-01-31', 1, '2027-02-28', 'common year clamps to 28 Feb'],
    ['2028-01-31', 1, '2028-02-29', 'leap year clamps to 29 Feb'],
    ['2027-11-30', 3, '2028-02-29', '30 Nov + 3 months in a leap year'],
    ['2026-11-30', 3, '2027-02-28', '30 Nov + 3 months in a common year'],
    ['2027-03-10', 3, '2027-06-10', 'a plain three months'],
    ['2027-03-31', 1, '2027-04-30', 'clamps to a 30-day month'],
    ['2027-12-15', 1, '2028-01-15', 'crosses a year'],
    ['2027-03-31', -1, '2027-02-28', 'backwards also clamps'],
  ])('when %s is advanced %i month(s), then it is %s (%s)', (date, months, expected) => {
    expect(addMonths(date, months)).toBe(expected);
  });

  it('when the k-th three-month date is counted from the same start, then a short month never shifts later dates (Art. 6(12) reading)', () => {
    expect([1, 2, 3, 4].map((k) => addMonths('2026-11-30', 3 * k))).toEqual(['2027-02-28', '2027-05-30', '2027-08-30', '2027-11-30']);
  });

  it.each([
    ['quarter', '2027-02-14', '2027-01-01', '2027-03-31', '2027-Q1'],
    ['quarter', '2027-05-01', '2027-04-01', '2027-06-30', '2027-Q2'],
    ['quarter', '2027-09-30', '2027-07-01', '2027-09-30', '2027-Q3'],
    ['quarter', '2027-10-01', '2027-10-01', '2027-12-31', '2027-Q4'],
    ['half-year', '2027-06-30', '2027-01-01', '2027-06-30', '2027-H1'],
    ['half-year', '2027-07-01', '2027-07-01', '2027-12-31', '2027-H2'],
    ['year', '2028-02-29', '2028-01-01', '2028-12-31', '2028'],
    ['month', '2028-02-10', '2028-02-01', '2028-02-29', '2028-02'],
  ] as const)('when the %s containing %s is taken, then it runs %s to %s (%s)', (kind, date, start, end, key) => {
    expect(periodStart(kind, date)).toBe(start);
    expect(periodEnd(kind, date)).toBe(end);
    expect(periodKey(kind, date)).toBe(key);
  });

  it('when the next period is asked for, then it starts the day after the period ends', () => {
    expect(nextPeriodStart('quarter', '2027-12-31')).toBe('2028-01-01');
    expect(nextPeriodStart('half-year', '2027-03-01')).toBe('2027-07-01');
  });

  it('when a Shanghai date ends, then its last instant in UTC is 15:59:59.999 the same day', () => {
    expect(endOfDayInstant('2027-02-28')).toBe('2027-02-28T15:59:59.999Z');
    expect(new Date(startOfDayMs('2027-01-01')).toISOString()).toBe('2026-12-31T16:00:00.000Z');
  });

  it('when an instant is read as a Shanghai date, then 16:00 UTC is already the next day', () => {
    expect(localDateOf('2027-02-28T15:59:59.999Z')).toBe('2027-02-28');
    expect(localDateOf('2027-02-28T16:00:00.000Z')).toBe('2027-03-01');
  });

  it('when a local time is asked for, then 09:00 Shanghai is 01:00 UTC', () => {
    expect(new Date(localTimeMs('2027-06-10', '09:00')).toISOString()).toBe('2027-06-10T01:00:00.000Z');
  });

  it('when "by the 5th of the next month" is computed for January, then it is 5 Feb (Art. 10(3) reading)', () => {
    expect(dayOfMonthAfterPeriodStart('2027-01-01', 2, 5)).toBe('2027-02-05');
    expect(dayOfMonthAfterPeriodStart('2027-01-01', 13, 15)).toBe('2028-01-15');
  });

  it('when days are added and counted, then they cross months and leap days', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2027-02-28', 1)).toBe('2027-03-01');
    expect(daysBetween('2027-01-31', '2027-03-02')).toBe(30);
  });

  it('when a date does not exist, then it is refused', () => {
    expect(isLocalDate('2027-02-29')).toBe(false);
    expect(isLocalDate('2028-02-29')).toBe(true);
    expect(isLocalDate('2027-2-1')).toBe(false);
    expect(() => addMonths('2027-13-01', 1)).toThrow(RangeError);
  });
});
