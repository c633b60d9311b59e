/**
 * The first `count` items of `items` in `compare` order, without sorting all of them: one
 * pass keeping a sorted list of the best so far (O(n log count)). Pages of search results
 * and the dashboard's oldest overdue tasks are a few dozen rows out of up to 100,000, where
 * a full sort takes about 100 ms; when `count` is a large share of the items, a plain sort
 * is as quick and is used.
 */
export function firstInOrder<T>(items: readonly T[], compare: (a: T, b: T) => number, count: number): T[] {
  if (count * 4 >= items.length) return [...items].sort(compare).slice(0, count);
  const first: T[] = [];
  if (count <= 0) return first;
  for (const item of items) {
    if (first.length === count && compare(item, first[count - 1] as T) >= 0) continue;
    let lo = 0;
    let hi = first.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compare(first[mid] as T, item) <= 0) lo = mid + 1;
      else hi = mid;
    }
    first.splice(lo, 0, item);
    if (first.length > count) first.pop();
  }
  return first;
}
