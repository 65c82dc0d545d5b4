// Over 300 lines: the one schema of every environment variable, its checks and the production rules, kept together so that nothing is configured twice.
import { BlockList, isIP } from 'node:net';
import path from 'node:path';
import { type Static, Type } from 'typebox';
import { Value } from 'typebox/value';
import { vaultFor } from './vault.js';

/** Process configuration, read once from the environment (API.md "Process and environment"). */
export interface Config {
  port: number;
  /** Address to listen on; loopback unless DEMO_PUBLIC=on when the simulators or the manual clock are on. */
  host: string;
  /** DEMO_PUBLIC=on: the simulators or the manual clock may listen on a non-loopback HOST. */
  demoPublic: boolean;
  dataDir: string;
  /** External PostgreSQL; when absent an embedded server is started under `dataDir`. */
  databaseUrl: string | undefined;
  adminPassword: string;
  clockMode: 'real' | 'manual';
  simulators: boolean;
  demoData: boolean;
  /** Varies the demo data set (DEMO_SEED); absent: the documented demo seed. */
  demoSeed: string | undefined;
  logLevel: LogLevel;
  /** Secret that signs bank notices (HMAC-SHA256) between the bank adapter and the platform. */
  bankNoticeSecret: string;
  /** The bank that holds the personal virtual accounts: shown beside each account, for an ATM transfer. */
  paymentBank: { code: string; name: string };
  /** Where outgoing e-mail goes; when absent and simulators are on, an in-process SMTP sink is started. */
  smtpUrl: string | undefined;
  /** Connections to the mail server; absent: src/notifications/email.ts's defaults. */
  smtpConnections: number | undefined;
  /** HTTP SMS gateway (SIMULATORS off) and its bearer token. */
  smsApiUrl: string | undefined;
  smsApiToken: string | undefined;
  /** Telecom subscriber look-up (SIMULATORS off) and its bearer token. */
  telecomApiUrl: string | undefined;
  telecomApiKey: string | undefined;
  /** Card acquirer (SIMULATORS off) and its bearer token. */
  cardGatewayUrl: string | undefined;
  cardGatewayToken: string | undefined;
  /** Folder of the built web UI, resolved; absent: dist/web next to the code. */
  webDir: string | undefined;
  /** Upper bound for request bodies, in bytes. */
  bodyLimit: number;
  /** Requests in progress beyond which new ones are shed with 503 (admission control). */
  maxInFlight: number;
  /** Connections in this process's database pool. */
  dbPoolMax: number;
  /** A database pool wait beyond this (ms) sheds new requests with 503 (reserved routes excepted). */
  dbWaitLimitMs: number;
  /** A request still unanswered after this (ms) is answered 503 (0 = no bound). */
  requestTimeoutMs: number;
  /** Challenges one client address may create per minute (0 = unlimited; docs/SECURITY.md). */
  challengeRateLimit: number;
  /** How often the maintenance task prunes expired rows (ms; 0 = never). */
  maintenanceIntervalMs: number;
  /** `id:base64[,id:base64…]`: AES-256 keys sealing personal data, the first seals (src/platform/vault.ts). */
  dataEncryptionKeys: string;
  /** Base64 key of the blind index used to look people up by national ID. */
  blindIndexKey: string;
}

/** Demo-only defaults: a production start refuses them (docs/SECURITY.md). */
export const DEMO_ADMIN_PASSWORD = 'admin';
export const DEMO_BANK_NOTICE_SECRET = 'demo-bank-notice-secret';
/** Published in the repository, so only for the demo and tests: production refuses them. */
export const DEMO_DATA_ENCRYPTION_KEYS = `demo:${Buffer.alloc(32, 'demo data key').toString('base64')}`;
export const DEMO_BLIND_INDEX_KEY = Buffer.alloc(32, 'demo blind index key').toString('base64');

/** What a production start demands of the secrets (API.md v1.1 "Limits under concurrency"). */
export const MIN_ADMIN_PASSWORD_CHARS = 12;
export const MIN_BANK_NOTICE_SECRET_BYTES = 32;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** A configuration the process must not start with; its message is one line, fit for stderr as is. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

// --- The schema -------------------------------------------------------------------------------
// Every environment variable the process reads, once: its type, what is allowed, its default and
// what it means. Beside JSON Schema's own keywords each entry may carry `secret` (its value is
// never printed) and `allowed` (the wording of what is allowed, where the keywords say it badly).

interface Extra {
  secret?: boolean;
  allowed?: string;
  default?: string;
}

const integer = (minimum: number, maximum: number, fallback: number, description: string) =>
  Type.Integer({ minimum, maximum, default: fallback, description });
