import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import { TEST_PASSWORD, TestUser } from '../utils/factories';
import { createTestApp, TestApp } from '../utils/test-app';

/**
 * Browser tests of the web application: Debian's Chromium driven by playwright-core against the
 * real app on a real port, serving the page built from web/ (built here when dist/web is missing
 * or older than its sources, so `npm test` on a fresh clone works).
 */
export const ROOT = join(__dirname, '..', '..');
export const ARTIFACTS = join(ROOT, 'test', 'artifacts');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const WEB_DIST_INDEX = join(ROOT, 'dist', 'web', 'index.html');

function newestMtime(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(s.mtimeMs, ...readdirSync(path).map((n) => newestMtime(join(path, n))));
}

export function ensureWebBuilt(): void {
  const sources = Math.max(newestMtime(join(ROOT, 'web', 'src')), newestMtime(join(ROOT, 'web', 'index.html')), newestMtime(join(ROOT, 'web', 'vite.config.mts')));
  if (existsSync(WEB_DIST_INDEX) && statSync(WEB_DIST_INDEX).mtimeMs >= sources) return;
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'web/vite.config.mts', '--logLevel', 'error'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
  });
  if (r.status !== 0 || !existsSync(WEB_DIST_INDEX)) throw new Error(`vite build failed: ${r.stdout}${r.stderr}`);
}

export interface BrowserEnv {
  t: TestApp;
  browser: Browser;
  base: string;
}

export async function startBrowserEnv(): Promise<BrowserEnv> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium fonts-noto-cjk`);
  ensureWebBuilt();
  mkdirSync(ARTIFACTS, { recursive: true });
  const [t, browser] = await Promise.all([
    createTestApp({ workers: false }),
    chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    }),
  ]);
  await t.app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
  return { t, browser, base };
}

export interface OpenPage {
  context: BrowserContext;
  page: Page;
  /** Uncaught errors and console errors other than failed loads (CSP violations included). */
  errors: string[];
}

export async function openPage(env: BrowserEnv, options: { width?: number; height?: number; locale?: string } = {}): Promise<OpenPage> {
  const context = await env.browser.newContext({
    viewport: { width: options.width ?? 1280, height: options.height ?? 900 },
    acceptDownloads: true,
    locale: options.locale ?? 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    // A fetch answered 404 (an operation of another part not in this build) is logged as a failed load; that is not a page error.
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) errors.push(m.text());
  });
  return { context, page, errors };
}

export async function login(page: Page, base: string, user: TestUser, path = '/'): Promise<void> {
  await page.goto(`${base}${path}`);
  await page.waitForSelector('#login-form');
  await page.fill('input[name=username]', user.username);
  await page.fill('input[name=password]', TEST_PASSWORD);
  await page.click('[data-testid=login-submit]');
  await page.waitForSelector('[data-testid=who]');
}

export async function shot(page: Page, name: string): Promise<void> {
  // A dialog that is still fading out would grey over part of the picture: wait for running
  // Vue transitions to end (at most 2 s; a dialog meant to be in the picture stays open).
  // (A function, not a string: the page's CSP refuses eval. The tests' tsconfig has no DOM types.)
  await page
    .waitForFunction(() => !(globalThis as any).document.querySelector('[class*="-leave-active"], [class*="-enter-active"]'), undefined, { timeout: 2000 })
    .catch(() => undefined);
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Picks an option of an Element Plus select. */
export async function choose(page: Page, selectTestId: string, optionText: string): Promise<void> {
  await page.click(`[data-testid=${selectTestId}]`);
  await page.locator('.el-select-dropdown__item:visible', { hasText: optionText }).first().click();
}

/** A wall-clock time in Asia/Shanghai, minutes from now, as a datetime-local value. */
export function shanghaiWallTime(minutesFromNow: number, now = Date.now()): string {
  const d = new Date(now + minutesFromNow * 60_000 + 8 * 3600_000);
  return d.toISOString().slice(0, 16);
}

export function shanghaiToday(now = Date.now()): string {
  return new Date(now + 8 * 3600_000).toISOString().slice(0, 10);
}

export const addDaysTo = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/**
 * The WCAG contrast ratio of each element's text against its background (the first opaque background
 * from the element up), as the page computes the colours.
 */
export async function textContrasts(page: Page, selector: string): Promise<Array<{ text: string; ratio: number; clipped: boolean; height: number }>> {
  return page.locator(selector).evaluateAll((els) => {
    const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
    const lum = ([r, g, b]: number[]) => {
      const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const win = globalThis as any;
    return els.map((el) => {
      const fg = rgb(win.getComputedStyle(el).color);
      let node: any = el;
      let bg = [255, 255, 255];
      while (node) {
        const c = rgb(win.getComputedStyle(node).backgroundColor);
        if (c.length >= 3 && (c.length < 4 || c[3] === 1)) {
          bg = c;
          break;
        }
        node = node.parentElement;
      }
      const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
      return { text: (el.textContent ?? '').trim(), ratio: (hi + 0.05) / (lo + 0.05), clipped: (el as any).scrollWidth > (el as any).clientWidth + 1, height: el.getBoundingClientRect().height };
    });
  });
}
