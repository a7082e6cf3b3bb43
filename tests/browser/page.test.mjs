// The web page in a real browser (Debian's chromium driven by playwright-core):
// search as you type with highlights, facets, keyboard, the reader with its
// outline and copy buttons, the locked paid block, the 汇编 cart and its
// download, login and the import page, and a phone-width layout.
// Prints "ok - NAME" / "not ok - NAME" lines; screenshots go to $ARTIFACTS.
// Environment: BASE (server URL), CHROMIUM, ARTIFACTS, USER_DATA_DIR,
// EDITOR_NAME / EDITOR_PASSWORD, UPLOAD_FILE.
import { chromium } from 'playwright-core';
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

const ctx = await chromium.launchPersistentContext(process.env.USER_DATA_DIR, {
  executablePath: process.env.CHROMIUM,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1280, height: 860 },
  locale: 'zh-CN',
  acceptDownloads: true,
});
await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: BASE });

const problems = [];
function watch(page) {
  // the test provokes a 400 (bad query) and a 401 (download before login) on purpose
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource: .* status of (400|401)/.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(String(e)));
}

const page = ctx.pages()[0] || await ctx.newPage();
watch(page);
page.setDefaultTimeout(8000);

await step('welcome page', async () => {
  await page.goto(BASE + '/');
  await page.waitForSelector('#welcome h1');
  ok('welcome page', await page.locator('#welcome .stats').isVisible());
  await shot(page, '01-welcome');
});

await step('search as you type', async () => {
  await page.keyboard.press('/');
  ok('/ focuses the search box', await page.evaluate(() => document.activeElement.id === 'q'));
  await page.keyboard.type('依法行政', { delay: 30 });
  await page.waitForSelector('#hits li.hit');
  const marks = await page.locator('#hits mark').allTextContents();
  ok('results as you type, highlighted', marks.length > 0 && marks.every((m) => m === '依法行政'), marks.join('|'));
  const total = await page.locator('#total').textContent();
  ok('total shown', Number(total) >= 1, total);
  ok('took time shown', /毫秒/.test(await page.locator('#status').textContent()));
  ok('address bar holds the query', decodeURIComponent(page.url()).includes('q=依法行政'), page.url());
  await shot(page, '02-results');
});

await step('syntax help', async () => {
  await page.click('#syntax-toggle');
  ok('语法 help opens', await page.locator('#syntax').isVisible());
  await shot(page, '03-syntax');
  await page.click('#syntax-toggle');
});

await step('bad query', async () => {
  await page.fill('#q', '(依法');
  await page.waitForSelector('#status.error');
  ok('bad query explained with its position', await page.locator('#status mark.bad').count() === 1,
    await page.locator('#status').textContent());
});

await step('facets', async () => {
  await page.fill('#q', '工作');
  await page.waitForFunction(() => document.querySelector('#q').value === '工作' &&
    document.querySelectorAll('#facets button.fv').length > 0 && !document.querySelector('#status.error'));
  const before = Number(await page.locator('#total').textContent());
  const fv = page.locator('#facets .facet[data-field="genre"] button.fv', { hasText: '工作计划' }).first();
  const count = Number(await fv.locator('.fc').textContent());
  await fv.click();
  await page.waitForFunction((n) => Number(document.querySelector('#total')?.textContent) === n, count);
  const genres = await page.locator('#hits .hit .meta .tag:first-child').allTextContents();
  ok('facet filter applied', genres.length > 0 && genres.every((g) => g === '工作计划'), genres.join(','));
  ok('facet count matches the filtered total', count < before && count >= 1, `${count} of ${before}`);
  ok('filter in the address bar', decodeURIComponent(page.url()).includes('genre=工作计划'));
  await shot(page, '04-facet');
  // the other genres stay listed with their own counts: a second one is an OR
  const other = page.locator('#facets .facet[data-field="genre"] button.fv:not(.on)').first();
  await other.waitFor();
  const oc = Number(await other.locator('.fc').textContent());
  await other.click();
  await page.waitForFunction((n) => Number(document.querySelector('#total')?.textContent) === n, count + oc);
  ok('two values of one facet are an OR', true);
  await page.locator('#facets button.link', { hasText: '清除筛选' }).click();
  await page.waitForFunction((n) => Number(document.querySelector('#total')?.textContent) === n, before);
});