const boolean = (description: string) => Type.Boolean({ default: false, description });
const url = (schemes: string[], description: string, extra: Extra = {}) =>
  Type.Optional(
    Type.String({
      pattern: `^(${schemes.join('|')})://\\S+$`,
      allowed: `a URL starting ${schemes.map((s) => `${s}://`).join(' or ')}`,
      description,
      ...extra,
    }),
  );
const secret = (description: string, extra: Extra = {}) =>
  Type.String({ minLength: 1, maxLength: 4096, secret: true, description, ...extra });

export const EnvSchema = Type.Object({
  PORT: integer(0, 65535, 3000, 'HTTP port (0: the system picks a free port).'),
  HOST: Type.String({
    pattern: '^[A-Za-z0-9._:%-]+$',
    allowed: 'a host name or an IP address',
    default: '127.0.0.1',
    description:
      'Address to listen on: 127.0.0.1 keeps the server local; 0.0.0.0 or :: opens it to the network (with SIMULATORS=on or CLOCK=manual only together with DEMO_PUBLIC=on).',
  }),
  DEMO_PUBLIC: boolean(
    'on: a demo (SIMULATORS=on or CLOCK=manual) may listen on a HOST other than loopback, i.e. this is meant to be a public demo.',
  ),
  DATA_DIR: Type.String({
    minLength: 1,
    default: './data',
    description:
      'Embedded database (DATA_DIR/pg) and anything else kept on disk; a new folder is a new, empty system.',
  }),
  DATABASE_URL: url(['postgres', 'postgresql'], 'PostgreSQL server to use instead of the embedded one.', {
    // It usually holds the database password.
    secret: true,
  }),
  ADMIN_PASSWORD: secret(
    `Password of the operator account admin, set at first start; demo default "${DEMO_ADMIN_PASSWORD}"; a production start demands ${MIN_ADMIN_PASSWORD_CHARS}+ characters.`,
    { default: DEMO_ADMIN_PASSWORD },
  ),
  CLOCK: Type.Enum(['real', 'manual'], {
    default: 'real',
    description:
      'manual: the clock is settable with PUT /api/v1/sim/clock, for the demo and tests (npm start turns it on).',
  }),
  SIMULATORS: boolean(
    'on: partner simulators under /api/v1/sim/ instead of the real adapters, for the demo and tests (npm start turns it on).',
  ),
  DEMO_DATA: boolean('on: load the demo data set into an empty system (npm start turns it on).'),
  DEMO_SEED: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 256,
      description: 'Varies the demo data set; unset: the documented demo seed (docs/DEMO.md).',
    }),
  ),
  LOG_LEVEL: Type.Enum(LOG_LEVELS, { default: 'info', description: 'pino log level.' }),
  BANK_NOTICE_SECRET: secret(
    `HMAC secret of bank notices, agreed with the banks; demo default; a production start demands ${MIN_BANK_NOTICE_SECRET_BYTES}+ bytes.`,
    { default: DEMO_BANK_NOTICE_SECRET },
  ),
  PAYMENT_BANK_CODE: Type.String({
    pattern: '^[0-9]{3}$',
    allowed: 'the 3-digit bank code',
    default: '004',
    description:
      'Code of the bank holding the personal virtual accounts, shown beside each account (ATM transfers need it); default: the demo’s.',
  }),
  PAYMENT_BANK_NAME: Type.String({
    minLength: 1,
    maxLength: 40,
    pattern: '^[^\\u0000-\\u001f\\u007f]+$',
    allowed: '1-40 characters, no control characters',
    default: '臺灣銀行',
    description: 'Name of that bank, as citizens know it; default: the demo’s.',
  }),
  DATA_ENCRYPTION_KEYS: secret(
    'AES-256 keys sealing personal data at rest, the first seals; demo key by default; required in production (rotation: npm run rotate-keys, docs/SECURITY.md).',
    {
      default: DEMO_DATA_ENCRYPTION_KEYS,
      allowed: 'id:base64[,id:base64…] with ids of 1-32 of A-Z a-z 0-9 _ - and keys of 32 bytes',
    },
  ),
  BLIND_INDEX_KEY: secret(
    'Key of the blind index used to find people by ID; demo key by default; required in production.',
    { default: DEMO_BLIND_INDEX_KEY, allowed: 'base64 of at least 32 bytes' },
  ),
  SMTP_URL: url(
    ['smtp', 'smtps'],
    'Outgoing mail server; unset with SIMULATORS=on: an in-process SMTP sink receives the mail.',
    { secret: true },
  ),
  SMTP_CONNECTIONS: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 1000,
      description: 'Connections to the mail server; unset: 32 (64 to the in-process sink).',
    }),
  ),
  SMS_API_URL: url(['http', 'https'], 'HTTP SMS gateway (SIMULATORS off); unset: SMS fail and are retried.'),
  SMS_API_TOKEN: Type.Optional(secret('Bearer token for SMS_API_URL.')),
  TELECOM_API_URL: url(
    ['http', 'https'],
    'Telecom subscriber look-up for phone sign-in (SIMULATORS off); unset: the phone check answers 503.',
  ),
  TELECOM_API_KEY: Type.Optional(secret('Bearer token for TELECOM_API_URL.')),
  CARD_GATEWAY_URL: url(
    ['http', 'https'],
    'Card acquirer gateway (SIMULATORS off); unset: card payments answer 503 (ATM transfer only).',
  ),
  CARD_GATEWAY_TOKEN: Type.Optional(secret('Bearer token for CARD_GATEWAY_URL.')),
  WEB_DIR: Type.Optional(
    Type.String({
      minLength: 1,
      description: 'Folder of the built web UI; unset: dist/web (npm run build:web).',
    }),
  ),
  BODY_LIMIT: integer(
    1024,
    64 * 1024 * 1024,
    64 * 1024,
    'Largest request body in bytes (bank notice batches have their own bound).',
  ),
  MAX_IN_FLIGHT: integer(
    1,
    1_000_000,
    1024,
    'Requests in progress beyond which new ones are shed with 503 + Retry-After.',
  ),
  DB_POOL_MAX: integer(1, 1000, 20, "Connections in this process's database pool."),
  DB_WAIT_LIMIT_MS: integer(
    0,
    600_000,
    1000,
    'A database pool wait beyond this (ms) sheds new requests with 503 (0: no bound).',
  ),
  REQUEST_TIMEOUT_MS: integer(
    0,
    3_600_000,
    30_000,
    'A request still unanswered after this (ms) is answered 503 (0: no bound).',
  ),
  CHALLENGE_RATE_LIMIT: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: 1_000_000,
      description:
        'Challenges per client address per minute (0: unlimited); unset: 600, or 0 with SIMULATORS=on.',
    }),
  ),
  MAINTENANCE_INTERVAL_MS: integer(
    0,
    24 * 3600_000,
    10 * 60_000,
    'How often expired challenges, rate-limit hits and idempotency records are pruned (ms; 0: never).',
  ),
});

