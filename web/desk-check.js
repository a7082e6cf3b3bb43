/* 写作台 · 查重: which stretches of the draft already stand in the library
 * (POST /api/v1/check), or in a second draft (POST /api/v1/check/compare).
 * Shows the 总重复率, the rate of each section of the draft's own outline,
 * the draft with every span highlighted (常用表述 apart), and each span's
 * sources with a link that opens the reader at the paragraph with the span
 * highlighted. Offsets in the answer are code points of its "text". */
(function () {
  'use strict';

  const desk = window.sucaiDesk;
  const { el, clear } = desk;
  let panel, result = null, checkedText = '', busy = false;

  const pct = (x) => (x * 100).toFixed(1) + '%';
  const num = (n) => Number(n).toLocaleString('zh-CN');

  function readerLink(src) {
    /* the reader takes the paragraph (at) and the stretch to highlight (hl),
     * both in code points of the document's text */
    return '/#/doc/' + src.id + '?at=' + src.start + '&hl=' + src.start + '-' + src.end;
  }

  function options() {
    const o = {};
    const min = Number(panel.querySelector('#ck-min').value);
    const common = Number(panel.querySelector('#ck-common').value);
    if (min) o.min = min;
    if (common) o.common = common;
    return o;
  }

  async function run() {
    if (busy) return;
    const text = desk.draft();
    const other = panel.querySelector('#ck-other').value;
    const compare = !panel.querySelector('#ck-compare-box').hidden;
    const status = panel.querySelector('#ck-status');
    if (!text.trim()) { status.textContent = '先在左边粘贴或上传稿件'; return; }
    if (compare && !other.trim()) { status.textContent = '对比模式：请在下面填入另一份稿件'; return; }
    busy = true;
    panel.querySelector('#ck-go').disabled = true;
    status.textContent = '正在查重…';
    const t0 = performance.now();
    try {
      const body = Object.assign({ text }, options(), compare ? { other } : {});
      const r = await desk.post(compare ? '/api/v1/check/compare' : '/api/v1/check', body);
      result = r;
      result.compare = compare;
      checkedText = text;
      render();
      const left = r.checks_left === null || r.checks_left === undefined ? '' : ' · 今日还可查 ' + r.checks_left + ' 次';
      status.textContent = '用时 ' + Math.round(performance.now() - t0) + ' 毫秒' + left;
    } catch (e) {
      status.textContent = desk.explain(e);
      if (e.code === 'quota_exceeded' && !(desk.me() && desk.me().user))
        status.append(' ', el('button', { type: 'button', class: 'link', text: '登录', onclick: desk.openLogin }));
    } finally {
      busy = false;
      panel.querySelector('#ck-go').disabled = false;
    }
  }

  async function exportDocx() {
    const text = desk.draft();
    if (!text.trim()) return;
    const status = panel.querySelector('#ck-status');
    status.textContent = '正在生成报告…';
    try {
      const body = Object.assign({ text, format: 'docx', title: desk.name() || '稿件' }, options());
      const res = await desk.post('/api/v1/check', body, true);
      desk.download(await res.blob(), '查重报告.docx');
      status.textContent = '报告已下载';
    } catch (e) {
      status.textContent = desk.explain(e);
    }
  }

  /* the draft with the spans marked; paragraphs keep their line breaks */
  function draftView(r) {
    const box = desk.markedText(r.text, r.spans, (s, i) => el('mark', {
      class: s.common ? 'ck-common' : 'ck-copy', dataset: { span: String(i) },
      title: s.common ? '常用表述（' + num(s.docs) + ' 篇文档中有）' : '重复：' + (s.sources[0] ? s.sources[0].title : ''),
    }), 'ck-draft');
    box.id = 'ck-draft';
    box.addEventListener('click', (ev) => {
      const m = ev.target.closest('mark[data-span]');
      if (!m) return;
      const card = panel.querySelector('#ck-span-' + m.dataset.span);
      if (card) {
        for (const c of panel.querySelectorAll('.ck-span.cur')) c.classList.remove('cur');
        card.classList.add('cur');
        card.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
      }
    });
    return box;
  }

  function sourceItem(src) {
    const head = el('div', { class: 'ck-src-head' });
    if (src.id) head.append(el('a', { href: readerLink(src), target: '_blank', rel: 'noopener', class: 'ck-src-title', text: src.title }));
    else head.append(el('strong', { text: src.title }));
    if (src.year) head.append(el('span', { class: 'tag', text: src.year + '年' }));
    if (src.paid) head.append(el('span', { class: 'tag paid', text: '会员内容' }));
    const where = [];
    if (src.section) where.push(src.section);
    where.push('第 ' + src.paragraph + ' 段');
    const li = el('li', { class: 'ck-src' }, head, el('div', { class: 'ck-where muted', text: where.join(' · ') }));
    if (src.text !== null && src.text !== undefined) li.append(el('blockquote', { class: 'ck-quote', text: src.text }));
    else if (src.paid) li.append(el('p', { class: 'ck-locked muted', text: '这段出自付费内容，开通会员后可见原文。' }));
    return li;
  }

  function spanCard(r, s, i) {
    const chars = desk.cps(r.text || '');
    const excerpt = chars.slice(s.start, s.end).join('');
    const len = s.end - s.start;
    const card = el('li', { class: 'ck-span' + (s.common ? ' common' : ''), id: 'ck-span-' + i },
      el('div', { class: 'ck-span-head' },
        el('span', { class: 'ck-n', text: String(i + 1) }),
        el('span', { class: 'ck-len', text: num(len) + ' 字' }),
        s.docs > s.sources.length ? el('span', { class: 'muted', text: '还见于 ' + num(s.docs) + ' 篇文档' }) : null),
      el('p', { class: 'ck-excerpt', text: excerpt.length > 120 ? excerpt.slice(0, 120) + '…' : excerpt }));
    card.addEventListener('click', (ev) => {
      if (ev.target.closest('a')) return;
      const m = panel.querySelector('mark[data-span="' + i + '"]');
      if (m) {
        m.scrollIntoView({ block: 'center', behavior: 'smooth' });
        m.classList.add('flash');
        setTimeout(() => m.classList.remove('flash'), 1200);
      }
    });
    const list = el('ol', { class: 'ck-srcs' });
    for (const src of s.sources) list.append(sourceItem(src));
    card.append(list);
    return card;
  }

  function render() {
    const out = clear(panel.querySelector('#ck-result'));
    const r = result;
    if (!r) return;
    const copied = r.spans.filter((s) => !s.common), common = r.spans.filter((s) => s.common);
    const summary = el('div', { class: 'ck-summary' },
      el('div', { class: 'ck-rate' }, el('span', { class: 'ck-rate-n', id: 'ck-overlap', text: pct(r.overlap) }), el('span', { text: '总重复率' })),
      el('ul', { class: 'ck-facts' },
        el('li', null, '重复 ', el('strong', { text: num(r.copied) }), ' 字，共 ' + num(r.chars) + ' 字'),
        el('li', null, '重复片段 ', el('strong', { text: String(copied.length) }), ' 处'),
        el('li', null, '常用表述 ' + num(r.common) + ' 字（' + common.length + ' 处，不计入重复率）'),
        r.compare ? el('li', { text: '对照：另一份稿件' }) : el('li', { text: '比对素材库 ' + num(r.library_docs) + ' 篇文档' })));
    out.append(summary);
    if (checkedText !== desk.draft())
      out.append(el('p', { class: 'ck-stale', id: 'ck-stale', text: '稿件在查重后改过了，结果对应修改前的稿件。' }));
    if (r.sections && r.sections.length) {
      const tbl = el('table', { class: 'ck-sections' },
        el('thead', null, el('tr', null, el('th', { text: '分节' }), el('th', { text: '重复率' }))));
      const tb = el('tbody');
      for (const s of r.sections) {
        const fill = el('span');
        fill.style.width = Math.min(100, s.overlap * 100).toFixed(1) + '%'; /* CSSOM: the CSP allows no style attributes */
        const bar = el('span', { class: 'ck-bar' }, fill);
        tb.append(el('tr', { class: 'l' + s.level },
          el('td', { class: 'ck-sec-h', text: s.heading }),
          el('td', { class: 'ck-sec-r' }, bar, el('span', { text: pct(s.overlap) }))));
      }
      tbl.append(tb);
      out.append(el('h2', { text: '分节重复率' }), tbl);
    }
    out.append(el('h2', { text: '稿件（黄色为重复，灰色为常用表述）' }), draftView(r));
    const spans = el('ol', { class: 'ck-spans', id: 'ck-spans' });
    r.spans.forEach((s, i) => { if (!s.common) spans.append(spanCard(r, s, i)); });
    out.append(el('h2', { text: '重复片段及来源' }));
    out.append(copied.length ? spans : el('p', { class: 'muted', text: '没有找到重复片段。' }));
    if (common.length) {
      const cl = el('ol', { class: 'ck-spans common', id: 'ck-common' });
      r.spans.forEach((s, i) => { if (s.common) cl.append(spanCard(r, s, i)); });
      out.append(el('h2', { text: '常用表述（' + common.length + ' 处，不计入重复率）' }), cl);
    }
    /* the paid rule: without membership the check counts free text only, and
     * names the documents whose paid part holds something of the draft */
    const pp = r.paid_parts;
    if (r.paid_only && r.paid_only.length) {
      const pl = el('ul', { class: 'ck-paid-only', id: 'ck-paid-only' });
      for (const d of r.paid_only)
        pl.append(el('li', null, el('a', { href: '/#/doc/' + d.id, target: '_blank', rel: 'noopener', text: d.title }),
          el('span', { class: 'tag paid', text: '会员内容' })));
      out.append(el('h2', { text: '会员内容中另有相同表述（' + r.paid_only.length + ' 篇）' }),
        el('p', { class: 'muted small', text: '以下文档的付费部分与稿件有相同表述；开通会员后查重会计入付费内容并给出原文。' }), pl);
    } else if (pp && pp.searched === false) {
      out.append(el('p', { class: 'muted small', id: 'ck-paid-note', text: '今天的付费内容比对次数已用完，本次只比对了公开内容。' }));
    }
  }

  desk.register({
    id: 'check',
    title: '查重',
    order: 10,
    mount(p) {
      panel = p;
      p.append(
        el('div', { class: 'ck-controls' },
          el('button', { type: 'button', class: 'primary', id: 'ck-go', text: '开始查重', onclick: run }),
          el('label', { class: 'ck-opt' }, '最短 ', el('input', { id: 'ck-min', type: 'number', min: 5, max: 1000, value: 13 }), ' 字'),
          el('label', { class: 'ck-opt' }, '常用表述 ≥ ', el('input', { id: 'ck-common', type: 'number', min: 1, max: 1000000, value: 50 }), ' 篇'),
          el('button', { type: 'button', class: 'btn', id: 'ck-compare', text: '与另一稿对比', onclick: () => {
            const box = p.querySelector('#ck-compare-box');
            box.hidden = !box.hidden;
            p.querySelector('#ck-compare').classList.toggle('on', !box.hidden);
            p.querySelector('#ck-go').textContent = box.hidden ? '开始查重' : '开始对比';
          } }),
          el('button', { type: 'button', class: 'btn', id: 'ck-docx', text: '导出报告（Word）', onclick: exportDocx })),
        el('div', { class: 'ck-compare-box', id: 'ck-compare-box', hidden: true },
          el('label', { for: 'ck-other', class: 'muted', text: '另一份稿件（只与它比对，不查素材库）：' }),
          el('textarea', { id: 'ck-other', spellcheck: 'false', placeholder: '粘贴另一份稿件' })),
        el('p', { class: 'muted small', text: '连续 13 字以上与素材库某一段落相同（全角半角、大小写、字间空格不计）即算重复；在很多文档里都有的说法算常用表述，单列不计入重复率。' }),
        el('div', { id: 'ck-status', class: 'status', 'aria-live': 'polite' }),
        el('div', { id: 'ck-result' }));
      desk.onDraft(() => {
        const stale = p.querySelector('#ck-stale');
        if (result && !stale && checkedText !== desk.draft()) render();
      });
    },
  });
})();
