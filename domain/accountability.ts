/**
 * Accountability (责任追究), Art. 14–17, and the interview kinds of Art. 12: the zod schemas
 * of the values the API reads, beside every table and check of accountability-rules.ts
 * (re-exported here, so the API and activities import one module). Workflows import
 * accountability-rules.ts instead, which carries no zod.
 *
 * The Art. 16 table and the way its measures may be combined are policy values passed to
 * the checks (defaulting to the constants below), so another city's variant of the Rules is
 * an edit of data, not of code. See docs/decisions.md, "Accountability and signed documents".
 */
import { z } from 'zod';
import { DETERMINATIONS, GROUND_CODES, INTERVIEW_KIND_NAMES, SANCTIONS, SEVERITY_ORDER, SIDES, SUBJECT_KINDS, type GroundCode, type Sanction } from './accountability-rules.js';

export * from './accountability-rules.js';

/** `pc`: a party committee or its members (Art. 14); `dic`: a DIC or its members (Art. 15). */
export const Side = z.enum(SIDES);
export type Side = z.infer<typeof Side>;

/** A leadership team, or one person (a PC team member, or a DIC member). */
export const SubjectKind = z.enum(SUBJECT_KINDS);
export type SubjectKind = z.infer<typeof SubjectKind>;

export const Subject = z.object({ side: Side, kind: SubjectKind });
export type Subject = z.infer<typeof Subject>;

export const GroundCodeSchema = z.enum(GROUND_CODES as [GroundCode, ...GroundCode[]]);

/** 情节较轻 / 情节较重 / 情节严重. */
export const Severity = z.enum(SEVERITY_ORDER);
export type Severity = z.infer<typeof Severity>;

/** The outcome of the determination step: a severity, or no responsibility found. */
export const Determination = z.enum(DETERMINATIONS);
export type Determination = z.infer<typeof Determination>;

export const SanctionSchema = z.enum(SANCTIONS as [Sanction, ...Sanction[]]);

export const InterviewKind = z.enum(INTERVIEW_KIND_NAMES);
export type InterviewKind = z.infer<typeof InterviewKind>;