/** The environment as the schema types it. */
export type Env = Static<typeof EnvSchema>;
export type EnvName = keyof Env;

const ENV_NAMES = Object.keys(EnvSchema.properties) as EnvName[];
const schemaOf = (name: EnvName): Record<string, unknown> =>
  EnvSchema.properties[name] as unknown as Record<string, unknown>;

const TRUE = new Set(['on', 'true', '1']);
const FALSE = new Set(['off', 'false', '0']);
const KEY_ENTRY = /^[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/_-]+={0,2}$/;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/** Checks beyond what JSON Schema says: the key ring must open as the vault would open it. */
const EXTRA_CHECKS: Partial<Record<EnvName, (value: string) => boolean>> = {
  DATA_ENCRYPTION_KEYS: (value) => {
    const entries = value.split(',').map((s) => s.trim());
    if (!entries.every((e) => KEY_ENTRY.test(e))) return false;
    return opens(() => vaultFor({ dataEncryptionKeys: value, blindIndexKey: DEMO_BLIND_INDEX_KEY }));
  },
  BLIND_INDEX_KEY: (value) =>
    BASE64.test(value) &&
    opens(() => vaultFor({ dataEncryptionKeys: DEMO_DATA_ENCRYPTION_KEYS, blindIndexKey: value })),
};

function opens(build: () => unknown): boolean {
  try {
    build();
    return true;
  } catch {
    return false;
  }
}

/** What the schema allows for one variable, in words ("an integer from 1 to 1000000"). */
export function allowedValues(name: EnvName): string {
  const schema = schemaOf(name);
  if (typeof schema.allowed === 'string') return schema.allowed;
  if (schema.type === 'integer') return `an integer from ${schema.minimum} to ${schema.maximum}`;
  if (schema.type === 'boolean') return 'one of on, off, true, false, 1, 0';
  if (Array.isArray(schema.enum)) return `one of ${schema.enum.join(', ')}`;
  if (typeof schema.maxLength === 'number') return `1 to ${schema.maxLength} characters`;
  return 'a non-empty text';
}

