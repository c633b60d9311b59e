/**
 * Activities are built by a factory with their dependencies injected, so tests can
 * hand them a throwaway database. Workflows import only the *type*:
 * `proxyActivities<Activities>(...)`.
 */
import type { Models } from '../models/index.js';
import { appendAuditEntry, type AuditInput } from './audit.js';

export interface ActivityDeps {
  models: Models;
}

export function createActivities({ models }: ActivityDeps) {
  return {
    async recordAudit(entry: AuditInput): Promise<void> {
      await appendAuditEntry(models, entry);
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
export type { AuditInput };