await step('paragraph mode', async () => {
  await page.click('.modes button[data-mode="para"]');
  await page.waitForFunction(() => /个段落/.test(document.querySelector('#status').textContent));
  ok('paragraph mode', true);
  await page.click('.modes button[data-mode="doc"]');
  await page.waitForFunction(() => /篇文档/.test(document.querySelector('#status').textContent));
});

await step('keyboard j/k', async () => {
  await page.fill('#q', '依法行政');
  await page.waitForFunction(() => document.querySelectorAll('#hits li.hit').length >= 1 &&
    decodeURIComponent(location.hash).includes('依法行政'));
  await page.locator('#q').blur();
  await page.keyboard.press('j');
  ok('j selects the first result', await page.locator('#hits li.hit').first().evaluate((e) => e.classList.contains('selected')));
});

let docUrl = '';
await step('reader', async () => {
  await page.keyboard.press('Enter');
  await page.waitForSelector('#view-reader:not([hidden]) #doc h1');
  docUrl = page.url();
  ok('reader opens', (await page.locator('#doc h1').textContent()).includes('市场监管局'));
  const outline = await page.locator('#outline a.o').count();
  ok('outline as side navigation', outline >= 4, outline);
  const mark = page.locator('#doc mark').first();
  await page.waitForTimeout(300);
  ok('hit highlighted in the reader', (await mark.textContent()) === '依法行政');
  ok('hit scrolled into view', await mark.isVisible() && await mark.evaluate((m) => {
    const r = m.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight;
  }));
  await shot(page, '05-reader');
});

await step('outline jump', async () => {
  const link = page.locator('#outline a.o', { hasText: '存在的问题' }).first();
  await link.click();
  await page.waitForTimeout(700);
  const n = await link.getAttribute('data-n');
  const inView = await page.locator('#sec-' + n).evaluate((s) => {
    const r = s.getBoundingClientRect(); return r.top >= -2 && r.top < innerHeight / 2;
  });
  ok('outline jumps to the section', inView);
  ok('outline marks the current section', await link.evaluate((a) => a.classList.contains('cur')));
});

await step('copy a paragraph', async () => {
  const p = page.locator('#doc p.para', { hasText: '基层监管力量不足' }).first();
  await p.hover();
  await p.locator('button.copy').click();
  const clip = await page.evaluate(() => navigator.clipboard.readText());
  const hook = await page.evaluate(() => window.sucaiLastCopied);
  ok('copied text is the clean paragraph', clip.startsWith('一是基层监管力量不足') && !clip.includes('复制'), clip);
  ok('copied text carries the source line', /（来源：《XX县市场监管局2023年工作总结》/.test(clip), clip);
  ok('copy hook agrees with the clipboard', hook === clip);
  await page.locator('#copy-source').uncheck();
  await p.locator('button.copy').click();
  const plain = await page.evaluate(() => navigator.clipboard.readText());
  ok('source line is optional', !plain.includes('来源') && plain.startsWith('一是'), plain);
  await page.locator('#copy-source').check();
  const sec = page.locator('.sec-head', { hasText: '存在的问题' }).first();
  await sec.hover();
  await sec.locator('.copy-sec').click();
  const secText = await page.evaluate(() => navigator.clipboard.readText());
  ok('copy a whole section', secText.startsWith('三、存在的问题\n一是') && !secText.includes('四、'), secText);
});

await step('collapse a section', async () => {
  const sec = page.locator('section.sec', { hasText: '主要工作开展情况' }).first();
  await sec.locator('> .sec-head .fold').click();
  ok('section collapses', await sec.evaluate((s) => s.classList.contains('folded')) &&
    !(await sec.locator('> .sec-body').isVisible()));
  await sec.locator('> .sec-head .fold').click();
  ok('section expands', await sec.locator('> .sec-body').isVisible());
});

