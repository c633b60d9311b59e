/** Writes of the rectification process; each keyed so that a retry changes nothing twice. */
import type { Models } from '../models/index.js';

export interface AnnualReportRequirementInput {
  orgId: string;
  year: number;
  rectificationId: string;
  feedbackId: string;
  closedOn: string;
  summary: string;
  items: unknown[];
  at: string;
}

export async function recordAnnualReportRequirement(models: Models, input: AnnualReportRequirementInput): Promise<void> {
  const { at, ...fields } = input;
  await models.AnnualReportRequirement.updateOne(
    { _id: input.rectificationId },
    { $setOnInsert: { _id: input.rectificationId, ...fields, obligationCode: 'PC-ANNUAL-REPORT', createdAt: new Date(at) } },
    { upsert: true },
  );
}
