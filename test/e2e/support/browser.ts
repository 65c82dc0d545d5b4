import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const webSources = [path.join(repoRoot, 'web'), path.join(repoRoot, 'src/rules/address.ts')];
const builtIndex = path.join(repoRoot, 'dist/web/index.html');
/**
 * Screenshots go to docs/screenshots only when asked (`SCREENSHOTS=docs npx vitest run test/e2e`),
 * so an ordinary test run never rewrites files of the repository; otherwise to a temp folder.
 */
export const screenshotsDir =
  process.env.SCREENSHOTS === 'docs'
    ? path.join(repoRoot, 'docs/screenshots')
    : path.join(os.tmpdir(), 'rationing-e2e-screenshots');

/** Debian's Chromium (PLATFORM-NOTES.md "Browser tests"); CHROMIUM_PATH overrides. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(chromiumPath);
if (!hasChromium) {
  console.warn(
    `[e2e] Skipping browser tests: no Chromium at ${chromiumPath}. ` +
      'Install it with `apt-get install -y chromium fonts-noto-cjk` (CI does) or set CHROMIUM_PATH.',
  );
}

function newestMtime(target: string): number {
  const info = statSync(target);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of readdirSync(target)) {
    if (entry === 'node_modules') continue;
    newest = Math.max(newest, newestMtime(path.join(target, entry)));
  }
  return newest;
}

/**
 * Builds the web UI once when dist/web is missing or older than its sources. A lock directory
 * keeps two test files from building at the same time.
 */
export function ensureWebBuilt(): void {
  const stale = () =>
    !existsSync(builtIndex) || statSync(builtIndex).mtimeMs < Math.max(...webSources.map(newestMtime));
  if (!stale()) return;
  const lock = path.join(os.tmpdir(), 'rationing-web-build.lock');
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) rmSync(lock, { recursive: true, force: true });
      execFileSync('sleep', ['1']);
    }
  }
  try {
    if (stale()) {
      execFileSync(
        process.execPath,
        [
          path.join(repoRoot, 'node_modules/vite/bin/vite.js'),
          'build',
          '--config',
          'web/vite.config.ts',
          '--logLevel',
          'warn',
        ],
        {
          cwd: repoRoot,
          stdio: 'inherit',
        },
      );
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 390, height: 844 };

/** A fresh browser profile (its own storage): one per person or partner in a scenario. */
export async function newPage(
  browser: Browser,
  baseURL: string,
  viewport = DESKTOP,
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ baseURL, viewport, locale: 'zh-TW', timezoneId: 'Asia/Taipei' });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return { context, page, errors };
}

export async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotsDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotsDir, `${name}.png`), fullPage: true });
}

let axeScript: string | undefined;
function axeSource(): string {
  axeScript ??= readFileSync(path.join(repoRoot, 'node_modules/axe-core/axe.min.js'), 'utf8');
  return axeScript;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** Runs axe-core (WCAG 2 A/AA rules) on the page; returns the serious and critical violations. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  const hasAxe = await page.evaluate(() => 'axe' in window);
  // Evaluated through the DevTools protocol, not as a <script>: the app's CSP (script-src 'self')
  // stays on during the tests.
  if (!hasAxe) await page.evaluate(axeSource());
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run: (ctx: Document, opts: object) => Promise<{ violations: AxeViolation[] }> };
      }
    ).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target })),
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
