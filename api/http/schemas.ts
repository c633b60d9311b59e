/** Query and answer shapes shared by many endpoints. */
import { z } from 'zod';
import { DateInput } from '../../domain/date-input.js';

export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const Page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int(), limit: z.number().int(), offset: z.number().int() });

/** A local date, bounded by the INPUT-DATES policy (domain/date-input.ts) like every date input. */
export const LocalDateParam = DateInput;

/** "true"/"false" in a query string (z.coerce.boolean would take "false" as true). */
export const BooleanParam = z.enum(['true', 'false']).transform((v) => v === 'true');
