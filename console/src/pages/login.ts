/**
 * The sign-in page: username and password; the single sign-on button when the API has an issuer
 * configured (GET /api/v1/auth/options); and, folded away, the developer token (npm run token) that
 * tests and developers paste. Also the form drafts: when a session is lost mid-use, what the page's
 * form held is kept in sessionStorage and put back once the user has signed in again.
 */
import { h, mount } from '../dom.js';
import { lang } from '../i18n.js';
import { ApiFailure, principal, signIn, token } from '../api.js';

const words = {
  title: ['登录', 'Sign in'],
  username: ['用户名', 'Username'],
  password: ['密码', 'Password'],
  submit: ['登录', 'Sign in'],
  signingIn: ['正在登录…', 'Signing in…'],
  or: ['或', 'or'],
  sso: ['使用{name}登录', 'Sign in with {name}'],
  tokenSummary: ['开发者令牌登录', 'Sign in with a developer token'],
  tokenLabel: ['访问令牌（JWT）', 'Access token (JWT)'],
  tokenHint: ['粘贴开发环境签发的令牌（npm run token），仅用于开发和测试。', 'Paste a token minted in development (npm run token); for development and tests only.'],
  tokenSubmit: ['使用令牌登录', 'Sign in with the token'],
  tokenInvalid: ['令牌无效或已过期', 'The token is invalid or has expired'],
  wrong: ['用户名或密码错误', 'Wrong username or password'],
  locked: ['登录失败次数过多，账号已锁定，请于 {time} 后再试', 'Too many failed sign-ins: the account is locked until {time}'],
  disabled: ['账号已停用，请联系管理员', 'The account is disabled: ask an administrator'],
  noPost: ['账号对应的人员已不在该单位任职，请联系管理员', 'The account\'s person no longer holds a post there: ask an administrator'],
  failed: ['登录失败，请稍后再试', 'Sign-in failed: try again later'],
  required: ['请输入用户名和密码', 'Enter your username and password'],
  expired: ['登录已失效，请重新登录；已填写的内容会保留', 'Your session has ended: sign in again; what you had filled in is kept'],
  ssoState: ['统一身份认证已超时或来源无效，请重试', 'Single sign-on timed out or came from elsewhere: try again'],
  ssoIssuer: ['统一身份认证未能完成，请重试', 'Single sign-on could not be completed: try again'],
  ssoUnknown: ['统一身份认证的用户在本系统没有账号，请联系管理员', 'This single sign-on user has no account here: ask an administrator'],
  ssoNoClaim: ['统一身份认证未提供用户名', 'Single sign-on did not say the username'],
} satisfies Record<string, [string, string]>;

type Word = keyof typeof words;
const say = (key: Word, vars: Record<string, string> = {}) => words[key][lang() === 'en' ? 1 : 0].replace(/\{(\w+)\}/g, (_m, k: string) => vars[k] ?? '');

const SSO_ERRORS: Record<string, Word> = {
  state: 'ssoState',
  issuer: 'ssoIssuer',
  'unknown-account': 'ssoUnknown',
  'no-claim': 'ssoNoClaim',
  disabled: 'disabled',
  'no-post': 'noPost',
};

interface SignInOptions {
  sso: { label: string; startUrl: string } | null;
}

/** The API's refusal in the reader's words. */
function refusalText(err: unknown): string {
  if (!(err instanceof ApiFailure)) return say('failed');
  if (err.status !== 401) return say('failed');
  const details = err.details as { reason?: string; lockedUntil?: string } | undefined;
  if (details?.reason === 'locked' && details.lockedUntil) {
    return say('locked', { time: new Date(details.lockedUntil).toLocaleTimeString(lang() === 'en' ? 'en-GB' : 'zh-CN', { hour: '2-digit', minute: '2-digit' }) });
  }
  if (/disabled/.test(err.message)) return say('disabled');
  if (/holds no post/.test(err.message)) return say('noPost');
  return say('wrong');
}

/**
 * Renders the sign-in page; `done` runs once signed in. `expired`: the session ended while the
 * user was working (the draft of the page's form was kept).
 */
