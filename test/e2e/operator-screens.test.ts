// Long by nature: one browser walk per operator screen of issue 17 (points 3, 6–9), each with its checks.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminLogin,
  createOrderInState,
  createRound,
  createStore,
  issueCard,
  setClock,
} from '../support/factories.js';
import { setUpTestApp } from '../support/fixture.js';
import {
  DESKTOP,
  ensureWebBuilt,
  hasChromium,
  launchBrowser,
  newPage,
  PHONE,
  seriousViolations,
  shoot,
} from './support/browser.js';

/**
 * The operator console as operators use it (issue 17): a key shown once stays until dismissed
 * and a second press says "already registered" with a link to the partner in the list, where keys
 * are rotated and revoked; a store's closure offers the nearest open stores whatever the search,
 * and the row says closed at once; an invalid round marks its fields; the figures' labels are
 * readable and the current hour's orders show; an expired session says so and keeps what was
 * typed. Every screen: no console error, no failed request, no serious or critical axe violation.
 */
describe.skipIf(!hasChromium)('operator screens', () => {
  beforeAll(() => ensureWebBuilt(), 240_000);
  const app = setUpTestApp();
  const api = app.api;
  let admin: string;
  let browser: Browser;

  beforeAll(async () => {
    await setClock(api, '2021-01-04T10:00:00+08:00');
    admin = await adminLogin(api);
    browser = await launchBrowser();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
  });

  /**
   * A page whose console errors and failed requests are kept; `expected` are the HTTP refusals a
   * test provokes on purpose (Chromium logs those as console errors too).
   */
  async function open(
    viewport = DESKTOP,
    expected: number[] = [],
  ): Promise<{ page: Page; problems: () => string[] }> {
    const { page, errors } = await newPage(browser, app.url, viewport);
    const problems: string[] = [];
    // The rounds screen asks each round for its published draw; 404 is the API's "not drawn yet".
    const allowed = (status: number, url: string) =>
      expected.includes(status) || (status === 404 && /\/api\/v1\/rounds\/\d+\/draw$/.test(url));
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      const text = message.text();
      const status = /status of (\d{3})/.exec(text)?.[1];
      if (status && allowed(Number(status), message.location().url)) return;
      problems.push(`console: ${text}`);
    });
    page.on('requestfailed', (request) => {
      // A poll cut short by leaving the screen is the browser's doing, not a failure.
      if (request.failure()?.errorText === 'net::ERR_ABORTED') return;
      problems.push(`failed: ${request.method()} ${request.url()} ${request.failure()?.errorText}`);
    });
    page.on('response', (response) => {
      if (response.status() >= 400 && !allowed(response.status(), response.url())) {
        problems.push(`http ${response.status()}: ${response.request().method()} ${response.url()}`);
      }
    });
    return { page, problems: () => [...errors, ...problems] };
  }

  async function signIn(page: Page, path: string): Promise<void> {
    await page.goto(path);
    await page.getByTestId('admin-password').fill('test-admin-password');
    await page.getByTestId('admin-submit').click();
    await page.getByTestId('admin-signout').waitFor();
  }

  async function toEnglish(page: Page): Promise<void> {
    await page.getByTestId('lang-switch').click();
    await page.getByRole('heading', { level: 1, name: 'Operator console' }).waitFor();
  }

  async function checkA11y(page: Page, screen: string): Promise<void> {
    const violations = await seriousViolations(page);
    expect(violations, `${screen}: ${JSON.stringify(violations, null, 1)}`).toEqual([]);
  }

  async function partnerKeys(kind: string, q: string) {
    const res = await api.get<{ partners: { id: string; keys: { active: number; revoked: number } }[] }>(
      `/api/v1/admin/partners?kind=${kind}&q=${encodeURIComponent(q)}`,
      { token: admin },
    );
    return res.body.partners[0]?.keys;
  }

  it('keeps a new key on screen through a second press, says "already registered" with a link, and rotates and revokes from the list', async () => {
    const { page, problems } = await open(DESKTOP, [409]);
    await signIn(page, '/admin/partners');
    const code = `59${String(Date.now()).slice(-8)}`;
    await page.getByTestId('partner-pharmacy-code').fill(code);
    await page.getByTestId('partner-pharmacy-name').fill('金鑰測試藥局');
    await page.getByTestId('partner-pharmacy-address').fill('臺北市大安區信義路四段1號');
    await page.getByTestId('partner-pharmacy-phone').fill('(02)27001234');
    await page.getByTestId('partner-pharmacy-submit').click();
    const shown = page.getByTestId('partner-created');
    await shown.waitFor();
    const key = await page.getByTestId('partner-secret').inputValue();
    expect(key.length).toBeGreaterThan(20);
    expect(await shown.textContent()).toContain('金鑰只顯示這一次');
    await checkA11y(page, 'partners: key shown');

    // The button pressed again: the key stays, and the refusal says what happened, with a link.
    await page.getByTestId('partner-pharmacy-submit').click();
    const exists = page.getByTestId('partner-exists');
    await exists.waitFor();
    expect(await exists.textContent()).toContain(`${code} 已經登記過了`);
    expect(await page.getByTestId('partner-secret').inputValue()).toBe(key);
    await checkA11y(page, 'partners: already registered');

    await page.getByTestId('partner-exists-link').click();
    const row = page.getByTestId(`partner-row-pharmacy-${code}`);
    await row.waitFor();
    expect(await page.getByTestId('partners-q').inputValue()).toBe(code);
    expect(await page.locator('[data-testid^="partner-row-"]').count()).toBe(1);
    expect(await row.getByTestId('partner-keys').textContent()).toContain('有效 1 把・已撤銷 0 把');
    expect(await row.getByTestId('partner-keys').textContent()).toContain('最近發給');

    // Rotate, after a confirmation: a second key panel with a new key; the first is still there.
    await row.getByTestId('partner-rotate').click();
    const confirm = page.getByTestId('partner-confirm');
    expect(await confirm.textContent()).toContain('現有的金鑰會立即失效');
    await shoot(page, 'ops-partners-confirm-rotation');
    await checkA11y(page, 'partners: confirm rotation');
    await confirm.getByTestId('partner-confirm-yes').click();
    await expect.poll(() => page.getByTestId('partner-secret').count()).toBe(2);
    const rotated = await page.getByTestId('partner-secret').nth(1).inputValue();
    expect(rotated).not.toBe(key);
    expect(rotated.length).toBeGreaterThan(20);
    await expect
      .poll(() => row.getByTestId('partner-keys').textContent())
      .toContain('有效 1 把・已撤銷 1 把');
    expect(await partnerKeys('pharmacy', code)).toEqual({
      active: 1,
      revoked: 1,
      lastIssuedAt: expect.any(String),
      lastRevokedAt: expect.any(String),
    });

    // Dismissed: gone; the other stays.
    await page.getByTestId('partner-dismiss').first().click();
    await expect.poll(() => page.getByTestId('partner-secret').count()).toBe(1);
    expect(await page.getByTestId('partner-secret').inputValue()).toBe(rotated);

    // Revoke, after a confirmation (cancel first: nothing happens).
    await row.getByTestId('partner-revoke').click();
    await page.getByTestId('partner-confirm').getByRole('button', { name: '取消' }).click();
    expect(await page.getByTestId('partner-confirm').count()).toBe(0);
    expect((await partnerKeys('pharmacy', code))?.active).toBe(1);
    await row.getByTestId('partner-revoke').click();
    expect(await page.getByTestId('partner-confirm').textContent()).toContain('撤銷後它無法再呼叫 API');
    await page.getByTestId('partner-confirm-yes').click();
    await expect.poll(() => row.getByTestId('partner-keys').textContent()).toContain('目前沒有有效的金鑰');
    expect(await row.getByTestId('partner-keys').textContent()).toContain('最近撤銷');
    expect((await partnerKeys('pharmacy', code))?.active).toBe(0);
    await checkA11y(page, 'partners: revoked');
    expect(problems()).toEqual([]);
  });

  it('pages and searches the partners list, in English on a phone', async () => {
    for (let i = 0; i < 23; i++) {
      const res = await api.post(
        '/api/v1/admin/airport-counters',
        { name: `E2E counter ${String(i).padStart(2, '0')}` },
        { token: admin },
      );
      expect(res.status).toBe(201);
    }
    const { page, problems } = await open(PHONE);
    await signIn(page, '/admin/partners');
    await toEnglish(page);
    const list = page.getByTestId('partners-list');
    await page.getByTestId('partners-kind').selectOption('airport');
    await page.getByTestId('partners-q').fill('E2E counter');
    await expect.poll(() => list.locator('caption').textContent()).toBe('23 in all, page 1 of 2');
    expect(await list.locator('[data-testid^="partner-row-"]').count()).toBe(20);
    await shoot(page, 'ops-partners-list-en-phone');
    await checkA11y(page, 'partners list: English, phone');
    await page.getByTestId('partners-next').click();
    await expect.poll(() => list.locator('caption').textContent()).toBe('23 in all, page 2 of 2');
    expect(await list.locator('[data-testid^="partner-row-"]').count()).toBe(3);
    expect(await list.locator('tbody').textContent()).toContain('E2E counter 22');
    expect(await list.locator('tbody').textContent()).toContain('1 active · 0 revoked');
    await page.getByTestId('partners-q').fill('E2E counter 07');
    await expect.poll(() => list.locator('[data-testid^="partner-row-"]').count()).toBe(1);
    await checkA11y(page, 'partners list: one row, English, phone');
    expect(problems()).toEqual([]);
  });

  it('offers the nearest open stores to take a closing store’s orders whatever the search, and says closed at once', async () => {
    const stamp = String(Date.now()).slice(-6);
    const closing = await createStore(api, admin, {
      chain: '7-11',
      name: `7-ELEVEN 關店甲${stamp}門市`,
      city: '臺北市',
      district: '中正區',
      address: '臺北市中正區忠孝西路一段49號',
    });
    const sameDistrict = await createStore(api, admin, {
      chain: '7-11',
      name: `7-ELEVEN 接手乙${stamp}門市`,
      city: '臺北市',
      district: '中正區',
      address: '臺北市中正區重慶南路一段10號',
    });
    const sameCity = await createStore(api, admin, {
      chain: 'FamilyMart',
      name: `接手丙${stamp}`,
      city: '臺北市',
      district: '大安區',
      address: '臺北市大安區復興南路一段1號',
    });
    const { page, problems } = await open();
    await signIn(page, '/admin/stores');
    await page.getByLabel('搜尋門市', { exact: true }).fill(`關店甲${stamp}`);
    const row = page.getByTestId(`store-row-${closing.id}`);
    await row.waitFor();
    expect(await row.textContent()).toContain(`7-ELEVEN 關店甲${stamp}門市`);
    // The chain once: not a chain column and a name that carries the chain too.
    expect((await row.textContent())?.split('7-ELEVEN')).toHaveLength(2);
    expect(await page.getByTestId(`store-status-${closing.id}`).textContent()).toBe('營業中');
    await page.getByTestId(`close-store-${closing.id}`).click();

    const target = page.getByTestId('close-store-target');
    await expect.poll(() => target.locator('option').count()).toBeGreaterThan(1);
    const options = await target.locator('option').allTextContents();
    expect(options[0]).toContain(`7-ELEVEN 接手乙${stamp}門市`);
    const sameDistrictAt = options.findIndex((o) => o.includes(`接手乙${stamp}`));
    const sameCityAt = options.findIndex((o) => o.includes(`接手丙${stamp}`));
    expect(sameDistrictAt).toBe(0);
    expect(sameCityAt).toBeGreaterThan(sameDistrictAt);
    expect(options[sameCityAt]).toContain(`全家 接手丙${stamp}`);
    for (const option of options) {
      expect(option).not.toMatch(/7-11 7-ELEVEN|7-ELEVEN 7-ELEVEN|全家 全家/);
    }
    expect(await target.inputValue()).toBe(String(sameDistrict.id));
    expect(await page.getByTestId('close-store').textContent()).toContain('同區優先');
    await shoot(page, 'ops-store-closing');
    await checkA11y(page, 'stores: closing');
    await page.getByTestId('close-store-confirm').click();
    await expect.poll(() => page.getByTestId(`store-status-${closing.id}`).textContent()).toBe('已停業');
    expect(await page.getByTestId(`close-store-${closing.id}`).count()).toBe(0);
    expect(await page.getByTestId('close-store').textContent()).toContain('已停業');
    await checkA11y(page, 'stores: closed');
    expect(sameCity.id).toBeGreaterThan(0);
    expect(problems()).toEqual([]);
  });

  it('shows the stores screen and its closure panel in English on a phone', async () => {
    const stamp = String(Date.now()).slice(-6);
    const store = await createStore(api, admin, {
      chain: 'Hi-Life',
      name: `萊爾富測試${stamp}店`,
      city: '臺北市',
      district: '中正區',
    });
    const { page, problems } = await open(PHONE);
    await signIn(page, '/admin/stores');
    await toEnglish(page);
    await page.getByLabel('Search stores', { exact: true }).fill(`測試${stamp}`);
    await page.getByTestId(`store-row-${store.id}`).waitFor();
    expect(await page.getByTestId(`store-status-${store.id}`).textContent()).toBe('Open');
    await page.getByTestId(`close-store-${store.id}`).click();
    await expect
      .poll(() => page.getByTestId('close-store-target').locator('option').count())
      .toBeGreaterThan(0);
    expect(await page.getByTestId('close-store').textContent()).toContain('nearest first');
    await checkA11y(page, 'stores: closing, English, phone');
    expect(problems()).toEqual([]);
  });

  async function fillRound(page: Page, values: Record<string, string>): Promise<void> {
    for (const [name, value] of Object.entries(values)) await page.getByTestId(`round-${name}`).fill(value);
  }

  const validRound = {
    name: '瀏覽器測試梯次',
    registrationOpensAt: '2021-02-01T09:00',
    registrationClosesAt: '2021-02-05T20:00',
    paymentOpensAt: '2021-02-06T09:00',
    paymentClosesAt: '2021-02-10T20:00',
    pickupStartsOn: '2021-02-11',
    pickupEndsOn: '2021-02-17',
    supplyPacks: '1000',
  };

  it('shows the API’s own message for an invalid round and marks the field it names', async () => {
    const { page, problems } = await open(DESKTOP, [400]);
    await signIn(page, '/admin/rounds');
    await page.getByText('新增梯次').click();
    await fillRound(page, { ...validRound, registrationClosesAt: '2021-01-31T20:00' });
    await page.getByTestId('create-round').getByRole('button', { name: '新增', exact: true }).click();
    const notice = page.getByTestId('round-invalid');
    await notice.waitFor();
    expect(await notice.textContent()).toContain('請修正標示的欄位');
    expect(await notice.textContent()).toContain('registration must close after it opens');
    expect(await notice.textContent()).not.toContain('請檢查：body');
    const closes = page.getByTestId('round-registrationClosesAt');
    expect(await closes.getAttribute('aria-invalid')).toBe('true');
    const errorId = (await closes.getAttribute('aria-describedby')) ?? '';
    expect(errorId).toMatch(/-error$/);
    expect(await page.locator(`[id="${errorId}"]`).textContent()).toBe('登記截止時間必須晚於登記開始時間。');
    expect(await page.getByTestId('round-registrationOpensAt').getAttribute('aria-invalid')).toBe('false');
    expect(await page.getByTestId('round-paymentOpensAt').getAttribute('aria-invalid')).toBe('false');
    await shoot(page, 'ops-round-invalid');
    await checkA11y(page, 'rounds: invalid');

    await closes.fill(validRound.registrationClosesAt);
    await page.getByTestId('create-round').getByRole('button', { name: '新增', exact: true }).click();
    await expect
      .poll(() => page.getByTestId('create-round').getByRole('status').textContent())
      .toContain('瀏覽器測試梯次');
    expect(await closes.getAttribute('aria-invalid')).toBe('false');
    expect(problems()).toEqual([]);
  });

  it('marks the invalid round’s field in English on a phone', async () => {
    const { page, problems } = await open(PHONE, [400]);
    await signIn(page, '/admin/rounds');
    await toEnglish(page);
    await page.getByText('New round').click();
    await fillRound(page, { ...validRound, name: 'Phone round', pickupEndsOn: '2021-02-10' });
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByTestId('round-invalid').waitFor();
    const ends = page.getByTestId('round-pickupEndsOn');
    expect(await ends.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator(`[id="${await ends.getAttribute('aria-describedby')}"]`).textContent()).toBe(
      'The last pickup day must not come before the first.',
    );
    await checkA11y(page, 'rounds: invalid, English, phone');
    expect(problems()).toEqual([]);
  });

  /** The rendered size, in CSS pixels, of every text of a chart. */
  async function chartTextSizes(page: Page, testId: string): Promise<number[]> {
    return page.getByTestId(testId).evaluate((figure) =>
      Array.from(figure.querySelectorAll('svg')).flatMap((svg) => {
        const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        return Array.from(svg.querySelectorAll('text')).map(
          (text) => parseFloat(getComputedStyle(text).fontSize) * scale,
        );
      }),
    );
  }

  it('draws readable figures and counts the orders of the hour going on', async () => {
    await setClock(api, '2021-03-01T08:00:00+08:00');
    admin = await adminLogin(api);
    const round = await createRound(api, admin, {
      name: '本小時梯次',
      registrationOpensAt: '2021-03-01T09:00:00+08:00',
      registrationClosesAt: '2021-03-03T20:00:00+08:00',
      paymentOpensAt: '2021-03-04T09:00:00+08:00',
      paymentClosesAt: '2021-03-06T20:00:00+08:00',
      pickupStartsOn: '2021-03-07',
      pickupEndsOn: '2021-03-10',
      supplyPacks: 100,
    });
    const store = await createStore(api, admin);
    const now = new Date('2021-03-01T11:20:00+08:00');
    await setClock(api, now.toISOString());
    admin = await adminLogin(api);
    for (let i = 0; i < 3; i++) {
      const card = await issueCard(api, admin);
      await createOrderInState(app, {
        roundId: round.id,
        personId: card.personId,
        storeId: store.id,
        now,
        state: 'registered',
      });
    }
    for (const [viewport, english] of [
      [DESKTOP, false],
      [PHONE, true],
    ] as const) {
      const { page, problems } = await open(viewport);
      await signIn(page, '/admin');
      if (english) await toEnglish(page);
      await page.getByTestId('stats-round').selectOption(String(round.id));
      const hourly = page.getByTestId('chart-orders-per-hour');
      await expect.poll(() => hourly.locator('rect').count()).toBe(1);
      expect(await hourly.locator('rect title').textContent()).toMatch(/11:00 · .*: 3$/);
      const rows = await hourly.locator('tbody tr').allTextContents();
      expect(rows.at(-1)).toMatch(/^11:003$/);
      for (const chart of ['chart-funnel', 'chart-orders-per-hour']) {
        const sizes = await chartTextSizes(page, chart);
        expect(sizes.length).toBeGreaterThan(0);
        expect(Math.min(...sizes), `${chart} at ${viewport.width}px`).toBeGreaterThanOrEqual(12);
      }
      await shoot(page, `ops-figures-${english ? 'en-phone' : 'desktop'}`);
      await checkA11y(page, `figures ${english ? 'English, phone' : 'desktop'}`);
      expect(problems()).toEqual([]);
      await page.context().close();
    }
  });

  it('says the session expired, keeps the filled-in round form, and creates the round after signing in again', async () => {
    await setClock(api, '2021-04-01T09:00:00+08:00');
    const { page, problems } = await open(DESKTOP, [401]);
    await signIn(page, '/admin/rounds');
    await page.getByText('新增梯次').click();
    const draft = { ...validRound, name: '逾時後仍保留的梯次' };
    await fillRound(page, draft);
    // 25 idle hours of platform time: the operator's session has lapsed.
    await setClock(api, '2021-04-02T10:00:00+08:00');
    await page.getByTestId('create-round').getByRole('button', { name: '新增', exact: true }).click();
    const expired = page.getByTestId('session-expired');
    await expired.waitFor();
    expect(await expired.textContent()).toContain('登入已逾時');
    expect(await expired.textContent()).toContain('剛才輸入的內容都已保留');
    await shoot(page, 'ops-session-expired');
    await checkA11y(page, 'sign-in after expiry');
    await page.getByTestId('admin-password').fill('test-admin-password');
    await page.getByTestId('admin-submit').click();
    await page.getByTestId('session-resumed').waitFor();
    expect(new URL(page.url()).pathname).toBe('/admin/rounds');
    for (const [name, value] of Object.entries(draft)) {
      expect(await page.getByTestId(`round-${name}`).inputValue(), name).toBe(value);
    }
    await page.getByTestId('create-round').getByRole('button', { name: '新增', exact: true }).click();
    await expect
      .poll(() => page.getByTestId('create-round').getByRole('status').textContent())
      .toContain('逾時後仍保留的梯次');
    const rounds = await api.get<{ rounds: { name: string }[] }>('/api/v1/rounds');
    expect(rounds.body.rounds.filter((r) => r.name === draft.name)).toHaveLength(1);
    // Created: the draft is done with; the form starts empty again.
    await page.reload();
    await page.getByText('新增梯次').click();
    expect(await page.getByTestId('round-name').inputValue()).toBe('');
    expect(problems()).toEqual([]);
  });

  it('keeps the draw’s seed through an expired session and runs the draw with it', async () => {
    await setClock(api, '2021-05-01T09:00:00+08:00');
    admin = await adminLogin(api);
    const round = await createRound(api, admin, {
      name: '逾時抽籤梯次',
      registrationOpensAt: '2021-04-20T09:00:00+08:00',
      registrationClosesAt: '2021-04-30T20:00:00+08:00',
      paymentOpensAt: '2021-05-05T09:00:00+08:00',
      paymentClosesAt: '2021-05-08T20:00:00+08:00',
      pickupStartsOn: '2021-05-09',
      pickupEndsOn: '2021-05-12',
      supplyPacks: 10,
    });
    const { page, problems } = await open(PHONE, [401, 404]);
    await signIn(page, '/admin/rounds');
    const seedField = page.getByTestId(`draw-seed-${round.id}`);
    const seed = await seedField.inputValue();
    expect(seed).toMatch(/^[0-9a-f]{32}$/);
    await setClock(api, '2021-05-02T10:00:00+08:00');
    await page.getByTestId(`draw-run-${round.id}`).click();
    await page.getByTestId('session-expired').waitFor();
    await page.getByTestId('admin-password').fill('test-admin-password');
    await page.getByTestId('admin-submit').click();
    await page.getByTestId('session-resumed').waitFor();
    expect(await page.getByTestId(`draw-seed-${round.id}`).inputValue()).toBe(seed);
    await page.getByTestId(`draw-run-${round.id}`).click();
    await page.getByTestId(`draw-result-${round.id}`).waitFor();
    const published = await api.get<{ seed: string }>(`/api/v1/rounds/${round.id}/draw`);
    expect(published.body.seed).toBe(seed);
    await checkA11y(page, 'rounds: drawn after expiry, phone');
    expect(problems()).toEqual([]);
  });
});
