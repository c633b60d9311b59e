/**
 * Activities are built by a factory with their dependencies injected, so tests can
 * hand them a throwaway database. Workflows import only the *type*:
 * `proxyActivities<Activities>(...)`.
 */
import type { Models } from '../models/index.js';
import { appendAuditEntry, type AuditInput } from './audit.js';
import { postWebhook, writeNotifications, type NotifyInput, type WebhookDelivery } from './notify.js';
import {
  cancelTaskRecord,
  completeTaskRecord,
  markTaskOverdueRecord,
  openTaskRecord,
  recordEscalation,
  recordReminder,
  type TaskProcessRef,
} from './tasks.js';
import { upsertProcessSummary, type ProcessSummaryInput } from './processes.js';
import type { TaskState } from '../domain/tasks.js';
import type { EscalationStep } from '../domain/escalation.js';
import { saveProcessDocument, signProcessDocument, type SaveProcessDocumentInput, type SavedDocument, type SignProcessDocumentInput, type SignedEndorsement } from './interviews.js';
import { writeAccountabilityRecord, type AccountabilityRecordInput } from './cases.js';
import { recordAnnualReportRequirement, type AnnualReportRequirementInput } from './rectification.js';
import { obligationActivities } from './obligations.js';

export interface ActivityDeps {
  models: Models;
}

export function createActivities({ models }: ActivityDeps) {
  return {
    ...obligationActivities(models),
    async recordAudit(entry: AuditInput): Promise<void> {
      await appendAuditEntry(models, entry);
    },
    async notify(input: NotifyInput): Promise<WebhookDelivery[]> {
      return writeNotifications(models, input);
    },
    async deliverWebhook(delivery: WebhookDelivery): Promise<void> {
      // Signed with the subscription's own secret, read from its record (never part of the history).
      await postWebhook(models, delivery);
    },
    async openTask(ref: TaskProcessRef, task: TaskState): Promise<void> {
      await openTaskRecord(models, ref, task);
    },
    async completeTask(ref: TaskProcessRef, task: TaskState): Promise<void> {
      await completeTaskRecord(models, ref, task);
    },
    async cancelTask(ref: TaskProcessRef, task: TaskState, reason: string, at: string): Promise<void> {
      await cancelTaskRecord(models, ref, task, reason, at);
    },
    async markTaskOverdue(ref: TaskProcessRef, task: TaskState, at: string): Promise<void> {
      await markTaskOverdueRecord(models, ref, task, at);
    },
    async remindTask(ref: TaskProcessRef, task: TaskState, daysBefore: number, at: string): Promise<void> {
      await recordReminder(models, ref, task, daysBefore, at);
    },
    async escalateTask(ref: TaskProcessRef, task: TaskState, level: number, step: EscalationStep, at: string): Promise<{ proposalId?: string }> {
      return recordEscalation(models, ref, task, level, step, at);
    },
    async updateProcessSummary(input: ProcessSummaryInput): Promise<void> {
      await upsertProcessSummary(models, input);
    },
    async saveProcessDocument(input: SaveProcessDocumentInput): Promise<SavedDocument> {
      return saveProcessDocument(models, input);
    },
    async signProcessDocument(input: SignProcessDocumentInput): Promise<SignedEndorsement> {
      return signProcessDocument(models, input);
    },
    async writeAccountabilityRecord(input: AccountabilityRecordInput): Promise<void> {
      await writeAccountabilityRecord(models, input);
    },
    async recordAnnualReportRequirement(input: AnnualReportRequirementInput): Promise<void> {
      await recordAnnualReportRequirement(models, input);
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
export type { AuditInput, NotifyInput, WebhookDelivery, TaskProcessRef, ProcessSummaryInput };
