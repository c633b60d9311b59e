/**
 * Prometheus text metrics at /metrics: request counts and latency by route and status,
 * and the process's uptime and memory. Kept in memory per API process; a scraper adds
 * up the processes.
 */
import type { Express, RequestHandler } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { ApiError } from '../http/errors.js';

const BUCKETS_MS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000];

interface Series {
  count: number;
  sumMs: number;
  buckets: number[];
}

/** A value read at scrape time, e.g. what the process index holds. */
export interface Gauge {
  help: string;
  value: () => number;
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const sent = Buffer.from(/^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1] ?? '');
  const expected = Buffer.from(token);
  return sent.length === expected.length && timingSafeEqual(sent, expected);
}

const isLoopback = (address: string | undefined) => address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';

/** A label value in the Prometheus text format: backslash, double quote and newline escaped. */
const labelValue = (v: string | undefined) => (v ?? '').replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

export function createMetrics(gauges: Record<string, Gauge> = {}) {
  const series = new Map<string, Series>();
  const startedAt = Date.now();

  const middleware: RequestHandler = (req, res, next) => {
    const start = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      // The matched route pattern, never the raw path: a request that matched no route (a 404,
      // a body refused before routing, a console file) is "unmatched", so no request can add
      // label values of its own choosing or grow the series without bound.
      const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
      const key = `${req.method}|${route}|${res.statusCode}`;
      const s = series.get(key) ?? { count: 0, sumMs: 0, buckets: BUCKETS_MS.map(() => 0) };
      s.count += 1;
      s.sumMs += ms;
      BUCKETS_MS.forEach((b, i) => {
        if (ms <= b) s.buckets[i] = (s.buckets[i] ?? 0) + 1;
      });
      series.set(key, s);
    });
    next();
  };

  function render(): string {
    const lines = [
      '# HELP http_requests_total HTTP requests by method, route and status.',
      '# TYPE http_requests_total counter',
    ];
    const hist = ['# HELP http_request_duration_ms Request latency in milliseconds.', '# TYPE http_request_duration_ms histogram'];
    for (const [key, s] of series) {
      const [method, route, status] = key.split('|');
      const labels = `method="${labelValue(method)}",route="${labelValue(route)}",status="${labelValue(status)}"`;
      lines.push(`http_requests_total{${labels}} ${s.count}`);
      BUCKETS_MS.forEach((b, i) => hist.push(`http_request_duration_ms_bucket{${labels},le="${b}"} ${s.buckets[i]}`));
      hist.push(`http_request_duration_ms_bucket{${labels},le="+Inf"} ${s.count}`);
      hist.push(`http_request_duration_ms_sum{${labels}} ${s.sumMs.toFixed(3)}`);
      hist.push(`http_request_duration_ms_count{${labels}} ${s.count}`);
    }
    const mem = process.memoryUsage();
    return [
      ...lines,
      ...hist,
      '# TYPE process_uptime_seconds gauge',
      `process_uptime_seconds ${((Date.now() - startedAt) / 1000).toFixed(0)}`,
      '# TYPE process_resident_memory_bytes gauge',
      `process_resident_memory_bytes ${mem.rss}`,
      ...Object.entries(gauges).flatMap(([name, g]) => [`# HELP ${name} ${g.help}`, `# TYPE ${name} gauge`, `${name} ${g.value()}`]),
      '',
    ].join('\n');
  }

  return {
    middleware,
    /**
     * Serves /metrics to a scraper that sends `scrapeToken` as a bearer token, or, with no
     * token configured, to this host's loopback only: the figures (routes, volumes, the index's
     * size) are not for anyone who can reach the API.
     */
    mount(app: Express, scrapeToken?: string) {
      app.get('/metrics', (req, res, next) => {
        const allowed = scrapeToken ? bearerMatches(req.header('authorization'), scrapeToken) : isLoopback(req.socket.remoteAddress);
        if (!allowed) {
          next(new ApiError('unauthorized', scrapeToken ? 'a valid scrape token is needed' : 'set METRICS_TOKEN to scrape /metrics from another host'));
          return;
        }
        res.type('text/plain; version=0.0.4').send(render());
      });
    },
  };
}
