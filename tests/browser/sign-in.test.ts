/**
 * Signing in to the web console in headless Chromium (playwright-core), against the real app, the
 * dev server, the real worker and a real OpenID Connect provider (oidc-provider, on its own port):
 * a unit signs in with its password, completes a task and signs out; another signs in by clicking
 * through the provider's login page, completes a task and signs out; an expired access token is
 * refreshed without the user seeing it; a session lost in the middle of a form returns to sign-in
 * and gives the form back, filled as it was. Screenshots go to test-artifacts/screenshots/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Server } from 'node:http';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createApp } from '../../api/app.js';
import { signToken } from '../../api/auth/tokens.js';
import { devServerClient, startDevServerWorker, testModels, uniqueId, type RunningWorker } from '../support/services.js';
import { TEST_AUTH_SECRET } from '../support/app.js';
import { actors, allWorkflowsPath, identity, inDays, loadTree, reportTask, tree } from '../support/fixtures.js';
import { startOidcProvider, type TestOidcProvider } from '../support/oidc-provider.js';
import { singleTaskModel, singleTaskProcess } from '../fixtures/single-task-workflow.js';
import { freePort } from '../../scripts/lib/services.js';
import type { Models } from '../../models/index.js';

const CHROMIUM = '/usr/bin/chromium';
const root = fileURLToPath(new URL('../..', import.meta.url));
const shots = `${root}test-artifacts/screenshots`;
const PASSWORD = 'Town-A-2026!';

describe('signing in to the web console', () => {
  let db: Awaited<ReturnType<typeof testModels>>;
  let models: Models;
  let temporal: Awaited<ReturnType<typeof devServerClient>>;
  let worker: RunningWorker;
  let provider: TestOidcProvider;
  let server: Server;
  let baseUrl: string;
  let browser: Browser;
  const cspViolations: string[] = [];

  /** A one-task process for town A; its task's ID once the task is in the inbox. */
  async function openTask(): Promise<string> {
    const processId = uniqueId('sign-in');
    await temporal.client.workflow.start(singleTaskProcess, {
      taskQueue: worker.taskQueue,
      workflowId: processId,
      args: [{ identity: identity({ searchAttributes: false, title: `报告 ${processId}` }), spec: reportTask(inDays(10)) }],
    });
    for (let i = 0; i < 150; i++) {
      const task = await models.Task.findOne({ processId }).lean();
      if (task) return task._id;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the task never reached the inbox');
  }

  async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    const page = await context.newPage();
    page.on('pageerror', (err) => {
      throw err;
    });
    await page.exposeBinding('reportCspViolation', (_source, text: string) => cspViolations.push(text));
    await page.addInitScript({
      content: `document.addEventListener('securitypolicyviolation', (e) => { if (location.origin === ${JSON.stringify(baseUrl)}) void window.reportCspViolation(location.pathname + ': ' + e.violatedDirective + ' ' + e.blockedURI); });`,
    });
    return { context, page };
  }

  const shoot = (page: Page, name: string) => page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });

  async function completeTask(page: Page, taskId: string, summary: string): Promise<void> {
    await page.waitForSelector('#inbox');
    await page.click(`tr[data-task="${taskId}"] a`);
    await page.waitForSelector('#task-form[data-form="report"]');
    await page.fill('[name="summary"]', summary);
    await page.click('#submit');
    await page.waitForSelector('#completed');
    const task = await models.Task.findById(taskId).lean();
    expect(task?.status).toBe('completed');
    expect(task?.result).toEqual({ summary });
  }

  async function signInWithPassword(page: Page, username: string, password = PASSWORD): Promise<void> {
    await page.waitForSelector('#password-form');
    await page.fill('#username', username);
    await page.fill('#password', password);
    await page.click('#sign-in');
  }

  /** Puts an access token where the console keeps it (this tab's sessionStorage). */
  const setAccessToken = (page: Page, token: string) => page.evaluate(`sessionStorage.setItem('token', ${JSON.stringify(token)})`);

  /** What POST /api/v1/auth/refresh answers from inside the page (with the page's cookies). */
  const refreshStatus = (page: Page) => page.evaluate(async () => (await fetch('/api/v1/auth/refresh', { method: 'POST' })).status);

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`Chromium is not installed at ${CHROMIUM}: run scripts/bootstrap.sh as root (it installs the Debian package "chromium")`);
    }
    if (!existsSync(`${root}console/dist/index.html`)) {
      execFileSync('npm', ['run', '--silent', 'build:console'], { cwd: root, stdio: 'inherit' });
    }
    mkdirSync(shots, { recursive: true });
    db = await testModels();
    models = db.models;
    await loadTree(models);
    temporal = await devServerClient();
    worker = await startDevServerWorker(models, { workflowsPath: allWorkflowsPath });
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    const redirectUri = `${baseUrl}/api/v1/auth/sso/callback`;
    provider = await startOidcProvider({ redirectUri });
    const app = createApp({
      config: {
        AUTH_SECRET: TEST_AUTH_SECRET,
        TASK_QUEUE: worker.taskQueue,
        TEMPORAL_UI_URL: 'http://127.0.0.1:8233',
        TEMPORAL_NAMESPACE: 'default',
        OIDC_ISSUER: provider.issuer,
        OIDC_CLIENT_ID: provider.clientId,
        OIDC_CLIENT_SECRET: provider.clientSecret,
        OIDC_REDIRECT_URI: redirectUri,
        OIDC_DISPLAY_NAME: '义乌政务统一身份认证',
      },
      temporal: temporal.client,
      models,
      processModels: [singleTaskModel],
    });
    server = await new Promise((resolve) => {
      const s = app.listen(port, '127.0.0.1', () => resolve(s));
    });
    // Accounts are made as an admin makes them: through the API.
    const admin = signToken(TEST_AUTH_SECRET, actors.admin);
    for (const body of [
      { username: 'unit.a', role: 'unit', orgId: tree.townA._id, password: PASSWORD },
      { username: 'unit.a.sso', role: 'unit', orgId: tree.townA._id },
    ]) {
      const res = await fetch(`${baseUrl}/api/v1/accounts`, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(res.status).toBe(201);
    }
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (server) {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
    await provider?.close();
    await worker?.stop();
    await temporal?.close();
    await db?.close();
  });

  it('when a unit signs in with its password, completes a task and signs out, then its refresh token no longer works', async () => {
    const taskId = await openTask();
    const { context, page } = await newPage();
    await page.goto(`${baseUrl}/console/`);
    await page.waitForSelector('#sign-in-page');
    expect(await page.locator('#sign-in-page h1').innerText()).toBe('登录');
    // Single sign-on is configured here: its button says with what.
    await page.waitForSelector('#sso-sign-in');
    expect(await page.locator('#sso-sign-in').innerText()).toBe('使用义乌政务统一身份认证登录');
    // The developer token is there, folded away.
    expect(await page.locator('#token-sign-in').getAttribute('open')).toBeNull();
    await shoot(page, 'sign-in');

    await signInWithPassword(page, 'unit.a', 'Wrong-password-1');
    await page.waitForSelector('#sign-in-message:not([hidden])');
    expect(await page.locator('#sign-in-message').innerText()).toBe('用户名或密码错误');
    await shoot(page, 'sign-in-refused');

    await signInWithPassword(page, 'unit.a');
    await completeTask(page, taskId, '密码登录后提交的报告。');
    expect(await page.locator('nav .who').innerText()).toContain('unit.a');
    expect((await context.cookies()).find((c) => c.name === 'tr_refresh')).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/api/v1/auth' });
    await shoot(page, 'signed-in-task-completed');

    const cookieBefore = (await context.cookies()).find((c) => c.name === 'tr_refresh')!.value;
    await page.click('#sign-out');
    await page.waitForSelector('#sign-in-page');
    expect((await context.cookies()).find((c) => c.name === 'tr_refresh')).toBeUndefined();
    // The refresh token the browser held before signing out, sent again: refused.
    await context.addCookies([{ name: 'tr_refresh', value: cookieBefore, url: `${baseUrl}/api/v1/auth/refresh` }]);
    expect(await refreshStatus(page)).toBe(401);
    await context.close();
  });

  it('when a unit signs in through the single sign-on provider by clicking, then it completes a task and signs out', async () => {
    const taskId = await openTask();
    const { context, page } = await newPage();
    await page.goto(`${baseUrl}/console/`);
    await page.click('#sso-sign-in');
    // The provider's own login page.
    await page.waitForSelector('input[name="login"]');
    expect(page.url().startsWith(provider.issuer)).toBe(true);
    await page.fill('input[name="login"]', 'unit.a.sso');
    await page.fill('input[name="password"]', 'whatever the provider checks');
    await shoot(page, 'sso-provider-login');
    await page.click('button[type="submit"]');
    await page.waitForSelector('#inbox');
    expect(page.url()).toBe(`${baseUrl}/console/inbox`);
    expect(await page.locator('nav .who').innerText()).toContain('unit.a.sso');
    await shoot(page, 'sso-signed-in');
    await completeTask(page, taskId, '统一身份认证登录后提交的报告。');
    await page.click('#sign-out');
    await page.waitForSelector('#sign-in-page');
    expect(await refreshStatus(page)).toBe(401);
    const audit = await models.AuditEntry.find({ 'target.id': 'unit.a.sso' }).lean();
    expect(audit.map((e) => `${e.action}:${e.details?.method ?? e.details?.reason ?? ''}`).sort()).toEqual(['account.created:', 'auth.session-revoked:signed-out', 'auth.signed-in:sso']);
    await context.close();
  });

  it('when the access token has expired and the session lives, then the console refreshes it without asking', async () => {
    await openTask(); // so the inbox has a row (an empty inbox shows no table)
    const { context, page } = await newPage();
    await page.goto(`${baseUrl}/console/`);
    await signInWithPassword(page, 'unit.a');
    await page.waitForSelector('#inbox');
    const expired = signToken(TEST_AUTH_SECRET, { sub: 'unit.a', role: 'unit', orgId: tree.townA._id }, '-1m');
    await setAccessToken(page, expired);
    await page.reload();
    await page.waitForSelector('#inbox');
    const now = await page.evaluate<string | null>('sessionStorage.getItem("token")');
    expect(now).not.toBe(expired);
    expect(await page.locator('#sign-in-page').count()).toBe(0);
    await context.close();
  });

  it('when the session ends while a form is half filled, then the console returns to sign-in and, signed in again, gives the form back as it was', async () => {
    const taskId = await openTask();
    const { context, page } = await newPage();
    await page.goto(`${baseUrl}/console/`);
    await signInWithPassword(page, 'unit.a');
    await page.waitForSelector('#inbox');
    await page.click(`tr[data-task="${taskId}"] a`);
    await page.waitForSelector('#task-form[data-form="report"]');
    const draft = '写到一半的报告：第一项问题已整改，';
    await page.fill('[name="summary"]', draft);
    // The session ends elsewhere (signed out in another tab) and the access token expires.
    await page.evaluate(async () => {
      await fetch('/api/v1/auth/sign-out', { method: 'POST' });
    });
    await setAccessToken(page, signToken(TEST_AUTH_SECRET, { sub: 'unit.a', role: 'unit', orgId: tree.townA._id }, '-1m'));
    await page.click('#submit');
    await page.waitForSelector('#sign-in-page');
    expect(await page.locator('#sign-in-message').innerText()).toContain('登录已失效');
    expect((await models.Task.findById(taskId).lean())?.status).toBe('open');
    await shoot(page, 'session-lost');
    await signInWithPassword(page, 'unit.a');
    await page.waitForSelector('#task-form[data-form="report"]');
    expect(await page.inputValue('[name="summary"]')).toBe(draft);
    await shoot(page, 'session-lost-form-restored');
    await page.fill('[name="summary"]', `${draft}第二项正在整改。`);
    await page.click('#submit');
    await page.waitForSelector('#completed');
    expect((await models.Task.findById(taskId).lean())?.result).toEqual({ summary: `${draft}第二项正在整改。` });
    await context.close();
  });

  it('when every page above was used, then the browser refused nothing under the Content-Security-Policy', () => {
    expect(cspViolations).toEqual([]);
  });
});
