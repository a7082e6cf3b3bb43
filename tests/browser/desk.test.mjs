// The 写作台 in a real browser (Debian's chromium driven by playwright-core):
// the header link, the draft and its tabs, 查重 with its rates, sections,
// highlighted spans and sources, the link into the reader with the stretch
// highlighted, 常用表述 apart, two drafts compared, the .docx report, an
// upload; 校对 (findings in the text with rule, clause and severity, a
// suggestion applied, "apply all" for one kind, the keyboard), 脱敏 (entities
// marked by kind, kinds chosen, the mapping downloaded and restored), 套用
// (slots found, filled, previewed, made the draft), no library text in the
// tools' answers; the anonymous daily quota and login, and a phone layout.
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
let allow400 = false; /* the 脱敏 test sends a mapping that does not fit on purpose */
function watch(page) {
  // the test uses up the anonymous quota on purpose (429)
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource: .* status of (429)/.test(m.text()) &&
        !(allow400 && /status of 400/.test(m.text()))) problems.push(m.text());
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

await step('查重 and the paid part (anonymous)', async () => {
  /* a draft that copies a paid sentence of the library: for a caller who may
   * not read it, no span, no source text; the document is named apart */
  const paidCopy = '推动农村电商发展，打造直播带货示范点，这是付费内容里的独家表述：乡村数字赋能三年行动。';
  await page.fill('#draft', 'XX镇2025年工作计划\n\n一、重点任务\n' + paidCopy + '\n' + COPY + '。\n');
  await runCheck();
  await page.waitForSelector('#ck-paid-only li');
  const named = await page.locator('#ck-paid-only li').allTextContents();
  ok('the document whose paid part holds the draft is named', named.some((t) => t.includes('XX镇2024年工作计划')), named.join('|'));
  const marks = await page.locator('#ck-draft mark.ck-copy').allTextContents();
  ok('the paid sentence is no copied span', !marks.some((m) => m.includes('乡村数字赋能')), marks.join('|'));
  ok('while the free one still is', marks.some((m) => m.includes(COPY)), marks.join('|'));
  const quotes = await page.locator('#ck-spans .ck-quote').allTextContents();
  ok('no source text from the paid part', !quotes.some((q) => q.includes('独家表述')), quotes.join('|'));
  await shot(page, '06-check-paid');
});

/* ---- the writer's tools: 校对, 脱敏, 套用 (anonymous: open to all) ---- */
const PAID = ['乡村数字赋能三年行动', '独家表述']; /* the paid part of a library document */
const toolAnswers = [];
page.on('response', async (r) => {
  if (!/\/api\/v1\/(proof|mask|fill)/.test(r.url())) return;
  try { toolAnswers.push(await r.text()); } catch (e) { /* a download */ }
});
const draftIs = (t) => page.waitForFunction((want) => document.querySelector('#draft').value === want, t);

const PROOF = '关于做好2023年粮食收购工作的通知\n衡发改粮调[2023]13号\n各县市区发展改革局：\n一、总体要求\n' +
  '（一）提高认识。截止10月底，全市收购粮食XX万吨，推进乡村数字建设。\n' +
  '（二）加强领导。各级D组要高度重视,认真做好其它工作,确保收购顺利。\n（三）压实责任。\n（三）强化督查。\n';

async function runProof() {
  await page.click('#pf-go');
  await page.waitForFunction(() => /用时|没有发现/.test(document.querySelector('#pf-status').textContent));
}

