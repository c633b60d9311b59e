import { Schema, type Connection, type InferSchemaType } from 'mongoose';

/**
 * A user task in an inbox (product.md, "The user-task model"). The owning workflow is
 * the source of truth; this record is what people search and read, written only by
 * activities, idempotently (the ID is deterministic per process, element and round).
 */
export const TASK_STATUSES = ['open', 'completed', 'cancelled'] as const;

export const taskSchema = new Schema(
  {
    _id: { type: String, required: true },
    processId: { type: String, required: true, index: true },
    processType: { type: String, required: true },
    elementId: { type: String, required: true },
    /** Which form the completion payload must follow (domain/forms.ts). */
    form: { type: String, required: true },
    title: { type: String, required: true },
    titleZh: { type: String, required: true },
    assignee: {
      orgId: { type: String, required: true },
      roles: { type: [String], required: true },
      personId: { type: String },
    },
    /** Assignee org and its ancestors, for subtree-scoped reading. */
    orgPath: { type: [String], required: true, index: true },
    orgId: { type: String, required: true, index: true },
    dueDate: { type: String, required: true },
    dueAt: { type: Date, required: true, index: true },
    status: { type: String, enum: TASK_STATUSES, required: true, index: true },
    overdue: { type: Boolean, default: false, index: true },
    late: { type: Boolean, default: false },
    escalationLevel: { type: Number, default: 0 },
    context: { type: Schema.Types.Mixed },
    createdAt: { type: Date, required: true },
    completedAt: { type: Date },
    completedBy: { sub: String, role: String, orgId: String, personId: String },
    result: { type: Schema.Types.Mixed },
    cancelReason: { type: String },
  },
  { collection: 'tasks', versionKey: false },
);
taskSchema.index({ orgId: 1, status: 1, dueAt: 1 });
// The dashboard's open and overdue work in a subtree, oldest due first.
taskSchema.index({ orgPath: 1, status: 1, dueAt: 1 });
taskSchema.index({ status: 1, overdue: 1, dueAt: 1 });

export type TaskRecord = Omit<InferSchemaType<typeof taskSchema>, 'assignee'> & {
  _id: string;
  assignee: { orgId: string; roles: string[]; personId?: string };
};

export function taskModel(conn: Connection) {
  return conn.model('Task', taskSchema);
}
