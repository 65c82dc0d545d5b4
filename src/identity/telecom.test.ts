import { describe, expect, it } from 'vitest';
import { telecomAdapter } from '../adapters.js';
import { loadConfig } from '../platform/config.js';
import type { Sql } from '../platform/db.js';
import { isAppError } from '../platform/errors.js';
import { SimulatedTelecom } from '../sim/telecom.simulator.js';
import { HttpTelecomAdapter } from './telecom.js';

const noSql = {} as Sql;

describe('telecom adapter choice', () => {
  it('uses the simulator with SIMULATORS=on and the HTTP gateway otherwise', async () => {
    const sim = telecomAdapter({ sql: noSql, config: loadConfig({ SIMULATORS: 'on' }) });
    expect(sim).toBeInstanceOf(SimulatedTelecom);
    const real = telecomAdapter({
      sql: noSql,
      config: loadConfig({ TELECOM_API_URL: 'https://telecom.example.test/v1' }),
    });
    expect(real).toBeInstanceOf(HttpTelecomAdapter);
    const unconfigured = telecomAdapter({ sql: noSql, config: loadConfig({}) });
    const error = await unconfigured.lookupSubscriber('0912345678').catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('SERVICE_UNAVAILABLE');
    expect(() => new HttpTelecomAdapter('ftp://x')).toThrow();
  });

  it('the HTTP gateway maps 200, 404 and failures without ever inventing a refusal', async () => {
    const calls: string[] = [];
    const answers: Record<string, Response> = {
      '0911111111': Response.json({
        carrier: 'FET',
        plan: 'monthly',
        ownerId: 'a123456789',
        status: 'active',
        mobileData: true,
      }),
      '0922222222': new Response('not found', { status: 404 }),
      '0933333333': Response.json({ carrier: 'FET' }),
      '0944444444': new Response('down', { status: 502 }),
    };
    const fakeFetch = (async (url: URL | string, init?: RequestInit) => {
      calls.push(`${String(url)} ${new Headers(init?.headers).get('authorization')}`);
      const phone = String(url).split('/').at(-1) ?? '';
      return answers[phone] ?? new Response('', { status: 500 });
    }) as typeof fetch;
    const adapter = new HttpTelecomAdapter('https://gw.example.test/api', { apiKey: 'k1', fetch: fakeFetch });
    expect(await adapter.lookupSubscriber('0911111111')).toEqual({
      phone: '0911111111',
      carrier: 'FET',
      plan: 'monthly',
      ownerId: 'A123456789',
      status: 'active',
      mobileData: true,
    });
    expect(calls[0]).toBe('https://gw.example.test/api/subscribers/0911111111 Bearer k1');
    expect(await adapter.lookupSubscriber('0922222222')).toBeNull();
    for (const phone of ['0933333333', '0944444444']) {
      const error = await adapter.lookupSubscriber(phone).catch((e: unknown) => e);
      expect(isAppError(error) && error.code).toBe('SERVICE_UNAVAILABLE');
    }
  });
});
