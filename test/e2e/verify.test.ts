import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newMessageReference } from '../../src/notifications/reference.js';
import { setClock } from '../support/factories.js';
import { setUpTestApp } from '../support/fixture.js';
import { orderWithMessages, type ReceivedMessage } from '../support/messages.js';
import {
  ensureWebBuilt,
  hasChromium,
  launchBrowser,
  newPage,
  PHONE,
  seriousViolations,
  shoot,
} from './support/browser.js';

/**
 * 查證訊息 (/verify) in a real browser, through the built UI the app serves: reached from the
 * footer link every page has, it confirms the pickup SMS and the selection e-mail a real order
 * received (their references read from the simulated outbox) and warns about a made-up one, in
 * Chinese and English, with no serious or critical axe-core violation.
 */
describe.skipIf(!hasChromium)('message verification page', () => {
  // Built before the app starts: the app serves the build it finds at its start.
  beforeAll(() => ensureWebBuilt(), 240_000);
  const app = setUpTestApp();
  const api = app.api;
  let browser: Browser;
  let phone: string;
  let email: string;
  let sms: ReceivedMessage;
  let mail: ReceivedMessage;

  beforeAll(async () => {
    ({ phone, email, sms, mail } = await orderWithMessages(app, api));
    await setClock(api, '2020-03-20T09:00:00+08:00');
    browser = await launchBrowser();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
  });

  async function checkA11y(page: Page, screen: string): Promise<void> {
    const violations = await seriousViolations(page);
    expect(violations, `${screen}: ${JSON.stringify(violations, null, 1)}`).toEqual([]);
  }

  async function check(page: Page, reference: string, recipient: string): Promise<void> {
    await page.getByLabel('查證碼', { exact: true }).fill(reference);
    await page.getByLabel('收到訊息的手機號碼或電子郵件地址').fill(recipient);
    await page.getByRole('button', { name: '查證', exact: true }).click();
  }

  it('is linked from the footer, confirms a real SMS and e-mail, and warns about a fake reference', async () => {
    const { page, errors } = await newPage(browser, app.url);
    await page.goto('/emask/lookup');
    await page.getByTestId('footer-verify').click();
    await page.getByRole('heading', { level: 1, name: '查證訊息' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/verify');
    const never = page.getByTestId('verify-never');
    expect(await never.textContent()).toContain('打電話給您');
    expect(await never.textContent()).toContain('以簡訊要求您匯款或轉帳');
    expect(await never.textContent()).toContain('寄送付款連結');
    expect(await page.getByTestId('verify-hotline').textContent()).toBe('165 反詐騙諮詢專線');
    expect(await page.getByTestId('verify-hotline').getAttribute('href')).toBe('tel:165');
    const live = page.getByTestId('verify-result');
    expect(await live.getAttribute('aria-live')).toBe('polite');
    await checkA11y(page, 'verify: empty');

    // The pickup SMS, pasted as a person might: lower case, the phone number with dashes.
    await check(
      page,
      sms.reference.toLowerCase(),
      `${phone.slice(0, 4)}-${phone.slice(4, 7)}-${phone.slice(7)}`,
    );
    const genuine = live.getByTestId('verify-genuine');
    await genuine.waitFor();
    expect(await genuine.textContent()).toContain('這則訊息確實由本平台寄出');
    expect(await live.getByTestId('verify-channel').textContent()).toBe('簡訊');
    expect(await live.getByTestId('verify-summary').textContent()).toContain('付款完成');
    expect(await genuine.locator('time').getAttribute('datetime')).toBe(sms.sentAt);
    expect(await genuine.textContent()).toContain('10:30');
    await shoot(page, '18-verify-genuine');
    await checkA11y(page, 'verify: genuine');

    // The selection e-mail, with the address it came to.
    await check(page, mail.reference, email.toUpperCase());
    await expect.poll(() => live.getByTestId('verify-channel').textContent()).toBe('電子郵件');

    // A made-up reference (right shape, never sent): a clear warning and what to do.
    await check(page, newMessageReference(), phone);
    const fake = live.getByTestId('verify-not-genuine');
    await fake.waitFor();
    expect(await live.getByTestId('verify-genuine').count()).toBe(0);
    expect(await fake.textContent()).toContain('這則訊息很可能不是本平台寄出的');
    expect(await fake.textContent()).toContain('165');
    await shoot(page, '19-verify-fake');
    await checkA11y(page, 'verify: not genuine');

    // Not a reference at all: the refusal in plain words, not a verdict.
    await check(page, 'abc', phone);
    await expect
      .poll(() => page.locator('[data-error-code]').getAttribute('data-error-code'))
      .toBe('VALIDATION_FAILED');
    expect(errors).toEqual([]);
  });

  it('speaks English too, on a phone-sized screen', async () => {
    const { page, errors } = await newPage(browser, app.url, PHONE);
    await page.goto('/verify');
    await page.getByTestId('lang-switch').click();
    await page.getByRole('heading', { level: 1, name: 'Verify a message' }).waitFor();
    await page.getByLabel('Reference (查證碼)').fill(sms.reference);
    await page.getByLabel('Phone number or e-mail address the message came to').fill(`+886${phone.slice(1)}`);
    await page.getByRole('button', { name: 'Verify', exact: true }).click();
    await page.getByTestId('verify-genuine').waitFor();
    expect(await page.getByTestId('verify-genuine').textContent()).toContain(
      'This message really was sent by the platform',
    );
    expect(await page.getByTestId('verify-hotline').textContent()).toBe('165 anti-fraud hotline');
    await checkA11y(page, 'verify: English, phone');
    expect(errors).toEqual([]);
  });
});