export function loginPage(root: HTMLElement, done: () => void, options: { expired?: boolean } = {}): void {
  const message = h('p', { id: 'sign-in-message', class: 'error', role: 'status', hidden: true });
  const show = (text: string, kind: 'error' | 'notice' = 'error') => {
    message.hidden = false;
    message.className = kind;
    message.textContent = text;
  };
  // Single sign-on comes back here with its reason when it failed (#sso-error=…).
  const ssoError = /^#sso-error=([\w-]+)$/.exec(location.hash)?.[1];
  if (ssoError) {
    history.replaceState(null, '', location.pathname + location.search);
    show(say(SSO_ERRORS[ssoError] ?? 'ssoIssuer'));
  } else if (options.expired) {
    show(say('expired'), 'notice');
  }

  const username = h('input', { id: 'username', name: 'username', autocomplete: 'username', required: true, autofocus: true });
  const password = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const submit = h('button', { id: 'sign-in', type: 'submit' }, say('submit'));
  const form = h(
    'form',
    { id: 'password-form' },
    h('label', { class: 'field' }, h('span', { class: 'label' }, say('username')), username),
    h('label', { class: 'field' }, h('span', { class: 'label' }, say('password')), password),
    message,
    submit,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!username.value.trim() || !password.value) {
      show(say('required'));
      return;
    }
    submit.disabled = true;
    submit.textContent = say('signingIn');
    signIn(username.value.trim(), password.value)
      .then(() => done())
      .catch((err: unknown) => {
        password.value = '';
        submit.disabled = false;
        submit.textContent = say('submit');
        show(refusalText(err));
      });
  });

  const ssoBox = h('div', { id: 'sso-box', hidden: true });
  void fetch('/api/v1/auth/options', { headers: { accept: 'application/json' } })
    .then((res) => (res.ok ? (res.json() as Promise<SignInOptions>) : null))
    .then((answer) => {
      if (!answer?.sso) return;
      const start = answer.sso.startUrl;
      mount(
        ssoBox,
        h('p', { class: 'muted or' }, say('or')),
        // A full navigation: the issuer's page, then back through the callback to the console.
        h('button', { id: 'sso-sign-in', type: 'button', class: 'secondary', onclick: () => location.assign(start) }, say('sso', { name: answer.sso.label })),
      );
      ssoBox.hidden = false;
    })
    .catch(() => undefined);

  const area = h('textarea', { id: 'token', rows: 4, placeholder: 'eyJhbGciOi…' });
  const tokenNote = h('p', { class: 'error', hidden: true });
  const developer = h(
    'details',
    { id: 'token-sign-in' },
    h('summary', {}, say('tokenSummary')),
    h('label', { class: 'field' }, h('span', { class: 'label' }, say('tokenLabel')), area),
    h('p', { class: 'muted' }, say('tokenHint')),
    tokenNote,
    h('button', {
      id: 'token-submit',
      type: 'button',
      class: 'secondary',
      onclick: () => {
        token.set(area.value);
        if (principal()) done();
        else {
          token.clear();
          tokenNote.hidden = false;
          tokenNote.textContent = say('tokenInvalid');
        }
      },
    }, say('tokenSubmit')),
  );

  mount(root, h('section', { class: 'card narrow', id: 'sign-in-page' }, h('h1', {}, say('title')), form, ssoBox, developer));
}

/*
 * Drafts: the values of the page's form fields, under the page's address, for one return to it.
 * Fields are known by their place in the form (`data-path`, else name or id) and their order
 * among fields of that name; passwords and files are never kept.
 */
const DRAFT_KEY = 'draft';

type Field = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

function fieldsOf(root: HTMLElement): Array<[string, Field]> {
  const seen = new Map<string, number>();
  return [...root.querySelectorAll<Field>('input, textarea, select')]
    .filter((el) => !(el instanceof HTMLInputElement && ['password', 'file', 'hidden', 'submit', 'button'].includes(el.type)))
    .map((el) => {
      const name = el.closest<HTMLElement>('[data-path]')?.dataset.path ?? (el.name || el.id);
      const n = seen.get(name) ?? 0;
      seen.set(name, n + 1);
      return [`${name}#${n}`, el];
    });
}

const valueOf = (el: Field) => (el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio') ? String(el.checked) : el.value);

/** Keeps what the page's form holds (nothing when it holds nothing). */
export function saveDraft(root: HTMLElement): void {
  if (root.querySelector('#sign-in-page')) return; // already signed out: the sign-in form is no draft
  const values: Record<string, string> = {};
  for (const [key, el] of fieldsOf(root)) {
    const value = valueOf(el);
    if (value !== '' && value !== 'false') values[key] = value;
  }
  if (Object.keys(values).length === 0) return;
  sessionStorage.setItem(DRAFT_KEY, JSON.stringify({ at: location.pathname + location.search, values }));
}

/** Puts a kept draft back into the page's form, if it was kept on this page; once. */
export function restoreDraft(root: HTMLElement): void {
  const kept = sessionStorage.getItem(DRAFT_KEY);
  if (!kept) return;
  let draft: { at: string; values: Record<string, string> };
  try {
    draft = JSON.parse(kept) as typeof draft;
  } catch {
    sessionStorage.removeItem(DRAFT_KEY);
    return;
  }
  if (draft.at !== location.pathname + location.search) return;
  sessionStorage.removeItem(DRAFT_KEY);
  for (const [key, el] of fieldsOf(root)) {
    const value = draft.values[key];
    if (value === undefined) continue;
    if (el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio')) el.checked = value === 'true';
    else el.value = value;
    // Pages that react to input (dependent pickers) see the value as if typed.
    el.dispatchEvent(new Event('input', { bubbles: true }));
    el.dispatchEvent(new Event('change', { bubbles: true }));
  }
}
