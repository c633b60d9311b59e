import { describe, expect, it } from 'vitest';
import {
  ART16_TABLE,
  DEFAULT_SANCTION_POLICY,
  GROUND_CODES,
  GROUNDS,
  INTERVIEW_KINDS,
  routeSanctions,
  SANCTIONS,
  SANCTION_NAMES,
  validateGrounds,
  validateSanctions,
  type Check,
  type Sanction,
  type Severity,
  type Side,
  type SubjectKind,
} from '../../domain/accountability.js';

const problemsOf = (check: Check) => (check.ok ? [] : check.problems);

/** Art. 16 as written in the digest, restated here so the test does not read its expectations from the code under test. */
const EXPECTED: Record<SubjectKind, Record<Severity, Sanction[]>> = {
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

const rows = (['pc', 'dic'] as Side[]).flatMap((side) =>
  (['team', 'person'] as SubjectKind[]).flatMap((kind) =>
    (['light', 'heavier', 'severe'] as Severity[]).map((severity) => ({ side, kind, severity, allowed: EXPECTED[kind][severity] })),
  ),
);

describe('Art. 16: the sanction table', () => {
  it('when the policy table is read, then it is exactly the digest\'s Art. 16 table', () => {
    expect(ART16_TABLE).toEqual(EXPECTED);
  });

  describe.each(rows)('$side $kind, severity $severity', ({ side, kind, severity, allowed }) => {
    const subject = { side, kind };

    it.each(allowed)('Art. 16: when %s alone is decided, then it is accepted', (sanction) => {
      expect(validateSanctions(subject, severity, [sanction])).toEqual({ ok: true });
    });

    const refused = SANCTIONS.filter((s) => !allowed.includes(s) && s !== 'transferToJudicialOrgans');
    it.each(refused)('Art. 16: when %s is decided, then it is refused with a problem naming Art. 16', (sanction) => {
      const problems = problemsOf(validateSanctions(subject, severity, [sanction]));
      expect(problems).toContainEqual(expect.objectContaining({ article: 'Art. 16', value: sanction }));
    });

    it('Art. 16: when transfer to the judicial organs is added to an allowed measure, then it is accepted', () => {
      expect(validateSanctions(subject, severity, [allowed[0]!, 'transferToJudicialOrgans'])).toEqual({ ok: true });
    });
  });

  it('Art. 16: when a light case of a person combines criticism-education, admonishment talk and written self-examination, then it is accepted', () => {
    const check = validateSanctions({ side: 'pc', kind: 'person' }, 'light', ['criticismEducation', 'admonishmentTalk', 'writtenSelfExamination']);
    expect(check).toEqual({ ok: true });
  });

  it('Art. 16: when a severe case of a person combines a disciplinary sanction with dismissal, then it is accepted', () => {
    expect(validateSanctions({ side: 'dic', kind: 'person' }, 'severe', ['disciplinarySanction', 'dismissal'])).toEqual({ ok: true });
  });

  it('Art. 16 [reading]: when a severe case adds a measure of a lighter row, then it is refused; with allowLighterRows, then it is accepted', () => {
    const subject = { side: 'pc', kind: 'person' } as const;
    const decision = ['disciplinarySanction', 'circulatedCriticism'];
    expect(problemsOf(validateSanctions(subject, 'severe', decision))).toContainEqual(
      expect.objectContaining({ article: 'Art. 16', value: 'circulatedCriticism' }),
    );
    expect(validateSanctions(subject, 'severe', decision, { ...DEFAULT_SANCTION_POLICY, allowLighterRows: true })).toEqual({ ok: true });
  });

  it('Art. 16 [reading]: when two organisational measures that each end the post are combined, then it is refused', () => {
    const problems = problemsOf(validateSanctions({ side: 'pc', kind: 'person' }, 'severe', ['dismissal', 'demotion']));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ article: 'Art. 16' });
    expect(problems[0]!.message).toContain('only one of');
  });

  it('Art. 16: when responsibility is found but no measure is decided, then it is refused naming Art. 16', () => {
    expect(problemsOf(validateSanctions({ side: 'pc', kind: 'team' }, 'heavier', []))).toEqual([expect.objectContaining({ article: 'Art. 16' })]);
  });

  it('Art. 16: when no responsibility is found, then only a transfer to the judicial organs (or nothing) is accepted', () => {
    const subject = { side: 'pc', kind: 'person' } as const;
    expect(validateSanctions(subject, 'noResponsibility', [])).toEqual({ ok: true });
    expect(validateSanctions(subject, 'noResponsibility', ['transferToJudicialOrgans'])).toEqual({ ok: true });
    expect(problemsOf(validateSanctions(subject, 'noResponsibility', ['criticismEducation']))).toEqual([
      expect.objectContaining({ article: 'Art. 16', value: 'criticismEducation' }),
    ]);
  });

  it('Art. 16: when an unknown measure or a repeated one is given, then each is refused naming Art. 16', () => {
    const problems = problemsOf(validateSanctions({ side: 'dic', kind: 'team' }, 'light', ['writtenSelfExamination', 'writtenSelfExamination', 'fine']));
    expect(problems.map((p) => [p.article, p.value])).toEqual([
      ['Art. 16', 'writtenSelfExamination'],
      ['Art. 16', 'fine'],
    ]);
  });

  it('when every sanction is listed, then each has an English and a Chinese name', () => {
    for (const s of SANCTIONS) {
      expect(SANCTION_NAMES[s].name.length).toBeGreaterThan(0);
      expect(SANCTION_NAMES[s].nameZh).toMatch(/\p{Script=Han}/u);
    }
  });
});

