/**
 * The shape of one obligation policy entry: a recurring duty of the Rules as data an
 * administrator can edit (product.md: "another city's variant of the Rules can be run by
 * editing policy, not code"). Pure, but zod: workflows import its types only (`import type`).
 */
import { z } from 'zod';
import { EscalationPolicy, DEFAULT_ESCALATION } from '../escalation.js';
import { DEFAULT_ACCEPTANCE_DUE_DAYS } from './due-dates.js';

export { DEFAULT_ACCEPTANCE_DUE_DAYS };

/**
 * Mirrors of the org kinds, categories and posts of models/org.ts and models/person.ts.
 * Kept here so that domain code (and the workflow bundle) never imports mongoose; a test
 * checks the lists stay equal.
 */
export const OBLIGATION_ORG_KINDS = ['pc', 'dic', 'unit', 'orgDept'] as const;
export const OBLIGATION_ORG_CATEGORIES = ['city', 'town', 'department', 'enterprise', 'institution', 'other'] as const;
export const OBLIGATION_POSTS = ['principalLeader', 'teamMember', 'dicSecretary', 'dicMember', 'unitHead', 'caseOfficer', 'orgDeptHead', 'staff'] as const;

export const OrgKindSchema = z.enum(OBLIGATION_ORG_KINDS);
export const OrgCategorySchema = z.enum(OBLIGATION_ORG_CATEGORIES);
export const PostSchema = z.enum(OBLIGATION_POSTS);

/** An article reference as the digest writes it: "10(1)", "9(6)", "13". */
const Article = z.string().regex(/^\d+(\(\d+\))?$/, 'an article such as "10(1)"');

export const PeriodKindSchema = z.enum(['month', 'quarter', 'half-year', 'year']);

/**
 * When a period's duty falls due. `dayOfMonthAfterPeriodStart` counts months from the
 * period's first month (month 1): "by 15 Jan of the next year" for a year is month 13,
 * day 15; "by the 5th of the next month" for a month is month 2, day 5. A day past the
 * month's end is clamped (day 31 in June is 30 June).
 */
export const DueRule = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('periodEnd') }),
  z.object({
    kind: z.literal('dayOfMonthAfterPeriodStart'),
    month: z.number().int().min(1).max(24),
    day: z.number().int().min(1).max(31),
  }),
]);
export type DueRule = z.infer<typeof DueRule>;

/**
 * Who must act. Without `post` the organisation as a body acts (e.g. the PC as a team);
 * with it, the holder of that post. `perHolder`: every person holding the post owes the
 * duty separately (each team member gives his own lecture), not the post once.
 */
export const Actor = z.object({
  orgKind: OrgKindSchema,
  post: PostSchema.optional(),
  perHolder: z.boolean().default(false),
});
export type Actor = z.infer<typeof Actor>;

/**
 * Who receives the evidence (and accepts it where `requiresAcceptance`):
 * - upperDic: the next-higher DIC (for the city DIC: Jinhua municipal DIC, outside the tree);
 * - cityDic / cityPc+cityDic: the Yiwu municipal DIC (and PC);
 * - samePc: the PC of the actor's level; samePc+upperDic: that PC and the next-higher DIC;
 * - ownDic: the DIC beside the PC the actor belongs to (for a unit: the nearest one above it);
 * - none: nobody; the record itself meets the duty.
 */
export const Recipient = z.enum(['none', 'upperDic', 'cityDic', 'cityPc+cityDic', 'samePc', 'samePc+upperDic', 'ownDic']);
export type Recipient = z.infer<typeof Recipient>;

export const Evidence = z.enum(['report', 'minutes', 'record', 'signedDocument']);
export type Evidence = z.infer<typeof Evidence>;

/**
 * Which organisations are enrolled. `categories` absent = every organisation of the kind.
 * A DIC has the category of the PC it sits beside (the city DIC is the DIC of the city PC).
 */
export const AppliesTo = z.object({
  orgKind: OrgKindSchema,
  categories: z.array(OrgCategorySchema).min(1).optional(),
});
export type AppliesTo = z.infer<typeof AppliesTo>;

/** Everything an administrator may change; `code` names the entry and is fixed. */
export const policyFieldsShape = {
  articles: z.array(Article).min(1),
  title: z.string().min(1).max(300),
  titleZh: z.string().min(1).max(300),
  actor: Actor,
  recipient: Recipient,
  period: PeriodKindSchema,
  due: DueRule,
  /** For "at least N" duties the period is met when N accepted records exist by its end; else 1. */
  minimumCount: z.number().int().min(1).max(366).default(1),
  evidence: Evidence,
  requiresAcceptance: z.boolean(),
  /** [reading] Days the recipient has to accept or return a record, from its submission. */
  acceptanceDueDays: z.number().int().min(1).max(366).default(DEFAULT_ACCEPTANCE_DUE_DAYS),
  appliesTo: AppliesTo,
  escalation: EscalationPolicy.default(DEFAULT_ESCALATION),
  /** Every [reading] this entry embodies, in words: where the Rules are vague, the choice made. */
  readings: z.array(z.string().min(1)).default([]),
};

/** A rule across fields, shared by every schema built from `policyFieldsShape`. */
export function acceptanceNeedsRecipient(fields: { requiresAcceptance: boolean; recipient: Recipient }, ctx: z.RefinementCtx): void {
  if (fields.requiresAcceptance && fields.recipient === 'none') {
    ctx.addIssue({ code: 'custom', message: 'acceptance needs a recipient to give it', path: ['requiresAcceptance'] });
  }
}

export const PolicyFields = z.object(policyFieldsShape).superRefine(acceptanceNeedsRecipient);
export type PolicyFields = z.infer<typeof PolicyFields>;

export const PolicyCode = z.string().regex(/^[A-Z][A-Z0-9-]{1,63}$/, 'an upper-case code such as PC-ANNUAL-REPORT');

export const PolicyEntry = z.object({ code: PolicyCode, ...policyFieldsShape }).superRefine(acceptanceNeedsRecipient);
export type PolicyEntry = z.infer<typeof PolicyEntry>;
/** What a catalogue row is written as (defaults may be left out). */
export type PolicyEntryInput = z.input<typeof PolicyEntry>;
