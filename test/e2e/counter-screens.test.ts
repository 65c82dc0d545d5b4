import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../support/app.js';
import {
  adminLogin,
  createOrderInState,
  createPharmacy,
  createRound,
  createStore,
  issueCard,
  phoneAuth,
  randomNationalId,
  setPharmacyStock,
  type TestCard,
} from '../support/factories.js';
import type { Client } from '../support/http.js';
import {
  DESKTOP,
  ensureWebBuilt,
  hasChromium,
  launchBrowser,
  PHONE,
  seriousViolations,
} from './support/browser.js';
import { type DemoData, type DemoPerson, setClock, startDemoApp } from './support/scenario.js';

/**
 * The counter screens as citizens, pharmacists and clerks use them (issue 17, points 1, 2, 4, 5,
 * 10): what the screen says after a refusal names what is wrong, and the screen agrees with
 * itself. Each screen is seen in zh-TW at desktop size and in English (the browser's own
 * language, navigator.languages) at phone size, with no console error, no failed request and no
 * serious or critical axe-core violation.
 */
describe.skipIf(!hasChromium)('counter screens', () => {
  let app: TestApp;
  let api: Client;
  let demo: DemoData;
  let browser: Browser;
  let adminToken: string;
  const opened: Watched[] = [];

  interface Watched {
    context: BrowserContext;
    page: Page;
    /** Page errors, console errors, failed requests and 5xx answers: all must stay empty. */
    problems: string[];
  }

  beforeAll(async () => {
    ensureWebBuilt();
    ({ app, demo, api } = await startDemoApp());
    browser = await launchBrowser();
  }, 240_000);

  /** The clock moves between tests and an operator's session lapses: sign in after setting it. */
  async function at(iso: string): Promise<void> {
    await setClock(api, iso);
    adminToken = await adminLogin(api);
  }

  afterAll(async () => {
    for (const w of opened) await w.context.close().catch(() => undefined);
    await browser?.close();
    await app?.close();
  });

  /**
   * A fresh browser profile in the given language and size. A refusal the test provokes is an
   * answer (4xx), which Chromium also logs to the console as "Failed to load resource": those
   * lines are the refusals under test, everything else counts as a problem.
   */
  async function open(
    language: 'zh-TW' | 'en-US',
    viewport = language === 'zh-TW' ? DESKTOP : PHONE,
  ): Promise<Watched> {
    const context = await browser.newContext({
      baseURL: app.url,
      viewport,
      locale: language,
      timezoneId: 'Asia/Taipei',
    });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      if (/Failed to load resource: the server responded with a status of 4\d\d/.test(message.text())) return;
      problems.push(`console: ${message.text()}`);
    });
    page.on('requestfailed', (request) => {
      problems.push(`request failed: ${request.method()} ${request.url()} ${request.failure()?.errorText}`);
    });
    page.on('response', (response) => {
      if (response.status() >= 500) problems.push(`${response.status()}: ${response.url()}`);
    });
    const watched = { context, page, problems };
    opened.push(watched);
    return watched;
  }

  async function checkA11y(page: Page, screen: string): Promise<void> {
    const violations = await seriousViolations(page);
    expect(violations, `${screen}: ${JSON.stringify(violations, null, 1)}`).toEqual([]);
  }

  async function done(w: Watched): Promise<void> {
    expect(w.problems).toEqual([]);
    await w.context.close();
  }

  async function insertDemoCard(page: Page, prefix: string, person: DemoPerson): Promise<void> {
    await page.getByTestId(`${prefix}-card-select`).selectOption(person.cardNo);
    await page.getByTestId(`${prefix}-insert`).click();
    await expect.poll(() => page.getByTestId(`${prefix}-inserted`).textContent()).toContain(person.cardNo);
  }

  const errorCode = (page: Page, within = page.locator('body')) =>
    within.locator('[data-error-code]').first().getAttribute('data-error-code');
  const errorTitle = (page: Page, within = page.locator('body')) =>
    within.locator('[data-error-code] .notice-title').first().textContent();

  async function personIdOf(cardNo: string): Promise<number> {
    const [row] = await app.sql<{ personId: number }[]>`
      select person_id as "personId" from cards where card_no = ${cardNo}`;
    if (!row) throw new Error(`no card ${cardNo}`);
    return row.personId;
  }

  /** Two adults of the demo with nothing bought yet, for the till. */
  function demoAdults(count: number, offset = 0): DemoPerson[] {
    const adults = demo.people.filter((p) => p.note === 'adult, NHI card only (no phone)');
    return adults.slice(offset, offset + count);
  }

  it('proxy pickup: the clerk is told that the proxy’s document is wrong, and why; the kiosk prints the serial in capitals', async () => {
    await at('2020-03-26T10:00:00+08:00');
    const buyer = await issueCard(api, adminToken, { name: '林代領' });
    const round = await createRound(api, adminToken, { name: '代領測試梯次' });
    const store = await createStore(api, adminToken, { name: '代領測試門市' });
    const now = new Date('2020-03-20T10:00:00+08:00');
    const order = await createOrderInState(app.sql, {
      roundId: round.id,
      personId: buyer.personId,
      storeId: store.id,
      now,
      state: 'paid',
    });
    const serial = order.pickupSerial ?? '';

    const shop = await open('zh-TW');
    const s = shop.page;
    await s.goto('/store/kiosk');
    await s.getByTestId('store-signin-id').fill(String(store.id));
    await s.getByTestId('store-signin-key').fill(store.apiKey);
    await s.getByTestId('store-signin-submit').click();
    // The buyer types the serial of the SMS in lower case: the slip prints it as the SMS has it.
    await s.getByTestId('kiosk-serial').fill(serial.toLowerCase());
    await s.getByTestId('kiosk-submit').click();
    await s.getByTestId('slip').waitFor();
    expect(await s.getByTestId('slip').locator('code.serial').textContent()).toBe(serial);
    await checkA11y(s, 'kiosk slip');

    await s.goto('/store/clerk');
    await s.getByTestId('clerk-serial').fill(serial);
    await s.getByTestId('buyer-doc-number').fill(buyer.nationalId);
    await s.getByTestId('proxy-toggle').check();
    // The proxy shows the buyer's own document again.
    await s.getByTestId('proxy-doc-number').fill(buyer.nationalId);
    await s.getByTestId('clerk-submit').click();
    const form = s.getByTestId('clerk-form');
    await expect.poll(() => errorCode(s, form)).toBe('DOCUMENT_MISMATCH');
    const isBuyer = (await errorTitle(s, form)) ?? '';
    expect(isBuyer).toContain('代領人證件');
    expect(isBuyer).toContain('訂購人證件相同');
    expect(isBuyer).not.toContain('證件與訂購人不符');
    await checkA11y(s, 'clerk: proxy shows the buyer’s document');

    // A proxy's number that is no ID or NHI card number at all.
    await s.getByTestId('proxy-doc-number').fill('Z99');
    await s.getByTestId('clerk-submit').click();
    await expect.poll(() => errorTitle(s, form)).toContain('代領人證件號碼格式不正確');

    // The buyer's own document wrong: the message says it is the buyer's.
    await s.getByTestId('buyer-doc-number').fill(randomNationalId());
    await s.getByTestId('clerk-submit').click();
    await expect.poll(() => errorTitle(s, form)).toContain('訂購人證件與訂購人不符');

    // English, phone-sized: the same refusal in English, then a good proxy document hands over.
    const en = await open('en-US');
    const e = en.page;
    await e.goto('/store/clerk');
    await e.getByTestId('store-signin-id').fill(String(store.id));
    await e.getByTestId('store-signin-key').fill(store.apiKey);
    await e.getByTestId('store-signin-submit').click();
    await e.getByTestId('clerk-serial').fill(serial);
    await e.getByTestId('buyer-doc-number').fill(buyer.nationalId);
    await e.getByTestId('proxy-toggle').check();
    await e.getByTestId('proxy-doc-number').fill(buyer.nationalId);
    await e.getByTestId('clerk-submit').click();
    await expect
      .poll(() => errorTitle(e, e.getByTestId('clerk-form')))
      .toContain("The proxy's document is the buyer's own");
    await checkA11y(e, 'clerk, English, phone');
    await e.getByTestId('proxy-doc-number').fill(randomNationalId());
    await e.getByTestId('clerk-submit').click();
    await e.getByTestId('handed-over').waitFor();
    expect(await e.getByTestId('handed-over').textContent()).toContain(serial);
    await done(shop);
    await done(en);
  }, 120_000);

  it('POS: after a refusal at the moment of sale the verdict, the buttons and the stock refresh and agree; a disabled button looks disabled', async () => {
    // A Sunday: every ID may buy.
    await at('2020-03-15T10:00:00+08:00');
    const pharmacy = await createPharmacy(api, adminToken, { name: '售完測試藥局' });
    await setPharmacyStock(api, pharmacy, { adult: 6, child: 0 });
    const [first, second, third] = demoAdults(3);
    if (!first || !second || !third) throw new Error('not enough demo adults');

    const pos = await open('zh-TW');
    const p = pos.page;
    await p.goto('/pharmacy');
    await p.getByTestId('pharmacy-signin-id').fill(pharmacy.code);
    await p.getByTestId('pharmacy-signin-key').fill(pharmacy.apiKey);
    await p.getByTestId('pharmacy-signin-submit').click();
    await expect.poll(() => p.getByTestId('stock-adult').textContent()).toBe('6');

    // A sale that goes through, in plain words.
    const verdict = p.getByTestId('pos-verdict');
    await insertDemoCard(p, 'pos', first);
    await expect.poll(() => verdict.getAttribute('data-may-buy')).toBe('true');
    await p.getByTestId('sell-adult').click();
    const result = p.getByTestId('pos-result');
    await expect.poll(() => result.textContent()).toContain('已售出成人口罩 1 份');
    expect(await result.textContent()).not.toContain('可以購買');
    await expect.poll(() => p.getByTestId('stock-adult').textContent()).toBe('3');

    // The next buyer may buy an adult pack; the child pack is refused and its button looks it.
    await p.getByText('退出卡片').click();
    await insertDemoCard(p, 'pos', second);
    await expect.poll(() => verdict.getAttribute('data-may-buy')).toBe('true');
    expect(await p.getByTestId('sell-adult').isEnabled()).toBe(true);
    expect(await p.getByTestId('sell-child').isEnabled()).toBe(false);
    const look = (testId: string) =>
      p.getByTestId(testId).evaluate((el) => {
        const style = getComputedStyle(el);
        return { background: style.backgroundColor, weight: style.fontWeight, cursor: style.cursor };
      });
    const enabledAdult = await look('sell-adult');
    const disabledChild = await look('sell-child');
    expect(disabledChild.background).not.toBe('rgb(255, 255, 255)');
    expect(disabledChild.background).not.toBe(enabledAdult.background);
    expect(Number(disabledChild.weight)).toBeLessThan(600);
    expect(disabledChild.cursor).toBe('not-allowed');
    await checkA11y(p, 'POS: may buy');

    // Behind the screen's back the last adult packs go (another till, a recount)…
    await setPharmacyStock(api, pharmacy, { adult: 0, child: 0 });
    await p.getByTestId('sell-adult').click();
    // … the refusal names the item, and the screen agrees with it: refused, nothing to sell, 0 left.
    await expect.poll(() => errorCode(p, result)).toBe('OUT_OF_STOCK');
    expect(await errorTitle(p, result)).toContain('成人口罩');
    await expect.poll(() => verdict.getAttribute('data-may-buy')).toBe('false');
    expect(await p.getByTestId('pos-pack-adult').getAttribute('data-allowed')).toBe('false');
    expect(await p.getByTestId('pos-verdict').locator('.notice-title').first().textContent()).toBe(
      '今天不可購買',
    );
    await expect.poll(() => p.getByTestId('stock-adult').textContent()).toBe('0');
    expect(await p.getByTestId('sell-adult').isEnabled()).toBe(false);
    expect(await look('sell-adult')).toEqual(disabledChild);
    await checkA11y(p, 'POS: refused at the sale');

    // English on a phone: the same refusal, named.
    await setPharmacyStock(api, pharmacy, { adult: 3, child: 0 });
    const en = await open('en-US');
    const q = en.page;
    await q.goto('/pharmacy');
    await q.getByTestId('pharmacy-signin-id').fill(pharmacy.code);
    await q.getByTestId('pharmacy-signin-key').fill(pharmacy.apiKey);
    await q.getByTestId('pharmacy-signin-submit').click();
    await insertDemoCard(q, 'pos', third);
    await expect.poll(() => q.getByTestId('pos-verdict').getAttribute('data-may-buy')).toBe('true');
    await setPharmacyStock(api, pharmacy, { adult: 0, child: 0 });
    await q.getByTestId('sell-adult').click();
    await expect.poll(() => errorTitle(q, q.getByTestId('pos-result'))).toContain('Adult masks');
    await expect.poll(() => q.getByTestId('pos-verdict').getAttribute('data-may-buy')).toBe('false');
    expect(await q.getByTestId('sell-adult').isEnabled()).toBe(false);
    await checkA11y(q, 'POS, English, phone');
    await done(pos);
    await done(en);
  }, 120_000);

  it('card sign-in: a stale refusal goes when the mode changes; the demo reader’s notes are in the screen’s language', async () => {
    await setClock(api, '2020-03-12T10:00:00+08:00');
    const person = demoAdults(1, 5)[0];
    if (!person) throw new Error('no demo adult');
    const web = await open('zh-TW');
    const w = web.page;
    await w.goto('/emask');
    await expect.poll(() => w.getByTestId('signin-card-select').locator('option').count()).toBeGreaterThan(1);
    const options = await w.getByTestId('signin-card-select').locator('option').allTextContents();
    const own = options.find((o) => o.includes('中華電信')) ?? '';
    expect(own).toContain('本人月租型門號');
    expect(options.join('\n')).not.toMatch(/own-name monthly plan|NHI card only|refused/);

    await insertDemoCard(w, 'signin', person);
    await w.getByTestId('signin-password').fill('not-registered-yet');
    await w.getByTestId('signin-submit').click();
    await expect.poll(() => errorCode(w)).toBe('AUTH_FAILED');
    await w.getByTestId('mode-register').check();
    await expect.poll(() => w.locator('[data-error-code]').count()).toBe(0);
    await checkA11y(w, 'card sign-in, register mode');

    const en = await open('en-US');
    await en.page.goto('/emask');
    await expect
      .poll(() => en.page.getByTestId('signin-card-select').locator('option').count())
      .toBeGreaterThan(1);
    await expect.poll(() => en.page.getByRole('heading', { level: 1 }).textContent()).toBe('eMask pre-order');
    const englishOptions = await en.page
      .getByTestId('signin-card-select')
      .locator('option')
      .allTextContents();
    expect(englishOptions.join('\n')).toContain('own-name monthly plan');
    await checkA11y(en.page, 'card sign-in, English, phone');
    // An explicit choice wins over the browser's language, and is kept.
    await en.page.getByTestId('lang-switch').click();
    await expect.poll(() => en.page.getByRole('heading', { level: 1 }).textContent()).toBe('口罩預購系統');
    await en.page.reload();
    await expect.poll(() => en.page.getByRole('heading', { level: 1 }).textContent()).toBe('口罩預購系統');
    await done(web);
    await done(en);
  }, 120_000);

  it('the personal account comes with its bank code and name on every screen; an app order shows "ATM only" instead of the card form', async () => {
    await at('2020-03-12T10:00:00+08:00');
    const person = demo.people.find((p) => p.phone && p.expectedPhoneCheck === 'ok') as DemoPerson;
    const personId = await personIdOf(person.cardNo);
    const store = await createStore(api, adminToken, { name: '帳號測試門市' });
    const webRound = await createRound(api, adminToken, { name: '網路訂單梯次' });
    const appRound = await createRound(api, adminToken, { name: 'App 訂單梯次' });
    const now = new Date('2020-03-12T10:00:00+08:00');
    const webOrder = await createOrderInState(app.sql, {
      roundId: webRound.id,
      personId,
      storeId: store.id,
      now,
      channel: 'web_card',
      phone: person.phone ?? undefined,
    });
    const appOrder = await createOrderInState(app.sql, {
      roundId: appRound.id,
      personId,
      storeId: store.id,
      now,
      channel: 'app_phone',
      phone: person.phone ?? undefined,
    });
    await setClock(api, '2020-03-20T10:00:00+08:00');

    // --- the web, signed in with the card ---
    const web = await open('zh-TW');
    const w = web.page;
    await w.goto('/emask');
    await insertDemoCard(w, 'signin', person);
    await w.getByTestId('mode-register').check();
    await w.getByTestId('signin-password').fill('bank-code-1');
    await w.getByTestId('signin-confirm').fill('bank-code-1');
    await w.getByTestId('signin-submit').click();
    await w.getByTestId('citizen-dashboard').waitFor();
    await w.goto('/emask/orders');
    const webCard = w.getByTestId(`order-${webRound.id}`);
    const appCard = w.getByTestId(`order-${appRound.id}`);
    await expect.poll(() => webCard.getAttribute('data-status')).toBe('awaiting_payment');
    expect(await webCard.getByTestId('virtual-account').textContent()).toBe(webOrder.virtualAccount);
    expect(await webCard.getByTestId('virtual-account-bank').textContent()).toBe('銀行代碼 004 臺灣銀行');
    expect(await webCard.getByTestId('pay-card-number').count()).toBe(1);
    // The app order: no card form to fill in and be refused, but where to transfer to.
    expect(await appCard.getByTestId('virtual-account-bank').textContent()).toBe('銀行代碼 004 臺灣銀行');
    expect(await appCard.getByTestId('pay-card-number').count()).toBe(0);
    const atmOnly = appCard.getByTestId('atm-only');
    expect(await atmOnly.textContent()).toContain('只能以 ATM 轉帳付款');
    expect(await atmOnly.textContent()).toContain('銀行代碼 004 臺灣銀行');
    expect(await atmOnly.textContent()).toContain(appOrder.virtualAccount ?? 'no account');
    await checkA11y(w, 'my orders: bank and ATM only');

    // --- the look-up, without signing in ---
    await w.goto('/emask/lookup');
    await w.getByTestId('lookup-id').fill(person.nationalId);
    await w.getByTestId('lookup-last3').fill((person.phone ?? '').slice(-3));
    await w.getByTestId('lookup-submit').click();
    await expect
      .poll(() => w.getByTestId(`order-${appRound.id}`).getByTestId('virtual-account-bank').textContent())
      .toBe('銀行代碼 004 臺灣銀行');
    await checkA11y(w, 'look-up with the bank');

    // --- the app, in English on a phone: who is signed in, the bank beside the account ---
    // phoneAuth reads the card's number and the ID only.
    const bound = await phoneAuth(api, { cardNo: person.cardNo, nationalId: person.nationalId } as TestCard, {
      phone: person.phone ?? '',
    });
    const en = await open('en-US');
    await en.context.addInitScript(
      ([token, deviceId]) =>
        sessionStorage.setItem('session.app', JSON.stringify({ token, deviceId: Number(deviceId) })),
      [bound.token, String(bound.deviceId)],
    );
    const a = en.page;
    await a.goto('/app/preorder');
    await expect
      .poll(() => a.getByTestId('app-signed-in-as').textContent())
      .toBe(`Signed in: ${person.name} (${person.nationalIdMasked})`);
    const inApp = a.getByTestId(`order-${appRound.id}`);
    await expect
      .poll(() => inApp.getByTestId('virtual-account-bank').textContent())
      .toBe('Bank code 004, Bank of Taiwan');
    expect(await inApp.getByTestId('virtual-account').textContent()).toBe(appOrder.virtualAccount);
    await checkA11y(a, 'app pre-order, English, phone');
    await a.goto('/app/record');
    await expect.poll(() => a.getByTestId('app-signed-in-as').textContent()).toContain(person.name);
    await checkA11y(a, 'app record, English, phone');

    // --- my orders on the web, in English on a phone ---
    await a.goto('/emask');
    await insertDemoCard(a, 'signin', person);
    await a.getByTestId('signin-password').fill('bank-code-1');
    await a.getByTestId('signin-submit').click();
    await a.getByTestId('citizen-dashboard').waitFor();
    await a.goto('/emask/orders');
    const enAppCard = a.getByTestId(`order-${appRound.id}`);
    await expect.poll(() => enAppCard.getByTestId('atm-only').textContent()).toContain('ATM transfer only');
    expect(await enAppCard.getByTestId('atm-only').textContent()).toContain('Bank code 004, Bank of Taiwan');
    expect(await enAppCard.getByTestId('pay-card-number').count()).toBe(0);
    expect(await a.getByTestId(`order-${webRound.id}`).getByTestId('pay-card-number').count()).toBe(1);
    await checkA11y(a, 'my orders, English, phone');
    await done(web);
    await done(en);
  }, 180_000);
});
