import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  assertSafeForProduction,
  ConfigError,
  EnvSchema,
  envExample,
  isLoopbackHost,
  loadConfig,
  productionConfigProblems,
} from './config.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The message loadConfig refuses `env` with ('' if it accepts it). */
function refusal(env: Record<string, string>): string {
  try {
    loadConfig(env);
    return '';
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
}

describe('loadConfig: one schema, checked at start-up', () => {
  it('names the variable, its value and what is allowed, in one line', () => {
    expect(refusal({ MAX_IN_FLIGHT: 'abc' })).toBe(
      'Invalid configuration: MAX_IN_FLIGHT="abc" must be an integer from 1 to 1000000',
    );
  });

  it('refuses integers with units, words, decimals, signs or spaces instead of reading a part of them', () => {
    expect(refusal({ REQUEST_TIMEOUT_MS: '30s' })).toMatch(
      /^Invalid configuration: REQUEST_TIMEOUT_MS="30s" must be an integer from 0 to /,
    );
    expect(refusal({ BODY_LIMIT: '1mb' })).toMatch(/BODY_LIMIT="1mb" must be an integer from 1024 to /);
    expect(refusal({ CHALLENGE_RATE_LIMIT: 'ten' })).toMatch(/CHALLENGE_RATE_LIMIT="ten" must be an integer/);
    for (const value of ['1.5', '-1', ' 20', '20 ', '0x10', '1e3', '+5']) {
      expect(refusal({ DB_POOL_MAX: value })).toContain(`DB_POOL_MAX=${JSON.stringify(value)} must be`);
    }
  });

  it('refuses integers out of range', () => {
    expect(refusal({ PORT: '70000' })).toContain('PORT="70000" must be an integer from 0 to 65535');
    expect(refusal({ MAX_IN_FLIGHT: '0' })).toContain(
      'MAX_IN_FLIGHT="0" must be an integer from 1 to 1000000',
    );
    expect(refusal({ BODY_LIMIT: '1' })).toContain('BODY_LIMIT="1"');
    expect(refusal({ REQUEST_TIMEOUT_MS: '99999999999' })).toContain('REQUEST_TIMEOUT_MS="99999999999"');
  });

  it('takes booleans as on/off/true/false/1/0 only', () => {
    for (const [value, simulators] of [
      ['on', true],
      ['ON', true],
      ['true', true],
      ['1', true],
      ['off', false],
      ['false', false],
      ['0', false],
    ] as const) {
      expect(loadConfig({ SIMULATORS: value }).simulators).toBe(simulators);
    }
    for (const value of ['yes', 'no', 'enabled', '2', 'onn']) {
      expect(refusal({ DEMO_DATA: value })).toBe(
        `Invalid configuration: DEMO_DATA=${JSON.stringify(value)} must be one of on, off, true, false, 1, 0`,
      );
    }
  });

  it('refuses values outside a list, and malformed URLs', () => {
    expect(refusal({ CLOCK: 'Manual' })).toContain('CLOCK="Manual" must be one of real, manual');
    expect(refusal({ LOG_LEVEL: 'loud' })).toContain('LOG_LEVEL="loud" must be one of fatal, error, warn');
    expect(refusal({ TELECOM_API_URL: 'ftp://telecom' })).toContain(
      'TELECOM_API_URL="ftp://telecom" must be a URL starting http:// or https://',
    );
    expect(refusal({ CARD_GATEWAY_URL: 'gateway.example' })).toContain('CARD_GATEWAY_URL=');
    expect(refusal({ SMS_API_URL: 'https://sms .example' })).toContain('SMS_API_URL=');
    expect(refusal({ HOST: 'my host' })).toContain('HOST="my host" must be a host name or an IP address');
  });

  it('never prints a secret: says (hidden) instead', () => {
    const cases: Record<string, string> = {
      DATABASE_URL: 'mysql://root:hunter2@db',
      SMTP_URL: 'mail://user:hunter2@smtp',
      DATA_ENCRYPTION_KEYS: 'hunter2',
      BLIND_INDEX_KEY: 'hunter2!',
    };
    for (const [name, value] of Object.entries(cases)) {
      const message = refusal({ [name]: value });
      expect(message).toContain(`${name}=(hidden) must be`);
      expect(message).not.toContain('hunter2');
    }
    // A key ring that does not open as the vault opens it: a key of 16 bytes, a bad id.
    const short = Buffer.alloc(16, 1).toString('base64');
    expect(refusal({ DATA_ENCRYPTION_KEYS: `k1:${short}` })).toContain('DATA_ENCRYPTION_KEYS=(hidden)');
    expect(refusal({ BLIND_INDEX_KEY: short })).toContain('BLIND_INDEX_KEY=(hidden)');
    const key = Buffer.alloc(32, 1).toString('base64');
    expect(refusal({ DATA_ENCRYPTION_KEYS: `bad id:${key}` })).toContain('DATA_ENCRYPTION_KEYS=(hidden)');
    expect(loadConfig({ DATA_ENCRYPTION_KEYS: `k2:${key}, k1:${key}` }).dataEncryptionKeys).toContain('k2:');
  });

  it('lists every bad variable on the same single line', () => {
    const message = refusal({ MAX_IN_FLIGHT: 'abc', PORT: '-1', SIMULATORS: 'yes', DB_POOL_MAX: '1\n2' });
    expect(message.split('\n')).toHaveLength(1);
    for (const name of ['MAX_IN_FLIGHT', 'PORT', 'SIMULATORS', 'DB_POOL_MAX'])
      expect(message).toContain(name);
  });

  it('takes the defaults for unset or empty variables: local HOST, admission control on', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      demoPublic: false,
      clockMode: 'real',
      simulators: false,
      maxInFlight: 1024,
      bodyLimit: 65536,
      requestTimeoutMs: 30000,
      challengeRateLimit: 600,
      databaseUrl: undefined,
    });
    expect(loadConfig({ MAX_IN_FLIGHT: '', HOST: '' })).toMatchObject({
      maxInFlight: 1024,
      host: '127.0.0.1',
    });
    expect(loadConfig({ SIMULATORS: 'on' }).challengeRateLimit).toBe(0);
    expect(loadConfig({ SIMULATORS: 'on', CHALLENGE_RATE_LIMIT: '5' }).challengeRateLimit).toBe(5);
    expect(loadConfig({ WEB_DIR: 'dist/web' }).webDir).toBe(path.resolve('dist/web'));
  });
});