await step('校对', async () => {
  await page.fill('#draft', PROOF);
  await page.click('#tab-proof');
  ok('the 校对 tab opens', await page.locator('#panel-proof').isVisible() && page.url().endsWith('#proof'));
  await runProof();
  const kinds = await page.locator('.pf-card').evaluateAll((cs) => cs.map((c) => c.dataset.kind));
  for (const k of ['numbering_dup', 'doc_number', 'confusable', 'placeholder', 'filter_artefact', 'punct_width'])
    ok('finds ' + k, kinds.includes(k), kinds.join(' '));
  const dup = page.locator('.pf-card[data-kind="numbering_dup"]');
  const card = await dup.textContent();
  ok('the finding names its rule and standard clause', /GB\/T 9704-2012 7\.3\.3/.test(card) && /依据/.test(card), card);
  ok('and its severity and message', /警告/.test(card) && /（三）/.test(card) && /重复/.test(card), card);
  const marks = await page.locator('#pf-draft mark.pf-mark').allTextContents();
  ok('findings are marked in the text', marks.includes('[2023]13号') && marks.includes('截止') && marks.includes('（三）'), marks.join('|'));
  await shot(page, '07-proof');
  await dup.locator('.pf-fix').click();
  await draftIs(PROOF.replace('（三）强化督查', '（四）强化督查'));
  await runProof();
  ok('its suggestion is applied to the draft and the draft checked again',
    await page.locator('.pf-card[data-kind="numbering_dup"]').count() === 0 && await page.locator('.pf-card').count() > 0);
  const all = page.locator('.pf-all[data-kind="punct_width"]');
  ok('"apply all" is offered for the two half-width commas', /全部采纳（2）/.test(await all.textContent()));
  await all.click();
  await page.waitForFunction(() => document.querySelector('#draft').value.includes('高度重视，认真做好其它工作，确保'));
  await runProof();
  ok('all of one kind applied at once', await page.locator('.pf-card[data-kind="punct_width"]').count() === 0);
  /* the keyboard: a mark takes focus, Enter goes to its card, arrows move */
  await page.locator('#pf-draft mark.pf-mark').first().focus();
  await page.keyboard.press('Enter');
  const first = await page.evaluate(() => document.activeElement.id);
  await page.keyboard.press('ArrowDown');
  const second = await page.evaluate(() => document.activeElement.id);
  ok('keyboard: Enter on a mark focuses its card, ↓ the next', first === 'pf-card-0' && second === 'pf-card-1', first + ' ' + second);
  await page.locator('.pf-card[data-kind="doc_number"]').focus();
  await page.keyboard.press('Tab');
  ok('keyboard: Tab reaches the card\'s fix', await page.evaluate(() => document.activeElement.classList.contains('pf-fix')));
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('#draft').value.includes('衡发改粮调〔2023〕13号'));
  await page.waitForFunction(() => /用时|没有发现/.test(document.querySelector('#pf-status').textContent) && !document.querySelector('#pf-go').disabled);
  ok('keyboard: Enter on it applies the fix', await page.locator('.pf-card[data-kind="doc_number"]').count() === 0);
  await shot(page, '08-proof-applied');
});

const MASK = '衡阳市金雁粮食购销有限公司副总经理胡朝军同志在谢家街道调研，随后前往黄丰镇。联系电话：13812345678。\n胡朝军要求抓好收购。\n';

