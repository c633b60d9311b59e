/**
 * Every field a person fills in carries its words in the schema (domain/form-meta.ts): a
 * Chinese label, an English one for the switch, and a name for every coded value, so the
 * console never shows a schema key or an enum code. Task forms and the start forms.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { forms } from '../../domain/forms.js';
import { formJsonSchema } from '../../api/forms/endpoints.js';
import { CaseBody, InterviewBody } from '../../api/cases/open.js';

type Schema = Record<string, unknown> & { properties?: Record<string, Schema>; items?: Schema; anyOf?: Schema[]; enum?: unknown[] };

const CJK = /[\u4e00-\u9fff]/;

/** Fields (by path) that a person sees and that lack Chinese words or names for their codes. */
function untranslated(schema: Schema, path = ''): string[] {
  const problems: string[] = [];
  for (const [name, raw] of Object.entries(schema.properties ?? {})) {
    const inner = raw.anyOf?.find((a) => a.type !== 'null') ?? raw;
    const s = { ...inner, ...raw } as Schema;
    const where = path ? `${path}.${name}` : name;
    if (s['x-picker'] === 'hidden') continue;
    if (typeof s.title !== 'string' || !CJK.test(s.title)) problems.push(`${where}: no Chinese title`);
    if (typeof (s['x-en'] as { title?: unknown } | undefined)?.title !== 'string') problems.push(`${where}: no English title`);
    const names = s['x-enum-names'] as Record<string, { zh: string }> | undefined;
    for (const value of s.enum ?? []) if (!names?.[String(value)]?.zh) problems.push(`${where}: no name for ${String(value)}`);
    if (s.properties) problems.push(...untranslated(s, where));
    if (s.items?.properties) problems.push(...untranslated(s.items, `${where}[]`));
  }
  return problems;
}

describe('the words of the forms', () => {
  it.each(Object.keys(forms))('when the task form %s is drawn, then every field has a Chinese and an English label and every code a name', (name) => {
    expect(untranslated(formJsonSchema(name) as Schema)).toEqual([]);
  });

  it('when the interview and case start forms are drawn, then every field has its words, and each case ground its article in Chinese', () => {
    const interview = z.toJSONSchema(InterviewBody, { io: 'input', unrepresentable: 'any' }) as Schema;
    const kase = z.toJSONSchema(CaseBody, { io: 'input', unrepresentable: 'any' }) as Schema;
    expect(untranslated(interview)).toEqual([]);
    expect(untranslated(kase)).toEqual([]);
    const grounds = kase.properties?.grounds?.['x-choices'] as Array<{ value: string; zh: string; group: string }>;
    expect(grounds.find((g) => g.value === '14(2)')).toMatchObject({ group: 'pc', zh: expect.stringMatching(/^第十四条第（二）项：对上级党委和纪委交办事项/) as unknown });
    expect(grounds.filter((g) => g.group === 'dic')).toHaveLength(7);
  });
});
