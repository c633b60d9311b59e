/**
 * MongoDB query semantics for the filters search and the dashboard build, applied to
 * records in memory (./process-index.ts): so the same filter object means the same thing
 * whether the index or the database answers it. The subset: a field equal to a scalar
 * (for an array field: the array holds it) and ranges with `$gte`/`$gt`/`$lte`/`$lt`.
 * Anything else is a programming error and throws, rather than matching wrongly.
 */
export type Scalar = string | number | boolean | Date;
export type Range = { $gte?: Scalar; $gt?: Scalar; $lte?: Scalar; $lt?: Scalar };
export type Filter = Record<string, unknown>;

const RANGE_OPERATORS = new Set(['$gte', '$gt', '$lte', '$lt']);

/** Dates compare by instant; other scalars as they are. */
const key = (v: unknown): unknown => (v instanceof Date ? v.getTime() : v);

function isScalar(v: unknown): v is Scalar {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date;
}

function equalsTest(field: string, expected: Scalar): (doc: Record<string, unknown>) => boolean {
  if (expected instanceof Date) {
    const want = expected.getTime();
    return (doc) => {
      const value = doc[field];
      return Array.isArray(value) ? value.some((v) => key(v) === want) : value !== undefined && key(value) === want;
    };
  }
  // The hot path (status, orgId, orgPath over 100,000 summaries): no conversion per record.
  return (doc) => {
    const value = doc[field];
    return value === expected || (Array.isArray(value) && value.includes(expected));
  };
}

function rangeTest(field: string, range: Range): (doc: Record<string, unknown>) => boolean {
  const bounds = Object.entries(range).map(([op, bound]) => {
    if (!RANGE_OPERATORS.has(op) || !isScalar(bound)) throw new Error(`filter on ${field}: unsupported ${op}`);
    return [op, key(bound) as number | string] as const;
  });
  return (doc) => {
    const raw = doc[field];
    if (raw === undefined || raw === null) return false;
    const value = key(raw) as number | string;
    return bounds.every(([op, b]) => (op === '$gte' ? value >= b : op === '$gt' ? value > b : op === '$lte' ? value <= b : value < b));
  };
}

export function compileFilter(filter: Filter): (doc: object) => boolean {
  const tests = Object.entries(filter).map(([field, expected]) => {
    if (field.startsWith('$') || field.includes('.')) throw new Error(`filter: unsupported field ${field}`);
    if (isScalar(expected)) return equalsTest(field, expected);
    if (expected && typeof expected === 'object' && !Array.isArray(expected)) return rangeTest(field, expected);
    throw new Error(`filter on ${field}: unsupported value`);
  });
  return (doc) => {
    for (const test of tests) if (!test(doc as Record<string, unknown>)) return false;
    return true;
  };
}
