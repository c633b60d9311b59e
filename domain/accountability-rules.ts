/**
 * Accountability (责任追究), Art. 14–17, and the interview kinds of Art. 12, as pure data and
 * checks, without zod: the workflows import this file (their bundle carries no zod); the
 * zod schemas of the same values are in accountability.ts, which re-exports everything here.
 *
 * The Art. 16 table and the way its measures may be combined are policy values passed to
 * the checks (defaulting to the constants below), so another city's variant of the Rules is
 * an edit of data, not of code. See docs/decisions.md, "Accountability and signed documents".
 */
// ---------------------------------------------------------------------------------------
// Subjects and grounds (Art. 14, Art. 15)
// ---------------------------------------------------------------------------------------

/** `pc`: a party committee or its members (Art. 14); `dic`: a DIC or its members (Art. 15). */
export const SIDES = ['pc', 'dic'] as const;
export type Side = (typeof SIDES)[number];

/** A leadership team, or one person (a PC team member, or a DIC member). */
export const SUBJECT_KINDS = ['team', 'person'] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

export interface Subject {
  side: Side;
  kind: SubjectKind;
}

export type Article = 'Art. 14' | 'Art. 15' | 'Art. 16' | 'Art. 17';

/** The article whose grounds a side's case rests on. */
export const GROUNDS_ARTICLE: Record<Side, Article> = { pc: 'Art. 14', dic: 'Art. 15' };

export interface Ground {
  side: Side;
  title: string;
  titleZh: string;
}

export const GROUNDS = {
  '14(1)': { side: 'pc', title: 'weak leadership with corruption clusters or several major cases in a short time', titleZh: '领导不力，发生腐败窝案串案或短时间内连续发生重大腐败案件' },
  '14(2)': { side: 'pc', title: 'matters assigned by the upper PC/DIC not relayed, deployed, supervised, or refused', titleZh: '对上级党委和纪委交办事项不传达贯彻、不安排部署、不督促落实或拒不办理' },
  '14(3)': { side: 'pc', title: 'repeated serious breaches of clean-government or work-style rules; prohibited practices unchecked', titleZh: '连续发生严重违反廉洁从政、作风建设规定和损害群众利益问题，不正之风未有效治理' },
  '14(4)': { side: 'pc', title: 'tolerating, shielding or not reporting serious violations, or obstructing investigation', titleZh: '对严重违纪违法行为放任、纵容、包庇，压案不报、不查或阻扰调查' },
  '14(5)': { side: 'pc', title: 'obvious loopholes left unrectified despite recommendations, leading to major cases', titleZh: '制度存在明显漏洞，不按整改建议整改，以致发生重大腐败案件及严重不正之风问题' },
  '14(6)': { side: 'pc', title: 'appointing cadres against the rules or by negligence, with bad effect', titleZh: '违反规定选拔任用干部，或用人失察失误，造成恶劣影响' },
  '14(7)': { side: 'pc', title: 'lax supervision of team members or direct subordinates leading to serious violations', titleZh: '对班子成员或直接管辖的下属疏于监督管理，致使发生严重违纪违法问题' },
  '14(8)': { side: 'pc', title: 'passive handling of strong public complaints', titleZh: '对群众反映强烈的突出问题消极应付、拖延推诿' },
  '14(9)': { side: 'pc', title: 'other circumstances requiring accountability', titleZh: '其他需要追究责任的情形' },
  '15(1)': { side: 'dic', title: 'weak assistance to the PC and weak supervision', titleZh: '协助党委加强党风廉政建设、组织协调反腐败工作落实不到位，监督不力' },
  '15(2)': { side: 'dic', title: 'perfunctory enforcement of the eight-point rules and against the "four winds"', titleZh: '落实中央八项规定精神、纠正"四风"问题敷衍塞责、查处不力' },
  '15(3)': { side: 'dic', title: 'not reporting violations by the same-level PC\'s leaders', titleZh: '发现同级党委主要领导、班子成员违法违纪问题不报告' },
  '15(4)': { side: 'dic', title: 'major case clusters during its term (unless it found them itself)', titleZh: '任期内发生重大腐败窝案或短时间内连续发生重大腐败案件（主动查处的除外）' },
  '15(5)': { side: 'dic', title: 'suppressing, hiding, misjudging or shielding cases', titleZh: '压案不查、瞒案不报、查案不实或包庇袒护违纪违法行为' },
  '15(6)': { side: 'dic', title: 'using cases for private gain, breaking procedure, leaking reports or case secrets', titleZh: '以案谋私，违规办案，泄露信访举报内容和案件情况等秘密' },
  '15(7)': { side: 'dic', title: 'other circumstances requiring accountability', titleZh: '其他需要追究责任的情形' },
} as const satisfies Record<string, Ground>;

