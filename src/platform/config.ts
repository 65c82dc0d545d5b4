import path from 'node:path';

/** Process configuration, read once from the environment (API.md "Process and environment"). */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** External PostgreSQL; when absent an embedded server is started under `dataDir`. */
  databaseUrl: string | undefined;
  adminPassword: string;
  clockMode: 'real' | 'manual';
  simulators: boolean;
  demoData: boolean;
  logLevel: string;
  /** Secret that signs bank notices (HMAC-SHA256) between the bank adapter and the platform. */
  bankNoticeSecret: string;
  /** Where outgoing e-mail goes; when absent and simulators are on, an in-process SMTP sink is started. */
  smtpUrl: string | undefined;
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

const on = (value: string | undefined): boolean => value === 'on' || value === 'true' || value === '1';

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number.parseInt(env.PORT ?? '3000', 10);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  }
  const dataDir = path.resolve(env.DATA_DIR ?? './data');
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    dataDir,
    databaseUrl: env.DATABASE_URL || undefined,
    adminPassword: env.ADMIN_PASSWORD ?? DEMO_ADMIN_PASSWORD,
    clockMode: env.CLOCK === 'manual' ? 'manual' : 'real',
    simulators: on(env.SIMULATORS),
    demoData: on(env.DEMO_DATA),
    logLevel: env.LOG_LEVEL ?? 'info',
    bankNoticeSecret: env.BANK_NOTICE_SECRET ?? DEMO_BANK_NOTICE_SECRET,
    smtpUrl: env.SMTP_URL || undefined,
    bodyLimit: Number.parseInt(env.BODY_LIMIT ?? `${64 * 1024}`, 10),
    maxInFlight: Number.parseInt(env.MAX_IN_FLIGHT ?? '1024', 10),
    dbPoolMax: Number.parseInt(env.DB_POOL_MAX ?? '20', 10),
    dbWaitLimitMs: Number.parseInt(env.DB_WAIT_LIMIT_MS ?? '1000', 10),
    requestTimeoutMs: Number.parseInt(env.REQUEST_TIMEOUT_MS ?? '30000', 10),
    // Per client address and minute. Off by default with the simulators on: a test or acceptance
    // run drives every pharmacy and citizen from one address, as 6,000 pharmacies never would.
    challengeRateLimit: Number.parseInt(env.CHALLENGE_RATE_LIMIT ?? (on(env.SIMULATORS) ? '0' : '600'), 10),
    maintenanceIntervalMs: Number.parseInt(env.MAINTENANCE_INTERVAL_MS ?? `${10 * 60 * 1000}`, 10),
    dataEncryptionKeys: env.DATA_ENCRYPTION_KEYS ?? DEMO_DATA_ENCRYPTION_KEYS,
    blindIndexKey: env.BLIND_INDEX_KEY ?? DEMO_BLIND_INDEX_KEY,
  };
}

/** Demo and test runs: the manual clock or the partner simulators are on (API.md "Process and environment"). */
export function isDemoMode(config: Pick<Config, 'clockMode' | 'simulators'>): boolean {
  return config.clockMode === 'manual' || config.simulators;
}

/**
 * What makes a configuration unfit for production: the demo's well-known operator password and
 * bank-notice secret. Empty outside production (demo and tests may use them).
 */
export function productionConfigProblems(
  config: Pick<
    Config,
    'clockMode' | 'simulators' | 'adminPassword' | 'bankNoticeSecret' | 'dataEncryptionKeys' | 'blindIndexKey'
  >,
): string[] {
  if (isDemoMode(config)) return [];
  const problems: string[] = [];
  if (config.adminPassword === '' || config.adminPassword === DEMO_ADMIN_PASSWORD) {
    problems.push('ADMIN_PASSWORD is unset or the demo default: set a strong operator password');
  }
  if (config.bankNoticeSecret === '' || config.bankNoticeSecret === DEMO_BANK_NOTICE_SECRET) {
    problems.push('BANK_NOTICE_SECRET is unset or the demo default: set the secret agreed with the banks');
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

/** Refuses to start production with demo secrets (`npm run serve`; docs/SECURITY.md). */
export function assertSafeForProduction(config: Config): void {
  const problems = productionConfigProblems(config);
  if (problems.length > 0) {
    throw new Error(`Refusing to start in production mode: ${problems.join('; ')}.`);
  }
}
