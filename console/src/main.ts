/** The console shell: sign-in, navigation by role, a path router under /console/. */
import './styles.css';
import { h, mount } from './dom.js';
import { lang, setLang, t, type Key } from './i18n.js';
import { onSessionLost, principal, resumeSession, signOut, token, type Principal } from './api.js';
import { BASE, navigate, onNavigate } from './nav.js';
import { errorBox } from './pages/shared.js';
import { loginPage, restoreDraft, saveDraft } from './pages/login.js';
import { inboxPage } from './pages/inbox.js';
import { taskPage } from './pages/task.js';
import { startPage } from './pages/start.js';
import { dashboardPage } from './pages/dashboard.js';
import { searchPage } from './pages/search.js';
import { processPage } from './pages/process.js';
import { proposalsPage } from './pages/proposals.js';

const top = document.getElementById('top')!;
const app = document.getElementById('app')!;

type Page = (root: HTMLElement, arg: string, me: Principal) => Promise<void>;

const routes: Array<{ pattern: RegExp; page: Page }> = [
  { pattern: /^inbox$/, page: inboxPage },
  { pattern: /^tasks\/(.+)$/, page: taskPage },
  { pattern: /^start$/, page: startPage },
  { pattern: /^dashboard$/, page: dashboardPage },
  { pattern: /^processes$/, page: searchPage },
  { pattern: /^processes\/(.+)$/, page: processPage },
  { pattern: /^proposals$/, page: proposalsPage },
];

const navByRole: Record<Principal['role'], Array<[string, Key]>> = {
  unit: [['inbox', 'inbox']],
  leader: [['inbox', 'inbox'], ['processes', 'search']],
  caseOfficer: [['start', 'start'], ['inbox', 'inbox'], ['proposals', 'proposals'], ['processes', 'search']],
  supervisor: [['dashboard', 'dashboard'], ['processes', 'search'], ['inbox', 'inbox']],
  admin: [['dashboard', 'dashboard'], ['processes', 'search'], ['start', 'start'], ['inbox', 'inbox'], ['proposals', 'proposals']],
};


function currentPath(): string {
  return decodeURI(location.pathname).replace(/^\/console\/?/, '').replace(/\/$/, '');
}

function header(me: Principal | null): HTMLElement {
  const here = currentPath();
  return h(
    'nav',
    {},
    h('strong', { class: 'brand' }, t('appTitle')),
    me
      ? navByRole[me.role].map(([path, key]) =>
          h('a', { href: BASE + path, class: here.startsWith(path) ? 'current' : null, 'data-nav': path }, t(key)),
        )
      : null,
    h('span', { class: 'spacer' }),
    me ? h('span', { class: 'who' }, `${me.sub} · ${me.role} · ${me.orgId}`) : null,
    h('button', { class: 'link', id: 'lang', onclick: () => {
      setLang(lang() === 'zh' ? 'en' : 'zh');
      void render();
    } }, t('lang')),
    // A full reload after signing out, so nothing of this account stays in the page's memory.
    me ? h('button', { class: 'link', id: 'sign-out', onclick: () => void signOut().then(() => location.assign(BASE)) }, t('signOut')) : null,
  );
}

/** `lost`: the session ended while in use (api.ts found no way to refresh it). */
async function render(lost = false): Promise<void> {
  setLang(lang());
  // No access token (a reload, or back from single sign-on): the refresh cookie may still hold a session.
  const me = principal() ?? (lost ? null : await resumeSession());
  mount(top, header(me));
  if (!me) {
    // Signed in, the same address renders again (the page the session was lost on, with its draft).
    loginPage(app, () => void render(), { expired: lost });
    return;
  }
  const path = currentPath();
  const route = routes.map((r) => ({ r, m: r.pattern.exec(path) })).find((x) => x.m);
  if (!route) {
    navigate(navByRole[me.role][0]![0]);
    return;
  }
  mount(app, h('p', { class: 'muted' }, t('loading')));
  try {
    await route.r.page(app, decodeURIComponent(route.m?.[1] ?? ''), me);
    restoreDraft(app);
  } catch (err) {
    mount(app, errorBox(err));
  }
}


// A token can be handed over in the URL fragment (#token=…); it is kept for the tab only.
const fromHash = /^#token=(.+)$/.exec(location.hash);
if (fromHash?.[1]) {
  token.set(decodeURIComponent(fromHash[1]));
  history.replaceState(null, '', location.pathname);
}

document.addEventListener('click', (e) => {
  const a = (e.target as HTMLElement).closest('a');
  // A link to a fragment of this page (href="#…") is the page's own business, not a navigation.
  if (a?.getAttribute('href')?.startsWith('#')) return;
  if (a && a.origin === location.origin && a.pathname.startsWith(BASE) && !e.ctrlKey && !e.metaKey && a.target !== '_blank') {
    e.preventDefault();
    navigate(a.pathname.slice(BASE.length) + a.search);
  }
});
onNavigate(() => void render());
onSessionLost(() => {
  saveDraft(app);
  void render(true);
});
window.addEventListener('popstate', () => void render());
void render();
