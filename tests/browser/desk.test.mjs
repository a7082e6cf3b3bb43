// The 写作台 in a real browser (Debian's chromium driven by playwright-core):
// the header link, the draft and its tabs, 查重 with its rates, sections,
// highlighted spans and sources, the link into the reader with the stretch
// highlighted, 常用表述 apart, two drafts compared, the .docx report, an
// upload, the anonymous daily quota and login, and a phone-width layout.
// Prints "ok - NAME" / "not ok - NAME" lines; screenshots go to $ARTIFACTS.
// Environment: BASE, CHROMIUM, ARTIFACTS, USER_DATA_DIR, EDITOR_NAME,
// EDITOR_PASSWORD, DRAFT_FILE.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
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

const shot = (page, name) => page.screenshot({ path: path.join(ART, 'desk-' + name + '.png'), fullPage: false });

const ctx = await chromium.launchPersistentContext(process.env.USER_DATA_DIR, {
  executablePath: process.env.CHROMIUM,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1280, height: 860 },
  locale: 'zh-CN',
  acceptDownloads: true,
});

const problems = [];
function watch(page) {
  // the test uses up the anonymous quota on purpose (429)
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource: .* status of (429)/.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(String(e)));
}

const page = ctx.pages()[0] || await ctx.newPage();
watch(page);
page.setDefaultTimeout(10000);

const COPY = '深化商事制度改革，企业开办时间压缩至1个工作日';
const DRAFT = 'XX局2024年工作总结\n\n一、主要工作\n我们坚持一张蓝图绘到底。' + COPY + '，新增的句子不在库里。\n\n二、下一步打算\n继续努力，再创佳绩，这一句是全新的写法。\n';
let checks = 0; /* anonymous checks used */

async function runCheck() {
  await page.click('#ck-go');
  checks++;
  await page.waitForFunction(() => !document.querySelector('#ck-go').disabled && document.querySelector('#ck-status').textContent !== '正在查重…');
}

await step('the header link', async () => {
  await page.goto(BASE + '/');
  const link = page.locator('#desk-link');
  ok('the search page links to the 写作台', (await link.textContent()) === '写作台');
  await link.click();
  await page.waitForSelector('#tabs .tab');
  ok('the 写作台 opens', page.url().endsWith('/desk.html'), page.url());
});

await step('tabs and the draft', async () => {
  const tabs = await page.locator('#tabs .tab').allTextContents();
  ok('the 查重 tab is there and selected', tabs.includes('查重') && (await page.locator('#tab-check').getAttribute('aria-selected')) === 'true', tabs.join('|'));
  ok('its panel is shown', await page.locator('#panel-check').isVisible());
  await page.fill('#draft', DRAFT);
  ok('the draft counts characters', /字/.test(await page.locator('#draft-count').textContent()));
  await page.reload();
  await page.waitForSelector('#tabs .tab');
  ok('the draft is kept across a reload', (await page.inputValue('#draft')) === DRAFT);
  await shot(page, '01-draft');
});

await step('查重', async () => {
  await runCheck();
  await page.waitForSelector('#ck-overlap');
  const rate = await page.locator('#ck-overlap').textContent();
  ok('总重复率 shown', /^\d+\.\d%$/.test(rate) && parseFloat(rate) > 0, rate);
  const marks = await page.locator('#ck-draft mark.ck-copy').allTextContents();
  ok('the copied sentence is highlighted', marks.some((m) => m.includes(COPY)), marks.join('|'));
  ok('the novel sentence is not', !marks.some((m) => m.includes('新增的句子')), marks.join('|'));
  const rows = await page.locator('.ck-sections tbody tr').allTextContents();
  ok('per-section rates from the draft\'s outline', rows.length >= 2 && rows[0].includes('一、主要工作') && rows.some((r) => r.includes('二、下一步打算')), rows.join('|'));
  const title = await page.locator('#ck-spans .ck-src-title').first().textContent();
  ok('the source is named', title === 'XX县市场监管局2023年工作总结', title);
  const where = await page.locator('#ck-spans .ck-where').first().textContent();
  ok('with its section path and paragraph', /持续优化营商环境/.test(where) && /第 \d+ 段/.test(where), where);
  ok('quota left shown', /今日还可查 6 次/.test(await page.locator('#ck-status').textContent()));
  await page.locator('#ck-draft mark.ck-copy').first().click();
  ok('clicking a span selects its card', await page.locator('#ck-spans .ck-span.cur').count() === 1);
  await shot(page, '02-check');
});

