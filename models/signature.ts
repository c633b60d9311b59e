import { Schema, type Connection, type InferSchemaType } from 'mongoose';

/**
 * A signed endorsement (签字背书, Art. 11(3), 12(1)): who signed which version of which
 * document, with what opinion, when, and the SHA-256 of the exact content signed, so
 * that a later edit or tampering with the stored version shows (documents/service.ts).
 * `signatureId` is chosen by the caller, so a retried request or activity signs once.
 */
const signerSchema = new Schema(
  {
    personId: { type: String, required: true },
    /** The post held in `orgId` when signing (models/person.ts POSTS). */
    post: { type: String, required: true },
    orgId: { type: String, required: true },
    name: { type: String, required: true },
  },
  { _id: false },
);

export const signatureSchema = new Schema(
  {
    signatureId: { type: String, required: true, unique: true },
    documentId: { type: String, required: true, index: true },
    version: { type: Number, required: true },
    sha256: { type: String, required: true },
    signer: { type: signerSchema, required: true },
    opinion: { type: String, required: true },
    signedAt: { type: Date, required: true },
  },
  { collection: 'signatures', versionKey: false },
);

export type SignatureRecord = InferSchemaType<typeof signatureSchema>;

export function signatureModel(conn: Connection) {
  return conn.model('Signature', signatureSchema);
}
