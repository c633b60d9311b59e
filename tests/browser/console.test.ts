/**
 * The web console in headless Debian Chromium (playwright-core) against the real app,
 * the dev server and the real worker: a unit completes a task through its form, then a
 * supervisor sees the process finished, its timeline, and the diagram's element states.
 * Screenshots of each page go to test-artifacts/screenshots/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createApp } from '../../api/app.js';
import { signToken } from '../../api/auth/tokens.js';
import type { Principal } from '../../api/http/endpoint.js';
import { devServerClient, startDevServerWorker, testModels, uniqueId, type RunningWorker } from '../support/services.js';
import { TEST_AUTH_SECRET } from '../support/app.js';
import { actors, allWorkflowsPath, identity, inDays, loadTree, reportTask } from '../support/fixtures.js';
import { singleTaskModel, singleTaskProcess } from '../fixtures/single-task-workflow.js';
import type { Models } from '../../models/index.js';

const CHROMIUM = '/usr/bin/chromium';
const root = fileURLToPath(new URL('../..', import.meta.url));
const shots = `${root}test-artifacts/screenshots`;

describe('the web console in a browser', () => {
  let db: Awaited<ReturnType<typeof testModels>>;
  let models: Models;
  let temporal: Awaited<ReturnType<typeof devServerClient>>;
  let worker: RunningWorker;
  let server: Server;
  let baseUrl: string;
  let browser: Browser;
  const processes = { onTime: '', overdue: '' };
  let onTimeTaskId = '';

  const tokenOf = (p: Principal) => signToken(TEST_AUTH_SECRET, p);

  async function startProcess(dueDate: string): Promise<string> {
    const processId = uniqueId('console');
    await temporal.client.workflow.start(singleTaskProcess, {
      taskQueue: worker.taskQueue,
      workflowId: processId,
      args: [{ identity: identity({ searchAttributes: false, title: `报告 ${processId}` }), spec: reportTask(dueDate) }],
    });
    return processId;
  }

  async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>): Promise<T> {
    for (let i = 0; i < 150; i++) {
      const value = await probe();
      if (value) return value;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  const cspViolations: string[] = [];

  async function openAs(principal: Principal, path: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    page.on('pageerror', (err) => {
      throw err;
    });
    // The console must work under the API's Content-Security-Policy: anything the browser refuses is a failure.
    await page.exposeBinding('reportCspViolation', (_source, text: string) => cspViolations.push(`${path}: ${text}`));
    await page.addInitScript({
      content: "document.addEventListener('securitypolicyviolation', (e) => { void window.reportCspViolation(e.violatedDirective + ' ' + e.blockedURI); });",
    });
    await page.goto(`${baseUrl}/console/${path}#token=${encodeURIComponent(tokenOf(principal))}`);
    return page;
  }

  const shoot = (page: Page, name: string) => page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });

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
    const app = createApp({
      config: { AUTH_SECRET: TEST_AUTH_SECRET, TASK_QUEUE: worker.taskQueue, TEMPORAL_UI_URL: 'http://127.0.0.1:8233', TEMPORAL_NAMESPACE: 'default' },
      temporal: temporal.client,
      models,
      processModels: [singleTaskModel],
    });
    server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });

    processes.onTime = await startProcess(inDays(10));
    processes.overdue = await startProcess(inDays(-2));
    onTimeTaskId = (await until('the on-time task', () => models.Task.findOne({ processId: processes.onTime }).lean()))._id;
    // A deadline already past: the task is marked overdue as soon as its timer fires.
    await until('the overdue mark', () => models.Task.findOne({ processId: processes.overdue, overdue: true }).lean());
  });

  afterAll(async () => {
    await browser?.close();
    if (server) {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
    await worker?.stop();
    await temporal?.close();
    await db?.close();
  });

  it('when a supervisor opens a running process, then the diagram marks its task active and the timeline shows it opened', async () => {
    const page = await openAs(actors.citySupervisor, `processes/${processes.onTime}`);
    await page.waitForSelector('#diagram[data-marked]');
    const marked = JSON.parse((await page.getAttribute('#diagram', 'data-marked'))!);
    expect(marked.active).toEqual(['theTask']);
    expect(marked.done).toEqual(['start']);
    expect(await page.locator('.djs-element.state-active[data-element-id="theTask"]').count()).toBe(1);
    const actions = await page.locator('#timeline li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-action')));
    expect(actions).toContain('task.opened');
    await expect.poll(() => page.locator('[data-status]').first().getAttribute('data-status')).toBe('running');
    // The Temporal UI has no login: a supervisor is not sent there (an admin is: tests/api/diagram.test.ts).
    expect(await page.locator('#temporal-link').count()).toBe(0);
    await shoot(page, 'process-running');
    await page.close();
  });

  it('when a unit opens its inbox and submits the report form of its task, then the task is completed through the page', async () => {
    const page = await openAs(actors.townAUnit, 'inbox');
    await page.waitForSelector('#inbox');
    expect(await page.locator('#inbox tbody tr').count()).toBe(2);
    // Chinese by default; the overdue one carries its badge.
    expect(await page.locator('nav').innerText()).toContain('待办');
    const overdueRow = page.locator('#inbox tbody tr.overdue-row');
    expect(await overdueRow.count()).toBe(1);
    expect(await overdueRow.innerText()).toContain('已逾期');
    await shoot(page, 'inbox');

    await page.click(`tr[data-task="${onTimeTaskId}"] a`);
    await page.waitForSelector('#task-form[data-form="report"]');
    // Empty summary: the workflow's validator refuses it and the page says so.
    await page.click('#submit');
    await page.waitForSelector('#form-message.error');
    expect((await models.Task.findById(onTimeTaskId).lean())?.status).toBe('open');
    await page.fill('[name="summary"]', '本季度整改报告：三项问题均已整改到位。');
    await shoot(page, 'task-form');
    await page.click('#submit');
    await page.waitForSelector('#completed');
    await shoot(page, 'task-completed');
    const task = await models.Task.findById(onTimeTaskId).lean();
    expect(task?.status).toBe('completed');
    expect(task?.result).toEqual({ summary: '本季度整改报告：三项问题均已整改到位。' });
    await page.close();
  });

  it('when the unit has completed its task, then the supervisor sees the process completed, the completion in the timeline and the diagram marking every element done', async () => {
    await temporal.client.workflow.getHandle(processes.onTime).result();
    const page = await openAs(actors.citySupervisor, `processes/${processes.onTime}`);
    await page.waitForSelector('#diagram[data-marked]');
    expect(await page.locator('h1 [data-status]').getAttribute('data-status')).toBe('completed');
    const actions = await page.locator('#timeline li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-action')));
    expect(actions).toContain('task.completed');
    const marked = JSON.parse((await page.getAttribute('#diagram', 'data-marked'))!);
    expect(marked.done).toEqual(expect.arrayContaining(['start', 'theTask', 'end']));
    expect(marked.active).toEqual([]);
    expect(await page.locator('.djs-element.state-done[data-element-id="theTask"]').count()).toBe(1);
    expect(await page.locator('.djs-element.state-done[data-element-id="end"]').count()).toBe(1);
    await shoot(page, 'process-completed');
    await page.close();
  });

  it('when a supervisor opens a process whose task is past its deadline, then the diagram marks the task overdue and the English switch relabels the page', async () => {
    const page = await openAs(actors.citySupervisor, `processes/${processes.overdue}`);
    await page.waitForSelector('#diagram[data-marked]');
    const marked = JSON.parse((await page.getAttribute('#diagram', 'data-marked'))!);
    expect(marked.overdue).toEqual(['theTask']);
    expect(await page.locator('.djs-element.state-overdue[data-element-id="theTask"]').count()).toBe(1);
    const actions = await page.locator('#timeline li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-action')));
    expect(actions).toContain('task.overdue');
    await shoot(page, 'process-overdue');
    await page.click('#lang');
    await page.waitForSelector('#diagram[data-marked]');
    expect(await page.locator('nav').innerText()).toContain('Dashboard');
    expect(await page.locator('#timeline').isVisible()).toBe(true);
    await shoot(page, 'process-overdue-en');
    await page.close();
  });

  it('when a supervisor and a case officer open the dashboard, search and start pages, then each renders without an error', async () => {
    for (const [principal, path, name] of [
      [actors.citySupervisor, 'dashboard', 'dashboard'],
      [actors.citySupervisor, 'processes', 'search'],
      [actors.cityCaseOfficer, 'start', 'start'],
    ] as const) {
      const page = await openAs(principal, path);
      await page.waitForSelector('main h1');
      await page.waitForLoadState('networkidle');
      expect(await page.locator('[role=alert]').count(), `${name}: ${await page.locator('main').innerText()}`).toBe(0);
      if (name === 'dashboard') {
        await page.waitForSelector('#overdue-chart rect.bar');
        expect(await page.locator('#totals [data-count="overdue"] strong').innerText()).toBe('1');
      }
      await shoot(page, name);
      await page.close();
    }
  });

  it('when every page above was used, then the browser refused nothing under the Content-Security-Policy', () => {
    expect(cspViolations).toEqual([]);
  });
});
