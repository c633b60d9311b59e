/**
 * Forms of the obligation cycle: a record of a recurring duty (report, minutes, record or
 * signed document, each with a summary and optionally a stored document), and the
 * recipient's acceptance of it. Pure: spread into `forms` of domain/forms.ts.
 */
import { z } from 'zod';
import { enumNames, label, picker } from '../form-meta.js';
import { DateInput } from '../date-input.js';

const Text = z.string().trim().min(1).max(20_000);
// Bounded by the INPUT-DATES policy when the API takes a completion (domain/date-input.ts).
const LocalDateString = DateInput;

/** A rectification account an annual report gives (Art. 6(12)): which rectification, and how it went. */
export const RectificationAccount = z
  .object({
    rectificationId: z.string().min(1).max(300).meta(label('整改事项', 'Rectification')),
    account: Text.meta(label('整改情况', 'Account')),
  })
  .strict();

/** One record of a duty: the evidence that it was done. */
export const ObligationRecordForm = z
  .object({
    summary: Text.meta(label('履责情况', 'Summary')),
    documentId: z.string().min(1).optional().meta({ ...label('文件', 'Document'), ...picker('document') }),
    /** When the meeting, lecture or interview was held, where the evidence is of an event. */
    heldOn: LocalDateString.optional().meta(label('召开（举行）日期', 'Held on')),
    /** PC-ANNUAL-REPORT: the accounts of the rectifications recorded for the organisation and year. */
    rectificationAccounts: z.array(RectificationAccount).max(200).optional().meta(label('整改落实情况', 'Rectification accounts', { zh: '年度报告须逐项说明本年度的整改情况', en: 'the annual report accounts for each rectification of the year' })),
  })
  .strict();
export type ObligationRecord = z.output<typeof ObligationRecordForm>;

/** The recipient accepts the record or returns it (with a reason) for a new one. */
export const ObligationAcceptanceForm = z
  .object({
    decision: z.enum(['accept', 'return']).meta({
      ...label('审核结论', 'Decision'),
      ...enumNames({ accept: { zh: '同意', en: 'Accept' }, return: { zh: '退回重报', en: 'Return' } }),
    }),
    note: z.string().trim().max(5_000).optional().meta(label('意见', 'Note', { zh: '退回时须写明理由', en: 'a returned record needs a reason' })),
  })
  .strict()
  .refine((v) => v.decision === 'accept' || (v.note ?? '').length > 0, { message: 'a returned record needs a note saying why', path: ['note'] });
export type ObligationAcceptance = z.output<typeof ObligationAcceptanceForm>;

export const obligationForms = {
  obligationRecord: ObligationRecordForm,
  obligationAcceptance: ObligationAcceptanceForm,
};
