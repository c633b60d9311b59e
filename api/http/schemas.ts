/** Query and answer shapes shared by many endpoints. */
import { z } from 'zod';
import { isLocalDate } from '../../domain/calendar.js';

export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const Page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int(), limit: z.number().int(), offset: z.number().int() });

export const LocalDateParam = z.string().refine(isLocalDate, 'must be a date YYYY-MM-DD');

/** "true"/"false" in a query string (z.coerce.boolean would take "false" as true). */
export const BooleanParam = z.enum(['true', 'false']).transform((v) => v === 'true');
