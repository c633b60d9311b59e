/**
 * The console as its people use it (issue 13), in headless Debian Chromium against the real
 * app, the dev server, the real worker and the Yiwu demo data. Each test signs in with a token
 * and from then on only clicks, picks and types words: no internal ID and no URL is typed.
 * A case officer starts each process type from the start page's tabs; the unit answers the
 * rectification plan with its findings one row each and its people picked by name; the
 * reviewing commission decides from a blank choice; a supervisor pages an inbox past 100.
 * Every task page is checked for JSON dumps and untranslated schema keys. Screenshots go to
 * test-artifacts/screenshots/ (work-*.png).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Principal } from '../../api/http/endpoint.js';
import { startServiceHarness, type ServiceHarness } from '../support/harness.js';
import { localDateOf } from '../../domain/calendar.js';
import { seedProcesses } from '../../scripts/seed-processes.js';

const CHROMIUM = '/usr/bin/chromium';
const root = fileURLToPath(new URL('../..', import.meta.url));
const shots = `${root}test-artifacts/screenshots`;

const officer: Principal = { sub: 'co-yiwu', role: 'caseOfficer', orgId: 'yiwu-dic', personId: 'p-yiwu-co' };
const futangUnit: Principal = { sub: 'u-futang', role: 'unit', orgId: 'futang-pc' };
const supervisor: Principal = { sub: 'sv-yiwu', role: 'supervisor', orgId: 'yiwu-dic' };
const futangSecretary: Principal = { sub: 'l-futang-pl', role: 'leader', orgId: 'futang-pc', personId: 'p-futang-pl' };
const futangDeputy: Principal = { sub: 'l-futang-tm1', role: 'leader', orgId: 'futang-pc', personId: 'p-futang-tm1' };

/** Words a reader should never see on a task page: a JSON dump, or a schema key left untranslated. */
const JSON_DUMP = /[{[]\s*"[^"\n]*"\s*:/;
const SCHEMA_KEY = /\b[a-z]+(?:[A-Z][a-z0-9]*)+\b|\b(?:summary|note|decision|reasons|opinion|measures|items|grounds|side|kind|content|detail|channel|accept|reopen|close)\b/;

async function expectReadable(page: Page, what: string): Promise<void> {
  const text = await page.locator('main').innerText();
  expect(text, `${what}: a JSON dump is visible`).not.toMatch(JSON_DUMP);
  expect(text.match(SCHEMA_KEY)?.[0], `${what}: an untranslated schema key is visible`).toBeUndefined();
}

async function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM}: run scripts/bootstrap.sh as root (it installs the Debian package "chromium")`);
  if (!existsSync(`${root}console/dist/index.html`)) execFileSync('npm', ['run', '--silent', 'build:console'], { cwd: root, stdio: 'inherit' });
  mkdirSync(shots, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Signs in as a person does with a handed-over token, landing on the role's first page. */
async function signIn(browser: Browser, h: ServiceHarness, principal: Principal, width = 1280): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height: 900 }, locale: 'zh-CN' });
  page.on('pageerror', (err) => {
    throw err;
  });
  await page.goto(`${h.api.baseUrl}/console/#token=${encodeURIComponent(h.api.token(principal))}`);
  await page.waitForSelector('main h1');
  return page;
}

/** Submits the start form shown and waits for the started state, failing with the page's own message otherwise. */
async function submitStart(page: Page): Promise<void> {
  await page.getByRole('button', { name: '提交' }).click();
  await page.waitForSelector('#started, #start-message.error');
  expect(await page.locator('#start-message.error').count(), await page.locator('main').innerText()).toBe(0);
}

const shoot = (page: Page, name: string) => page.screenshot({ path: `${shots}/work-${name}.png`, fullPage: true });

