import { Schema, type Connection, type InferSchemaType } from 'mongoose';
import { trackDirectoryWrites } from './directory.js';

/**
 * People and their posts. A post ties a person to an organisation in a role the Rules
 * name: the PC's principal leader (PL, "first responsible person"), another team member
 * (PM, "one post, two duties"), the DIC secretary (DS), a DIC member, a unit head, or a
 * case officer of a DIC.
 */
export const POSTS = ['principalLeader', 'teamMember', 'dicSecretary', 'dicMember', 'unitHead', 'caseOfficer', 'orgDeptHead', 'staff'] as const;

export type Post = (typeof POSTS)[number];

export const personSchema = new Schema(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    posts: [
      {
        _id: false,
        orgId: { type: String, required: true },
        post: { type: String, enum: POSTS, required: true },
        title: { type: String },
        since: { type: String },
      },
    ],
    /** Org IDs of every post, for lookups by org. */
    orgIds: { type: [String], index: true },
  },
  { collection: 'people', versionKey: false, timestamps: true },
);

// Every process holds organisations and people in memory (models/directory.ts).
trackDirectoryWrites(personSchema);

export type Person = InferSchemaType<typeof personSchema> & { _id: string };

export function personModel(conn: Connection) {
  return conn.model('Person', personSchema);
}
