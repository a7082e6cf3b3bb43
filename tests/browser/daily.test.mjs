// The member's daily library in a real browser (Debian's chromium driven by
// playwright-core): 今日更新 with its feed link and 文种 chips, the quick-find
// box (a 发文字号 typed as "国发2019 7号", keyboard choice), the reader's
// 发文字号 and 此文另见, saving a search and seeing "N new" after an import,
// the 提纲 panel when one 文种 is chosen, favourites and history, the cart
// following a member to a second browser. Prints "ok - NAME" / "not ok - NAME".
// Environment: BASE, CHROMIUM, ARTIFACTS, USER_DATA_DIR, USER_NAME,
// USER_PASSWORD, SUCAI, LIBRARY, LATER (a folder imported mid-test).
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const BASE = process.env.BASE;
const ART = process.env.ARTIFACTS;
let failed = 0;

function ok(name, cond, detail) {
  if (cond) console.log(`ok - ${name}`);
  else {
    failed++;
    console.log(`not ok - ${name}`);
    if (detail !== undefined) console.log(`#   ${String(detail).slice(0, 500).replace(/\n/g, '\n#   ')}`);
  }
}

async function step(name, fn) {
  try {
    await fn();
  } catch (e) {
    ok(name, false, e && e.stack ? e.stack.split('\n').slice(0, 4).join('\n') : e);
  }
}

const shot = (page, name) => page.screenshot({ path: path.join(ART, name + '.png'), fullPage: false });
const launch = (dir) => chromium.launchPersistentContext(dir, {
  executablePath: process.env.CHROMIUM,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1280, height: 860 },
  locale: 'zh-CN',
});

const problems = [];
function watch(page) {
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource: .* status of (400|401|404|409)/.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(String(e)));
}

async function login(page) {
  await page.click('#login-open');
  await page.fill('#login-name', process.env.USER_NAME);
  await page.fill('#login-pass', process.env.USER_PASSWORD);
  await page.click('#login-form button[type=submit]');
  await page.waitForSelector('#who .user');
}

const ctx = await launch(process.env.USER_DATA_DIR);
const page = ctx.pages()[0] || await ctx.newPage();
watch(page);
page.setDefaultTimeout(8000);

await step('今日更新', async () => {
  await page.goto(BASE + '/');
  await page.click('#updates-link');
  await page.waitForSelector('#view-updates:not([hidden]) #updates-list li.card');
  const n = await page.locator('#updates-list li.card').count();
  ok('今日更新 lists the documents imported today', n >= 5, n);
  await page.waitForTimeout(300);
  ok('grouped under today, once', (await page.locator('#updates-list li.day-head').count()) === 1);
  ok('with summaries', (await page.locator('#updates-list .summary').count()) >= 1);
  ok('the feed link points at the Atom feed', (await page.getAttribute('#updates-feed', 'href')) === '/api/v1/feeds/updates');
  await page.locator('#updates-genres button.chip[data-genre="实施方案"]').click();
  await page.waitForFunction(() => decodeURIComponent(location.hash) === '#/updates?genre=实施方案' &&
    document.querySelectorAll('#updates-list li.card').length > 0);
  const g = await page.locator('#updates-list li.card .meta .tag:not(.docno):not(.paid)').first().textContent();
  ok('a 文种 chip filters the list', g === '实施方案', g);
  ok('and the feed link follows it', (await page.getAttribute('#updates-feed', 'href')).includes('genre='));
  await shot(page, '21-updates');
});

await step('quick find', async () => {
  await page.goto(BASE + '/#/');
  await page.click('#q');
  await page.keyboard.type('X政办发2024 7号', { delay: 20 });
  await page.waitForFunction(() => document.querySelector('#suggest:not([hidden]) li.sug[data-kind="docno"]') &&
    document.querySelectorAll('#suggest li.sug').length === 1);
  const kind = await page.locator('#suggest li.sug').first().getAttribute('data-kind');
  ok('a 发文字号 typed with a space is suggested as a number (and only it)', kind === 'docno', kind);
  await shot(page, '22-suggest');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#view-reader:not([hidden]) #doc h1');
  ok('Enter on a suggestion opens the document', (await page.locator('#doc h1').textContent()) === 'XX市数字政府建设实施方案');
  await page.waitForSelector('#doc .doc-extra .tag.docno');
  ok('the reader shows the 发文字号', (await page.locator('#doc .doc-extra .tag.docno').textContent()) === 'X政办发〔2024〕7号');
  ok('and the 成文日期', /2024-03-15/.test(await page.locator('#doc .doc-extra').textContent()));
  await page.waitForSelector('#doc .near-box summary');
  ok('此文另见 1 篇相近文档', /此文另见 1 篇相近文档/.test(await page.locator('#doc .near-box summary').textContent()));
  await shot(page, '23-reader-near');
});

await step('near duplicates in results', async () => {
  await page.goto(BASE + '/#/?q=' + encodeURIComponent('数字政府建设实施方案'));
  await page.waitForSelector('#hits li.hit .near-count');
  ok('results say 此文另见', (await page.locator('#hits .near-count').count()) >= 2);
});

