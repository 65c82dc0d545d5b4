// Over 300 lines: outbox delivery, references, the worker and restarts share the SMTP sink and message helpers.
import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, startTestApp } from '../../test/support/app.js';
import { setClock } from '../../test/support/factories.js';
import { setUpTestApp } from '../../test/support/fixture.js';
import { client } from '../../test/support/http.js';
import type { OutboxMessage } from '../../test/support/messages.js';
import { type Clock, ManualClock, realClock } from '../platform/clock.js';
import { loadConfig } from '../platform/config.js';
import { createSql, type Sql } from '../platform/db.js';
import { freePort } from '../platform/embedded-db.js';
import { silentLogger } from '../platform/logger.js';
import {
  enqueueMessage,
  enqueueWithReference,
  type OutgoingMessage,
  ReferenceTaken,
  sealRecipient,
} from '../platform/outbox.js';
import { vaultFor } from '../platform/vault.js';
import { batchedReceivedStore } from '../sim/outbox.repo.js';
import { simulatedSmsAdapter } from '../sim/outbox.sms.js';
import { startSmtpSink } from '../sim/outbox.smtp-sink.js';
import { backoffMs, DeliveryWorker, type DeliveryWorkerDeps } from './delivery-worker.js';
import { type EmailSender, smtpEmailSender } from './email.js';
import { type OutboxBatch, type OutboxStore, sqlOutboxStore } from './outbox.repo.js';
import { newMessageReference } from './reference.js';

/** The store with each batch's `markSent` wrapped: a crash before marking, or a count of calls. */
function withMarkSent(
  real: OutboxStore,
  markSent: (
    rows: Parameters<OutboxBatch['markSent']>[0],
    now: Date,
    next: OutboxBatch['markSent'],
  ) => Promise<void>,
): OutboxStore {
  return {
    ...real,
    inBatch: (limit, max, wall, work) =>
      real.inBatch(limit, max, wall, (batch) =>
        work({ ...batch, markSent: (rows, now) => markSent(rows, now, (r, n) => batch.markSent(r, n)) }),
      ),
  };
}

const uniq = () => `${Date.now().toString(36)}${randomInt(1e9).toString(36)}`;
const email = () => `person.${uniq()}@example.tw`;
const phone = () => `09${String(randomInt(1e8)).padStart(8, '0')}`;

/** Recipients are stored sealed (docs/SECURITY.md); tests name them by plaintext. */
const vault = vaultFor(loadConfig({}));
const sealedAs = new Map<string, string[]>();
function seal(m: Pick<OutgoingMessage, 'channel' | 'to'>): string {
  const sealed = sealRecipient(vault, m.channel, m.to);
  sealedAs.set(m.to, [...(sealedAs.get(m.to) ?? []), sealed]);
  return sealed;
}
/** The stored (sealed) recipient values of these plaintext recipients. */
const stored = (...recipients: string[]) => recipients.flatMap((r) => sealedAs.get(r) ?? []);

/** A message as a test writes it: its own reference and a summary are added here. */
type TestMessage = Omit<OutgoingMessage, 'dedupeKey' | 'reference' | 'summary'>;

