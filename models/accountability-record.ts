import { Schema, type Connection, type InferSchemaType } from 'mongoose';

/**
 * The outcome of an accountability case, kept on the person's or team's record for
 * assessment (Art. 13(3)). One record per case (`_id` = the case's process ID), written
 * by the case's activities when the decision is taken and again when the case closes.
 */
export const accountabilityRecordSchema = new Schema(
  {
    _id: { type: String, required: true },
    caseProcessId: { type: String, required: true },
    side: { type: String, enum: ['pc', 'dic'], required: true },
    subjectKind: { type: String, enum: ['team', 'person'], required: true },
    orgId: { type: String, required: true, index: true },
    orgPath: { type: [String], required: true, index: true },
    personId: { type: String, index: true },
    grounds: { type: [String], default: [] },
    source: { type: String, required: true },
    determination: { type: String, enum: ['light', 'heavier', 'severe', 'noResponsibility'], required: true },
    facts: { type: String, required: true },
    sanctions: { type: [String], default: [] },
    decidingOrgId: { type: String, required: true },
    status: { type: String, enum: ['decided', 'closed'], required: true },
    decidedAt: { type: Date, required: true },
    closedAt: { type: Date },
    closingSummary: { type: String },
  },
  { collection: 'accountability_records', versionKey: false },
);

export type AccountabilityRecord = InferSchemaType<typeof accountabilityRecordSchema> & { _id: string };

export function accountabilityRecordModel(conn: Connection) {
  return conn.model('AccountabilityRecord', accountabilityRecordSchema);
}