export type GroundCode = keyof typeof GROUNDS;
export const GROUND_CODES = Object.keys(GROUNDS) as GroundCode[];

// ---------------------------------------------------------------------------------------
// Severity, sanctions and the Art. 16 table
// ---------------------------------------------------------------------------------------

/** 情节较轻 / 情节较重 / 情节严重. */
export const SEVERITY_ORDER = ['light', 'heavier', 'severe'] as const;
export type Severity = (typeof SEVERITY_ORDER)[number];
export const SEVERITY_ZH: Record<Severity, string> = { light: '情节较轻', heavier: '情节较重', severe: '情节严重' };

/** The outcome of the determination step: a severity, or no responsibility found. */
export const DETERMINATIONS = [...SEVERITY_ORDER, 'noResponsibility'] as const;
export type Determination = (typeof DETERMINATIONS)[number];

export const SANCTION_NAMES = {
  writtenSelfExamination: { name: 'ordered written self-examination', nameZh: '责令作出书面检查' },
  circulatedCriticism: { name: 'circulated criticism', nameZh: '通报批评' },
  adjustmentHandling: { name: 'adjustment handling', nameZh: '调整处理' },
  criticismEducation: { name: 'criticism and education', nameZh: '批评教育' },
  admonishmentTalk: { name: 'admonishment talk', nameZh: '诫勉谈话' },
  disciplinarySanction: { name: 'party or government disciplinary sanction', nameZh: '党纪政纪处分' },
  positionAdjustment: { name: 'position adjustment', nameZh: '调整职务' },
  orderedResignation: { name: 'ordered resignation', nameZh: '责令辞职' },
  dismissal: { name: 'dismissal', nameZh: '免职' },
  demotion: { name: 'demotion', nameZh: '降职' },
  transferToJudicialOrgans: { name: 'transfer to the judicial organs', nameZh: '移送司法机关' },
} as const;

export type Sanction = keyof typeof SANCTION_NAMES;
export const SANCTIONS = Object.keys(SANCTION_NAMES) as Sanction[];

/** Art. 16 (2nd para., last sentence): where a crime is suspected, with any decision. */
export const JUDICIAL_TRANSFER: Sanction = 'transferToJudicialOrgans';

export type SanctionTable = Record<SubjectKind, Record<Severity, readonly Sanction[]>>;

/** Art. 16, exactly as the digest gives it. The same rows hold for the PC side and the DIC side. */
export const ART16_TABLE: SanctionTable = {
  team: {
    light: ['writtenSelfExamination'],
    heavier: ['circulatedCriticism'],
    severe: ['adjustmentHandling'],
  },
  person: {
    light: ['criticismEducation', 'admonishmentTalk', 'writtenSelfExamination'],
    heavier: ['circulatedCriticism'],
    severe: ['disciplinarySanction', 'positionAdjustment', 'orderedResignation', 'dismissal', 'demotion'],
  },
};