async function enqueue(sql: Sql, messages: TestMessage[], now: Date): Promise<void> {
  await sql.begin(async (tx) => {
    for (const m of messages)
      await enqueueMessage(
        tx,
        { ...m, to: seal(m), reference: newMessageReference(), summary: 'test', dedupeKey: `test:${uniq()}` },
        now,
      );
  });
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const outboxOf = (sql: Sql, recipient: string) =>
  sql<
    {
      id: number;
      sent_at: Date | null;
      attempts: number;
      last_error: string | null;
      given_up_at: Date | null;
    }[]
  >`
    select id, sent_at, attempts, last_error, given_up_at from outbox where recipient = any(${stored(recipient)})
    order by id`;

const t = setUpTestApp();
const api = t.api;

beforeAll(async () => {
  await setClock(api, '2020-03-19T09:00:00+08:00');
});

describe('delivery through the durable outbox', () => {
  it('sends e-mail over SMTP to the local mail server; /sim/outbox shows it decoded, stamped by the platform clock', async () => {
    const to = email();
    const subject =
      '【eMask 口罩預購】訂單 17 已獲選，請至官網查詢繳費帳號 / Order 17 selected — a long subject line that folds';
    const body = '您好：\n\n請至 https://emask.taiwan.gov.tw 查詢。\n=equals= and a very long line '.concat(
      'x'.repeat(200),
    );
    await enqueue(
      t.sql,
      [{ channel: 'email', to, from: 'emask@nhi.gov.tw', subject, body }],
      t.deps.clock.now(),
    );

    const res = await api.get<{ messages: OutboxMessage[] }>(
      `/api/v1/sim/outbox?to=${encodeURIComponent(to.toUpperCase())}`,
    );
    expect(res.status).toBe(200);
    expect(res.body.messages).toEqual([
      { channel: 'email', to, from: 'emask@nhi.gov.tw', subject, body, sentAt: '2020-03-19T09:00:00+08:00' },
    ]);
    const [row] = await outboxOf(t.sql, to);
    expect(row?.sent_at?.toISOString()).toBe('2020-03-19T01:00:00.000Z');
    expect(row?.attempts).toBe(1);
    // It went through SMTP: the sink stored it under the Message-ID derived from the outbox id.
    const sink = await t.sql<
      { message_key: string }[]
    >`select message_key from sim_messages where recipient = ${to}`;
    expect(sink).toEqual([{ message_key: `<outbox-${row?.id}@emask.taiwan.gov.tw>` }]);
  });

  it('delivers right after the commit, without anyone reading /sim/outbox (NOTIFY wakes the worker)', async () => {
    const to = email();
    await enqueue(
      t.sql,
      [{ channel: 'email', to, from: 'emask@nhi.gov.tw', subject: 's', body: 'b' }],
      t.deps.clock.now(),
    );
    await waitFor(async () => (await outboxOf(t.sql, to))[0]?.sent_at != null, 3_000);
  });

  it('sends SMS through the simulated gateway and lists messages in sending order', async () => {
    const to = phone();
    const now = t.deps.clock.now();
    await enqueue(
      t.sql,
      [
        { channel: 'sms', to, from: '0911510914', body: '第一則' },
        { channel: 'sms', to, from: '0911510914', body: '第二則' },
        { channel: 'sms', to, from: '0911510914', body: '第三則' },
      ],
      now,
    );
    const formatted = `${to.slice(0, 4)}-${to.slice(4, 7)}-${to.slice(7)}`;
    const res = await api.get<{ messages: OutboxMessage[] }>(`/api/v1/sim/outbox?to=${formatted}`);
    expect(res.body.messages.map((m) => [m.channel, m.to, m.from, m.body, 'subject' in m])).toEqual([
      ['sms', to, '0911510914', '第一則', false],
      ['sms', to, '0911510914', '第二則', false],
      ['sms', to, '0911510914', '第三則', false],
    ]);
    expect(res.body.messages[0]?.sentAt).toBe('2020-03-19T09:00:00+08:00');
    const other = await api.get<{ messages: OutboxMessage[] }>(`/api/v1/sim/outbox?to=${phone()}`);
    expect(other.body.messages).toEqual([]);
  });

  it('enqueueing the same dedupe key twice sends one message', async () => {
    const to = phone();
    const m = {
      channel: 'sms' as const,
      to: seal({ channel: 'sms', to }),
      from: '0911510914',
      body: 'once',
      reference: newMessageReference(),
      summary: 'test',
      dedupeKey: `once:${to}`,
    };
    await t.sql.begin((tx) => enqueueMessage(tx, m, t.deps.clock.now()));
    await t.sql.begin((tx) => enqueueMessage(tx, m, t.deps.clock.now()));
    const res = await api.get<{ messages: OutboxMessage[] }>(`/api/v1/sim/outbox?to=${to}`);
    expect(res.body.messages).toHaveLength(1);
  });
});

describe('references of queued messages', () => {
  it('a reference taken already is drawn again, and the message keeps its own in body and row', async () => {
    const to = phone();
    const taken = newMessageReference();
    await enqueue(
      t.sql,
      [{ channel: 'sms', to: phone(), from: '0911510914', body: 'first' }],
      t.deps.clock.now(),
    );
    await t.sql`update outbox set reference = ${taken} where id = (select max(id) from outbox)`;
    const fresh = newMessageReference();
    const draws = [taken, fresh];
    const build = (reference: string): OutgoingMessage => ({
      channel: 'sms',
      to: seal({ channel: 'sms', to }),
      from: '0911510914',
      body: `查證碼：${reference}`,
      reference,
      summary: 'test',
      dedupeKey: `ref:${to}`,
    });
    await expect(t.sql.begin((tx) => enqueueMessage(tx, build(taken), t.deps.clock.now()))).rejects.toThrow(
      ReferenceTaken,
    );
    await t.sql.begin((tx) => enqueueWithReference(tx, build, t.deps.clock.now(), () => draws.shift() ?? ''));
    expect(draws).toEqual([]);
    const [row] = await t.sql<{ reference: string; body: string }[]>`
      select reference, body from outbox where dedupe_key = ${`ref:${to}`}`;
    expect(row).toEqual({ reference: fresh, body: `查證碼：${fresh}` });
    // The same dedupe key again: nothing new, whatever reference it was drawn with.
    await t.sql.begin((tx) => enqueueWithReference(tx, build, t.deps.clock.now(), newMessageReference));
    expect(await t.sql`select 1 from outbox where dedupe_key = ${`ref:${to}`}`).toHaveLength(1);
  });
});

describe('without simulators', () => {
  it('answers 404 for /sim/outbox and keeps e-mail pending with the reason when no SMTP server is configured', async () => {
    const off = await startTestApp({ SIMULATORS: 'off' });
    try {
      const offApi = client(off.url);
      expect((await offApi.get('/api/v1/sim/outbox?to=a@b.tw')).status).toBe(404);
      const to = email();
      await enqueue(
        off.sql,
        [{ channel: 'email', to, from: 'emask@nhi.gov.tw', subject: 's', body: 'b' }],
        off.deps.clock.now(),
      );
      await waitFor(async () => (await outboxOf(off.sql, to))[0]?.last_error != null);
      const [row] = await outboxOf(off.sql, to);
      expect(row?.sent_at).toBeNull();
      expect(row?.last_error).toMatch(/SMTP_URL/);
      const sink = await off.sql`select 1 from sim_messages where recipient = ${to}`;
      expect(sink).toHaveLength(0);
    } finally {
      await off.close();
    }
  });
});

describe('delivery worker', () => {
  let sql: Sql;
  const clock: Clock = new ManualClock(new Date('2020-03-28T08:00:00+08:00'));
  beforeAll(async () => {
    sql = createSql(await createTestDatabase(), { max: 4 });
  });
  afterAll(() => sql.end());

  function worker(overrides: Partial<DeliveryWorkerDeps>, emailSender: EmailSender): DeliveryWorker {
    return new DeliveryWorker({
      store: sqlOutboxStore(sql),
      clock,
      wallClock: realClock,
      email: emailSender,
      sms: simulatedSmsAdapter(sql, clock),
      log: silentLogger,
      vault,
      options: { pollMs: 20, baseBackoffMs: 10, maxBackoffMs: 40 },
      ...overrides,
    });
  }

  it('a crash between acceptance and marking sent leads to a retry that the receivers deduplicate', async () => {
    const sink = await startSmtpSink(sql, clock);
    const real = sqlOutboxStore(sql);
    const crashed = new Set<number>();
    // The mark step throws once per message, after the server has accepted it.
    const store = withMarkSent(real, async (rows, now, markSent) => {
      const fresh = rows.filter((r) => !crashed.has(r.id));
      if (fresh.length > 0) {
        for (const r of fresh) crashed.add(r.id);
        throw new Error('process crashed before marking sent');
      }
      await markSent(rows, now);
    });
    const mailer = smtpEmailSender(sink.url);
    const w = worker({ store }, mailer);
    try {
      const mail = email();
      const sms = phone();
      await enqueue(
        sql,
        [
          { channel: 'email', to: mail, from: 'emask@nhi.gov.tw', subject: 'once', body: 'only once' },
          { channel: 'sms', to: sms, from: '0911510914', body: 'only once' },
        ],
        clock.now(),
      );
      await w.start();
      await waitFor(async () => {
        const rows =
          await sql`select 1 from outbox where recipient = any(${stored(mail, sms)}) and sent_at is not null`;
        return rows.length === 2;
      });
      for (const to of [mail, sms]) {
        const [row] = await outboxOf(sql, to);
        expect(row?.attempts).toBe(2);
        expect(row?.last_error).toMatch(/crashed before marking sent/);
        const received = await sql`select message_key from sim_messages where recipient = ${to}`;
        expect(received).toHaveLength(1);
      }
      expect(crashed.size).toBe(2);
    } finally {
      await w.stop();
      mailer.close();
      await sink.close();
    }
  });

  it('retries a refused delivery with exponential backoff and gives up after the maximum attempts', async () => {
    const deadPort = await freePort();
    const attemptsAt: number[] = [];
    const real = sqlOutboxStore(sql);
    const store: OutboxStore = {
      ...real,
      inBatch: (limit, max, wall, work) =>
        real.inBatch(limit, max, wall, (batch) => {
          if (batch.rows.length > 0) attemptsAt.push(Date.now());
          return work(batch);
        }),
    };
    const mailer = smtpEmailSender(`smtp://127.0.0.1:${deadPort}`);
    const w = worker(
      { store, options: { pollMs: 5, baseBackoffMs: 40, maxBackoffMs: 1_000, maxAttempts: 4 } },
      mailer,
    );
    try {
      const to = email();
      await enqueue(
        sql,
        [{ channel: 'email', to, from: 'emask@nhi.gov.tw', subject: 's', body: 'b' }],
        clock.now(),
      );
      await w.start();
      await waitFor(async () => (await outboxOf(sql, to))[0]?.given_up_at != null);
      const [row] = await outboxOf(sql, to);
      expect(row?.attempts).toBe(4);
      expect(row?.sent_at).toBeNull();
      expect(row?.last_error).toMatch(/ECONNREFUSED|connect/i);
      expect(row?.given_up_at?.toISOString()).toBe(clock.now().toISOString());
      // Gaps between attempts grow: ≥ 40, 80, 160 ms.
      const gaps = attemptsAt.slice(1).map((at, i) => at - (attemptsAt[i] as number));
      expect(gaps).toHaveLength(3);
      for (const [i, gap] of gaps.entries()) expect(gap).toBeGreaterThanOrEqual(40 * 2 ** i - 5);
      // Given up: a start-up does not bring it back.
      expect(await real.retryWaiting()).toBe(0);
      expect(await real.countDue(4, new Date())).toBe(0);
    } finally {
      await w.stop();
      mailer.close();
    }
  });

  it('sends a batch concurrently over several connections: each message once, marked sent in one statement per batch, each recipient in order', async () => {
    const sink = await startSmtpSink(sql, clock);
    const real = sqlOutboxStore(sql);
    let markCalls = 0;
    const store = withMarkSent(real, async (rows, now, markSent) => {
      markCalls += 1;
      await markSent(rows, now);
    });
    const mailer = smtpEmailSender(sink.url, { connections: 8 });
    let inFlight = 0;
    let maxInFlight = 0;
    // Random delays: concurrency would reorder a recipient's messages if their lane did not.
    const jitter = () => new Promise((r) => setTimeout(r, randomInt(5)));
    const counting: EmailSender = {
      send: async (m) => {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        try {
          await jitter();
          await mailer.send(m);
        } finally {
          inFlight -= 1;
        }
      },
      close: () => mailer.close(),
    };
    const sms = simulatedSmsAdapter(sql, clock);
    const w = worker(
      {
        store,
        sms: { send: async (m) => jitter().then(() => sms.send(m)) },
        options: { pollMs: 20, baseBackoffMs: 10, maxBackoffMs: 40, batchSize: 100, concurrency: 16 },
      },
      counting,
    );
    const mails = Array.from({ length: 12 }, email);
    const phones = Array.from({ length: 8 }, phone);
    const messages: TestMessage[] = [];
    // Each recipient's ten messages side by side in the claim, where concurrency could reorder them.
    for (const to of mails) {
      for (let i = 0; i < 10; i++) {
        messages.push({
          channel: 'email',
          to,
          from: 'emask@nhi.gov.tw',
          subject: `第${i}封`,
          body: `第${i}則`,
        });
      }
    }
    for (const to of phones) {
      for (let i = 0; i < 10; i++)
        messages.push({ channel: 'sms', to, from: '0911510914', body: `第${i}則` });
    }
    const everyone = [...mails, ...phones];
    try {
      await enqueue(sql, messages, clock.now());
      await w.start();
      await waitFor(async () => {
        const [row] = await sql<{ n: number }[]>`
          select count(*)::int as n from outbox where recipient = any(${stored(...everyone)}) and sent_at is not null`;
        return row?.n === 200;
      }, 15_000);
      const rows = await sql<{ attempts: number; last_error: string | null }[]>`
        select attempts, last_error from outbox where recipient = any(${stored(...everyone)})`;
      expect(rows.every((r) => r.attempts === 1 && r.last_error === null)).toBe(true);
      const ordered = Array.from({ length: 10 }, (_, i) => `第${i}則`);
      for (const to of everyone) {
        const received = await sql<{ body: string }[]>`
          select body from sim_messages where recipient = ${to} order by id`;
        expect(received.map((r) => r.body)).toEqual(ordered);
      }
      expect(maxInFlight).toBeGreaterThan(1);
      // 200 messages in batches of 100: one mark-sent statement per batch.
      expect(markCalls).toBe(2);
    } finally {
      await w.stop();
      counting.close();
      await sink.close();
    }
  });

  it('marks only the accepted messages of a batch sent; a refused one is retried on its own', async () => {
    const refusedTo = email();
    const acceptedTo = email();
    let refusals = 0;
    const flaky: EmailSender = {
      send: async (m) => {
        if (m.to === refusedTo && refusals === 0) {
          refusals += 1;
          throw new Error('451 mailbox busy');
        }
      },
      close: () => undefined,
    };
    const w = worker({}, flaky);
    try {
      await enqueue(
        sql,
        [
          { channel: 'email', to: refusedTo, from: 'emask@nhi.gov.tw', subject: 's', body: 'b' },
          { channel: 'email', to: acceptedTo, from: 'emask@nhi.gov.tw', subject: 's', body: 'b' },
        ],
        clock.now(),
      );
      await w.start();
      await waitFor(async () => (await outboxOf(sql, refusedTo))[0]?.sent_at != null);
      const [accepted] = await outboxOf(sql, acceptedTo);
      expect(accepted?.attempts).toBe(1);
      expect(accepted?.last_error).toBeNull();
      const [refused] = await outboxOf(sql, refusedTo);
      expect(refused?.attempts).toBe(2);
      expect(refused?.last_error).toMatch(/451 mailbox busy/);
    } finally {
      await w.stop();
    }
  });

  it('the simulated receivers commit concurrent messages together and store a repeated key once', async () => {
    const received = batchedReceivedStore(sql);
    const to = email();
    const key = (n: number) => `<group-${n}-${uniq()}@emask.taiwan.gov.tw>`;
    const keys = Array.from({ length: 6 }, (_, n) => key(n));
    const at = clock.now();
    const message = (k: string) => ({
      key: k,
      channel: 'email' as const,
      to,
      from: 'emask@nhi.gov.tw',
      subject: 's',
      body: k,
      sentAt: at,
      receivedAt: at,
    });
    // The same key twice in one group, and once more after it was stored.
    await Promise.all([...keys, keys[0] as string].map((k) => received.store(message(k))));
    await received.store(message(keys[1] as string));
    const rows = await sql<{ message_key: string }[]>`
      select message_key from sim_messages where recipient = ${to} order by id`;
    expect(rows.map((r) => r.message_key).sort()).toEqual([...keys].sort());
    // A group that cannot be stored fails every caller in it (the SMTP server then answers 451).
    const broken = { ...message(key(9)), body: null as unknown as string };
    const results = await Promise.allSettled([received.store(broken), received.store(message(key(10)))]);
    expect(results.map((r) => r.status)).toContain('rejected');
  });

  it('backoff doubles from the base up to the maximum', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffMs(n, 1000, 10_000))).toEqual([
      1000, 2000, 4000, 8000, 10_000, 10_000,
    ]);
    expect(backoffMs(500, 1000, 60_000)).toBe(60_000);
  });
});

