/**
 * How many process summaries there are per organisation × process type × status × overdue,
 * kept as summaries come and go, so that a search by subtree or organisation, type, status and
 * overdue knows how many it matches (its `total`) from a few thousand cells at most, not from a
 * pass over the tens of thousands of processes it matches at 100,000 (issue 11).
 */
import type { ProcessSummary } from '../models/process-summary.js';

/** The filters the counts answer: each field as `compileFilter` reads it (equality; `orgPath` holds the value). */
export interface CountableFilter {
  orgPath?: string;
  orgId?: string;
  processType?: string;
  status?: string;
  overdue?: boolean;
}

interface Cell {
  orgId: string;
  processType: string;
  status: string;
  /** As the record has it: a summary without the field matches neither `overdue: true` nor `false`. */
  overdue: boolean | undefined;
  n: number;
}

/** The filter as counts can answer it, or undefined when it names anything else (a range, another field). */
export function countable(filter: Record<string, unknown>): CountableFilter | undefined {
  const { orgPath, orgId, processType, status, overdue, ...rest } = filter;
  const stringOrAbsent = (v: unknown) => v === undefined || typeof v === 'string';
  if (Object.keys(rest).length > 0 || ![orgPath, orgId, processType, status].every(stringOrAbsent)) return undefined;
  if (overdue !== undefined && typeof overdue !== 'boolean') return undefined;
  return filter;
}

export class SummaryCounts {
  /** Keyed by the shared path array (one per organisation), then by the cell's other fields. */
  private readonly cells = new Map<string[], Map<string, Cell>>();

  /** A summary entering (+1) or leaving (-1). */
  count(s: ProcessSummary, sign: 1 | -1): void {
    let ofPath = this.cells.get(s.orgPath);
    if (!ofPath) this.cells.set(s.orgPath, (ofPath = new Map<string, Cell>()));
    const key = `${s.orgId}\u0000${s.processType}\u0000${s.status}\u0000${String(s.overdue)}`;
    let cell = ofPath.get(key);
    if (!cell) ofPath.set(key, (cell = { orgId: s.orgId, processType: s.processType, status: s.status, overdue: s.overdue, n: 0 }));
    cell.n += sign;
  }

  /**
   * How many summaries match `filter`, and how many of its organisation or subtree a pass
   * would read: the running ones for `status: 'running'`, all of them otherwise.
   */
  matching(filter: CountableFilter): { matching: number; inScope: number } {
    let matching = 0;
    let inScope = 0;
    for (const [path, ofPath] of this.cells) {
      if (filter.orgPath !== undefined && !path.includes(filter.orgPath)) continue;
      for (const cell of ofPath.values()) {
        if (filter.orgId !== undefined && cell.orgId !== filter.orgId) continue;
        if (filter.status !== 'running' || cell.status === 'running') inScope += cell.n;
        if (filter.processType !== undefined && cell.processType !== filter.processType) continue;
        if (filter.status !== undefined && cell.status !== filter.status) continue;
        if (filter.overdue !== undefined && cell.overdue !== filter.overdue) continue;
        matching += cell.n;
      }
    }
    return { matching, inScope };
  }
}