export interface SanctionPolicy {
  table: SanctionTable;
  /**
   * [reading] "may be used alone or combined" (可以单独使用，也可以合并使用): false = measures
   * are combined within the row of the severity found only; true = a heavier finding may
   * also take the measures of the lighter rows.
   */
  allowLighterRows: boolean;
  /** [reading] groups of which one decision takes at most one measure (they each end the post). */
  mutuallyExclusive: ReadonlyArray<readonly Sanction[]>;
  /** [reading] a finding of responsibility carries at least one Art. 16 measure. */
  requireAtLeastOne: boolean;
}

export const DEFAULT_SANCTION_POLICY: SanctionPolicy = {
  table: ART16_TABLE,
  allowLighterRows: false,
  mutuallyExclusive: [['positionAdjustment', 'orderedResignation', 'dismissal', 'demotion']],
  requireAtLeastOne: true,
};

// ---------------------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------------------

export interface Problem {
  article: Article;
  message: string;
  /** The code or sanction the problem is about, where there is one. */
  value?: string;
}

export type Check = { ok: true } | { ok: false; problems: Problem[] };

const result = (problems: Problem[]): Check => (problems.length === 0 ? { ok: true } : { ok: false, problems });

/** Grounds must be known codes of the subject's side: Art. 14 for a PC, Art. 15 for a DIC. */
export function validateGrounds(side: Side, codes: readonly string[]): Check {
  const article = GROUNDS_ARTICLE[side];
  const problems: Problem[] = [];
  if (codes.length === 0) problems.push({ article, message: `a case needs at least one ground of ${article}` });
  const seen = new Set<string>();
  for (const code of codes) {
    if (seen.has(code)) {
      problems.push({ article, message: `ground ${code} is given twice`, value: code });
      continue;
    }
    seen.add(code);
    // Own keys only: "constructor" or "__proto__" are no grounds.
    const ground = Object.hasOwn(GROUNDS, code) ? (GROUNDS as Record<string, Ground>)[code] : undefined;
    if (!ground) {
      problems.push({ article, message: `${code} is not a ground of ${article}`, value: code });
    } else if (ground.side !== side) {
      const otherArticle = GROUNDS_ARTICLE[ground.side];
      problems.push({
        article,
        message: `${code} is a ground of ${otherArticle} (${ground.side.toUpperCase()} side); a ${side.toUpperCase()}-side case rests on ${article}`,
        value: code,
      });
    }
  }
  return result(problems);
}

/** The Art. 16 measures a subject may receive at a severity under the policy. */
export function allowedSanctions(kind: SubjectKind, severity: Severity, policy: SanctionPolicy = DEFAULT_SANCTION_POLICY): Sanction[] {
  const rows = policy.allowLighterRows ? SEVERITY_ORDER.slice(0, SEVERITY_ORDER.indexOf(severity) + 1) : [severity];
  return [...new Set(rows.flatMap((row) => policy.table[kind][row]))];
}

/**
 * Checks a decision of sanctions against Art. 16. Transfer to the judicial organs is
 * accepted with any decision, including a finding of no responsibility.
 */
