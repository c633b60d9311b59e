/** Checks of a submitted form against the rectification's state (refused with 422). Pure. */
import type { RectificationClosureForm, RectificationPlanForm, RectificationProgressForm } from './forms.js';

/** A plan answers every finding exactly once, and nothing else. */
export function planProblems(plan: RectificationPlanForm, findingIds: readonly string[]): string[] {
  const problems: string[] = [];
  const known = new Set(findingIds);
  const seen = new Map<string, number>();
  for (const row of plan.items) seen.set(row.findingId, (seen.get(row.findingId) ?? 0) + 1);
  for (const [id, count] of seen) {
    if (!known.has(id)) problems.push(`the plan names an unknown finding ${id}`);
    else if (count > 1) problems.push(`the plan covers finding ${id} ${count} times`);
  }
  for (const id of findingIds) if (!seen.has(id)) problems.push(`the plan does not cover finding ${id}`);
  return problems;
}

/** A progress report names only items of the plan that are still open, each once. */
export function progressProblems(report: RectificationProgressForm, openItemIds: readonly string[], allItemIds: readonly string[]): string[] {
  const problems: string[] = [];
  const open = new Set(openItemIds);
  const all = new Set(allItemIds);
  const seen = new Set<string>();
  for (const row of report.items) {
    if (seen.has(row.itemId)) problems.push(`the report names item ${row.itemId} twice`);
    seen.add(row.itemId);
    if (!all.has(row.itemId)) problems.push(`the report names an unknown item ${row.itemId}`);
    else if (!open.has(row.itemId)) problems.push(`item ${row.itemId} is already rectified`);
  }
  return problems;
}

/** A reopening names items of the plan, each once. */
export function closureProblems(closure: RectificationClosureForm, allItemIds: readonly string[]): string[] {
  const all = new Set(allItemIds);
  const ids = closure.reopenItemIds ?? [];
  const problems = ids.filter((id) => !all.has(id)).map((id) => `there is no item ${id} to reopen`);
  if (new Set(ids).size !== ids.length) problems.push('an item is named twice');
  return problems;
}
