import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { type DemoProcess, startDemoProcess } from './demo-process.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// CI installs Chromium and must run this test; elsewhere it runs when Chromium is there.
const mandatory = process.env.CI === 'true';
const runs = mandatory || existsSync(CHROMIUM);
if (!runs) {
  console.log(`Browser test skipped: no Chromium at ${CHROMIUM}. To run it: apt-get install -y chromium (or set CHROMIUM_PATH).`);
}

/** Every platform the demo runs on (PLATFORM): the same page, the same expectations. */
const PLATFORMS = ['express', 'fastify'] as const;
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

/** Debian's Chromium, headless, with nothing that reaches outside this machine. */
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

(runs ? describe : describe.skip).each(PLATFORMS)('the demo page on %s, in a real browser', (platform) => {
  const SCREENSHOTS = resolve(import.meta.dirname, '../../test-output/screenshots', platform);
  let demo: DemoProcess;
  let profile: string;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  const profiles: string[] = [];
  const consoleErrors: Array<{ text: string; url: string }> = [];
  const notFound: string[] = [];

  /** A fresh Chromium profile, removed after the tests. */
  const freshProfile = () => {
    const dir = mkdtempSync(join(tmpdir(), 'nestjs-ajax-chromium-'));
    profiles.push(dir);
    return dir;
  };

  // As a process of its own, started by `npm run demo`: the demo's build, its PLATFORM switch and its
  // static files are what is tested (and @fastify/static, which needs Node's require(esm), loads there).
  beforeAll(async () => {
    demo = await startDemoProcess(platform);
    base = demo.url;
    profile = freshProfile();
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_FLAGS,
      viewport: DESKTOP,
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push({ text: message.text(), url: message.location().url });
    });
    page.on('pageerror', (error) => consoleErrors.push({ text: error.message, url: '' }));
    page.on('response', (response) => {
      if (response.status() === 404) notFound.push(response.url());
    });
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await demo?.stop();
    for (const dir of profiles) rmSync(dir, { recursive: true, force: true });
  });

  const toast = (text: string) => page.locator('#toasts .toast', { hasText: text });
  const votesOf = (choice: string) => page.locator('.choices li', { hasText: choice }).locator('.votes');

  it('walks through log-in prompt, welcome, vote, invalid choice and the 405 example', async () => {
    await page.goto(base + '/');
    await page.locator('.poll').first().waitFor();
    await expectText(votesOf('The sky'), '0 votes');

    // The log-in button lines up with the inputs: same bottom edge, same height.
    const input = await box(page.locator('input[name=password]'));
    const logIn = await box(page.getByRole('button', { name: 'Log in' }));
    expect(Math.abs(logIn.y + logIn.height - (input.y + input.height))).toBeLessThanOrEqual(1);
    expect(Math.abs(logIn.height - input.height)).toBeLessThanOrEqual(1);
    await page.screenshot({ path: join(SCREENSHOTS, 'log-in-desktop.png') });

    // An anonymous vote gets a 401: the page asks to log in, and stays where it is.
    await page.locator('.choices li', { hasText: 'The sky' }).getByRole('button', { name: 'Vote' }).click();
    await page.locator('#login-prompt').waitFor({ state: 'visible' });
    expect(page.url()).toBe(base + '/');

    // Logging in is a form post that redirects; the welcome arrives with the next AJAX response.
    await page.fill('input[name=username]', 'ada');
    await page.fill('input[name=password]', 'lovelace');
    await Promise.all([page.waitForURL(base + '/'), page.getByRole('button', { name: 'Log in' }).click()]);
    await toast('Welcome back, ada.').waitFor();
    await expectText(page.locator('#username'), 'ada');
    expect(await toast('Welcome back, ada.').getAttribute('class')).toBe('toast success');

    // A vote: the count goes up and the success message shows.
    await page.locator('.choices li', { hasText: 'The sky' }).getByRole('button', { name: 'Vote' }).click();
    await toast('Vote recorded.').waitFor();
    await expectText(votesOf('The sky'), '1 vote');

    // A choice that does not exist: the error message shows.
    await page.locator('#invalid-vote-1').click();
    await toast('Invalid choice.').waitFor();
    expect(await toast('Invalid choice.').getAttribute('class')).toBe('toast error');

    // The method guard: GET to a POST-only endpoint.
    await page.locator('#close-with-get').click();
    await page.locator('#method-result').waitFor({ state: 'visible' });
    const result = await page.locator('#method-result').textContent();
    expect(result).toContain('HTTP 405');
    expect(result).toContain('Allow: POST');
    expect(result).toContain('"error": "Method not allowed"');
    // Shown once, in the panel: no toast repeats it.
    expect(await toast('Method not allowed').count()).toBe(0);

    await expectToastsClearOfControls(page);
    await page.screenshot({ path: join(SCREENSHOTS, 'demo-page-desktop.png'), fullPage: true });
  }, 60_000);

  // Signed in by the walk-through above, so votes count.
  it('on a phone, keeps the toasts off the controls, and each can be closed', async () => {
    await page.setViewportSize(PHONE);
    await page.goto(base + '/');
    await page.locator('.choices li', { hasText: 'Not much' }).getByRole('button', { name: 'Vote' }).click();
    await toast('Vote recorded.').waitFor();
    await page.locator('#invalid-vote-1').click();
    await toast('Invalid choice.').waitFor();
    await page.locator('#close-with-get').click();
    await page.locator('#method-result').waitFor({ state: 'visible' });
    expect(await toast('Method not allowed').count()).toBe(0);

    // The reported case: the toasts were over the link and the 405 panel.
    const toasts = await boxesOf(page.locator('#toasts .toast'));
    expect(toasts).toHaveLength(2);
    for (const target of [page.locator('#close-with-get'), page.locator('#method-result')]) {
      const targetBox = await box(target);
      for (const toastBox of toasts) expect(overlaps(toastBox, targetBox)).toBe(false);
    }
    await expectToastsClearOfControls(page);
    await page.screenshot({ path: join(SCREENSHOTS, 'demo-page-phone.png'), fullPage: true });

    // Closing: with the keyboard, then with a click.
    await toast('Vote recorded.').getByRole('button', { name: 'Dismiss message' }).focus();
    await page.keyboard.press('Enter');
    await toast('Vote recorded.').waitFor({ state: 'detached', timeout: 1000 });
    await toast('Invalid choice.').getByRole('button', { name: 'Dismiss message' }).click();
    await toast('Invalid choice.').waitFor({ state: 'detached', timeout: 1000 });
  }, 60_000);

  it('swaps in an htmx fragment, and shows as a toast the message its HX-Trigger header carried', async () => {
    for (const [viewport, name] of [[DESKTOP, 'desktop'], [PHONE, 'phone']] as const) {
      await page.setViewportSize(viewport);
      await page.goto(base + '/');
      // The real htmx, served by the demo itself.
      expect(await page.evaluate(() => (window as unknown as { htmx?: { version: string } }).htmx?.version)).toMatch(/^2\./);
      const answered = page.waitForResponse((response) => response.url() === base + '/fragments/polls/1/results');
      await page.getByRole('button', { name: 'Show the results (htmx)' }).click();
      const response = await answered;
      expect(response.request().headers()['hx-request']).toBe('true');
      expect(await response.headerValue('content-type')).toBe('text/html; charset=utf-8');
      expect(JSON.parse((await response.headerValue('hx-trigger')) ?? '{}')).toEqual({
        messages: [{ message: expect.stringMatching(/^Results of "What's new\?": \d+ votes? in all\.$/), tags: 'info' }],
      });

      // The fragment, swapped in: the poll's counts as the page shows them.
      await page.locator('#htmx-results .results li').nth(2).waitFor();
      expect(await page.locator('#htmx-results .results li').count()).toBe(3);
      expect(await page.locator('#htmx-results .results li', { hasText: 'The sky' }).locator('.votes').textContent()).toBe(await votesOf('The sky').textContent());
      await toast('Results of "What\'s new?"').waitFor();
      expect(await toast('Results of').getAttribute('class')).toBe('toast info');
      expect(await toast('Results of').count()).toBe(1);
      await expectToastsClearOfControls(page);
      await page.screenshot({ path: join(SCREENSHOTS, `htmx-${name}.png`), fullPage: true });
    }
  }, 60_000);

  it('sends the poll with the page: the first paint shows it, with no script run', async () => {
    const html = await (await fetch(base + '/')).text();
    expect(html).toContain("What&#39;s new?");
    expect(html).toContain('data-choice-id="2"><span class="text">The sky</span>');
    expect(html).not.toContain('Loading');

    // A browser with JavaScript off sees the poll, as a screenshot taken on load does.
    const noScript = await chromium.launchPersistentContext(freshProfile(), {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_FLAGS,
      viewport: PHONE,
      javaScriptEnabled: false,
    });
    try {
      const firstPaint = noScript.pages()[0] ?? (await noScript.newPage());
      await firstPaint.goto(base + '/');
      expect(await firstPaint.locator('.poll h3').textContent()).toBe("What's new?");
      expect(await firstPaint.locator('.choices li').count()).toBe(3);
      await firstPaint.screenshot({ path: join(SCREENSHOTS, 'first-paint-phone.png'), fullPage: true });
    } finally {
      await noScript.close();
    }

    // What the report did: a plain `chromium --headless --screenshot`.
    const shot = join(SCREENSHOTS, 'chromium-cli-screenshot.png');
    rmSync(shot, { force: true });
    await promisify(execFile)(
      CHROMIUM,
      ['--headless', ...CHROMIUM_FLAGS, `--user-data-dir=${freshProfile()}`, `--screenshot=${shot}`, '--window-size=390,844', base + '/'],
      { timeout: 30_000 },
    );
    expect(existsSync(shot)).toBe(true);
  }, 60_000);

  it('leaves nothing in the console but the 401 and 405 it asked for: no missing favicon', async () => {
    expect(notFound).toEqual([]);
    const unexpected = consoleErrors.filter(
      ({ text, url }) => !(text.includes('Failed to load resource') && /\/api\/polls\/1\/(vote|close)$/.test(url)),
    );
    expect(unexpected).toEqual([]);
  });
});

type Box = { x: number; y: number; width: number; height: number };

async function box(locator: Locator): Promise<Box> {
  const found = await locator.boundingBox();
  if (!found) throw new Error(`${locator} is not visible`);
  return found;
}

async function boxesOf(locator: Locator): Promise<Box[]> {
  return Promise.all((await locator.all()).map(box));
}

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** No toast lies over any visible link, button, input or the 405 panel of the page. */
async function expectToastsClearOfControls(page: Page): Promise<void> {
  const toasts = await boxesOf(page.locator('#toasts .toast'));
  const covered: string[] = [];
  for (const control of await page.locator('main :is(a, button, input, pre):visible').all()) {
    const controlBox = await box(control);
    if (toasts.some((toastBox) => overlaps(toastBox, controlBox))) covered.push(await control.evaluate((el) => el.outerHTML.slice(0, 80)));
  }
  expect(covered).toEqual([]);
}

/** Waits (up to the locator's timeout) until the element's text is exactly `text`. */
async function expectText(locator: ReturnType<Page['locator']>, text: string): Promise<void> {
  await locator.filter({ hasText: new RegExp(`^${text}$`) }).waitFor();
}