describe('production start: no demo or weak secrets, whatever CLOCK and SIMULATORS say', () => {
  const keys = {
    DATA_ENCRYPTION_KEYS: `k2026:${Buffer.alloc(32, 7).toString('base64')}`,
    BLIND_INDEX_KEY: Buffer.alloc(32, 9).toString('base64'),
  };
  const strong = { ADMIN_PASSWORD: 'twelve-chars', BANK_NOTICE_SECRET: 'b'.repeat(32), ...keys };
  const problems = (env: Record<string, string>) => productionConfigProblems(loadConfig(env));

  it('refuses an ADMIN_PASSWORD shorter than 12 characters', () => {
    expect(problems({ ...strong, ADMIN_PASSWORD: 'elevenchars' })).toEqual([
      'ADMIN_PASSWORD is shorter than 12 characters',
    ]);
    expect(problems(strong)).toEqual([]);
    // Characters, not bytes: 12 CJK characters are enough, 11 are not.
    expect(problems({ ...strong, ADMIN_PASSWORD: '口'.repeat(12) })).toEqual([]);
    expect(problems({ ...strong, ADMIN_PASSWORD: '口'.repeat(11) })).toHaveLength(1);
  });

  it('refuses a BANK_NOTICE_SECRET shorter than 32 bytes', () => {
    expect(problems({ ...strong, BANK_NOTICE_SECRET: 'b'.repeat(31) })).toEqual([
      'BANK_NOTICE_SECRET is shorter than 32 bytes',
    ]);
    expect(problems({ ...strong, BANK_NOTICE_SECRET: '密'.repeat(11) })).toEqual([]);
  });

  it('refuses the demo secrets with the simulators or the manual clock on too', () => {
    const modes: Record<string, string>[] = [
      { SIMULATORS: 'on' },
      { CLOCK: 'manual' },
      { SIMULATORS: 'on', CLOCK: 'manual' },
    ];
    for (const mode of modes) {
      const found = problems(mode);
      expect(found).toHaveLength(4);
      expect(() => assertSafeForProduction(loadConfig(mode))).toThrow(ConfigError);
      expect(problems({ ...mode, ...strong })).toEqual([]);
    }
    let message = '';
    try {
      assertSafeForProduction(loadConfig({ SIMULATORS: 'on' }));
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toMatch(/^Refusing to start in production mode: ADMIN_PASSWORD .*BANK_NOTICE_SECRET/);
  });
});

describe('a demo stays on this machine unless DEMO_PUBLIC=on', () => {
  it('refuses the simulators or the manual clock on a non-loopback HOST, naming HOST and DEMO_PUBLIC', () => {
    const exposed: Record<string, string>[] = [
      { SIMULATORS: 'on', HOST: '0.0.0.0' },
      { CLOCK: 'manual', HOST: '::' },
      { SIMULATORS: 'on', CLOCK: 'manual', HOST: '192.168.1.20' },
      { SIMULATORS: 'on', HOST: 'demo.example.org' },
    ];
    for (const env of exposed) {
      const message = refusal(env);
      expect(message).toContain(`HOST=${JSON.stringify(env.HOST)}`);
      expect(message).toContain('DEMO_PUBLIC=on');
      expect(message.split('\n')).toHaveLength(1);
      expect(loadConfig({ ...env, DEMO_PUBLIC: 'on' }).host).toBe(env.HOST);
    }
  });

  it('lets a demo listen on loopback, and production anywhere', () => {
    for (const host of ['127.0.0.1', '127.8.9.10', '::1', 'localhost', 'LOCALHOST', '::ffff:127.0.0.1']) {
      expect(isLoopbackHost(host)).toBe(true);
      expect(loadConfig({ SIMULATORS: 'on', CLOCK: 'manual', HOST: host }).host).toBe(host);
    }
    for (const host of ['0.0.0.0', '::', '128.0.0.1', '10.0.0.1', 'localhost.example', '::2']) {
      expect(isLoopbackHost(host)).toBe(false);
    }
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
  });
});

describe('.env.example', () => {
  it('lists exactly the variables of the schema, with their defaults (npx tsx scripts/env-example.ts)', () => {
    const text = readFileSync(path.join(root, '.env.example'), 'utf8');
    const listed = [...text.matchAll(/^#?([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]);
    expect(listed).toEqual(Object.keys(EnvSchema.properties));
    expect(text).toContain('#HOST=127.0.0.1\n');
    expect(text).toContain('#MAX_IN_FLIGHT=1024\n');
    expect(text).toBe(envExample());
  });
});

describe('the real entry point (src/main.ts)', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'config-main-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  /** Starts src/main.ts as `npm start` / `npm run serve` do, with only `env` set; its exit code and stderr. */
  function run(
    env: Record<string, string>,
    args: string[] = [],
  ): Promise<{ code: number | null; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
        cwd: root,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATA_DIR: dataDir, ...env },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), 45_000);
      child.once('error', reject);
      child.once('exit', (code) => {
        clearTimeout(timer);
        resolve({ code, stderr });
      });
    });
  }
  const lines = (stderr: string) => stderr.split('\n').filter((line) => line !== '');

  it('stops on MAX_IN_FLIGHT=abc with one stderr line naming it and a non-zero exit, no stack trace', async () => {
    const { code, stderr } = await run({ MAX_IN_FLIGHT: 'abc' }, ['--demo']);
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    expect(lines(stderr)).toEqual([
      'Invalid configuration: MAX_IN_FLIGHT="abc" must be an integer from 1 to 1000000',
    ]);
  });

  it('production entry: refuses SIMULATORS=on without real secrets, in one line', async () => {
    const { code, stderr } = await run({ SIMULATORS: 'on', CLOCK: 'manual', ADMIN_PASSWORD: 'short-pass' });
    expect(code).not.toBe(0);
    expect(lines(stderr)).toHaveLength(1);
    expect(stderr).toMatch(
      /^Refusing to start in production mode: ADMIN_PASSWORD is shorter than 12 characters; BANK_NOTICE_SECRET/,
    );
    expect(stderr).not.toContain('short-pass');
  });

  it('demo entry: refuses HOST=0.0.0.0 without DEMO_PUBLIC=on, in one line naming both', async () => {
    const { code, stderr } = await run({ HOST: '0.0.0.0' }, ['--demo']);
    expect(code).not.toBe(0);
    expect(lines(stderr)).toHaveLength(1);
    expect(stderr).toContain('HOST="0.0.0.0"');
    expect(stderr).toContain('DEMO_PUBLIC=on');
  });
});