await step('提纲 panel', async () => {
  await page.goto(BASE + '/#/?genre=' + encodeURIComponent('实施方案'));
  await page.waitForSelector('#outline-panel');
  ok('choosing one 文种 shows its 提纲', /提纲：实施方案/.test(await page.locator('#outline-panel summary').textContent()));
  ok('with a skeleton and its share', (await page.locator('#outline-panel .skeleton .share').count()) >= 1);
  await page.locator('#outline-panel a.link').click();
  await page.waitForSelector('#view-outline:not([hidden]) .headings li');
  ok('the full 提纲 lists the headings', (await page.locator('#outline-body .headings li').count()) >= 1);
  await page.waitForTimeout(300);
  ok('drawn once', (await page.locator('#outline-body h2').count()) === 2);
  await shot(page, '24-outline');
});

await step('saved search, new since last looked', async () => {
  await page.goto(BASE + '/#/');
  await login(page);
  await page.fill('#q', '数字政府建设');
  await page.waitForSelector('#status .save-watch');
  await page.keyboard.press('Escape'); /* the suggestions cover the results */
  await page.click('#status .save-watch');
  await page.waitForSelector('#toast:not([hidden])');
  ok('订阅此搜索 saves it', /已订阅/.test(await page.locator('#toast').textContent()));
  execFileSync(process.env.SUCAI, ['-L', process.env.LIBRARY, 'import', '--quiet', process.env.LATER]);
  await page.goto(BASE + '/#/watches');
  await page.waitForSelector('#watches-list li.watch');
  ok('the saved search shows one new document', (await page.locator('#watches-list .badge.new').first().textContent()) === '1 篇新');
  ok('the nav shows it too', (await page.locator('#watches-new').textContent()) === '1');
  await shot(page, '25-watches');
  await page.locator('#watches-list li.watch a.title').first().click();
  await page.waitForSelector('#watch-hits li.card');
  ok('its matches list the new document', (await page.locator('#watch-hits li.card .title').first().textContent()) === '关于推进数字政府建设的通知');
  ok('marked new', (await page.locator('#watch-hits .badge.new').count()) === 1);
  await page.waitForFunction(() => document.querySelector('#watches-new').hidden);
  ok('after looking nothing is new', true);
  await page.goto(BASE + '/#/watches');
  await page.locator('#watches-list button', { hasText: '订阅源' }).first().click();
  await page.waitForSelector('#watches-list .feed-url input');
  ok('a private feed URL is shown', /\/api\/v1\/feeds\/watch\?token=swf_/.test(await page.inputValue('#watches-list .feed-url input')));
});

await step('favourites and history', async () => {
  await page.goto(BASE + '/#/?q=' + encodeURIComponent('XX市数字政府建设实施方案'));
  await page.locator('#hits .title').first().click();
  await page.waitForSelector('#doc .btn.fav');
  await page.click('#doc .btn.fav');
  await page.waitForSelector('#doc .btn.fav.on');
  await page.goto(BASE + '/#/shelf');
  await page.waitForSelector('#shelf-list li.card');
  ok('收藏 lists it', (await page.locator('#shelf-list li.card .title').first().textContent()) === 'XX市数字政府建设实施方案');
  await page.click('#tab-hist');
  await page.waitForFunction(() => document.querySelector('#tab-hist').classList.contains('on') &&
    document.querySelectorAll('#shelf-list li.card').length > 0);
  ok('阅读记录 lists what was read', (await page.locator('#shelf-list li.card').count()) >= 1);
  await shot(page, '26-shelf');
});

await step('the cart follows the member', async () => {
  await page.goto(BASE + '/#/?q=' + encodeURIComponent('数字政府'));
  await page.waitForSelector('#hits li.hit button.add');
  const adds = page.locator('#hits li.hit button.add:not(.on)');
  await adds.first().click();
  await page.locator('#hits li.hit button.add:not(.on)').first().click();
  const n = await page.locator('#cart-count').textContent();
  await page.waitForTimeout(700); /* the push to the server is debounced */
  const other = await launch(process.env.USER_DATA_DIR + '-2');
  const p2 = other.pages()[0] || await other.newPage();
  watch(p2);
  await p2.goto(BASE + '/');
  ok('another browser starts with an empty cart', (await p2.locator('#cart-count').textContent()) === '0');
  await login(p2);
  await p2.waitForFunction((want) => document.querySelector('#cart-count').textContent === want, n);
  ok('after login the cart is the member\'s', true);
  await p2.goto(BASE + '/#/cart');
  await p2.waitForSelector('#cart-list li');
  ok('listing the same documents', String(await p2.locator('#cart-list li').count()) === n);
  await other.close();
});

ok('no console errors (CSP, scripts)', problems.length === 0, problems.join('\n'));
await ctx.close();
console.log(failed ? `# ${failed} failed` : '# all passed');
process.exit(failed ? 1 : 0);
