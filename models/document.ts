import { Schema, type Connection, type InferSchemaType } from 'mongoose';

/**
 * A versioned document (an explanation, a plan, a report, a list, minutes). Versions are
 * only ever appended: a signature (models/signature.ts) names a version and its SHA-256,
 * so rewriting a version would silently change what a leader signed.
 */
export const DOCUMENT_KINDS = ['explanation', 'plan', 'report', 'list', 'minutes', 'other'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

const documentVersionSchema = new Schema(
  {
    version: { type: Number, required: true },
    content: { type: String, required: true },
    /** Hex SHA-256 of `content` (UTF-8) when the version was written. */
    sha256: { type: String, required: true },
    createdAt: { type: Date, required: true },
    /** Account subject (or `system:<activity>`) that wrote the version. */
    createdBy: { type: String, required: true },
  },
  { _id: false },
);

export const documentSchema = new Schema(
  {
    _id: { type: String, required: true },
    title: { type: String, required: true },
    kind: { type: String, enum: DOCUMENT_KINDS, required: true },
    orgId: { type: String, required: true, index: true },
    /** Materialised path of the owning org, for subtree-scoped reading without $lookup. */
    orgPath: { type: [String], required: true, index: true },
    processId: { type: String, index: true },
    versions: { type: [documentVersionSchema], required: true },
    currentVersion: { type: Number, required: true },
  },
  { collection: 'documents', versionKey: false, timestamps: true },
);

export type DocumentRecord = InferSchemaType<typeof documentSchema> & { _id: string };
export type DocumentVersion = InferSchemaType<typeof documentVersionSchema>;

export function documentModel(conn: Connection) {
  return conn.model('Document', documentSchema);
}
