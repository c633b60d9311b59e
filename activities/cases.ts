/** The record an accountability case leaves on the person or team (Art. 13(3)). */
import type { Models } from '../models/index.js';

export interface AccountabilityRecordInput {
  caseProcessId: string;
  side: 'pc' | 'dic';
  subjectKind: 'team' | 'person';
  orgId: string;
  orgPath: string[];
  personId?: string;
  grounds: string[];
  source: string;
  determination: 'light' | 'heavier' | 'severe' | 'noResponsibility';
  facts: string;
  sanctions: string[];
  decidingOrgId: string;
  decidedAt: string;
  closed?: { at: string; summary: string };
}

/** One record per case, keyed by the case: the decision writes it, the closure completes it. */
export async function writeAccountabilityRecord(models: Models, input: AccountabilityRecordInput): Promise<void> {
  const { closed, caseProcessId, decidedAt, ...fields } = input;
  await models.AccountabilityRecord.updateOne(
    { _id: caseProcessId },
    {
      $set: {
        ...fields,
        caseProcessId,
        decidedAt: new Date(decidedAt),
        status: closed ? 'closed' : 'decided',
        ...(closed ? { closedAt: new Date(closed.at), closingSummary: closed.summary } : {}),
      },
    },
    { upsert: true },
  );
}