/**
 * The raw text of a variable as the schema's type: integers are digits only ("30s", "1mb",
 * "1.5", "-1" are not integers), booleans are on/off/true/false/1/0 (any case). Anything else
 * stays the text and fails the schema's check.
 */
function convert(schema: Record<string, unknown>, raw: string): unknown {
  if (schema.type === 'integer') return /^[0-9]+$/.test(raw) ? Number(raw) : raw;
  if (schema.type === 'boolean') {
    const word = raw.toLowerCase();
    if (TRUE.has(word)) return true;
    if (FALSE.has(word)) return false;
    return raw;
  }
  return raw;
}

/**
 * The environment checked against EnvSchema: every problem found, each as
 * `NAME="value" must be …` (a secret's value shown as `(hidden)`). An unset or empty variable
 * takes the schema's default.
 */
export function parseEnv(env: Record<string, string | undefined>): { env: Env; problems: string[] } {
  const parsed: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const name of ENV_NAMES) {
    const schema = schemaOf(name);
    const raw = env[name];
    if (raw === undefined || raw === '') {
      if ('default' in schema) parsed[name] = schema.default;
      continue;
    }
    const value = convert(schema, raw);
    const extra = EXTRA_CHECKS[name];
    if (Value.Check(schema, value) && (!extra || extra(raw))) {
      parsed[name] = value;
    } else {
      const shown = schema.secret === true ? '(hidden)' : JSON.stringify(raw);
      problems.push(`${name}=${shown} must be ${allowedValues(name)}`);
    }
  }
  return { env: parsed as Env, problems };
}