await step('脱敏', async () => {
  await page.fill('#draft', MASK);
  await page.click('#tab-mask');
  await page.click('#mk-go');
  await page.waitForSelector('#mk-draft');
  const persons = await page.locator('#mk-draft mark.mk-person').allTextContents();
  const places = await page.locator('#mk-draft mark.mk-place').allTextContents();
  ok('the name is marked as a person, every time', persons.filter((x) => x === '胡朝军').length === 2, persons.join('|'));
  ok('the town and the street as places', places.includes('黄丰镇') && places.includes('谢家街道'), places.join('|'));
  const masked = await page.inputValue('#mk-text');
  ok('the masked text has neither', !/胡朝军|黄丰镇|谢家街道|13812345678/.test(masked) && /XX镇/.test(masked), masked);
  const rows = await page.locator('#mk-map tbody tr').allTextContents();
  ok('the mapping lists each entity once with its count', rows.some((r) => r.includes('胡朝军') && r.endsWith('2')), rows.join('|'));
  await shot(page, '09-mask');
  await page.uncheck('#mk-k-phone');
  await page.click('#mk-go');
  await page.waitForFunction(() => document.querySelector('#mk-text') && document.querySelector('#mk-text').value.includes('13812345678'));
  ok('kinds can be left out (the phone number stays)', !(await page.inputValue('#mk-text')).includes('胡朝军'));
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#mk-dl-map')]);
  const file = path.join(ART, 'desk-mask-map.json');
  await dl.saveAs(file);
  const map = JSON.parse(fs.readFileSync(file, 'utf8'));
  ok('the mapping downloads as JSON', dl.suggestedFilename() === '脱敏对照表.json' && Array.isArray(map.spans) && map.spans.length >= 4, dl.suggestedFilename());
  await page.fill('#draft', '别的稿件');
  await page.locator('#mk-restore-box summary').click();
  await page.setInputFiles('#mk-map-file', file);
  await page.waitForFunction(() => document.querySelector('#mk-masked-in').value.length > 0);
  await page.click('#mk-restore');
  await page.waitForSelector('#mk-restored-box:not([hidden])');
  ok('restore from the mapping gives the original back exactly', (await page.inputValue('#mk-restored')) === MASK);
  await page.fill('#mk-masked-in', map.text.replace('XX镇', 'YY镇'));
  allow400 = true;
  await page.click('#mk-restore');
  await page.waitForFunction(() => /还原不了/.test(document.querySelector('#mk-r-status').textContent));
  allow400 = false;
  ok('a masked text that does not fit the mapping is refused', true);
  await page.click('#mk-use');
  ok('the restored text can become the draft', (await page.inputValue('#draft')) === MASK);
  await page.check('#mk-k-phone');
  await shot(page, '10-mask-restore');
});

const FILL = 'XX局关于XX同志任职的通知\n经研究，决定任命XX同志为XX局局长。\n';

await step('套用', async () => {
  await page.fill('#draft', FILL);
  await page.click('#tab-fill');
  await page.fill('#fl-unit', '');
  await page.fill('#fl-person', '');
  await page.click('#fl-go');
  await page.waitForSelector('#fl-kinds');
  const kinds = await page.locator('#fl-kinds li').evaluateAll((ls) => ls.map((l) => l.dataset.kind + ':' + l.textContent));
  ok('the XX slots are found and classified', kinds.some((k) => k.startsWith('unit:') && /2 处/.test(k)) && kinds.some((k) => k.startsWith('person:') && /2 处/.test(k)), kinds.join('|'));
  ok('before filling, every slot is open', await page.locator('#fl-preview mark.fl-slot.open').count() === 4);
  ok('the form asks for the kinds found', await page.locator('#fl-row-unit').isVisible() && await page.locator('#fl-row-person').isVisible() && !(await page.locator('#fl-row-date').isVisible()));
  await page.fill('#fl-unit', '海淀区发改委');
  await page.fill('#fl-person', '张明');
  await page.click('#fl-go');
  await page.waitForFunction(() => document.querySelectorAll('#fl-preview mark.fl-slot.filled').length === 4);
  const shown = await page.locator('#fl-preview mark.fl-slot.filled').allTextContents();
  ok('the preview shows the values in place', shown.join('|') === '海淀区发改委|张明|张明|海淀区发改委', shown.join('|'));
  const out = await page.inputValue('#fl-text');
  ok('the result is the filled text', out === '海淀区发改委关于张明同志任职的通知\n经研究，决定任命张明同志为海淀区发改委局长。\n', out);
  await shot(page, '11-fill');
  await page.click('#fl-use');
  ok('the result can become the draft', (await page.inputValue('#draft')) === out);
  await page.reload();
  await page.waitForSelector('#tabs .tab');
  ok('the profile is kept in this browser', (await page.inputValue('#fl-unit')) === '海淀区发改委');
});

ok('the writer\'s tools answered', toolAnswers.length >= 8, String(toolAnswers.length));
ok('no library text reaches the writer\'s tools of an anonymous caller',
  toolAnswers.every((t) => PAID.every((p) => !t.includes(p))));

await page.click('#tab-check');

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
