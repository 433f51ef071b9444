/**
 * Browser test harness: a real Siyu HTTP server on an embedded test database, serving the
 * built console, and Debian's Chromium driven by playwright-core (never a downloaded browser).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { after, before, describe } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { loadHarnessEnv, projectRoot } from '../../src/platform/config.ts';
import type { Database } from '../../src/platform/db/database.ts';
import { createTestDatabase } from '../../src/platform/db/testing.ts';
import type { Siyu } from '../../src/composition.ts';
import { startTestSiyu, TEST_PASSWORD } from '../support/app.ts';

export { TEST_PASSWORD };

const harness = loadHarnessEnv();

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Why the browser suites cannot run here, or false when they can. With
 * SIYU_REQUIRE_ALL_TARGETS=1 a missing browser is not a reason to skip: the suite runs and fails.
 */
export function browserSkipReason(): string | false {
  if (fs.existsSync(harness.chromiumPath) || harness.requireAllTargets) return false;
  return `Chromium not found at ${harness.chromiumPath} (set SIYU_CHROMIUM): browser tests skipped`;
}

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(harness.chromiumPath)) {
    throw new Error(`Chromium not found at ${harness.chromiumPath}; install Debian's chromium or set SIYU_CHROMIUM`);
  }
  return chromium.launch({ executablePath: harness.chromiumPath, headless: true, args: CHROMIUM_ARGS });
}

export interface ConsoleServer {
  siyu: Siyu;
  database: Database;
  app: FastifyInstance;
  baseUrl: string;
  close(): Promise<void>;
}

/** Starts the API server, with the built console, on a random local port. */
export async function startConsoleServer(): Promise<ConsoleServer> {
  const index = path.join(projectRoot, 'web', 'dist', 'index.html');
  if (!fs.existsSync(index)) {
    throw new Error('The console is not built (web/dist/index.html is missing); run `npm run build:web`');
  }
  const database = await createTestDatabase('embedded');
  const siyu = await startTestSiyu(database);
  const app = await siyu.createHttp();
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return {
    siyu,
    database,
    app,
    baseUrl: `http://127.0.0.1:${port}`,
    close: async () => {
      await app.close();
      await siyu.jobs.stop();
      await database.close();
    },
  };
}

/** A fresh browser context (own cookies and storage) with a page. */
export async function newPage(browser: Browser, baseUrl: string): Promise<{ context: BrowserContext; page: Page }> {
  // Reduced motion: the console opens dialogs without animation, so a click never lands on a
  // dialog still sliding in (test/browser/motion.test.ts checks the console honours it).
  const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1440, height: 900 }, locale: 'zh-CN', reducedMotion: 'reduce' });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return { context, page };
}

/** Signs in through the login page and waits for the shell. */
export async function signInThroughUi(page: Page, email: string, password = TEST_PASSWORD, pathAfter = '/'): Promise<void> {
  await page.goto(pathAfter === '/' ? '/login' : `/login?next=${encodeURIComponent(pathAfter)}`);
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('user-menu').waitFor();
}

/** Waits until the locator shows `expected`, then returns its text; fails with what it showed instead. */
export async function expectText(locator: Locator, expected: string | RegExp, timeout = 10_000): Promise<string> {
  try {
    await locator.filter({ hasText: expected }).first().waitFor({ state: 'visible', timeout });
  } catch {
    const actual = await locator.first().innerText({ timeout: 1000 }).catch(() => '(not found)');
    assert.fail(`expected ${String(locator)} to show ${String(expected)}, it shows: ${actual}`);
  }
  return locator.filter({ hasText: expected }).first().innerText();
}

/** Waits until the locator matches nothing visible (a closed modal, a hidden button). */
export async function expectHidden(locator: Locator, timeout = 10_000): Promise<void> {
  await locator.first().waitFor({ state: 'hidden', timeout });
  assert.equal(await locator.filter({ visible: true }).count(), 0, `${String(locator)} is still visible`);
}

/** Retries a check of server-side state until it passes (the UI may answer before the write lands). */
export async function eventually<T>(check: () => Promise<T>, timeout = 10_000): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

export interface BrowserSuite {
  server(): ConsoleServer;
  browser(): Browser;
  /**
   * Runs `body` with a fresh page (own cookies and storage) and closes it afterwards; on
   * failure a screenshot goes to .test-output/browser/<name>.png.
   */
  withPage(name: string, body: (page: Page) => Promise<void>): Promise<void>;
}

/** `describe('[browser] name')` with a server and a browser for the whole suite. */
export function describeBrowser(name: string, body: (suite: BrowserSuite) => void): void {
  describe(`[browser] ${name}`, { skip: browserSkipReason() }, () => {
    let server: ConsoleServer | undefined;
    let browser: Browser | undefined;
    before(async () => {
      browser = await launchBrowser();
      server = await startConsoleServer();
    });
    after(async () => {
      await browser?.close();
      await server?.close();
    });
    const suite: BrowserSuite = {
      server: () => server ?? assert.fail('server not started'),
      browser: () => browser ?? assert.fail('browser not started'),
      withPage: async (pageName, run) => {
        const { context, page } = await newPage(suite.browser(), suite.server().baseUrl);
        // What the page met on the way, told with a failure: a flaky step is then explained by
        // the run that failed instead of needing one that fails again.
        const seen: string[] = [];
        page.on('response', (res) => {
          if (res.status() >= 400) seen.push(`${res.status()} ${res.request().method()} ${new URL(res.url()).pathname}${new URL(res.url()).search}`);
        });
        page.on('requestfailed', (req) => seen.push(`failed ${req.method()} ${new URL(req.url()).pathname}: ${req.failure()?.errorText ?? ''}`));
        page.on('console', (msg) => {
          if (msg.type() === 'error') seen.push(`console: ${msg.text()}`);
        });
        page.on('pageerror', (error) => seen.push(`page error: ${error.message}`));
        try {
          await run(page);
        } catch (err) {
          const dir = path.join(projectRoot, '.test-output', 'browser');
          fs.mkdirSync(dir, { recursive: true });
          await page.screenshot({ path: path.join(dir, `${pageName.replace(/[^\w-]+/g, '-')}.png`) }).catch(() => {});
          if (err instanceof Error && seen.length) err.message += `\nthe page met (last 20): ${seen.slice(-20).join(' | ')}`;
          throw err;
        } finally {
          await context.close();
        }
      },
    };
    body(suite);
  });
}