export function validateSanctions(
  subject: Subject,
  determination: Determination,
  sanctions: readonly string[],
  policy: SanctionPolicy = DEFAULT_SANCTION_POLICY,
): Check {
  const problems: Problem[] = [];
  const measures = sanctions.filter((s) => s !== JUDICIAL_TRANSFER);
  const seen = new Set<string>();
  const who = subject.kind === 'team' ? 'a leadership team' : subject.side === 'pc' ? 'a team member' : 'a DIC member';

  if (determination === 'noResponsibility') {
    for (const s of measures) {
      problems.push({ article: 'Art. 16', message: `with no responsibility found, ${s} cannot be decided`, value: s });
    }
    return result(problems);
  }

  const allowed = allowedSanctions(subject.kind, determination, policy);
  for (const s of measures) {
    if (seen.has(s)) {
      problems.push({ article: 'Art. 16', message: `${s} is given twice`, value: s });
      continue;
    }
    seen.add(s);
    if (!(s in SANCTION_NAMES)) {
      problems.push({ article: 'Art. 16', message: `${s} is not a measure of Art. 16`, value: s });
    } else if (!allowed.includes(s as Sanction)) {
      problems.push({
        article: 'Art. 16',
        message: `${s} is not a measure of Art. 16 for ${who} at severity ${determination} (${SEVERITY_ZH[determination]}); allowed: ${allowed.join(', ')}`,
        value: s,
      });
    }
  }
  for (const group of policy.mutuallyExclusive) {
    const chosen = group.filter((s) => seen.has(s));
    if (chosen.length > 1) {
      problems.push({ article: 'Art. 16', message: `only one of ${group.join(', ')} may be decided, got ${chosen.join(', ')}` });
    }
  }
  if (policy.requireAtLeastOne && measures.length === 0) {
    problems.push({ article: 'Art. 16', message: `a finding of severity ${determination} needs at least one Art. 16 measure; allowed: ${allowed.join(', ')}` });
  }
  return result(problems);
}

// ---------------------------------------------------------------------------------------
// Routing (Art. 17)
// ---------------------------------------------------------------------------------------

export type Route =
  /** The DIC's disciplinary case procedure (a child process). */
  | 'dicDisciplinaryCase'
  /** The organisation/personnel department, or the investigating DIC jointly with it. */
  | 'orgDept'
  /** Carried out by the body that decided (the DIC handling the case). */
  | 'decidingBody'
  /** Transfer of the matter to the judicial organs. */
  | 'judicialOrgans';

/** How the deciding body carries out a measure it executes itself. */
export type Execution = 'writtenSelfExaminationTask' | 'admonishmentInterview' | 'criticismEducationTalk' | 'circulation' | 'judicialTransferRecord';

export interface RoutedSanction {
  sanction: Sanction;
  route: Route;
  /** For `orgDept`: Art. 17 allows the investigating DIC to act jointly with the department. */
  jointWithDicAllowed?: boolean;
  execution?: Execution;
}

export const ROUTING: Record<Sanction, Omit<RoutedSanction, 'sanction'>> = {
  disciplinarySanction: { route: 'dicDisciplinaryCase' },
  adjustmentHandling: { route: 'orgDept', jointWithDicAllowed: true },
  positionAdjustment: { route: 'orgDept', jointWithDicAllowed: true },
  orderedResignation: { route: 'orgDept', jointWithDicAllowed: true },
  dismissal: { route: 'orgDept', jointWithDicAllowed: true },
  demotion: { route: 'orgDept', jointWithDicAllowed: true },
  writtenSelfExamination: { route: 'decidingBody', execution: 'writtenSelfExaminationTask' },
  admonishmentTalk: { route: 'decidingBody', execution: 'admonishmentInterview' },
  criticismEducation: { route: 'decidingBody', execution: 'criticismEducationTalk' },
  circulatedCriticism: { route: 'decidingBody', execution: 'circulation' },
  transferToJudicialOrgans: { route: 'judicialOrgans', execution: 'judicialTransferRecord' },
};

/** Art. 17: who carries out each decided measure. */
export function routeSanctions(sanctions: readonly Sanction[]): RoutedSanction[] {
  return [...new Set(sanctions)].map((sanction) => ({ sanction, ...ROUTING[sanction] }));
}

// ---------------------------------------------------------------------------------------
// Interviews (Art. 12)
// ---------------------------------------------------------------------------------------

export const INTERVIEW_KIND_NAMES = ['problemInterview', 'preAppointmentTalk', 'cityDicHeadInterview', 'specialDemocraticLifeMeeting', 'admonishmentTalk'] as const;
export type InterviewKind = (typeof INTERVIEW_KIND_NAMES)[number];

