import type { Connection } from 'mongoose';
import { auditModel } from './audit.js';
import { orgModel } from './org.js';
import { personModel } from './person.js';
import { policyModel } from './policy.js';
import { taskModel } from './task.js';
import { notificationModel } from './notification.js';
import { proposalModel } from './proposal.js';
import { processSummaryModel } from './process-summary.js';
import { idempotencyModel } from './idempotency.js';
import { documentModel } from './document.js';
import { signatureModel } from './signature.js';
import { obligationPeriodModel } from './obligation-period.js';
import { accountabilityRecordModel } from './accountability-record.js';
import { annualReportRequirementModel } from './annual-report-requirement.js';
import { readModelChangeModel } from './read-model-change.js';
import { webhookSubscriptionModel } from './webhook-subscription.js';
import { accountModel, refreshTokenModel, sessionModel, ssoAttemptModel } from './account.js';

/** Every model bound to one connection; passed to activities and the API as a dependency. */
export function createModels(conn: Connection) {
  return {
    conn,
    AuditEntry: auditModel(conn),
    Org: orgModel(conn),
    Person: personModel(conn),
    Policy: policyModel(conn),
    Task: taskModel(conn),
    Notification: notificationModel(conn),
    Proposal: proposalModel(conn),
    ProcessSummary: processSummaryModel(conn),
    IdempotentResponse: idempotencyModel(conn),
    Document: documentModel(conn),
    Signature: signatureModel(conn),
    ObligationPeriod: obligationPeriodModel(conn),
    AccountabilityRecord: accountabilityRecordModel(conn),
    AnnualReportRequirement: annualReportRequirementModel(conn),
    ReadModelChange: readModelChangeModel(conn),
    WebhookSubscription: webhookSubscriptionModel(conn),
    Account: accountModel(conn),
    Session: sessionModel(conn),
    RefreshToken: refreshTokenModel(conn),
    SsoAttempt: ssoAttemptModel(conn),
  };
}

export type Models = ReturnType<typeof createModels>;

/** Builds indexes (unique ones included) before a process serves. */
export async function syncIndexes(models: Models): Promise<void> {
  for (const model of Object.values(models)) {
    if (typeof model === 'function' && 'createIndexes' in model) await model.createIndexes();
  }
}