describe('Art. 14 / Art. 15: the grounds', () => {
  it('when the grounds are listed, then Art. 14 has (1)–(9) on the PC side and Art. 15 has (1)–(7) on the DIC side', () => {
    expect(GROUND_CODES.filter((c) => GROUNDS[c].side === 'pc')).toEqual(Array.from({ length: 9 }, (_, i) => `14(${i + 1})`));
    expect(GROUND_CODES.filter((c) => GROUNDS[c].side === 'dic')).toEqual(Array.from({ length: 7 }, (_, i) => `15(${i + 1})`));
  });

  it.each(['14(1)', '14(2)', '14(9)'])('Art. 14: when a PC-side case rests on %s, then it is accepted', (code) => {
    expect(validateGrounds('pc', [code])).toEqual({ ok: true });
  });

  it.each(['15(1)', '15(5)', '15(7)'])('Art. 15: when a DIC-side case rests on %s, then it is accepted', (code) => {
    expect(validateGrounds('dic', [code])).toEqual({ ok: true });
  });

  it('Art. 14: when a PC-side case cites a ground of Art. 15, then it is refused naming Art. 14 and Art. 15', () => {
    const problems = problemsOf(validateGrounds('pc', ['14(2)', '15(5)']));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ article: 'Art. 14', value: '15(5)' });
    expect(problems[0]!.message).toContain('Art. 15');
  });

  it('Art. 15: when a DIC-side case cites a ground of Art. 14, then it is refused naming Art. 15 and Art. 14', () => {
    const problems = problemsOf(validateGrounds('dic', ['14(2)']));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ article: 'Art. 15', value: '14(2)' });
    expect(problems[0]!.message).toContain('Art. 14');
  });

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])('Art. 14: when the "ground" %s (a name every object has) is given, then it is refused as no ground of Art. 14', (code) => {
    expect(problemsOf(validateGrounds('pc', [code]))).toEqual([{ article: 'Art. 14', message: `${code} is not a ground of Art. 14`, value: code }]);
  });

  it('Art. 14: when a ground does not exist or none is given, then it is refused naming the side\'s article', () => {
    expect(problemsOf(validateGrounds('pc', ['14(10)']))).toEqual([expect.objectContaining({ article: 'Art. 14', value: '14(10)' })]);
    expect(problemsOf(validateGrounds('dic', []))).toEqual([expect.objectContaining({ article: 'Art. 15' })]);
  });
});

describe('Art. 17: routing of the decided measures', () => {
  it('Art. 17: when a disciplinary sanction is decided, then it goes to the DIC disciplinary case procedure', () => {
    expect(routeSanctions(['disciplinarySanction'])).toEqual([{ sanction: 'disciplinarySanction', route: 'dicDisciplinaryCase' }]);
  });

  it.each(['positionAdjustment', 'orderedResignation', 'dismissal', 'demotion', 'adjustmentHandling'] as Sanction[])(
    'Art. 17: when %s is decided, then it goes to the organisation department, jointly with the DIC allowed',
    (sanction) => {
      expect(routeSanctions([sanction])).toEqual([{ sanction, route: 'orgDept', jointWithDicAllowed: true }]);
    },
  );

  it('Art. 17: when lighter measures are decided, then the deciding body carries them out (self-examination task, admonishment interview)', () => {
    const routed = routeSanctions(['writtenSelfExamination', 'admonishmentTalk', 'criticismEducation', 'circulatedCriticism']);
    expect(routed.map((r) => [r.sanction, r.route, r.execution])).toEqual([
      ['writtenSelfExamination', 'decidingBody', 'writtenSelfExaminationTask'],
      ['admonishmentTalk', 'decidingBody', 'admonishmentInterview'],
      ['criticismEducation', 'decidingBody', 'criticismEducationTalk'],
      ['circulatedCriticism', 'decidingBody', 'circulation'],
    ]);
  });

  it('Art. 16–17: when a decision combines a disciplinary sanction, dismissal and a judicial transfer, then each goes its own way', () => {
    const routed = routeSanctions(['disciplinarySanction', 'dismissal', 'transferToJudicialOrgans']);
    expect(routed.map((r) => r.route)).toEqual(['dicDisciplinaryCase', 'orgDept', 'judicialOrgans']);
  });
});

describe('Art. 12: interview kinds', () => {
  it('Art. 12(1): when a problem interview runs, then the explanation is written by the interviewee and signed by the interviewer before returning to the DIC', () => {
    const steps = INTERVIEW_KINDS.problemInterview.steps;
    expect(steps.map((s) => s.id)).toEqual(['holdInterview', 'writeExplanation', 'endorseExplanation', 'returnToDic']);
    expect(steps.find((s) => s.id === 'writeExplanation')).toMatchObject({ actor: 'interviewee', produces: 'explanation' });
    expect(steps.find((s) => s.id === 'endorseExplanation')).toMatchObject({ actor: 'interviewer', signs: 'writeExplanation' });
  });

  it('Art. 12(2): when the city DIC head interviews a place, then it ends in rectification demands that open a rectification', () => {
    const last = INTERVIEW_KINDS.cityDicHeadInterview.steps.at(-1);
    expect(last).toMatchObject({ id: 'setRectificationDemands', opens: 'rectification' });
  });

  it('when the interview kinds are listed, then each cites its paragraph of Art. 12', () => {
    expect(Object.fromEntries(Object.entries(INTERVIEW_KINDS).map(([k, v]) => [k, v.article]))).toEqual({
      problemInterview: '12(1)',
      preAppointmentTalk: '12(2)',
      cityDicHeadInterview: '12(2)',
      specialDemocraticLifeMeeting: '12(2)',
      admonishmentTalk: '12(3)',
    });
  });
});