/** Who acts in a step: the one holding the interview, the one interviewed, or the DIC that asked. */
export type InterviewActor = 'interviewer' | 'interviewee' | 'dic';

export interface InterviewStep {
  id: string;
  actor: InterviewActor;
  title: string;
  titleZh: string;
  /** The document the step produces, if any (a documents/ kind). */
  produces?: 'explanation' | 'minutes' | 'list' | 'report' | 'plan';
  /** The step is a signed endorsement (签字背书) of the document of an earlier step. */
  signs?: string;
  /** The step opens another process. */
  opens?: 'rectification';
}

export interface InterviewKindSpec {
  article: string;
  title: string;
  titleZh: string;
  /** Who holds it, in words (the workflow resolves the person). */
  heldBy: string;
  steps: InterviewStep[];
}

export const INTERVIEW_KINDS: Record<InterviewKind, InterviewKindSpec> = {
  problemInterview: {
    article: '12(1)',
    title: 'interview and reminder on a problem forwarded by the DIC',
    titleZh: '约谈提醒',
    heldBy: 'the principal leader of the responsible PC, or a leader he delegates',
    steps: [
      { id: 'holdInterview', actor: 'interviewer', title: 'hold the interview and record it', titleZh: '约谈并记录', produces: 'minutes' },
      { id: 'writeExplanation', actor: 'interviewee', title: 'write an explanation', titleZh: '写出情况说明', produces: 'explanation' },
      { id: 'endorseExplanation', actor: 'interviewer', title: 'sign and endorse the explanation', titleZh: '签字背书', signs: 'writeExplanation' },
      { id: 'returnToDic', actor: 'dic', title: 'receive the endorsed explanation', titleZh: '回复纪委' },
    ],
  },
  preAppointmentTalk: {
    article: '12(2)',
    title: 'pre-appointment integrity talk with a newly promoted cadre',
    titleZh: '任前廉政谈话',
    heldBy: 'the DIC managing the cadre at its level',
    steps: [{ id: 'holdInterview', actor: 'interviewer', title: 'hold the talk and record it', titleZh: '谈话并记录', produces: 'minutes' }],
  },
  cityDicHeadInterview: {
    article: '12(2)',
    title: 'interview by the city DIC head of a place with many problems',
    titleZh: '市纪委负责人约谈',
    heldBy: 'the head of the city DIC, with the place\'s PC and DIC principal leaders',
    steps: [
      { id: 'holdInterview', actor: 'interviewer', title: 'hold the interview and point out the problems', titleZh: '约谈并指出问题', produces: 'minutes' },
      { id: 'setRectificationDemands', actor: 'interviewer', title: 'set the rectification demands', titleZh: '提出整改要求', produces: 'list', opens: 'rectification' },
    ],
  },
  specialDemocraticLifeMeeting: {
    article: '12(2)',
    title: 'special democratic-life meeting after a leadership member\'s violation',
    titleZh: '专题民主生活会',
    heldBy: 'the leadership team of the place or unit',
    steps: [
      { id: 'holdMeeting', actor: 'interviewee', title: 'hold the meeting and record it', titleZh: '召开专题民主生活会', produces: 'minutes' },
      { id: 'submitAnalysis', actor: 'interviewee', title: 'submit the analysis and rectification measures', titleZh: '专题剖析整改', produces: 'report' },
      { id: 'reviewAnalysis', actor: 'dic', title: 'review the analysis', titleZh: '审阅剖析材料' },
    ],
  },
  admonishmentTalk: {
    article: '12(3)',
    title: 'admonishment talk on an ordinary problem of a cadre',
    titleZh: '诫勉谈话',
    heldBy: 'the body managing the cadre, per cadre-management authority',
    steps: [{ id: 'holdInterview', actor: 'interviewer', title: 'hold the admonishment talk and record it', titleZh: '诫勉谈话并记录', produces: 'minutes' }],
  },
};
