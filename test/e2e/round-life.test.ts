// Over 300 lines: one browser journey whose steps depend on the state the earlier ones left.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureWebBuilt,
  hasChromium,
  launchBrowser,
  newPage,
  PHONE,
  seriousViolations,
  shoot,
} from './support/browser.js';
import { type DemoData, type DemoPerson, setClock, setUpDemoApp } from './support/scenario.js';

const ADMIN_PASSWORD = 'test-admin-password';

/**
 * The life of a round in a real browser, through the built UI served by the app itself:
 * sign in with a demo NHI card (signed in the page with WebCrypto Ed25519), order, the operator
 * draws, pay by card, the kiosk prints the slip, the clerk hands over, the purchase record shows
 * it. Plus the pharmacy POS's eligibility check before a sale, the app flows and accessibility
 * checks on every screen seen.
 */
describe.skipIf(!hasChromium)('web UI end to end', () => {
  // Built before the app starts: the app serves the build it finds at its start.
  beforeAll(() => ensureWebBuilt(), 240_000);
  const scenario = setUpDemoApp();
  const { app, api } = scenario;
  let demo: DemoData;
  let browser: Browser;
  const axeFindings: Record<string, unknown[]> = {};

  beforeAll(async () => {
    demo = scenario.demo;
    browser = await launchBrowser();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
  });

  async function checkA11y(page: Page, screen: string): Promise<void> {
    const violations = await seriousViolations(page);
    if (violations.length > 0) axeFindings[screen] = violations;
    expect(violations, `${screen}: ${JSON.stringify(violations, null, 1)}`).toEqual([]);
  }

  async function insertCard(page: Page, prefix: string, person: DemoPerson): Promise<void> {
    await page.getByTestId(`${prefix}-card-select`).selectOption(person.cardNo);
    await page.getByTestId(`${prefix}-insert`).click();
    await expect.poll(() => page.getByTestId(`${prefix}-inserted`).textContent()).toContain(person.cardNo);
  }

  /** Sign in with card + password (sessions lapse after 24 idle hours of platform time). */
  async function signInOnWeb(page: Page, person: DemoPerson, password: string): Promise<void> {
    await page.goto('/emask');
    await insertCard(page, 'signin', person);
    await page.getByTestId('signin-password').fill(password);
    await page.getByTestId('signin-submit').click();
    await page.getByTestId('citizen-dashboard').waitFor();
  }

  async function adminSignIn(page: Page): Promise<void> {
    await page.goto('/admin');
    await page.getByTestId('admin-password').fill(ADMIN_PASSWORD);
    await page.getByTestId('admin-submit').click();
    await page.getByTestId('stats-kpis').waitFor();
  }

  async function registerOnWeb(page: Page, person: DemoPerson, password: string): Promise<void> {
    await page.goto('/emask');
    await insertCard(page, 'signin', person);
    await page.getByTestId('mode-register').check();
    await page.getByTestId('signin-password').fill(password);
    await page.getByTestId('signin-confirm').fill(password);
    await page.getByTestId('signin-submit').click();
    await page.getByTestId('citizen-dashboard').waitFor();
  }

  it('goes through a whole round: order, draw, payment, slip, collection, purchase record', async () => {
    const person = demo.people.find((p) => p.phone && p.expectedPhoneCheck === 'ok') as DemoPerson;
    const store = demo.stores.find((s) => s.city === '臺北市') ?? demo.stores[0];
    if (!store) throw new Error('no demo store');
    await setClock(api, '2020-03-12T09:30:00+08:00');

    // --- the citizen registers the card, then signs in with the password ---
    const citizen = await newPage(browser, app.url);
    const c = citizen.page;
    await c.goto('/');
    await c.getByRole('heading', { level: 1 }).waitFor();
    await shoot(c, '01-home');
    await checkA11y(c, 'home');
    await c.goto('/emask');
    await c.getByTestId('signin-card-select').waitFor();
    await shoot(c, '02-emask-signin');
    await checkA11y(c, 'emask sign-in');
    await registerOnWeb(c, person, 'correct-horse-1');
    await c.getByTestId('signout').click();
    await insertCard(c, 'signin', person);
    await c.getByTestId('signin-password').fill('wrong-password');
    await c.getByTestId('signin-submit').click();
    await expect
      .poll(() => c.locator('[data-error-code]').getAttribute('data-error-code'))
      .toBe('AUTH_FAILED');
    await c.getByTestId('signin-password').fill('correct-horse-1');
    await c.getByTestId('signin-submit').click();
    await c.getByTestId('citizen-dashboard').waitFor();
    expect(await c.getByTestId('citizen-dashboard').textContent()).toContain(person.name);
    await checkA11y(c, 'emask dashboard');

    // --- rounds with their timeline; order round 1 at a chosen store ---
    await c.goto('/emask/rounds');
    await c.getByTestId('order-round-1').click();
    await c.getByTestId('store-city').selectOption(store.city);
    await c.getByTestId('store-search').fill(store.storeNo);
    await c.getByTestId(`store-option-${store.id}`).check();
    await c.getByTestId('order-phone').fill(person.phone ?? '');
    await c.getByTestId('order-email').fill(person.email);
    await checkA11y(c, 'order form');
    await c.getByTestId('order-submit').click();
    await c.getByTestId('order-placed').waitFor();
    await shoot(c, '03-emask-order');

    // --- registration closes; the operator runs the draw in the console ---
    await setClock(api, '2020-03-18T20:30:00+08:00');
    const operator = await newPage(browser, app.url);
    const o = operator.page;
    await o.goto('/admin');
    await o.getByTestId('admin-password').waitFor();
    await checkA11y(o, 'admin login');
    await adminSignIn(o);
    await o.goto('/admin/rounds');
    await o.getByTestId('draw-seed-1').fill('5eed0001');
    await o.getByTestId('draw-run-1').click();
    await o.getByTestId('draw-result-1').waitFor();
    expect(await o.getByTestId('draw-result-1').getByTestId('draw-selected').textContent()).toBe('1');
    await shoot(o, '13-admin-rounds-draw');
    await checkA11y(o, 'admin rounds');

    // --- payment window: the order shows the personal account and the deadline; pay by card ---
    await setClock(api, '2020-03-19T10:00:00+08:00');
    // A week of platform time later the session has lapsed: the site asks to sign in again.
    await c.goto('/emask/orders');
    await c.getByTestId('signin-card-select').waitFor();
    await signInOnWeb(c, person, 'correct-horse-1');
    await c.goto('/emask/orders');
    const order = c.getByTestId('order-1');
    await expect.poll(() => order.getAttribute('data-status')).toBe('awaiting_payment');
    expect(await order.getByTestId('virtual-account').textContent()).toMatch(/^\d{16}$/);
    expect(await order.getByTestId('pay-by').textContent()).toMatch(/3月25日/);
    await c.getByTestId('pay-card-number').fill('4000 0000 0000 0002');
    await c.getByTestId('pay-expiry').fill('12/25');
    await c.getByTestId('pay-cvc').fill('123');
    await c.getByTestId('pay-holder').fill('王大明');
    await c.getByTestId('pay-submit').click();
    await expect
      .poll(() => c.locator('[data-error-code]').first().getAttribute('data-error-code'))
      .toBe('CARD_DECLINED');
    await shoot(c, '04-emask-pay');
    await checkA11y(c, 'orders and payment');
    await c.getByTestId('pay-fill-demo').click();
    await c.getByTestId('pay-submit').click();
    await expect.poll(() => order.getAttribute('data-status')).toBe('paid');
    const serial = (await order.getByTestId('pickup-serial').textContent())?.trim() ?? '';
    expect(serial).not.toBe('');

    // --- the look-up without signing in finds it by ID + last 3 phone digits ---
    const lookup = await newPage(browser, app.url);
    await lookup.page.goto('/emask/lookup');
    await lookup.page.getByTestId('lookup-id').fill(person.nationalId);
    await lookup.page.getByTestId('lookup-last3').fill((person.phone ?? '').slice(-3));
    await lookup.page.getByTestId('lookup-submit').click();
    await expect.poll(() => lookup.page.getByTestId('order-1').getAttribute('data-status')).toBe('paid');
    await shoot(lookup.page, '05-emask-lookup');
    await checkA11y(lookup.page, 'order lookup');

    // --- pickup: the kiosk prints the slip, the clerk checks the ID and hands over ---
    await setClock(api, '2020-03-26T10:00:00+08:00');
    const shop = await newPage(browser, app.url);
    const s = shop.page;
    await s.goto('/store/kiosk');
    await s.getByTestId('store-signin-demo').selectOption(String(store.id));
    await s.getByTestId('store-signin-submit').click();
    await s.getByTestId('kiosk-serial').fill(serial);
    await s.getByTestId('kiosk-submit').click();
    await s.getByTestId('slip').waitFor();
    expect(await s.getByTestId('slip-buyer').textContent()).not.toContain(person.name);
    await shoot(s, '10-kiosk-slip');
    await checkA11y(s, 'kiosk slip');
    await s.emulateMedia({ media: 'print' });
    expect(await s.locator('.site-header').isVisible()).toBe(false);
    expect(await s.getByTestId('slip').isVisible()).toBe(true);
    await s.emulateMedia({ media: 'screen' });

    await s.goto('/store/clerk');
    await s.getByTestId('clerk-serial').fill(serial);
    await s.getByTestId('buyer-doc-type').selectOption('id_card');
    await s.getByTestId('buyer-doc-number').fill('A123456789');
    await s.getByTestId('clerk-submit').click();
    await expect
      .poll(() => s.locator('[data-error-code]').first().getAttribute('data-error-code'))
      .toBe('DOCUMENT_MISMATCH');
    await s.getByTestId('buyer-doc-number').fill(person.nationalId);
    await s.getByTestId('clerk-submit').click();
    await s.getByTestId('handed-over').waitFor();
    // A damaged pack is exchanged at the counter the same day, the serial carried over.
    expect(await s.getByTestId('exchange-serial').inputValue()).toBe(serial);
    await s.getByTestId('exchange-submit').click();
    await expect.poll(() => s.getByTestId('exchange-form').textContent()).toContain('已更換 1 包');
    await shoot(s, '11-clerk');
    await checkA11y(s, 'clerk');

    // --- the purchase record shows the collection and the next eligible date ---
    await c.goto('/emask/purchases');
    await c.getByTestId('signin-card-select').waitFor();
    await signInOnWeb(c, person, 'correct-horse-1');
    await c.goto('/emask/purchases');
    await c.getByTestId('purchases-table').waitFor();
    expect(await c.getByTestId('purchases-table').textContent()).toContain('網路預購');
    expect(await c.getByTestId('next-eligible').textContent()).toContain('4月2日');
    await shoot(c, '06-emask-purchases');
    await checkA11y(c, 'purchase record');

    // --- the operator's live figures reflect it ---
    await adminSignIn(o);
    await o.getByTestId('stats-round').selectOption('1');
    await expect.poll(() => o.getByTestId('stats-kpis').textContent()).toMatch(/已取貨\s*1/);
    await shoot(o, '12-admin-stats');
    await checkA11y(o, 'admin stats');

    for (const p of [citizen, operator, lookup, shop]) {
      expect(p.errors).toEqual([]);
      await p.context.close();
    }
  }, 240_000);

  it('the POS shows at once, before any sale, whether the card holder may buy and why not, with the date or the weekdays', async () => {
    // 2020-03-14 is a Saturday: even last digits buy on Tue/Thu/Sat.
    await setClock(api, '2020-03-14T10:00:00+08:00');
    const even = demo.people.find(
      (p) => p.lastDigitParity === 'even' && !p.note.includes('child'),
    ) as DemoPerson;
    const odd = demo.people.find((p) => p.lastDigitParity === 'odd' && p.key !== even.key) as DemoPerson;
    const pharmacy = demo.pharmacies[0];
    if (!pharmacy) throw new Error('no demo pharmacy');
    const purchasesOf = async (person: DemoPerson) => {
      const [row] = await app.sql<{ n: number }[]>`
        select count(*)::int as n from purchases p join cards c on c.person_id = p.person_id
        where c.card_no = ${person.cardNo}`;
      return row?.n;
    };
    const pos = await newPage(browser, app.url);
    const p = pos.page;
    await p.goto('/pharmacy');
    await checkA11y(p, 'pharmacy sign-in');
    await p.getByTestId('pharmacy-signin-demo').selectOption(pharmacy.code);
    await p.getByTestId('pharmacy-signin-submit').click();
    await p.getByTestId('set-adult').fill('300');
    await p.getByTestId('set-child').fill('100');
    await p.getByTestId('set-stock').click();
    await expect.poll(() => p.getByTestId('stock-adult').textContent()).toBe('300');

    // Reading the card checks at once: an adult may buy an adult pack today, not a child pack.
    const verdict = p.getByTestId('pos-verdict');
    const reasons = p.getByTestId('pos-reasons').locator('[data-reason-code]');
    await insertCard(p, 'pos', even);
    await expect.poll(() => verdict.getAttribute('data-may-buy')).toBe('true');
    expect(await verdict.locator('.notice-title').first().textContent()).toBe('可購買');
    expect(await p.getByTestId('pos-pack-adult').getAttribute('data-allowed')).toBe('true');
    expect(await p.getByTestId('pos-pack-child').getAttribute('data-allowed')).toBe('false');
    expect(await p.getByTestId('sell-adult').isEnabled()).toBe(true);
    expect(await p.getByTestId('sell-child').isEnabled()).toBe(false);
    expect(await reasons.first().getAttribute('data-reason-code')).toBe('CHILD_ITEM_NOT_ALLOWED');
    await checkA11y(p, 'pharmacy POS, may buy');

    await p.getByTestId('sell-adult').click();
    await expect.poll(() => p.getByTestId('pos-result').textContent()).toContain('3月21日');
    await expect.poll(() => p.getByTestId('stock-adult').textContent()).toBe('297');
    expect(await purchasesOf(even)).toBe(1);

    // The same card read again: the check refuses with the date, and nothing can be sold.
    await p.getByText('退出卡片').click();
    await insertCard(p, 'pos', even);
    await expect.poll(() => verdict.getAttribute('data-may-buy')).toBe('false');
    expect(await verdict.locator('.notice-title').first().textContent()).toBe('今天不可購買');
    // every reason, in the check order: the child pack's age limit, then the 7-day rule with its date
    expect(await reasons.evaluateAll((els) => els.map((e) => e.getAttribute('data-reason-code')))).toEqual([
      'CHILD_ITEM_NOT_ALLOWED',
      'NOT_YET_ELIGIBLE',
    ]);
    expect(await reasons.nth(1).textContent()).toContain('下次可購買日：2020年3月21日');
    expect(await p.getByTestId('pos-pack-adult').textContent()).toContain('未滿 7 天');
    expect(await p.getByTestId('sell-adult').isEnabled()).toBe(false);
    expect(await p.getByTestId('sell-child').isEnabled()).toBe(false);
    // ... before any sale was attempted: no refused sale on screen, still one purchase
    expect(await p.getByTestId('pos-result').locator('[data-error-code]').count()).toBe(0);
    expect(await purchasesOf(even)).toBe(1);
    await shoot(p, '09-pos-refusal');
    await checkA11y(p, 'pharmacy POS');

    // An odd ID on a Saturday: the wrong day, with the weekdays it may buy on.
    await p.getByText('退出卡片').click();
    await insertCard(p, 'pos', odd);
    await expect.poll(() => reasons.first().getAttribute('data-reason-code')).toBe('WRONG_DAY_FOR_ID');
    expect(await verdict.getAttribute('data-may-buy')).toBe('false');
    expect(await p.getByTestId('pos-reasons').textContent()).toMatch(/星期一.*星期三.*星期五/);
    expect(await p.getByTestId('sell-adult').isEnabled()).toBe(false);
    expect(await purchasesOf(odd)).toBe(0);
    expect(pos.errors).toEqual([]);
    await pos.context.close();
  }, 120_000);

  it('binds the app by phone number and by device code, signs later logins with the device key', async () => {
    await setClock(api, '2020-03-25T09:00:00+08:00');
    const phoneOwner = demo.people.filter((x) => x.phone && x.expectedPhoneCheck === 'ok')[3] as DemoPerson;
    const refused = demo.people.find((x) => x.expectedPhoneCheck === 'PHONE_PREPAID') as DemoPerson;

    const phone = await newPage(browser, app.url, PHONE);
    const a = phone.page;
    await a.goto('/app');
    await a.getByTestId('app-demo-person').selectOption(refused.cardNo);
    await a.getByTestId('app-password').fill('app-secret-1');
    await a.getByTestId('app-phone-submit').click();
    await expect
      .poll(() => a.locator('[data-error-code]').getAttribute('data-error-code'))
      .toBe('PHONE_PREPAID');
    expect(await a.locator('[data-error-code]').textContent()).toContain('裝置碼');
    await shoot(a, '07a-app-phone-refused');
    await checkA11y(a, 'app sign-in');

    await a.getByTestId('app-demo-person').selectOption(phoneOwner.cardNo);
    await a.getByTestId('app-password').fill('app-secret-1');
    await a.getByTestId('app-phone-submit').click();
    await a.getByTestId('app-tile-preorder').click();
    await a.getByTestId('store-city').selectOption('臺北市');
    await a.locator('[data-testid^="store-option-"]').first().check();
    await a.getByTestId('order-phone').fill(phoneOwner.phone ?? '');
    await a.getByTestId('order-email').fill(phoneOwner.email);
    await a.getByTestId('order-submit').click();
    await a.getByTestId('order-placed').waitFor();
    await shoot(a, '08-app-preorder');
    await checkA11y(a, 'app pre-order');

    // A new visit: the session is gone, the device key in IndexedDB signs the challenge.
    await a.evaluate(() => sessionStorage.clear());
    await a.goto('/app/record');
    await a.getByTestId('device-login').click();
    await a.getByTestId('next-eligible').waitFor();
    await checkA11y(a, 'app purchase record');
    const stored = await a.evaluate(
      () =>
        new Promise<{ extractable: boolean; type: string }>((resolve, reject) => {
          const open = indexedDB.open('emask-app');
          open.onsuccess = () => {
            const get = open.result.transaction('device').objectStore('device').get('current');
            get.onsuccess = () => {
              const key = (get.result as { keyPair: CryptoKeyPair }).keyPair.privateKey;
              resolve({ extractable: key.extractable, type: key.algorithm.name });
            };
            get.onerror = () => reject(get.error);
          };
          open.onerror = () => reject(open.error);
        }),
    );
    expect(stored).toEqual({ extractable: false, type: 'Ed25519' });

    // A citizen digital certificate (simulated MOICA card) signs the web sign-in challenge.
    const certHolder = demo.people.find((x) => x.note.includes('NHI card only')) as DemoPerson;
    const cert = await newPage(browser, app.url);
    await cert.page.goto('/emask');
    await cert.page.getByTestId('tab-certificate').click();
    await cert.page.getByTestId('certificate-national-id').fill(certHolder.nationalId);
    await cert.page.getByTestId('certificate-issue').click();
    await cert.page.getByTestId('certificate-held').waitFor();
    await checkA11y(cert.page, 'certificate sign-in');
    await cert.page.getByTestId('certificate-login').click();
    await cert.page.getByTestId('citizen-dashboard').waitFor();
    expect(await cert.page.getByTestId('citizen-dashboard').textContent()).toContain(certHolder.name);
    expect(cert.errors).toEqual([]);
    await cert.context.close();

    // A foreign resident without a usable number: device code from the web, typed into the app.
    const foreigner = demo.people.find((x) => x.note.includes('foreign resident') && !x.phone) as DemoPerson;
    const web = await newPage(browser, app.url);
    await registerOnWeb(web.page, foreigner, 'foreign-pass-1');
    await web.page.goto('/emask/device');
    await web.page.getByTestId('device-generate').click();
    const code = (await web.page.getByTestId('device-code-digits').textContent())?.trim() ?? '';
    expect(code).toMatch(/^\d{8}$/);
    expect(await web.page.locator('.qr svg').count()).toBe(1);
    await shoot(web.page, '14-device-code');
    await checkA11y(web.page, 'device code');

    const phone2 = await newPage(browser, app.url, PHONE);
    await phone2.page.goto('/app');
    await phone2.page.getByTestId('app-tab-code').click();
    await phone2.page.getByTestId('app-code').fill(code);
    await phone2.page.getByTestId('app-code-submit').click();
    await phone2.page.getByTestId('app-tile-preorder').waitFor();
    await shoot(phone2.page, '07b-app-menu');
    await checkA11y(phone2.page, 'app menu');
    // The code is single use.
    const phone3 = await newPage(browser, app.url, PHONE);
    await phone3.page.goto('/app');
    await phone3.page.getByTestId('app-tab-code').click();
    await phone3.page.getByTestId('app-code').fill(code);
    await phone3.page.getByTestId('app-code-submit').click();
    await expect
      .poll(() => phone3.page.locator('[data-error-code]').getAttribute('data-error-code'))
      .toBe('DEVICE_CODE_EXPIRED');

    for (const p of [phone, web, phone2, phone3]) {
      expect(p.errors).toEqual([]);
      await p.context.close();
    }
  }, 180_000);

  it('switches to English and remembers it; open data, partners and clock screens pass axe', async () => {
    const visit = await newPage(browser, app.url);
    const v = visit.page;
    await v.goto('/open-data');
    await v.getByTestId('taiwan-map').waitFor();
    await expect.poll(() => v.locator('.pharmacy-dot').count()).toBeGreaterThan(50);
    const everywhere = await v.locator('.pharmacy-dot').count();
    await v.getByTestId('od-city').selectOption('臺北市');
    await expect.poll(() => v.locator('.pharmacy-dot').count()).toBeLessThan(everywhere);
    expect(await v.locator('.pharmacy-dot').count()).toBeGreaterThan(0);
    expect(await v.getByTestId('csv-link').getAttribute('href')).toBe('/api/v1/open-data/pharmacy-stock.csv');
    await shoot(v, '15-open-data-map');
    await checkA11y(v, 'open data');

    await v.getByTestId('lang-switch').click();
    await expect
      .poll(() => v.getByRole('heading', { level: 1 }).textContent())
      .toBe('Mask map and open data');
    expect(await v.evaluate(() => document.documentElement.lang)).toBe('en');
    await v.goto('/emask');
    await expect.poll(() => v.getByRole('heading', { level: 1 }).textContent()).toBe('eMask pre-order');
    await shoot(v, '16-english');
    await checkA11y(v, 'English sign-in');
    await v.reload();
    await expect.poll(() => v.getByRole('heading', { level: 1 }).textContent()).toBe('eMask pre-order');
    // Refusals are translated too.
    await v.goto('/admin');
    await v.getByTestId('admin-password').fill('not-the-password');
    await v.getByTestId('admin-submit').click();
    await expect
      .poll(() => v.locator('[data-error-code]').textContent())
      .toContain('Wrong username or password.');
    await v.getByTestId('lang-switch').click();
    await expect.poll(() => v.getByRole('heading', { level: 1 }).textContent()).toBe('管理後台');
    await adminSignIn(v);
    await v.goto('/admin/partners');
    await v.getByTestId('partner-pharmacy-code').fill('9999999999');
    await v.getByTestId('partner-pharmacy-name').fill('測試藥局');
    await v.getByTestId('partner-pharmacy-address').fill('臺北市中正區測試路1號');
    await v.getByTestId('partner-pharmacy-phone').fill('02-12345678');
    await v.getByTestId('partner-pharmacy-submit').click();
    await expect.poll(() => v.getByTestId('partner-secret').inputValue()).toMatch(/^pk_pharmacy_/);
    await shoot(v, '17-admin-partners');
    await checkA11y(v, 'admin partners');
    await v.goto('/admin/clock');
    await v.getByTestId('clock-now').waitFor();
    await checkA11y(v, 'admin clock');
    await v.goto('/admin/rounds');
    await v.getByText('新增梯次').click();
    const form = v.getByTestId('create-round');
    await form.getByLabel('名稱').fill('第3期網路預購');
    await form.getByLabel('登記開始').fill('2020-04-08T08:00');
    await form.getByLabel('登記截止').fill('2020-04-10T20:00');
    await form.getByLabel('繳費開始').fill('2020-04-11T08:00');
    await form.getByLabel('繳費截止').fill('2020-04-13T20:00');
    await form.getByLabel('取貨首日').fill('2020-04-16');
    await form.getByLabel('取貨末日').fill('2020-04-22');
    await form.getByLabel('供應份數').fill('1000000');
    await form.getByRole('button', { name: '新增' }).click();
    await v.getByTestId('admin-round-3').waitFor();
    const created = await api.get<{ rounds: { id: number; registrationOpensAt: string }[] }>(
      '/api/v1/rounds',
    );
    expect(created.body.rounds.find((r) => r.id === 3)?.registrationOpensAt).toBe(
      '2020-04-08T08:00:00+08:00',
    );

    await v.goto('/admin/stores');
    const closeButton = v.locator('[data-testid^="close-store-"]').first();
    const closedId = Number((await closeButton.getAttribute('data-testid'))?.replace('close-store-', ''));
    await checkA11y(v, 'admin stores');
    await closeButton.click();
    await v.getByRole('button', { name: '確認停業' }).click();
    await expect.poll(() => v.getByRole('status').first().textContent()).toContain('已移轉');
    const stores = await api.get<{ stores: { id: number; open: boolean }[] }>('/api/v1/stores?limit=1000');
    expect(stores.body.stores.find((x) => x.id === closedId)?.open).toBe(false);
    expect(visit.errors).toEqual([]);
    await visit.context.close();
  }, 120_000);
});
