// Drives the Microsoft 365 Agents Playground's web page in a headless Chromium, as a rep would use it, one step
// per line on standard input; answers each with one JSON line on standard output.
//   usage: node playground-ui.mjs <playground url> <chromium path>
//   steps: {"do":"send","text":"..."}  {"do":"click","label":"..."}  {"do":"wait","text":"..."}
//          {"do":"count"}  {"do":"card"}  {"do":"shot","path":"..."}  {"do":"quit"}
// "count" is how many messages the bot has on screen; "card" is the visible text of the bot's last card.
import { chromium } from 'playwright-core';
import readline from 'node:readline';

const [url, executablePath] = process.argv.slice(2);
const external = new Set();
const browser = await chromium.launch({
  executablePath, headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
// Note any request that leaves the machine (the page loads a font from a CDN; without a network it falls back).
page.on('request', r => {
  const u = new URL(r.url());
  if (u.protocol.startsWith('http') && !['127.0.0.1', 'localhost'].includes(u.hostname)) external.add(u.hostname);
});
await page.goto(url, { waitUntil: 'networkidle' });
const say = o => process.stdout.write(JSON.stringify(o) + '\n');
const botMessages = () => page.locator('[aria-label="Message author"]', { hasText: 'Test Bot' });
const lastCard = () => page.locator('.ac-adaptiveCard').last();
const lastMessage = () => page.locator('.fai-OutputCard').last();
say({ ready: true });

for await (const line of readline.createInterface({ input: process.stdin })) {
  const step = JSON.parse(line);
  try {
    switch (step.do) {
      case 'send': {
        const box = page.locator('textarea, [contenteditable="true"], input[type="text"]').first();
        await box.waitFor({ timeout: 15000 });
        await box.click();
        await box.fill(step.text);
        await page.keyboard.press('Enter');
        say({ ok: true });
        break;
      }
      case 'click':
        await lastCard().getByRole('button', { name: step.label, exact: true }).click({ timeout: 15000 });
        say({ ok: true });
        break;
      case 'wait':
        await lastCard().getByText(step.text, { exact: false }).first().waitFor({ timeout: step.timeout ?? 20000 });
        say({ ok: true });
        break;
      case 'count':
        say({ ok: true, count: await botMessages().count() });
        break;
      case 'card': {
        const text = await lastCard().innerText();
        const buttons = await lastCard().getByRole('button').allInnerTexts();
        say({ ok: true, text, buttons });
        break;
      }
      case 'shot':
        await lastMessage().scrollIntoViewIfNeeded();
        await lastMessage().screenshot({ path: step.path });
        if (step.page) await page.screenshot({ path: step.page });
        say({ ok: true });
        break;
      case 'quit':
        say({ ok: true, external: [...external] });
        await browser.close();
        process.exit(0);
      default:
        say({ ok: false, error: 'unknown step ' + step.do });
    }
  } catch (e) {
    say({ ok: false, error: String(e.message ?? e).split('\n')[0] });
  }
}
await browser.close();
