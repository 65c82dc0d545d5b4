// Over 300 lines: one browser walk per counter screen of issue 17 (points 1, 2, 4, 5, 10), each with its checks.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import {
  DESKTOP,
  ensureWebBuilt,
  hasChromium,
  launchBrowser,
  PHONE,
  seriousViolations,
} from './support/browser.js';
import { type DemoPerson, setClock, setUpDemoApp } from './support/scenario.js';

/**
 * The counter screens as citizens, pharmacists and clerks use them (issue 17, points 1, 2, 4, 5,
 * 10): what the screen says after a refusal names what is wrong, and the screen agrees with
 * itself. Each screen is seen in zh-TW at desktop size and in English (the browser's own
 * language, navigator.languages) at phone size, with no console error, no failed request and no
 * serious or critical axe-core violation.
 */
describe.skipIf(!hasChromium)('counter screens', () => {
  beforeAll(() => ensureWebBuilt(), 240_000);
  const scenario = setUpDemoApp();
  const { app, api } = scenario;
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
      // A request the page cancels itself (a component unmounting, a newer load superseding it)
      // is not a failure of the server or the network.
      if (request.failure()?.errorText === 'net::ERR_ABORTED') return;
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

  /** Demo adults with only an NHI card, each handed out once in this file (nothing bought yet). */
  let adultsTaken = 0;
  function demoAdult(): DemoPerson {
    const adults = scenario.demo.people.filter((p) => p.note === 'adult, NHI card only (no phone)');
    const next = adults[adultsTaken];
    adultsTaken += 1;
    if (!next) throw new Error('not enough demo adults');
    return next;
  }

  /** A paid order of a new card holder at a new store, in the pickup window (clock 3/26). */
  async function paidOrderInPickup() {
    await at('2020-03-26T10:00:00+08:00');
    const buyer = await issueCard(api, adminToken, { name: '林代領' });
    const round = await createRound(api, adminToken, { name: '取貨測試梯次' });
    const store = await createStore(api, adminToken, { name: '取貨測試門市' });
    const order = await createOrderInState(app, {
      roundId: round.id,
      personId: buyer.personId,
      storeId: store.id,
      now: new Date('2020-03-20T10:00:00+08:00'),
      state: 'paid',
    });
    return { buyer, store, serial: order.pickupSerial ?? '' };
  }

  async function storeSignIn(page: Page, path: string, store: { id: number; apiKey: string }) {
    await page.goto(path);
    await page.getByTestId('store-signin-id').fill(String(store.id));
    await page.getByTestId('store-signin-key').fill(store.apiKey);
    await page.getByTestId('store-signin-submit').click();
  }

  async function pharmacySignIn(page: Page, pharmacy: { code: string; apiKey: string }) {
    await page.goto('/pharmacy');
    await page.getByTestId('pharmacy-signin-id').fill(pharmacy.code);
    await page.getByTestId('pharmacy-signin-key').fill(pharmacy.apiKey);
    await page.getByTestId('pharmacy-signin-submit').click();
  }

  /** A pharmacy with stock, on a Sunday (every ID may buy). */
  async function pharmacyOnSunday(stock: { adult: number; child: number }) {
    await at('2020-03-15T10:00:00+08:00');
    const pharmacy = await createPharmacy(api, adminToken, { name: '測試藥局' });
    await setPharmacyStock(api, pharmacy, stock);
    return pharmacy;
  }

  /**
   * A person of the demo with a phone line that passes the phone check, with an awaiting-payment
   * order placed on the web and one placed in the app, in two rounds; the clock in the payment window.
   */
  let ordersTaken = 0;
  async function personWithTwoOrders() {
    await at('2020-03-12T10:00:00+08:00');
    const person = scenario.demo.people.filter((p) => p.phone && p.expectedPhoneCheck === 'ok')[ordersTaken];
    ordersTaken += 1;
    if (!person) throw new Error('not enough demo people with a phone');
    const personId = await personIdOf(person.cardNo);
    const store = await createStore(api, adminToken, { name: '帳號測試門市' });
    const webRound = await createRound(api, adminToken, { name: '網路訂單梯次' });
    const appRound = await createRound(api, adminToken, { name: 'App 訂單梯次' });
    const common = { personId, storeId: store.id, now: new Date('2020-03-12T10:00:00+08:00') };
    const phone = person.phone ?? undefined;
    const webOrder = await createOrderInState(app, {
      ...common,
      roundId: webRound.id,
      channel: 'web_card',
      phone,
    });
    const appOrder = await createOrderInState(app, {
      ...common,
      roundId: appRound.id,
      channel: 'app_phone',
      phone,
    });
    await setClock(api, '2020-03-20T10:00:00+08:00');
    return { person, webRound, appRound, webOrder, appOrder };
  }

  /** Web sign-in with the demo card: registers its password the first time. */
  async function webSignIn(page: Page, person: DemoPerson, register: boolean): Promise<void> {
    await page.goto('/emask');
    await insertDemoCard(page, 'signin', person);
    if (register) await page.getByTestId('mode-register').check();
    await page.getByTestId('signin-password').fill('counter-pass-1');
    if (register) await page.getByTestId('signin-confirm').fill('counter-pass-1');
    await page.getByTestId('signin-submit').click();
    await page.getByTestId('citizen-dashboard').waitFor();
  }

  const BANK_ZH = '銀行代碼 004 臺灣銀行';
  const BANK_EN = 'Bank code 004, Bank of Taiwan';

  // ---- point 1: proxy pickup ----

  it('clerk: a wrong proxy document is named as the proxy’s, with the reason; a wrong buyer document as the buyer’s', async () => {
    const { buyer, store, serial } = await paidOrderInPickup();
    const shop = await open('zh-TW');
    const s = shop.page;
    await storeSignIn(s, '/store/clerk', store);
    await s.getByTestId('clerk-serial').fill(serial);
    await s.getByTestId('buyer-doc-number').fill(buyer.nationalId);
    await s.getByTestId('proxy-toggle').check();
    // The proxy shows the buyer's own document again.
    await s.getByTestId('proxy-doc-number').fill(buyer.nationalId);
    await s.getByTestId('clerk-submit').click();
    const form = s.getByTestId('clerk-form');
    await expect.poll(() => errorCode(s, form)).toBe('DOCUMENT_MISMATCH');
    const isBuyer = (await errorTitle(s, form)) ?? '';
    expect(isBuyer).toContain('代領人證件與訂購人證件相同');
    expect(isBuyer).not.toContain('證件與訂購人不符');
    await checkA11y(s, 'clerk: proxy shows the buyer’s document');

    // A proxy's number that is no ID or NHI card number at all.
    await s.getByTestId('proxy-doc-number').fill('Z99');
    await s.getByTestId('clerk-submit').click();
    await expect.poll(() => errorTitle(s, form)).toContain('代領人證件號碼格式不正確');

    // The buyer's document wrong: the message says it is the buyer's.
    await s.getByTestId('buyer-doc-number').fill(randomNationalId());
    await s.getByTestId('clerk-submit').click();
    await expect.poll(() => errorTitle(s, form)).toContain('訂購人證件與訂購人不符');

    // English, phone-sized: the same refusal in English, then a good proxy document hands over.
    const en = await open('en-US');
    const e = en.page;
    await storeSignIn(e, '/store/clerk', store);
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

  // ---- point 2: the POS after a refusal at the moment of sale ----

  it('POS: after a refusal at the sale the verdict, the sell buttons and the stock refresh and agree, and the item is named', async () => {
    const pharmacy = await pharmacyOnSunday({ adult: 3, child: 0 });
    const pos = await open('zh-TW');
    const p = pos.page;
    await pharmacySignIn(p, pharmacy);
    await expect.poll(() => p.getByTestId('stock-adult').textContent()).toBe('3');
    const verdict = p.getByTestId('pos-verdict');
    await insertDemoCard(p, 'pos', demoAdult());
    await expect.poll(() => verdict.getAttribute('data-may-buy')).toBe('true');
    expect(await p.getByTestId('sell-adult').isEnabled()).toBe(true);

    // Behind the screen's back the last adult packs go (another till, a recount)…
    await setPharmacyStock(api, pharmacy, { adult: 0, child: 0 });
    await p.getByTestId('sell-adult').click();
    // … the refusal names the item, and the screen agrees with it: refused, nothing to sell, 0 left.
    const result = p.getByTestId('pos-result');
    await expect.poll(() => errorCode(p, result)).toBe('OUT_OF_STOCK');
    expect(await errorTitle(p, result)).toContain('成人口罩');
    await expect.poll(() => verdict.getAttribute('data-may-buy')).toBe('false');
    expect(await verdict.locator('.notice-title').first().textContent()).toBe('今天不可購買');
    expect(await p.getByTestId('pos-pack-adult').getAttribute('data-allowed')).toBe('false');
    await expect.poll(() => p.getByTestId('stock-adult').textContent()).toBe('0');
    expect(await p.getByTestId('sell-adult').isEnabled()).toBe(false);
    await checkA11y(p, 'POS: refused at the sale');

    // English on a phone: the same refusal, named, and the screen agrees.
    await setPharmacyStock(api, pharmacy, { adult: 3, child: 0 });
    const en = await open('en-US');
    const q = en.page;
    await pharmacySignIn(q, pharmacy);
    await insertDemoCard(q, 'pos', demoAdult());
    await expect.poll(() => q.getByTestId('pos-verdict').getAttribute('data-may-buy')).toBe('true');
    await setPharmacyStock(api, pharmacy, { adult: 0, child: 0 });
    await q.getByTestId('sell-adult').click();
    await expect.poll(() => errorTitle(q, q.getByTestId('pos-result'))).toContain('Adult masks');
    await expect.poll(() => q.getByTestId('pos-verdict').getAttribute('data-may-buy')).toBe('false');
    await expect.poll(() => q.getByTestId('stock-adult').textContent()).toBe('0');
    expect(await q.getByTestId('sell-adult').isEnabled()).toBe(false);
    await checkA11y(q, 'POS, English, phone');
    await done(pos);
    await done(en);
  }, 120_000);

  it('POS: a disabled sell button (the child pack for an adult) looks disabled, not white and bold', async () => {
    const pharmacy = await pharmacyOnSunday({ adult: 30, child: 50 });
    const pos = await open('zh-TW');
    const p = pos.page;
    await pharmacySignIn(p, pharmacy);
    await insertDemoCard(p, 'pos', demoAdult());
    await expect.poll(() => p.getByTestId('pos-verdict').getAttribute('data-may-buy')).toBe('true');
    expect(await p.getByTestId('sell-child').isEnabled()).toBe(false);
    const look = (testId: string) =>
      p.getByTestId(testId).evaluate((el) => {
        const style = getComputedStyle(el);
        return { background: style.backgroundColor, weight: style.fontWeight, cursor: style.cursor };
      });
    const enabled = await look('sell-adult');
    const disabled = await look('sell-child');
    expect(disabled.background).not.toBe('rgb(255, 255, 255)');
    expect(disabled.background).not.toBe(enabled.background);
    expect(Number(disabled.weight)).toBeLessThan(600);
    expect(disabled.cursor).toBe('not-allowed');
    await checkA11y(p, 'POS: may buy an adult pack');
    await done(pos);
  }, 60_000);

  // ---- point 10: smaller ----

  it('POS: a sale reads as a sale ("已售出成人口罩 1 份"), not "可以購買：已售出…"', async () => {
    const pharmacy = await pharmacyOnSunday({ adult: 6, child: 0 });
    const pos = await open('zh-TW');
    const p = pos.page;
    await pharmacySignIn(p, pharmacy);
    await insertDemoCard(p, 'pos', demoAdult());
    await expect.poll(() => p.getByTestId('pos-verdict').getAttribute('data-may-buy')).toBe('true');
    await p.getByTestId('sell-adult').click();
    const result = p.getByTestId('pos-result');
    await expect.poll(() => result.textContent()).toContain('已售出成人口罩 1 份');
    expect(await result.textContent()).not.toContain('可以購買');
    await expect.poll(() => p.getByTestId('stock-adult').textContent()).toBe('3');
    await checkA11y(p, 'POS: sold');

    const en = await open('en-US');
    await pharmacySignIn(en.page, pharmacy);
    await insertDemoCard(en.page, 'pos', demoAdult());
    await expect.poll(() => en.page.getByTestId('pos-verdict').getAttribute('data-may-buy')).toBe('true');
    await en.page.getByTestId('sell-adult').click();
    await expect
      .poll(() => en.page.getByTestId('pos-result').textContent())
      .toContain('Sold: Adult masks, 1 pack');
    await checkA11y(en.page, 'POS: sold, English, phone');
    await done(pos);
    await done(en);
  }, 60_000);

  it('kiosk: a serial typed in lower case (with spaces) prints as the SMS has it', async () => {
    const { store, serial } = await paidOrderInPickup();
    for (const language of ['zh-TW', 'en-US'] as const) {
      const shop = await open(language);
      const s = shop.page;
      await storeSignIn(s, '/store/kiosk', store);
      await s
        .getByTestId('kiosk-serial')
        .fill(` ${serial.slice(0, 4).toLowerCase()} ${serial.slice(4).toLowerCase()}`);
      await s.getByTestId('kiosk-submit').click();
      await s.getByTestId('slip').waitFor();
      expect(await s.getByTestId('slip').locator('code.serial').textContent()).toBe(serial);
      await checkA11y(s, `kiosk slip (${language})`);
      await done(shop);
    }
  }, 60_000);

  it('card sign-in: a refusal of the sign-in goes when the person switches to registering', async () => {
    await at('2020-03-12T10:00:00+08:00');
    const person = demoAdult();
    for (const language of ['zh-TW', 'en-US'] as const) {
      const web = await open(language);
      const w = web.page;
      await w.goto('/emask');
      await insertDemoCard(w, 'signin', person);
      await w.getByTestId('signin-password').fill('not-registered-yet');
      await w.getByTestId('signin-submit').click();
      await expect.poll(() => errorCode(w)).toBe('AUTH_FAILED');
      await w.getByTestId('mode-register').check();
      await expect.poll(() => w.locator('[data-error-code]').count()).toBe(0);
      await checkA11y(w, `card sign-in, register mode (${language})`);
      await done(web);
    }
  }, 60_000);

  it('the demo card reader’s notes are in Chinese on the Chinese screen, in English on the English one', async () => {
    const options = async (page: Page, testId: string) => {
      const select = page.getByTestId(testId).locator('option');
      await expect.poll(() => select.count()).toBeGreaterThan(1);
      return (await select.allTextContents()).join('\n');
    };
    const zh = await open('zh-TW');
    await zh.page.goto('/emask');
    const reader = await options(zh.page, 'signin-card-select');
    expect(reader).toContain('中華電信本人月租型門號（含行動上網）：可通過手機認證');
    expect(reader).toContain('只有健保卡（沒有手機）');
    expect(reader).not.toMatch(/own-name|NHI card only|refused|foreign resident/);
    await zh.page.goto('/app');
    const app = await options(zh.page, 'app-demo-person');
    expect(app).toContain('預付卡門號：手機認證不通過');
    expect(app).not.toMatch(/own-name|refused/);
    await checkA11y(zh.page, 'app sign-in with demo people');

    const en = await open('en-US');
    await en.page.goto('/emask');
    expect(await options(en.page, 'signin-card-select')).toContain('own-name monthly plan');
    await checkA11y(en.page, 'card sign-in, English, phone');
    await done(zh);
    await done(en);
  }, 60_000);

  it('a browser set to English first sees English (navigator.languages); an explicit choice wins and is kept', async () => {
    const en = await open('en-US');
    const e = en.page;
    await e.goto('/');
    await expect.poll(() => e.evaluate(() => document.documentElement.lang)).toBe('en');
    await e.goto('/emask');
    await expect.poll(() => e.getByRole('heading', { level: 1 }).textContent()).toBe('eMask pre-order');
    await e.getByTestId('lang-switch').click();
    await expect.poll(() => e.getByRole('heading', { level: 1 }).textContent()).toBe('口罩預購系統');
    await e.reload();
    await expect.poll(() => e.getByRole('heading', { level: 1 }).textContent()).toBe('口罩預購系統');
    await checkA11y(e, 'sign-in, chosen Chinese in an English browser');
    // A Chinese browser still starts in Chinese.
    const zh = await open('zh-TW');
    await zh.page.goto('/emask');
    await expect.poll(() => zh.page.getByRole('heading', { level: 1 }).textContent()).toBe('口罩預購系統');
    await done(en);
    await done(zh);
  }, 60_000);

  it('the app says who is signed in (name and masked ID)', async () => {
    await at('2020-03-12T10:00:00+08:00');
    const person = scenario.demo.people
      .filter((p) => p.phone && p.expectedPhoneCheck === 'ok')
      .at(-1) as DemoPerson;
    // phoneAuth reads the card's number and the ID only.
    const bound = await phoneAuth(api, { cardNo: person.cardNo, nationalId: person.nationalId } as TestCard, {
      phone: person.phone ?? '',
    });
    for (const language of ['zh-TW', 'en-US'] as const) {
      const phone = await open(language, PHONE);
      await phone.context.addInitScript(
        ([token, deviceId]) =>
          sessionStorage.setItem('session.app', JSON.stringify({ token, deviceId: Number(deviceId) })),
        [bound.token, String(bound.deviceId)],
      );
      await phone.page.goto('/app');
      await phone.page.getByTestId('app-tile-preorder').waitFor();
      await expect
        .poll(() => phone.page.getByTestId('app-signed-in-as').textContent())
        .toBe(
          language === 'zh-TW'
            ? `已登入：${person.name}（${person.nationalIdMasked}）`
            : `Signed in: ${person.name} (${person.nationalIdMasked})`,
        );
      await checkA11y(phone.page, `app menu (${language})`);
      await done(phone);
    }
  }, 60_000);

  // ---- point 5: the bank beside the personal account ----

  it('the personal account comes with its bank code and name: my orders, the look-up, the app', async () => {
    const { person, webRound, appRound, webOrder, appOrder } = await personWithTwoOrders();
    const web = await open('zh-TW');
    const w = web.page;
    await webSignIn(w, person, true);
    await w.goto('/emask/orders');
    const webCard = w.getByTestId(`order-${webRound.id}`);
    await expect.poll(() => webCard.getAttribute('data-status')).toBe('awaiting_payment');
    expect(await webCard.getByTestId('virtual-account').textContent()).toBe(webOrder.virtualAccount);
    expect(await webCard.getByTestId('virtual-account-bank').textContent()).toBe(BANK_ZH);
    await checkA11y(w, 'my orders with the bank');

    await w.goto('/emask/lookup');
    await w.getByTestId('lookup-id').fill(person.nationalId);
    await w.getByTestId('lookup-last3').fill((person.phone ?? '').slice(-3));
    await w.getByTestId('lookup-submit').click();
    const looked = w.getByTestId(`order-${appRound.id}`);
    await expect.poll(() => looked.getByTestId('virtual-account-bank').textContent()).toBe(BANK_ZH);
    expect(await looked.getByTestId('virtual-account').textContent()).toBe(appOrder.virtualAccount);
    await checkA11y(w, 'look-up with the bank');

    // The app, in English on a phone.
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
    const inApp = a.getByTestId(`order-${appRound.id}`);
    await expect.poll(() => inApp.getByTestId('virtual-account-bank').textContent()).toBe(BANK_EN);
    expect(await inApp.getByTestId('virtual-account').textContent()).toBe(appOrder.virtualAccount);
    await checkA11y(a, 'app pre-order, English, phone');

    // The look-up in English.
    await a.goto('/emask/lookup');
    await a.getByTestId('lookup-id').fill(person.nationalId);
    await a.getByTestId('lookup-last3').fill((person.phone ?? '').slice(-3));
    await a.getByTestId('lookup-submit').click();
    await expect
      .poll(() => a.getByTestId(`order-${webRound.id}`).getByTestId('virtual-account-bank').textContent())
      .toBe(BANK_EN);
    await checkA11y(a, 'look-up, English, phone');
    await done(web);
    await done(en);
  }, 120_000);

  // ---- point 4: an app order on the web ----

  it('an order placed in the app shows "ATM only" with the bank and account on the web, not a card form', async () => {
    const { person, webRound, appRound, appOrder } = await personWithTwoOrders();
    const web = await open('zh-TW');
    const w = web.page;
    await webSignIn(w, person, true);
    await w.goto('/emask/orders');
    const webCard = w.getByTestId(`order-${webRound.id}`);
    const appCard = w.getByTestId(`order-${appRound.id}`);
    await expect.poll(() => webCard.getAttribute('data-status')).toBe('awaiting_payment');
    // The web order may be paid by card; the app order may not, and says where to transfer to.
    expect(await webCard.getByTestId('pay-card-number').count()).toBe(1);
    expect(await appCard.getByTestId('pay-card-number').count()).toBe(0);
    const atmOnly = appCard.getByTestId('atm-only');
    expect(await atmOnly.textContent()).toContain('只能以 ATM 轉帳付款');
    expect(await atmOnly.textContent()).toContain(BANK_ZH);
    expect(await atmOnly.textContent()).toContain(appOrder.virtualAccount ?? 'no account');
    await checkA11y(w, 'my orders: ATM only');

    const en = await open('en-US');
    const e = en.page;
    await webSignIn(e, person, false);
    await e.goto('/emask/orders');
    const enAppCard = e.getByTestId(`order-${appRound.id}`);
    await expect.poll(() => enAppCard.getByTestId('atm-only').textContent()).toContain('ATM transfer only');
    expect(await enAppCard.getByTestId('atm-only').textContent()).toContain(BANK_EN);
    expect(await enAppCard.getByTestId('pay-card-number').count()).toBe(0);
    expect(await e.getByTestId(`order-${webRound.id}`).getByTestId('pay-card-number').count()).toBe(1);
    await checkA11y(e, 'my orders: ATM only, English, phone');
    await done(web);
    await done(en);
  }, 120_000);
});
