/** One readable line per audit entry of a process, for supervisors who do not read event dumps. */
import type { AuditEntry } from '../../models/audit.js';

type Details = Record<string, unknown>;

/** A detail as text; anything that is not a string or number reads as the fallback. */
const str = (value: unknown, fallback: string) => (typeof value === 'string' || typeof value === 'number' ? String(value) : fallback);

const who = (e: AuditEntry) => (e.actor?.kind === 'user' ? `${e.actor.sub ?? 'someone'} (${e.actor.role ?? '?'}, ${e.actor.orgId ?? '?'})` : 'the system');

const texts: Record<string, (e: AuditEntry, d: Details) => string> = {
  'process.started': (e, d) => `${who(e)} started ${str(d.processType, 'the process')}: ${str(d.title, '')}`,
  'process.completed': () => 'the process ended',
  'process.cancelled': (e, d) => `${who(e)} cancelled the process: ${str(d.reason, '')}`,
  'task.opened': (_e, d) => `task "${str(d.title, '')}" opened for ${String((d.assignee as { orgId?: string } | undefined)?.orgId ?? '?')}, due ${str(d.dueDate, '?')}`,
  'task.completed': (e, d) => `${who(e)} completed the task${d.late ? ` LATE (was due ${str(d.dueDate, '?')})` : ''}`,
  'task.reminded': (_e, d) => `reminder sent, ${String(d.daysBefore)} days before the due date ${str(d.dueDate, '')}`,
  'task.overdue': (_e, d) => `the task is overdue (was due ${str(d.dueDate, '?')}); assignee and supervising DIC notified`,
  'task.escalated': (_e, d) =>
    `escalation level ${String(d.level)} (${String(d.afterDaysOverdue)} days overdue): ${
      d.action === 'proposeInterview' ? 'an interview was proposed' : d.action === 'proposeCase' ? 'an accountability case was proposed' : 'supervisors notified'
    }${Array.isArray(d.articles) && d.articles.length ? ` (Art. ${d.articles.join(', ')})` : ''}`,
  'task.cancelled': (_e, d) => `task cancelled: ${str(d.reason, '')}`,
};

export function describeEntry(entry: AuditEntry): string {
  const details = (entry.details ?? {}) as Details;
  const text = texts[entry.action];
  if (text) return text(entry, details);
  return typeof details.text === 'string' ? details.text : `${entry.action} by ${who(entry)}`;
}
