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
}

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
    adminPassword: env.ADMIN_PASSWORD ?? 'admin',
    clockMode: env.CLOCK === 'manual' ? 'manual' : 'real',
    simulators: on(env.SIMULATORS),
    demoData: on(env.DEMO_DATA),
    logLevel: env.LOG_LEVEL ?? 'info',
    bankNoticeSecret: env.BANK_NOTICE_SECRET ?? 'demo-bank-notice-secret',
    smtpUrl: env.SMTP_URL || undefined,
    bodyLimit: Number.parseInt(env.BODY_LIMIT ?? `${64 * 1024}`, 10),
    maxInFlight: Number.parseInt(env.MAX_IN_FLIGHT ?? '1024', 10),
  };
}
