import { Schema, type Connection, type InferSchemaType } from 'mongoose';
import type { Models } from './index.js';

/**
 * What a closed rectification leaves behind (Art. 6(12)): the target PC's annual report
 * for the year of closure (PC-ANNUAL-REPORT, Art. 10(1), due 15 Jan of the next year)
 * must give a full account of it. One record per rectification, keyed by its process ID,
 * so a retried write adds nothing.
 */
export const annualReportRequirementSchema = new Schema(
  {
    _id: { type: String, required: true },
    orgId: { type: String, required: true },
    /** The year whose annual report must carry the account. */
    year: { type: Number, required: true },
    obligationCode: { type: String, required: true, default: 'PC-ANNUAL-REPORT' },
    rectificationId: { type: String, required: true },
    feedbackId: { type: String, required: true },
    closedOn: { type: String, required: true },
    summary: { type: String, required: true },
    items: { type: Schema.Types.Mixed, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'annualReportRequirements', versionKey: false, minimize: false },
);
annualReportRequirementSchema.index({ orgId: 1, year: 1 });

export type AnnualReportRequirement = InferSchemaType<typeof annualReportRequirementSchema>;

export function annualReportRequirementModel(conn: Connection) {
  return conn.model('AnnualReportRequirement', annualReportRequirementSchema);
}

/** The rectifications the org's annual report for `year` must account for, oldest closure first. */
export async function requiredRectificationAccounts(models: Models, orgId: string, year: number): Promise<AnnualReportRequirement[]> {
  return models.AnnualReportRequirement.find({ orgId, year }).sort({ closedOn: 1, _id: 1 }).lean<AnnualReportRequirement[]>();
}
