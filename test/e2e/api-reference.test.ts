import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUpTestApp } from '../support/fixture.js';
import {
  DESKTOP,
  hasChromium,
  launchBrowser,
  newPage,
  PHONE,
  seriousViolations,
  shoot,
} from './support/browser.js';

/**
 * The API documentation (/docs) as partners' developers read it, in a real browser: every
 * operation of the contract on one page with no serious or critical axe-core violation, at
 * desktop and phone size, and the raw document (/docs/json) titled and in a language.
 */
describe.skipIf(!hasChromium)('API reference at /docs', () => {
  const app = setUpTestApp();
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  for (const [size, viewport] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    it(`lists the contract's operations with no serious accessibility violation (${size})`, async () => {
      const { page, errors } = await newPage(browser, app.url, viewport);
      const failed: string[] = [];
      page.on('requestfailed', (r) => failed.push(r.url()));
      page.on('response', (r) => {
        if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
      });
      const consoleErrors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') consoleErrors.push(m.text());
      });
      await page.goto('/docs');
      await expect(page.title()).resolves.toMatch(/^API reference/);
      await page.getByRole('heading', { level: 3, name: /POST \/api\/v1\/orders\/lookup/ }).waitFor();
      await page
        .getByRole('heading', {
          level: 3,
          name: /PUT \/api\/v1\/pharmacies\/\{code\}\/sales|POST \/api\/v1\/pharmacies\/\{code\}\/sales/,
        })
        .waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      if (size === 'desktop') await shoot(page, 'api-reference');
      // The raw document, as a browser shows it: a page with a title and a language.
      await page.getByRole('link', { name: '/docs/json' }).click();
      await page.waitForURL('**/docs/json');
      await expect(page.title()).resolves.toMatch(/^OpenAPI document/);
      expect(await page.locator('html').getAttribute('lang')).toBe('en');
      expect(await seriousViolations(page)).toEqual([]);
      expect({ errors, consoleErrors, failed }).toEqual({ errors: [], consoleErrors: [], failed: [] });
    }, 60_000);
  }
});