describe('the console at work: starting, answering and deciding by name', () => {
  let h: ServiceHarness;
  let browser: Browser;
  const today = localDateOf(Date.now());

  beforeAll(async () => {
    h = await startServiceHarness({ data: 'demo', worker: true });
    browser = await launch();
  });

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('when a case officer clicks each tab of the start page, then each form stays and each process type starts from names picked', async () => {
    const page = await signIn(browser, h, officer);
    await page.waitForSelector('#start-rectification');

    // The tabs: each shows its own form (the first one used to come back on every click).
    await page.getByRole('tab', { name: '发起约谈' }).click();
    await page.waitForSelector('#start-interview');
    expect(await page.locator('#start-rectification').count()).toBe(0);
    await page.getByRole('tab', { name: '立案' }).click();
    await page.waitForSelector('#start-case');
    await page.getByRole('tab', { name: '发起约谈' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector('#start-interview');
    await page.getByRole('tab', { name: '发起整改' }).click();
    await page.waitForSelector('#start-rectification');
    await expectReadable(page, 'the rectification start form');
    // English on request: the same form's labels and choices from the schema's English words.
    await page.click('#lang');
    await page.waitForSelector('#start-rectification');
    expect(await page.locator('[data-path="targetOrgId"] .label').innerText()).toContain('Target');
    expect(await page.locator('[data-path="channel"]').innerText()).toContain('Face to face');
    await page.click('#lang');
    await page.waitForSelector('#start-rectification');

    // A rectification: the target among party committees only; the issuer is the officer's own commission.
    const targets = await page.locator('select[name="targetOrgId"] option').allInnerTexts();
    expect(targets).toContain('佛堂镇党委');
    expect(targets).not.toContain('佛堂镇纪委');
    expect(await page.locator('select[name="issuingOrgId"] option:checked').innerText()).toBe('义乌市纪委');
    // The issuer is the officer's own commission or the party committee it sits under, nothing else.
    expect((await page.locator('select[name="issuingOrgId"] option').allInnerTexts()).slice(1).sort()).toEqual(['中共义乌市委', '义乌市纪委'].sort());
    // Nothing is chosen for the person: the form says what is missing before anything is sent.
    await page.getByRole('button', { name: '提交' }).click();
    expect(await page.locator('#start-rectification .issue').first().innerText()).toBe('此项必填');
    await page.selectOption('select[name="targetOrgId"]', { label: '佛堂镇党委' });
    await page.fill('input[name="feedbackId"]', 'YWJW-2026-整改-001');
    await page.fill('input[name="feedbackDate"]', today);
    await page.getByLabel('当面反馈').check();
    await page.fill('[data-path="findings.0.title"] input', '村级监督薄弱');
    await page.fill('[data-path="findings.0.detail"] textarea', '三个村2026年未召开民主生活会。');
    await page.getByRole('button', { name: '添加' }).click();
    await page.fill('[data-path="findings.1.title"] input', '工程项目未招标');
    await page.fill('[data-path="findings.1.detail"] textarea', '两项超过限额的合同直接发包。');
    await shoot(page, 'start-rectification');
    await submitStart(page);
    await shoot(page, 'start-rectification-done');

    // An interview: the person picked by name and post among the people of the organisation chosen.
    await page.getByRole('tab', { name: '发起约谈' }).click();
    await page.selectOption('select[name="kind"]', { label: '约谈提醒' });
    await page.selectOption('#start-interview select[name="orgId"]', { label: '佛堂镇党委' });
    await page.locator('#start-interview select[name="personId"] option', { hasText: '吴丽萍' }).waitFor({ state: 'attached' });
    await page.selectOption('#start-interview select[name="personId"]', { label: '吴丽萍（镇党委副书记、镇长）' });
    await page.fill('#start-interview textarea[name="reason"]', '村级工程项目管理不规范，群众反映强烈。');
    await expectReadable(page, 'the interview start form');
    await shoot(page, 'start-interview');
    await submitStart(page);

    // A case: the grounds of the side chosen, with the article's text, ticked.
    await page.getByRole('tab', { name: '立案' }).click();
    expect(await page.locator('#start-case .checklist input').count()).toBe(0);
    await page.getByLabel('纪委及其成员（第十五条）').check();
    // A commission's side offers commissions only; the party committee side none of them.
    expect(await page.locator('#start-case select[name="orgId"] option:not([hidden])', { hasText: '佛堂镇党委' }).count()).toBe(0);
    await page.getByLabel('党委（党组）及其成员（第十四条）').check();
    expect(await page.locator('#start-case select[name="orgId"] option:not([hidden])', { hasText: '佛堂镇纪委' }).count()).toBe(0);
    await page.getByLabel('个人', { exact: true }).check();
    await page.selectOption('#start-case select[name="orgId"]', { label: '佛堂镇党委' });
    await page.locator('#start-case select[name="personId"] option', { hasText: '陈志强' }).waitFor({ state: 'attached' });
    await page.selectOption('#start-case select[name="personId"]', { label: '陈志强（镇党委委员）' });
    expect(await page.locator('#start-case .checklist label').count()).toBe(9);
    await page.getByLabel(/第十四条第（二）项：对上级党委和纪委交办事项/).check();
    await page.getByLabel('信访举报').check();
    await page.fill('#start-case textarea[name="summary"]', '对市纪委交办的信访件拒不办理。');
    await expectReadable(page, 'the case start form');
    await shoot(page, 'start-case');
    await submitStart(page);

    await expect
      .poll(async () => (await h.models.ProcessSummary.find({}, { processType: 1 }).lean<Array<{ processType: string }>>()).map((t) => t.processType).sort())
      .toEqual(['accountability-case', 'interview', 'rectification']);
    const rectification = await h.models.ProcessSummary.findOne({ processType: 'rectification' }).lean<{ _id: string }>();
    expect(rectification?._id).toBe('rectification:futang-pc:YWJW-2026-整改-001');
    await page.close();
  });

  it('when the unit opens its plan task, then the findings are rows already named, its people are picked by name, and the answer reads back as the form', async () => {
    const page = await signIn(browser, h, futangUnit);
    await page.waitForSelector('#inbox');
    const row = page.locator('#inbox tbody tr', { hasText: '报送整改方案' });
    expect(await row.innerText()).toContain('整改');
    expect(await row.innerText()).toContain('佛堂镇党委');
    await shoot(page, 'inbox-unit');
    await row.getByRole('link').click();
    await page.waitForSelector('#task-form[data-form="rectificationPlan"]');
    expect(await page.locator('#task-context').innerText()).toContain('村级监督薄弱');
    await expectReadable(page, 'the plan task');

    // The server checks the person a plan names: Yiwu's party secretary holds no post at Futang (422, a reason the console says in Chinese).
    const planTask = await h.openTask('rectification:futang-pc:YWJW-2026-整改-001', 'planTask');
    const elsewhere = await h.api.request('POST', `/api/v1/tasks/${encodeURIComponent(planTask._id)}/complete`, {
      token: h.api.token(futangUnit),
      body: { payload: { items: ['F1', 'F2'].map((findingId) => ({ findingId, measures: '整改', responsiblePersonId: 'p-yiwu-pl', targetDate: today })) } },
    });
    expect(elsewhere.status).toBe(422);
    expect((elsewhere.body as { error: { details: { reason: string } } }).error.details.reason).toBe('personNotInOrg');

    const rows = page.locator('#task-form fieldset.row');
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(0).locator('legend').innerText()).toBe('1. 村级监督薄弱');
    expect(await page.locator('#task-form button', { hasText: '添加' }).count()).toBe(0);
    for (const [index, person] of [[0, '朱国庆（镇党委书记）'], [1, '陈志强（镇党委委员）']] as const) {
      const r = rows.nth(index);
      await r.locator('select[name="responsiblePersonId"] option', { hasText: person.slice(0, 3) }).waitFor({ state: 'attached' });
      await r.locator('select[name="responsiblePersonId"]').selectOption({ label: person });
      await r.locator('textarea[name="measures"]').fill(index === 0 ? '各村年内补开民主生活会。' : '补办招标手续，追究经办人责任。');
      await r.locator('input[name="targetDate"]').fill(today);
    }
    await shoot(page, 'task-plan');
    await page.click('#submit');
    await page.waitForSelector('#completed');
    expect(await page.locator('#task-status').innerText()).toBe('已完成');
    const answer = await page.locator('#answer').innerText();
    expect(answer).toContain('朱国庆');
    expect(answer).toContain('村级监督薄弱');
    await expectReadable(page, 'the submitted plan');
    await shoot(page, 'task-plan-done');
    const task = await h.models.Task.findOne({ elementId: 'planTask' }).lean<{ result: { items: Array<{ findingId: string; responsiblePersonId: string }> } }>();
    expect(task?.result.items.map((i) => [i.findingId, i.responsiblePersonId])).toEqual([['F1', 'p-futang-pl'], ['F2', 'p-futang-tm2']]);
    await page.close();
  });

  it('when the reviewing commission opens the review, then the plan is a table with names, the decision starts blank, and its answer and the process read in Chinese', async () => {
    const page = await signIn(browser, h, officer);
    await page.getByRole('link', { name: '待办', exact: true }).click();
    const row = page.locator('#inbox tbody tr', { hasText: '审核整改方案' });
    await row.waitFor();
    await row.getByRole('link').click();
    await page.waitForSelector('#task-form[data-form="rectificationReview"]');
    const context = await page.locator('#task-context').innerText();
    expect(context).toContain('朱国庆');
    expect(context).toContain('各村年内补开民主生活会。');
    expect(await page.locator('#task-form input[type=radio]:checked').count()).toBe(0);
    await expectReadable(page, 'the review task');
    // A returned plan needs reasons: the API's refusal is shown in Chinese, at the field, by the field's own rule.
    await page.getByLabel('退回修改').check();
    await page.click('#submit');
    await page.waitForSelector('#form-message.error');
    expect(await page.locator('#form-message').innerText()).toBe('填写的内容不符合要求，请按提示修改');
    expect(await page.locator('[data-path="reasons"] .issue').innerText()).toBe('不符合要求：退回修改时必填');
    await page.getByLabel('同意').check();
    await shoot(page, 'task-review');
    await page.click('#submit');
    await page.waitForSelector('#completed');
    expect(await page.locator('#answer').innerText()).toContain('同意');
    await expectReadable(page, 'the submitted review');

    // The process: its substance and a Chinese timeline naming organisations.
    await page.getByRole('link', { name: '整改', exact: true }).click();
    await page.waitForSelector('#substance');
    expect(await page.locator('#substance').innerText()).toContain('工程项目未招标');
    const timeline = await page.locator('#timeline').innerText();
    expect(timeline).toContain('义乌市纪委 金丽娟 同意整改方案');
    expect(timeline).toContain('同意整改方案');
    expect(timeline).not.toMatch(/rectification\.|by the system/);
    await shoot(page, 'process-rectification');
    await page.close();
  });

  it('when the unit reports progress on each open item and the commission closes it, then the rectification ends with every item rectified', async () => {
    const unit = await signIn(browser, h, futangUnit);
    const row = unit.locator('#inbox tbody tr', { hasText: '第1次整改进展报告' });
    await row.waitFor();
    await row.getByRole('link').click();
    await unit.waitForSelector('#task-form[data-form="rectificationProgress"]');
    await expectReadable(unit, 'the progress task');
    const items = unit.locator('#task-form fieldset.row');
    expect(await items.count()).toBe(2);
    for (let i = 0; i < 2; i++) {
      const item = items.nth(i);
      await item.locator('textarea[name="done"]').fill(i === 0 ? '三个村均已召开民主生活会。' : '已补办招标手续。');
      await item.locator('textarea[name="evidence"]').fill('会议记录及照片');
      await item.getByLabel('已整改到位').check();
    }
    await shoot(unit, 'task-progress');
    await unit.click('#submit');
    await unit.waitForSelector('#completed');
    await expectReadable(unit, 'the submitted progress report');
    await unit.close();

    const officerPage = await signIn(browser, h, officer);
    await officerPage.getByRole('link', { name: '待办', exact: true }).click();
    const closure = officerPage.locator('#inbox tbody tr', { hasText: '整改销号审核' });
    await closure.waitFor();
    await closure.getByRole('link').click();
    await officerPage.waitForSelector('#task-form[data-form="rectificationClosure"]');
    expect(await officerPage.locator('#task-context').innerText()).toContain('已销号');
    expect(await officerPage.locator('#task-form input[type=radio]:checked').count()).toBe(0);
    await expectReadable(officerPage, 'the closure task');
    await officerPage.getByLabel('同意销号').check();
    await officerPage.fill('textarea[name="opinion"]', '两项问题均已整改到位，同意销号。');
    await shoot(officerPage, 'task-closure');
    await officerPage.click('#submit');
    await officerPage.waitForSelector('#completed');
    await expectReadable(officerPage, 'the submitted closure');
    await expect.poll(async () => (await h.models.ProcessSummary.findById('rectification:futang-pc:YWJW-2026-整改-001').lean<{ status: string }>())?.status).toBe('completed');
    await officerPage.close();
  });

  it('when the unit opens the evidence task of the case, then the case reads by name: subject, person, grounds in Chinese', async () => {
    const page = await signIn(browser, h, futangUnit);
    const row = page.locator('#inbox tbody tr', { hasText: '提交责任追究调查材料' });
    await row.waitFor();
    expect(await row.innerText()).toContain('责任追究');
    await row.getByRole('link').click();
    await page.waitForSelector('#task-form[data-form="caseEvidence"]');
    const context = await page.locator('#task-context').innerText();
    expect(context).toContain('陈志强');
    expect(context).toContain('第十四条第（二）项');
    await expectReadable(page, 'the case evidence task');
    await shoot(page, 'task-case-evidence');
    // On a phone the task page fits the width.
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await page.screenshot({ path: `${shots}/work-task-phone.png`, fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.fill('textarea[name="summary"]', '经核查，镇党委对市纪委交办的三件信访件未作处理。');
    await page.click('#submit');
    await page.waitForSelector('#completed');
    await page.close();
  });

  it('when the commission determines the case heavier and decides, then only the measures Art. 16 allows for a person are offered', async () => {
    const page = await signIn(browser, h, officer);
    await page.getByRole('link', { name: '待办', exact: true }).click();
    const determine = page.locator('#inbox tbody tr', { hasText: '认定事实与情节' });
    await determine.waitFor();
    await determine.getByRole('link').click();
    await page.waitForSelector('#task-form[data-form="caseDetermination"]');
    expect(await page.locator('#task-context').innerText()).toContain('三件信访件');
    await expectReadable(page, 'the determination task');
    await page.fill('textarea[name="facts"]', '镇党委对上级交办事项拒不办理，情节较重。');
    await page.getByLabel('情节较重').check();
    await page.click('#submit');
    await page.waitForSelector('#completed');

    await page.getByRole('link', { name: '返回待办' }).click();
    const decide = page.locator('#inbox tbody tr', { hasText: '作出责任追究决定' });
    await decide.waitFor();
    await decide.getByRole('link').click();
    await page.waitForSelector('#task-form[data-form="caseDecision"]');
    expect((await page.locator('[data-path="sanctions"] .checklist label').allInnerTexts()).map((l) => l.trim())).toEqual(['通报批评', '移送司法机关']);
    await expectReadable(page, 'the decision task');
    await page.getByLabel('通报批评').check();
    await page.fill('textarea[name="reasoning"]', '依据第十六条，情节较重的，予以通报批评。');
    await shoot(page, 'task-case-decision');
    await page.click('#submit');
    await page.waitForSelector('#completed');
    expect(await page.locator('#answer').innerText()).toContain('通报批评');
    await page.close();
  });

  /** Opens the signed-in person's task of that step from the inbox, fills its text and submits it. */
  async function answerFromInbox(principal: Principal, step: string, form: string, fill: (page: Page) => Promise<void>, shot?: string): Promise<Page> {
    const page = await signIn(browser, h, principal);
    if (!(await page.locator('#inbox').count())) await page.getByRole('link', { name: '待办', exact: true }).click();
    const row = page.locator('#inbox tbody tr', { hasText: step });
    await row.waitFor();
    await row.getByRole('link').click();
    await page.waitForSelector(`#task-form[data-form="${form}"]`);
    await expectReadable(page, step);
    await fill(page);
    if (shot) await shoot(page, shot);
    await page.click('#submit');
    await page.waitForSelector('#completed');
    await expectReadable(page, `${step}, submitted`);
    return page;
  }

  it('when the interview is held, explained, signed and returned through the pages, then the signer reads the explanation he signs and the interview ends', async () => {
    await (await answerFromInbox(futangSecretary, '约谈并记录', 'interviewDocument', (p) => p.fill('textarea[name="content"]', '约谈吴丽萍同志，指出村级工程项目管理不规范的问题。'))).close();
    await (await answerFromInbox(futangDeputy, '写出情况说明', 'interviewDocument', (p) => p.fill('textarea[name="content"]', '本人对村级工程项目疏于监管，已责成各村全面自查。'))).close();
    const signed = await answerFromInbox(futangSecretary, '签字背书', 'interviewEndorsement', async (p) => {
      expect(await p.locator('#task-context .document-text').innerText()).toBe('本人对村级工程项目疏于监管，已责成各村全面自查。');
      await p.fill('textarea[name="opinion"]', '情况属实，同意。');
    }, 'task-interview-endorse');
    await signed.close();
    const returned = await answerFromInbox(officer, '回复纪委', 'acknowledge', async (p) => {
      const context = await p.locator('#task-context').innerText();
      expect(context).toContain('约谈吴丽萍同志');
      // The signature: who signed which version, when.
      expect(context).toContain('朱国庆');
    }, 'task-interview-return');
    await returned.close();
    await expect.poll(async () => (await h.models.ProcessSummary.findOne({ processType: 'interview' }).lean<{ status: string }>())?.status).toBe('completed');
  });

  it('when escalations have proposed interviews, then the deciding officer opens one as an interview and dismisses the other with a reason, from the proposals page', async () => {
    const proposal = (id: string, title: string) => ({
      _id: id,
      kind: 'interview',
      status: 'open',
      articles: ['12(1)'],
      subjectOrgId: 'futang-pc',
      deciderOrgId: 'yiwu-dic',
      orgPath: ['jinhua-pc', 'yiwu-pc', 'futang-pc'],
      sourceProcessId: 'rectification:futang-pc:YWJW-2026-整改-001',
      sourceTaskId: `${id}-task`,
      reason: `「${title}」2026-10-01到期，已逾期30天`,
      createdAt: new Date(),
    });
    await h.models.Proposal.create([proposal('proposal-a', '报送整改方案'), proposal('proposal-b', '第1次整改进展报告')]);
    const page = await signIn(browser, h, officer);
    await page.getByRole('link', { name: '升级建议' }).click();
    await page.waitForSelector('#proposals');
    await expectReadable(page, 'the proposals page');
    await shoot(page, 'proposals');
    const first = page.locator('#proposals tbody tr', { hasText: '报送整改方案' });
    expect(await first.innerText()).toContain('佛堂镇党委');
    await first.getByRole('button', { name: '发起约谈' }).click();
    await expect.poll(() => page.locator('#proposals tbody tr').count()).toBe(1);
    const second = page.locator('#proposals tbody tr', { hasText: '第1次整改进展报告' });
    await second.getByRole('button', { name: '不予采纳' }).click();
    expect(await second.locator('.proposal-message').innerText()).toBe('此项必填');
    await second.getByLabel('不予采纳的理由').fill('已按期补报，不再约谈。');
    await second.getByRole('button', { name: '不予采纳' }).click();
    await page.waitForSelector('#proposals-total');
    await expect.poll(() => page.locator('#proposals tbody tr').count()).toBe(0);
    expect((await h.models.Proposal.findById('proposal-a').lean<{ status: string; openedProcessId: string }>())?.status).toBe('opened');
    expect((await h.models.Proposal.findById('proposal-b').lean<{ status: string; decisionReason: string }>())).toMatchObject({ status: 'dismissed', decisionReason: '已按期补报，不再约谈。' });
    await page.close();
  });

  it('when the issuing officer finds the case by its type and cancels it with a reason, then the process reads cancelled, with the reason in its timeline', async () => {
    const page = await signIn(browser, h, officer);
    await page.getByRole('link', { name: '流程查询' }).click();
    await page.waitForSelector('#search-form');
    await page.selectOption('#search-form select[name="type"]', { label: '责任追究' });
    await page.getByRole('button', { name: '查询' }).click();
    await expect.poll(() => page.locator('#results tbody tr').count()).toBe(1);
    await page.locator('#results tbody tr a').click();
    await page.waitForSelector('#cancel');
    await page.locator('#cancel summary').click();
    await page.click('#cancel-process');
    expect(await page.locator('#cancel-message').innerText()).toBe('此项必填');
    await page.getByLabel('撤销理由').fill('当事人已调离，另案处理。');
    await page.click('#cancel-process');
    await page.waitForSelector('h1 [data-status="cancelled"]');
    expect(await page.locator('#substance').innerText()).toContain('通报批评');
    await expectReadable(page, 'the cancelled case');
    expect(await page.locator('#timeline').innerText()).toContain('撤销流程：当事人已调离，另案处理。');
    await shoot(page, 'process-cancelled');
    await page.close();
  });
});

describe('the inbox past 100 tasks', () => {
  let h: ServiceHarness;
  let browser: Browser;

  beforeAll(async () => {
    h = await startServiceHarness();
    await seedProcesses(h.models, { count: 1_500, batch: 500 });
    browser = await launch();
  });

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('when a supervisor widens the inbox to the remit, pages on and filters, then the totals and rows follow', async () => {
    const page = await signIn(browser, h, supervisor);
    await page.getByRole('link', { name: '待办', exact: true }).click();
    await page.waitForSelector('#inbox-filters');
    await page.selectOption('select[name="scope"]', { label: '监督范围内全部' });
    await page.waitForSelector('#inbox tbody tr');
    const total = Number(/共 (\d+) 条/.exec(await page.locator('#inbox-total').innerText())?.[1]);
    expect(total).toBeGreaterThan(100);
    expect(await page.locator('#inbox tbody tr').count()).toBe(50);
    await page.click('#next-page');
    await expect.poll(() => page.locator('#inbox-total').innerText()).toMatch(/^第 51–/);
    await page.click('#next-page');
    await expect.poll(() => page.locator('#inbox-total').innerText()).toMatch(/^第 101–/);
    await shoot(page, 'inbox-page-3');

    await page.selectOption('select[name="type"]', { label: '整改' });
    await expect.poll(() => page.locator('#inbox-total').innerText()).toMatch(/^第 1–/);
    const rows = await page.locator('#inbox tbody tr td:first-child').allInnerTexts();
    expect(new Set(rows)).toEqual(new Set(['整改']));
    await page.getByLabel('仅看已逾期').check();
    await expect.poll(async () => (await page.locator('#inbox tbody tr').count()) - (await page.locator('#inbox tbody tr.overdue-row').count())).toBe(0);
    const overdueTotal = Number(/共 (\d+) 条/.exec(await page.locator('#inbox-total').innerText())?.[1]);
    expect(overdueTotal).toBeLessThan(total);
    // A due range narrows it further: every row due within it.
    const firstDue = await page.locator('#inbox tbody tr td:nth-child(5)').first().innerText();
    await page.fill('input[name="dueBefore"]', firstDue);
    await expect.poll(async () => (await page.locator('#inbox tbody tr td:nth-child(5)').allInnerTexts()).every((d) => d <= firstDue)).toBe(true);
    await shoot(page, 'inbox-filtered');

    // The dashboard's tiles open the lists they count; the search takes the type by its name.
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByRole('link', { name: '监督看板' }).click();
    await page.locator('#totals [data-count="overdue"]').click();
    await page.waitForSelector('#inbox');
    expect(await page.locator('input[name="overdue"]').isChecked()).toBe(true);
    expect(await page.locator('#inbox tbody tr').count()).toBe(await page.locator('#inbox tbody tr.overdue-row').count());
    await page.getByRole('link', { name: '流程查询' }).click();
    await page.waitForSelector('#search-form');
    await page.selectOption('#search-form select[name="type"]', { label: '整改' });
    await page.getByRole('button', { name: '查询' }).click();
    await expect.poll(async () => new Set(await page.locator('#results tbody td:nth-child(2)').allInnerTexts())).toEqual(new Set(['整改']));
    await expectReadable(page, 'the search page');
    await shoot(page, 'search-by-type');

    // A phone: the rows become cards that fit the width.
    await page.getByRole('link', { name: '待办', exact: true }).click();
    await page.waitForSelector('#inbox');
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await page.screenshot({ path: `${shots}/work-inbox-phone.png` });
    await page.close();
  });
});