/**
 * The configuration of this process, from the environment, validated once: a malformed or
 * out-of-range value, or a demo reachable from the network without DEMO_PUBLIC=on, throws a
 * ConfigError whose message is the one line to print.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const { env: e, problems } = parseEnv(env);
  if (problems.length > 0) throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  const config: Config = {
    port: e.PORT,
    host: e.HOST,
    demoPublic: e.DEMO_PUBLIC,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    adminPassword: e.ADMIN_PASSWORD,
    clockMode: e.CLOCK,
    simulators: e.SIMULATORS,
    demoData: e.DEMO_DATA,
    demoSeed: e.DEMO_SEED,
    logLevel: e.LOG_LEVEL,
    bankNoticeSecret: e.BANK_NOTICE_SECRET,
    paymentBank: { code: e.PAYMENT_BANK_CODE, name: e.PAYMENT_BANK_NAME },
    smtpUrl: e.SMTP_URL,
    smtpConnections: e.SMTP_CONNECTIONS,
    smsApiUrl: e.SMS_API_URL,
    smsApiToken: e.SMS_API_TOKEN,
    telecomApiUrl: e.TELECOM_API_URL,
    telecomApiKey: e.TELECOM_API_KEY,
    cardGatewayUrl: e.CARD_GATEWAY_URL,
    cardGatewayToken: e.CARD_GATEWAY_TOKEN,
    webDir: e.WEB_DIR === undefined ? undefined : path.resolve(e.WEB_DIR),
    bodyLimit: e.BODY_LIMIT,
    maxInFlight: e.MAX_IN_FLIGHT,
    dbPoolMax: e.DB_POOL_MAX,
    dbWaitLimitMs: e.DB_WAIT_LIMIT_MS,
    requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
    // Per client address and minute. Off by default with the simulators on: a test or acceptance
    // run drives every pharmacy and citizen from one address, as 6,000 pharmacies never would.
    challengeRateLimit: e.CHALLENGE_RATE_LIMIT ?? (e.SIMULATORS ? 0 : 600),
    maintenanceIntervalMs: e.MAINTENANCE_INTERVAL_MS,
    dataEncryptionKeys: e.DATA_ENCRYPTION_KEYS,
    blindIndexKey: e.BLIND_INDEX_KEY,
  };
  const exposure = exposureProblem(config);
  if (exposure) throw new ConfigError(exposure);
  return config;
}

/** Demo and test runs: the manual clock or the partner simulators are on (API.md "Process and environment"). */
export function isDemoMode(config: Pick<Config, 'clockMode' | 'simulators'>): boolean {
  return config.clockMode === 'manual' || config.simulators;
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** 127.0.0.0/8, ::1 (also IPv4-mapped loopback) and `localhost`: reachable from this machine only. */
export function isLoopbackHost(host: string): boolean {
  if (host.toLowerCase() === 'localhost') return true;
  const family = isIP(host);
  if (family === 4) return LOOPBACK.check(host, 'ipv4');
  if (family === 6) return LOOPBACK.check(host, 'ipv6');
  return false;
}

/**
 * The simulators (anyone can credit a payment, read every message, mint certificates) and the
 * manual clock (anyone can move time) stay on this machine unless DEMO_PUBLIC=on says plainly
 * that this demo is meant to be public. The one line saying why not, or undefined.
 */
export function exposureProblem(
  config: Pick<Config, 'clockMode' | 'simulators' | 'host' | 'demoPublic'>,
): string | undefined {
  if (!isDemoMode(config) || config.demoPublic || isLoopbackHost(config.host)) return undefined;
  const modes = [
    config.simulators ? 'SIMULATORS=on' : '',
    config.clockMode === 'manual' ? 'CLOCK=manual' : '',
  ]
    .filter(Boolean)
    .join(' and ');
  return (
    `Invalid configuration: HOST=${JSON.stringify(config.host)} is not a loopback address ` +
    `(127.0.0.0/8, ::1, localhost) and ${modes} must not be reachable from the network: ` +
    'set HOST=127.0.0.1, or DEMO_PUBLIC=on if this is meant to be a public demo'
  );
}

/**
 * What makes a configuration unfit for production, whatever CLOCK and SIMULATORS say: the demo's
 * well-known secrets and keys, an operator password shorter than 12 characters, a bank-notice
 * secret shorter than 32 bytes. The production entry (`npm run serve`, src/main.ts) refuses to
 * start on any of them; `npm start` (the demo) and the tests may use them.
 */
export function productionConfigProblems(
  config: Pick<Config, 'adminPassword' | 'bankNoticeSecret' | 'dataEncryptionKeys' | 'blindIndexKey'>,
): string[] {
  const problems: string[] = [];
  if (config.adminPassword === '' || config.adminPassword === DEMO_ADMIN_PASSWORD) {
    problems.push('ADMIN_PASSWORD is unset or the demo default: set a strong operator password');
  } else if ([...config.adminPassword].length < MIN_ADMIN_PASSWORD_CHARS) {
    problems.push(`ADMIN_PASSWORD is shorter than ${MIN_ADMIN_PASSWORD_CHARS} characters`);
  }
  if (config.bankNoticeSecret === '' || config.bankNoticeSecret === DEMO_BANK_NOTICE_SECRET) {
    problems.push('BANK_NOTICE_SECRET is unset or the demo default: set the secret agreed with the banks');
  } else if (Buffer.byteLength(config.bankNoticeSecret, 'utf8') < MIN_BANK_NOTICE_SECRET_BYTES) {
    problems.push(`BANK_NOTICE_SECRET is shorter than ${MIN_BANK_NOTICE_SECRET_BYTES} bytes`);
  }
  const demoKey = DEMO_DATA_ENCRYPTION_KEYS.split(':')[1] as string;
  if (config.dataEncryptionKeys.includes(demoKey)) {
    problems.push(
      'DATA_ENCRYPTION_KEYS is unset or holds the demo key: set your own 32-byte keys (docs/SECURITY.md)',
    );
  }
  if (config.blindIndexKey === DEMO_BLIND_INDEX_KEY) {
    problems.push(
      'BLIND_INDEX_KEY is unset or the demo default: set your own 32-byte key (docs/SECURITY.md)',
    );
  }
  return problems;
}

/** Refuses to start production with demo or weak secrets (docs/SECURITY.md); one line, a ConfigError. */
export function assertSafeForProduction(config: Parameters<typeof productionConfigProblems>[0]): void {
  const problems = productionConfigProblems(config);
  if (problems.length > 0) {
    throw new ConfigError(`Refusing to start in production mode: ${problems.join('; ')}.`);
  }
}

/**
 * `.env.example`: every variable of EnvSchema with its meaning, what is allowed and its default,
 * commented out (an unset variable takes the default). Written by `npx tsx scripts/env-example.ts`;
 * src/platform/config.test.ts keeps the file in step with the schema.
 */
export function envExample(): string {
  const lines = [
    '# Every environment variable the platform reads, with its default (src/platform/config.ts,',
    '# EnvSchema). Generated: npx tsx scripts/env-example.ts. An unset or empty variable takes the',
    '# default; secrets have no value here (their demo defaults are refused by a production start).',
    '# Integers are digits only; booleans on/off (also true/false, 1/0).',
  ];
  for (const name of ENV_NAMES) {
    const schema = schemaOf(name);
    const fallback =
      schema.secret === true || schema.default === undefined
        ? ''
        : schema.type === 'boolean'
          ? schema.default
            ? 'on'
            : 'off'
          : String(schema.default);
    lines.push('', `# ${schema.description} Allowed: ${allowedValues(name)}.`, `#${name}=${fallback}`);
  }
  return `${lines.join('\n')}\n`;
}
