/**
 * The one place the environment is read. Parsed once with zod at start-up; a bad
 * variable stops the process with a message naming it (see `loadConfig`).
 */
import { z } from 'zod';

const port = z.coerce
  .number({ error: 'must be a number' })
  .int('must be a whole number')
  .min(0, 'must be 0..65535')
  .max(65535, 'must be 0..65535');

export const ConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  /** host:port of the Temporal frontend. */
  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[^:\s]+:\d+$/, 'must be host:port')
    .default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  /** Base URL of the Temporal Web UI, for links from process pages. */
  TEMPORAL_UI_URL: z.url().default('http://127.0.0.1:8233'),
  TASK_QUEUE: z.string().min(1).default('two-responsibilities'),
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// URI')
    .default('mongodb://127.0.0.1:27017/two-responsibilities'),
  PORT: port.default(3000),
  /** HMAC secret for bearer JWTs. The development default is refused in production. */
  AUTH_SECRET: z.string().min(16, 'must be at least 16 characters').default('dev-only-secret-change-me'),
  /** `iss` of the bearer JWTs the API issues (sign-in, `npm run token`) and requires. */
  AUTH_ISSUER: z.string().min(1).default('two-responsibilities'),
  /** `aud` of those JWTs: a JWT made for another audience (another service, the SSO state) is refused. */
  AUTH_AUDIENCE: z.string().min(1).default('two-responsibilities-api'),
  /**
   * Single sign-on (docs/accounts.md): an OpenID Connect issuer whose users sign in with the
   * authorization code flow and PKCE. Unset: password sign-in only. Set, it needs the client ID and
   * the redirect URI (this API's `/api/v1/auth/sso/callback` as the browser reaches it).
   */
  OIDC_ISSUER: z.url().optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  /** Unset: a public client (PKCE only, no client authentication at the token endpoint). */
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_REDIRECT_URI: z.url().optional(),
  /** The ID-token claim whose value is the username of the account the user signs in as. */
  OIDC_USERNAME_CLAIM: z.string().min(1).default('preferred_username'),
  /** Scopes asked of the issuer (openid is always asked). */
  OIDC_SCOPES: z.string().min(1).default('openid profile'),
  /** The sign-in button's label in the console, e.g. the name of the city's identity service. */
  OIDC_DISPLAY_NAME: z.string().min(1).default('统一身份认证'),
  /**
   * Bearer token a scraper must send to read /metrics. Unset: /metrics answers only requests
   * from this host's loopback (the run command); anyone else gets 401.
   */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  DATA_DIR: z.string().min(1).default('.data'),
  /** Load the Yiwu demo organisations and people at start when the database has none (the run command sets it). */
  LOAD_DEMO_DATA: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  /** Prebuilt workflow bundle for the worker (`npm run build:workflows`); unset = bundle workflows/ at start. */
  WORKFLOW_BUNDLE: z.string().min(1).optional(),
  /** Workflows the worker keeps in memory between their tasks; sized so 10,000 open workflows stay under 1 GiB (docs/benchmarks.md). */
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(0, 'must be 0 or more').default(1000),
  /** Workflow tasks the worker runs at once; unset = the SDK's default. */
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(2, 'must be 2 or more').optional(),
});

export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parse an environment; throws ConfigError naming every bad variable. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  // An empty variable means "not set", as shells make it easy to export FOO= by accident.
  const given = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = ConfigSchema.safeParse(given);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const config = result.data;
  if (config.NODE_ENV === 'production' && config.AUTH_SECRET === ConfigSchema.shape.AUTH_SECRET.parse(undefined)) {
    throw new ConfigError(['AUTH_SECRET: must be set in production']);
  }
  if (config.OIDC_ISSUER && (!config.OIDC_CLIENT_ID || !config.OIDC_REDIRECT_URI)) {
    throw new ConfigError([
      ...(config.OIDC_CLIENT_ID ? [] : ['OIDC_CLIENT_ID: must be set with OIDC_ISSUER']),
      ...(config.OIDC_REDIRECT_URI ? [] : ['OIDC_REDIRECT_URI: must be set with OIDC_ISSUER']),
    ]);
  }
  return config;
}

/** For process entries: parse process.env or exit non-zero with a readable message. */
export function loadConfig(): Config {
  try {
    return parseConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
}