describe('restarts', () => {
  it('delivers messages committed while no process ran, once, and keeps what arrived across restarts', async () => {
    const databaseUrl = await createTestDatabase();
    const sql = createSql(databaseUrl, { max: 1 });
    const mail = email();
    const sms = phone();
    try {
      await enqueue(
        sql,
        [
          { channel: 'email', to: mail, from: 'emask@nhi.gov.tw', subject: '重啟後', body: '仍然送達' },
          { channel: 'sms', to: sms, from: '0911510914', body: '仍然送達' },
        ],
        new Date('2020-03-28T08:00:00+08:00'),
      );
    } finally {
      await sql.end();
    }
    const first = await startTestApp({ DATABASE_URL: databaseUrl });
    try {
      const a = client(first.url);
      expect(
        (await a.get<{ messages: OutboxMessage[] }>(`/api/v1/sim/outbox?to=${mail}`)).body.messages,
      ).toHaveLength(1);
      expect(
        (await a.get<{ messages: OutboxMessage[] }>(`/api/v1/sim/outbox?to=${sms}`)).body.messages,
      ).toHaveLength(1);
    } finally {
      await first.close();
    }
    const second = await startTestApp({ DATABASE_URL: databaseUrl });
    try {
      const b = client(second.url);
      const got = await b.get<{ messages: OutboxMessage[] }>(`/api/v1/sim/outbox?to=${mail}`);
      expect(got.body.messages).toEqual([expect.objectContaining({ subject: '重啟後', body: '仍然送達' })]);
      expect(
        (await b.get<{ messages: OutboxMessage[] }>(`/api/v1/sim/outbox?to=${sms}`)).body.messages,
      ).toHaveLength(1);
      const rows = await second.sql<{ attempts: number }[]>`
        select attempts from outbox where recipient = any(${stored(mail, sms)}) and sent_at is not null`;
      expect(rows.map((r) => r.attempts)).toEqual([1, 1]);
    } finally {
      await second.close();
    }
  });

  it('a message that failed in one process (mail server down) is delivered after a restart', async () => {
    const databaseUrl = await createTestDatabase();
    const deadPort = await freePort();
    const first = await startTestApp({ DATABASE_URL: databaseUrl, SMTP_URL: `smtp://127.0.0.1:${deadPort}` });
    const to = email();
    try {
      await enqueue(
        first.sql,
        [{ channel: 'email', to, from: 'emask@nhi.gov.tw', subject: 's', body: 'b' }],
        first.deps.clock.now(),
      );
      await waitFor(async () => (await outboxOf(first.sql, to))[0]?.last_error != null);
    } finally {
      await first.close();
    }
    const second = await startTestApp({ DATABASE_URL: databaseUrl });
    try {
      const res = await client(second.url).get<{ messages: OutboxMessage[] }>(`/api/v1/sim/outbox?to=${to}`);
      expect(res.body.messages).toHaveLength(1);
      const [row] = await outboxOf(second.sql, to);
      expect(row?.sent_at).not.toBeNull();
      expect(row?.attempts).toBeGreaterThanOrEqual(2);
    } finally {
      await second.close();
    }
  });
});
