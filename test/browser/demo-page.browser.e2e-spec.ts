import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { createDemoApp } from '../../demo/create-demo-app.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// CI installs Chromium and must run this test; elsewhere it runs when Chromium is there.
const mandatory = process.env.CI === 'true';
const runs = mandatory || existsSync(CHROMIUM);
if (!runs) {
  console.log(`Browser test skipped: no Chromium at ${CHROMIUM}. To run it: apt-get install -y chromium (or set CHROMIUM_PATH).`);
}

const SCREENSHOTS = resolve(import.meta.dirname, '../../test-output/screenshots');

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

(runs ? describe : describe.skip)('the demo page, in a real browser', () => {
  let app: INestApplication;
  let profile: string;
  let context: BrowserContext;
  let page: Page;
  let base: string;

  beforeAll(async () => {
    app = await createDemoApp({ logger: false });
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    profile = mkdtempSync(join(tmpdir(), 'nestjs-ajax-chromium-'));
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
    page = context.pages()[0] ?? (await context.newPage());
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await app?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  const toast = (text: string) => page.locator('#toasts .toast', { hasText: text });
  const votesOf = (choice: string) => page.locator('.choices li', { hasText: choice }).locator('.votes');

  it('walks through log-in prompt, welcome, vote, invalid choice and the 405 example', async () => {
    await page.goto(base + '/');
    await page.locator('.poll').first().waitFor();
    await expectText(votesOf('The sky'), '0 votes');

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
    await toast('Method not allowed').waitFor();

    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'demo-page.png'), fullPage: true });
  }, 60_000);
});

/** Waits (up to the locator's timeout) until the element's text is exactly `text`. */
async function expectText(locator: ReturnType<Page['locator']>, text: string): Promise<void> {
  await locator.filter({ hasText: new RegExp(`^${text}$`) }).waitFor();
}