await step('cart', async () => {
  await page.locator('#doc .doc-tools button.add').click();
  ok('add to cart from the reader', (await page.locator('#cart-count').textContent()) === '1');
  await page.goto(BASE + '/#/?q=' + encodeURIComponent('工作'));
  await page.waitForSelector('#hits li.hit');
  const adds = page.locator('#hits button.add:not(.on)');
  await adds.first().click();
  await adds.first().click();
  ok('add to cart from the results', (await page.locator('#cart-count').textContent()) === '3');
  await page.click('#cart-link');
  await page.waitForSelector('#cart-list li');
  const before = await page.locator('#cart-list li .title').allTextContents();
  await page.locator('#cart-list li').nth(0).locator('button.down').click();
  const after = await page.locator('#cart-list li .title').allTextContents();
  ok('reorder the cart', after[0] === before[1] && after[1] === before[0], after.join(' / '));
  await page.locator('#cart-list li').nth(2).locator('button.remove').click();
  ok('remove from the cart', (await page.locator('#cart-list li').count()) === 2);
  await page.reload();
  await page.waitForSelector('#cart-list li');
  const kept = await page.locator('#cart-list li .title').allTextContents();
  ok('the cart persists (localStorage)', kept.length === 2 && kept[0] === after[0], kept.join(' / '));
  await shot(page, '06-cart');
});

await step('download needs a login', async () => {
  await page.click('#compile-go');
  await page.waitForSelector('dialog#login[open]');
  ok('anonymous download asks for a login', true);
  await page.click('#login-cancel');
});

await step('locked paid part', async () => {
  await page.goto(BASE + '/#/?q=' + encodeURIComponent('乡村数字赋能'));
  await page.waitForSelector('#hits li.hit');
  ok('paid hit says it is locked', (await page.locator('#hits .lock').count()) >= 1);
  await page.locator('#hits .title').first().click();
  await page.waitForSelector('#doc .locked');
  const t = await page.locator('#doc .locked').textContent();
  ok('locked block with its length', /付费内容/.test(t) && /约 [0-9,]+ 字/.test(t), t);
  ok('paid text not on the page', !(await page.locator('#doc').textContent()).includes('乡村数字赋能'));
  await shot(page, '07-locked');
});

await step('login', async () => {
  await page.click('#login-open');
  await page.fill('#login-name', process.env.EDITOR_NAME);
  await page.fill('#login-pass', process.env.EDITOR_PASSWORD);
  await page.click('#login-form button[type="submit"]');
  await page.waitForSelector('#who .user');
  ok('logged in', (await page.locator('#who .user').textContent()) === process.env.EDITOR_NAME);
  await page.waitForSelector('#doc h1');
  await page.waitForFunction(() => !document.querySelector('#doc .locked'));
  ok('paid part readable after login', (await page.locator('#doc').textContent()).includes('乡村数字赋能'));
});

await step('download the 汇编', async () => {
  await page.goto(BASE + '/#/cart');
  await page.waitForSelector('#cart-list li');
  await page.fill('#compile-title', '浏览器测试汇编');
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#compile-go')]);
  const name = dl.suggestedFilename();
  ok('download named from the title', name === '浏览器测试汇编.docx', name);
  const file = path.join(ART, 'cart-download.docx');
  await dl.saveAs(file);
  ok('download saved', true);
});

await step('import page', async () => {
  await page.click('#import-link');
  await page.waitForSelector('#view-import:not([hidden])');
  await page.setInputFiles('#files', process.env.UPLOAD_FILE);
  await page.waitForSelector('#import-list li');
  const st = await page.locator('#import-list li .st').first().textContent();
  ok('import result listed', st === '已导入', st);
  await shot(page, '08-import');
});

ok('no console errors (CSP, scripts)', problems.length === 0, problems.join('\n'));

// phone width
await step('phone layout', async () => {
  const phone = await ctx.newPage();
  watch(phone);
  await phone.setViewportSize({ width: 390, height: 844 });
  await phone.goto(BASE + '/#/?q=' + encodeURIComponent('安全'));
  await phone.waitForSelector('#hits li.hit');
  const fits = await phone.evaluate(() => document.documentElement.scrollWidth <= innerWidth + 1);
  ok('results fit a phone screen', fits);
  await shot(phone, '09-phone-results');
  await phone.locator('#hits .title').first().click();
  await phone.waitForSelector('#doc h1');
  ok('reader fits a phone screen', await phone.evaluate(() => document.documentElement.scrollWidth <= innerWidth + 1));
  await shot(phone, '10-phone-reader');
  await phone.close();
});

await ctx.close();
console.log(failed ? `# ${failed} failed` : '# all passed');
process.exit(failed ? 1 : 0);
