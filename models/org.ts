import { Schema, type Connection, type InferSchemaType } from 'mongoose';
import { trackDirectoryWrites } from './directory.js';

/**
 * Organisations form a tree (Art. 2). Kinds: a party committee (incl. party working
 * committee and party group) `pc`; its discipline inspection commission (incl. working
 * committee and inspection group) `dic`, stored as a *child of its PC* so "the DIC beside
 * each PC" is the PC's `dic` child; a subordinate unit `unit`; the organisation/personnel
 * department `orgDept`. `path` holds the IDs of every ancestor and the org itself, so a
 * subtree is `{ path: rootId }` (no $lookup needed).
 */
export const ORG_KINDS = ['pc', 'dic', 'unit', 'orgDept'] as const;

export type OrgKind = (typeof ORG_KINDS)[number];

/** What sort of body a PC or unit is, for duties that apply to some only (e.g. Art. 10(2)). */
export const ORG_CATEGORIES = ['city', 'town', 'department', 'enterprise', 'institution', 'other'] as const;

export const orgSchema = new Schema(
  {
    _id: { type: String, required: true },
    kind: { type: String, enum: ORG_KINDS, required: true },
    category: { type: String, enum: ORG_CATEGORIES, default: 'other' },
    name: { type: String, required: true },
    nameZh: { type: String, required: true },
    parentId: { type: String, default: null, index: true },
    path: { type: [String], required: true, index: true },
    /** The organisation's webhook subscriptions (models/webhook-subscription.ts), found by `_id` from here. */
    webhookSubscriptionIds: { type: [String], default: undefined },
    active: { type: Boolean, default: true },
  },
  { collection: 'orgs', versionKey: false, timestamps: true },
);

// Every process holds organisations and people in memory (models/directory.ts).
trackDirectoryWrites(orgSchema);

export type Org = InferSchemaType<typeof orgSchema> & { _id: string };

export function orgModel(conn: Connection) {
  return conn.model('Org', orgSchema);
}
