/**
 * The one check of input dates against the INPUT-DATES policy (domain/date-input.ts): the
 * endpoint layer runs it on every parsed request (api/http/endpoint.ts), the task completion
 * on every form payload. A date outside the range is 400 and nothing happens.
 */
import type { z } from 'zod';
import type { Models } from '../../models/index.js';
import { currentProcessPolicy } from '../../models/policy.js';
import { DATE_POLICY_CODE, DEFAULT_DATE_POLICY, dateRangeOf, datesIn, outOfRange, type DatePolicyEntry, type DateRange } from '../../domain/date-input.js';
import { localDateOf } from '../../domain/calendar.js';
import { ApiError } from './errors.js';

/** The current INPUT-DATES entry; its default where nobody seeded the policies yet (a check never writes). */
export async function datePolicy(models: Models): Promise<DatePolicyEntry> {
  return (await currentProcessPolicy(models, DATE_POLICY_CODE))?.entry ?? DEFAULT_DATE_POLICY;
}

/** Today's range of accepted dates. */
export async function inputDateRange(models: Models): Promise<DateRange> {
  return dateRangeOf(await datePolicy(models), localDateOf(Date.now()));
}

/**
 * Throws 400 when a bounded date in any part lies outside the range. The range is read only
 * when a part holds a date, so requests without dates cost nothing.
 */
export async function checkInputDates(range: () => Promise<DateRange>, parts: Array<{ where: string; schema: z.ZodType | undefined; value: unknown }>): Promise<void> {
  const found = parts.flatMap(({ where, schema, value }) => datesIn(schema, value, [where]));
  if (found.length === 0) return;
  const accepted = await range();
  const issues = outOfRange(found, accepted);
  if (issues.length > 0) throw new ApiError('invalid_input', `dates must lie between ${accepted.earliest} and ${accepted.latest}`, issues);
}
