import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cardGatewayFor, mailTransportFor, smsAdapterFor } from './adapters.js';
import { ManualClock } from './platform/clock.js';
import { loadConfig } from './platform/config.js';
import type { Sql } from './platform/db.js';
import { isAppError } from './platform/errors.js';

const noSql = {} as Sql;
const clock = new ManualClock(new Date('2020-03-12T01:00:00Z'));
const card = { cardNumber: '4111 1111 1111 1111', expiry: '12/29', cvc: '123', holder: 'A' };
const charge = { reference: 'order-1', amount: 100, currency: 'TWD' as const, card, now: clock.now() };
const sms = { outboxId: 1, to: '0912345678', from: '1922', body: 'hi', sentAt: clock.now() };
const email = {
  outboxId: 1,
  to: 'a@example.test',
  from: 'b@example.test',
  subject: 's',
  body: 'b',
  date: clock.now(),
};

describe('adapter choice (the composition root, one config)', () => {
  it('card gateway: the simulator with SIMULATORS=on, CARD_GATEWAY_URL otherwise, else 503', async () => {
    const sim = await cardGatewayFor({ config: loadConfig({ SIMULATORS: 'on' }) }).charge(charge);
    expect(sim).toMatchObject({ approved: true, last4: '1111' });
    const real = cardGatewayFor({ config: loadConfig({ CARD_GATEWAY_URL: 'http://127.0.0.1:1/charge' }) });
    const unreachable = await real.charge(charge).catch((e: unknown) => e);
    expect(isAppError(unreachable) && unreachable.message).toMatch(/does not answer/);
    const none = await cardGatewayFor({ config: loadConfig({}) })
      .charge(charge)
      .catch((e: unknown) => e);
    expect(isAppError(none) && none.code).toBe('SERVICE_UNAVAILABLE');
    expect(isAppError(none) && none.message).toMatch(/not available/);
  });

  it('SMS: without the simulators or SMS_API_URL every send fails', async () => {
    const none = smsAdapterFor({ sql: noSql, clock, config: loadConfig({}) });
    await expect(none.send(sms)).rejects.toThrow(/SMS_API_URL/);
    const real = smsAdapterFor({
      sql: noSql,
      clock,
      config: loadConfig({ SMS_API_URL: 'http://127.0.0.1:1/sms' }),
    });
    await expect(real.send(sms)).rejects.not.toThrow(/SMS_API_URL/);
  });

  it('mail: SMTP_URL wins over the simulators (no local sink); nothing configured fails every send', async () => {
    const smtpUrl = 'smtp://127.0.0.1:2525';
    const configured = mailTransportFor({
      sql: noSql,
      clock,
      config: loadConfig({ SIMULATORS: 'on', SMTP_URL: smtpUrl }),
    });
    const opened = await configured.open();
    expect(opened.url).toBe(smtpUrl);
    opened.sender.close();
    await configured.close();
    const none = mailTransportFor({ sql: noSql, clock, config: loadConfig({}) });
    const unconfigured = await none.open();
    expect(unconfigured.url).toBeUndefined();
    await expect(unconfigured.sender.send(email)).rejects.toThrow(/SMTP_URL/);
    await none.close();
  });
});

describe('dependency direction', () => {
  const sources = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return sources(full);
      return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : [];
    });
  const here = path.dirname(new URL(import.meta.url).pathname);

  it('identity, payments and notifications never import the simulators', () => {
    const offenders = ['identity', 'payments', 'notifications']
      .flatMap((capability) => sources(path.join(here, capability)))
      .filter((file) => /from '\.\.\/sim\//.test(readFileSync(file, 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('only the entry reads the configuration (loadConfig): everything else gets it passed', () => {
    const readers = sources(here)
      .filter((file) => /\bloadConfig\(/.test(readFileSync(file, 'utf8')))
      .map((file) => path.relative(here, file));
    expect(readers.sort()).toEqual(['main.ts', path.join('platform', 'config.ts')]);
  });
});
