/**
 * fetch with a cookie jar, as a browser keeps cookies for one host (paths honoured, expired ones
 * dropped; SameSite is the browser tests' business), following no redirects by itself, so a test
 * sees each hop of a sign-in.
 */
import { parseSetCookie } from 'cookie';

export interface Hop {
  status: number;
  location: string | null;
  setCookies: string[];
  body: any;
  text: string;
}

export class CookieClient {
  /** name → value and path, per host:port. */
  private readonly jar = new Map<string, { value: string; path: string }>();

  constructor(private readonly baseUrl: string) {}

  /** The cookie's value as the browser would hold it, or undefined. */
  cookie(name: string): string | undefined {
    return this.jar.get(name)?.value;
  }

  /** Sets or replaces a cookie by hand (e.g. an old refresh token kept by an attacker). */
  setCookie(name: string, value: string, path: string): void {
    this.jar.set(name, { value, path });
  }

  async request(method: string, pathOrUrl: string, options: { token?: string; body?: unknown; form?: Record<string, string>; headers?: Record<string, string> } = {}): Promise<Hop> {
    const url = new URL(pathOrUrl, this.baseUrl);
    const headers: Record<string, string> = { ...options.headers };
    const cookies = [...this.jar].filter(([, c]) => url.pathname === c.path || url.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`));
    if (cookies.length > 0) headers.cookie = cookies.map(([name, c]) => `${name}=${c.value}`).join('; ');
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] = 'application/json';
    } else if (options.form) {
      body = new URLSearchParams(options.form).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    const res = await fetch(url, { method, headers, body, redirect: 'manual' });
    const setCookies = res.headers.getSetCookie();
    for (const line of setCookies) {
      const c = parseSetCookie(line);
      if ((c.expires && c.expires.getTime() <= Date.now()) || c.maxAge === 0 || !c.value) this.jar.delete(c.name);
      else this.jar.set(c.name, { value: c.value, path: c.path ?? '/' });
    }
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON
    }
    return { status: res.status, location: res.headers.get('location'), setCookies, body: parsed, text };
  }
}