await step('the source in the reader', async () => {
  const href = await page.locator('#ck-spans .ck-src-title').first().getAttribute('href');
  ok('the link names the paragraph and the stretch', /#\/doc\/\d+\?at=\d+&hl=\d+-\d+$/.test(href), href);
  const [reader] = await Promise.all([ctx.waitForEvent('page'), page.locator('#ck-spans .ck-src-title').first().click()]);
  watch(reader);
  await reader.waitForSelector('#doc .hit-para');
  const marked = await reader.locator('#doc .hit-para mark').allTextContents();
  ok('the reader opens at the paragraph with the stretch highlighted', marked.join('').includes(COPY), marked.join('|'));
  await shot(reader, '03-reader');
  await reader.close();
});

await step('常用表述 apart', async () => {
  await page.fill('#ck-common', '1');
  await runCheck();
  await page.waitForSelector('#ck-common .ck-span');
  ok('spans in one document count as 常用表述 with threshold 1', await page.locator('#ck-spans').count() === 0);
  ok('they do not count in the rate', (await page.locator('#ck-overlap').textContent()) === '0.0%');
  ok('shown in grey', await page.locator('#ck-draft mark.ck-common').count() >= 1);
  await page.fill('#ck-common', '50');
});

await step('two drafts compared', async () => {
  await page.click('#ck-compare');
  ok('the second draft box opens', await page.locator('#ck-other').isVisible());
  await page.fill('#ck-other', '另一份稿件里也写了：' + COPY + '。其余不同。');
  await runCheck();
  await page.waitForSelector('#ck-spans .ck-span');
  const t = await page.locator('#ck-spans .ck-src strong').first().textContent();
  ok('the other draft is the source', t === '对照稿', t);
  await shot(page, '04-compare');
  await page.click('#ck-compare');
});

await step('the .docx report', async () => {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#ck-docx')]);
  checks++;
  const file = path.join(ART, 'desk-report.docx');
  await dl.saveAs(file);
  const head = fs.readFileSync(file).subarray(0, 2).toString();
  ok('the report downloads as a .docx', dl.suggestedFilename() === '查重报告.docx' && head === 'PK', dl.suggestedFilename() + ' ' + head);
});

await step('an upload becomes the draft', async () => {
  await page.setInputFiles('#draft-file', process.env.DRAFT_FILE);
  await page.waitForFunction(() => document.querySelector('#draft').value.includes('上传的稿件'));
  ok('the uploaded text is the draft', (await page.inputValue('#draft')).startsWith('XX局2024年上半年工作总结'));
  ok('its name is shown', (await page.locator('#draft-note').textContent()).includes('稿件.txt'));
  ok('the result says it is stale', await page.locator('#ck-stale').isVisible());
});

await step('the anonymous quota, then login', async () => {
  while (checks < 7) await runCheck();
  await runCheck(); /* the eighth: refused */
  const st = await page.locator('#ck-status').textContent();
  ok('used up: says so and offers a login', /今日查重次数已用完/.test(st) && await page.locator('#ck-status button').count() === 1, st);
  await page.locator('#ck-status button').click();
  await page.waitForSelector('dialog#login[open]');
  await page.fill('#login-name', process.env.EDITOR_NAME);
  await page.fill('#login-pass', process.env.EDITOR_PASSWORD);
  await page.click('#login-form button[type="submit"]');
  await page.waitForSelector('#who .user');
  await runCheck();
  await page.waitForSelector('#ck-overlap');
  ok('after login the check runs (editors: unlimited)', !/今日还可查/.test(await page.locator('#ck-status').textContent()) && /用时/.test(await page.locator('#ck-status').textContent()));
  await shot(page, '05-login');
});

ok('no console errors (CSP, scripts)', problems.length === 0, problems.join('\n'));

await step('phone layout', async () => {
  const phone = await ctx.newPage();
  watch(phone);
  await phone.setViewportSize({ width: 390, height: 844 });
  await phone.goto(BASE + '/desk.html#check');
  await phone.waitForSelector('#tabs .tab');
  ok('the 写作台 fits a phone screen', await phone.evaluate(() => document.documentElement.scrollWidth <= innerWidth + 1));
  await shot(phone, '06-phone');
  await phone.close();
});

await ctx.close();
console.log(failed ? `# ${failed} failed` : '# all passed');
process.exit(failed ? 1 : 0);
