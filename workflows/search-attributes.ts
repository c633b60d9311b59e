/**
 * Custom search attributes every process workflow keeps current, so that supervisors'
 * searches run on Temporal visibility. The dev server and the test servers register
 * exactly this list (scripts/lib/services.ts).
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const ProcessTypeKey = defineSearchAttributeKey('ProcessType', SearchAttributeType.KEYWORD);
export const OrgIdKey = defineSearchAttributeKey('OrgId', SearchAttributeType.KEYWORD);
/** The target organisation and all its ancestors: a subtree filter is `OrgPath = '<id>'`. */
export const OrgPathKey = defineSearchAttributeKey('OrgPath', SearchAttributeType.KEYWORD_LIST);
export const OverdueKey = defineSearchAttributeKey('Overdue', SearchAttributeType.BOOL);
export const NextDueAtKey = defineSearchAttributeKey('NextDueAt', SearchAttributeType.DATETIME);
export const EscalationLevelKey = defineSearchAttributeKey('EscalationLevel', SearchAttributeType.INT);

/** name → CLI type name, for `temporal server start-dev --search-attribute name=Type`. */
export const searchAttributeDeclarations: Record<string, string> = {
  ProcessType: 'Keyword',
  OrgId: 'Keyword',
  OrgPath: 'KeywordList',
  Overdue: 'Bool',
  NextDueAt: 'Datetime',
  EscalationLevel: 'Int',
};
