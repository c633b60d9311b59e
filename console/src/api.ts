/** The API client: bearer token from sessionStorage, JSON in and out, errors as ApiFailure. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export interface Principal {
  sub: string;
  role: 'admin' | 'caseOfficer' | 'supervisor' | 'unit' | 'leader';
  orgId: string;
  personId?: string;
}

const TOKEN_KEY = 'token';

export const token = {
  get: () => sessionStorage.getItem(TOKEN_KEY),
  set: (value: string) => sessionStorage.setItem(TOKEN_KEY, value.trim()),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

/** The token's claims, read without checking the signature (the API checks it). */
function claimsOf(value: string | null): (Principal & { exp?: number }) | null {
  const part = value?.split('.')[1];
  if (!part) return null;
  try {
    const json = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
    return JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0)))) as Principal & { exp?: number };
  } catch {
    return null;
  }
}

/** Who is signed in, while the access token lasts. */
export function principal(): Principal | null {
  const claims = claimsOf(token.get());
  if (!claims || (claims.exp && claims.exp * 1000 < Date.now())) return null;
  return claims;
}

function expiresWithin(ms: number): boolean {
  const exp = claimsOf(token.get())?.exp;
  return exp !== undefined && exp * 1000 - Date.now() < ms;
}

/*
 * Sessions (docs/accounts.md). Signing in gives an access token for 15 minutes, kept in
 * sessionStorage for this tab, and a refresh token in an httpOnly cookie that no script here can
 * read: POST /api/v1/auth/refresh exchanges it for a new access token (and the next refresh
 * token). Tabs take turns (a Web Lock), since each refresh token is used once and a second use
 * revokes the whole session.
 */

interface SessionAnswer {
  accessToken: string;
  principal: Principal;
}

let refreshing: Promise<boolean> | null = null;

/** A new access token from the refresh cookie; false when there is no session (any more). */
export function refreshAccessToken(): Promise<boolean> {
  refreshing ??= withSessionLock(async () => {
    const res = await fetch('/api/v1/auth/refresh', { method: 'POST', headers: { accept: 'application/json' } });
    if (!res.ok) return false;
    token.set(((await res.json()) as SessionAnswer).accessToken);
    return true;
  })
    .catch(() => false)
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}

function withSessionLock<T>(work: () => Promise<T>): Promise<T> {
  // request() resolves with what the callback's promise resolves to (the DOM types say Promise<Promise<T>>).
  return 'locks' in navigator ? (navigator.locks.request('session-refresh', work) as unknown as Promise<T>) : work();
}

/** The session a page load finds (after single sign-on, or a reload once the access token expired). */
export async function resumeSession(): Promise<Principal | null> {
  return (await refreshAccessToken()) ? principal() : null;
}

/** Signs in with a password: 401 (ApiFailure) when refused, with the API's reason. */
export async function signIn(username: string, password: string): Promise<Principal> {
  // Not through api(): a refusal here is an answer to show, not a session to refresh.
  const res = await fetch('/api/v1/auth/sign-in', {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const parsed = (await res.json().catch(() => ({}))) as Partial<SessionAnswer> & { error?: { code?: string; message?: string; details?: unknown } };
  if (!res.ok || !parsed.accessToken || !parsed.principal) {
    throw new ApiFailure(res.status, parsed.error?.code ?? 'error', parsed.error?.message ?? res.statusText, parsed.error?.details);
  }
  token.set(parsed.accessToken);
  return parsed.principal;
}

/** Ends the session (the refresh cookie's) and forgets the access token. */
export async function signOut(): Promise<void> {
  token.clear();
  await fetch('/api/v1/auth/sign-out', { method: 'POST' }).catch(() => undefined);
}

let onLost: () => void = () => undefined;

/** What to do when the session is gone mid-use: main.ts shows the sign-in page (keeping the page's form). */
export function onSessionLost(handler: () => void): void {
  onLost = handler;
}

function sessionLost(): void {
  token.clear();
  onLost();
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    // Completing twice (a double click) must have one effect; a retry after a refresh keeps the key.
    if (method !== 'GET') headers['idempotency-key'] = crypto.randomUUID();
  }
  // An access token about to expire is renewed first (a pasted developer token has no session: it is sent as it is).
  if (expiresWithin(30_000)) await refreshAccessToken();
  const send = () => {
    const bearer = token.get();
    return fetch(path, { method, headers: { ...headers, ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) }, body: body === undefined ? undefined : JSON.stringify(body) });
  };
  let res = await send();
  if (res.status === 401 && token.get()) {
    // Expired or revoked meanwhile: once more with a fresh token, else back to sign-in (the page's form is kept).
    if (await refreshAccessToken()) res = await send();
    else sessionLost();
  }
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON (the BPMN XML): keep the text
  }
  if (!res.ok) {
    const error = (parsed as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
    throw new ApiFailure(res.status, error?.code ?? 'error', error?.message ?? res.statusText, error?.details);
  }
  return parsed as T;
}

export const get = <T>(path: string) => api<T>('GET', path);
export const post = <T>(path: string, body: unknown) => api<T>('POST', path, body);

/** GET that answers null on 404 (an endpoint of a feature not deployed yet). */
export async function getOptional<T>(path: string): Promise<T | null> {
  try {
    return await get<T>(path);
  } catch (err) {
    if (err instanceof ApiFailure && err.status === 404) return null;
    throw err;
  }
}

export const enc = encodeURIComponent;
