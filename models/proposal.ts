import { Schema, type Connection, type InferSchemaType } from 'mongoose';

/**
 * An escalation's proposal to a case officer: an interview (Art. 12) or an
 * accountability case (Art. 14/15). Nothing opens either without a person deciding.
 */
export const proposalSchema = new Schema(
  {
    _id: { type: String, required: true },
    kind: { type: String, enum: ['interview', 'case'], required: true },
    status: { type: String, enum: ['open', 'opened', 'dismissed'], required: true, index: true },
    articles: { type: [String], default: [] },
    /** The organisation whose duty was missed. */
    subjectOrgId: { type: String, required: true },
    /** The DIC whose case officers decide. */
    deciderOrgId: { type: String, required: true, index: true },
    orgPath: { type: [String], required: true, index: true },
    sourceProcessId: { type: String, required: true },
    sourceTaskId: { type: String, required: true },
    reason: { type: String, required: true },
    createdAt: { type: Date, required: true },
    decidedAt: { type: Date },
    decidedBy: { sub: String, role: String, orgId: String, personId: String },
    decisionReason: { type: String },
    openedProcessId: { type: String },
  },
  { collection: 'proposals', versionKey: false },
);

export type ProposalRecord = InferSchemaType<typeof proposalSchema> & { _id: string };

export function proposalModel(conn: Connection) {
  return conn.model('Proposal', proposalSchema);
}
