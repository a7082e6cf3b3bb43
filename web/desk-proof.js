/* 写作台 · 校对: proofread the draft (POST /api/v1/proof). Shows the draft
 * with every finding marked by severity, and each finding with its message,
 * its rule and the standard clause it rests on, and — where the fix is
 * certain — a button that applies the suggestion to the draft and checks
 * again; "全部采纳" applies every suggestion of one kind. Everything is
 * reachable from the keyboard: the marks and the cards take focus, Enter on
 * a mark goes to its card, ↑/↓ move between cards. Offsets are code points
 * of the draft that was sent. Reads the caller's own draft only. */
(function () {
  'use strict';

  const desk = window.sucaiDesk;
  const { el, clear } = desk;
  let panel, result = null, checkedText = '';

  const KINDS = {
    numbering_gap: '序号缺漏', numbering_dup: '序号重复', numbering_order: '层级顺序',
    doubled_char: '重复字', placeholder: '占位符', filter_artefact: '过滤残留',
    punct_width: '标点全半角', bracket_unbalanced: '括号不配对', quote_unbalanced: '引号不配对',
    doc_number: '发文字号', date_format: '日期格式', confusable: '易混词',
  };
  const SEVERITY = { error: '错误', warning: '警告', info: '提示' };

  /* "kind: 说明（GB/T 9704-2012 7.3.3）" -> the explanation and the clause */
  function ruleParts(rule) {
    const body = String(rule || '').replace(/^[a-z_]+:\s*/, '');
    const m = body.match(/^(.*)（([^（）]*)）$/);
    return m ? { what: m[1], clause: m[2] } : { what: body, clause: '' };
  }

  const status = () => panel.querySelector('#pf-status');

  async function run() {
    const text = desk.draft();
    if (!text.trim()) { status().textContent = '先在左边粘贴或上传稿件'; return; }
    status().textContent = '正在校对…';
    const t0 = performance.now();
    await desk.busy(panel.querySelector('#pf-go'), status(), async () => {
      result = await desk.post('/api/v1/proof', { text });
      checkedText = text;
      render();
      const n = result.findings.length;
      status().textContent = (n ? '发现 ' + n + ' 处问题' : '没有发现问题') + ' · 用时 ' + Math.round(performance.now() - t0) + ' 毫秒';
    });
  }

  /* apply the suggestions of findings fs to the draft, then check again */
  async function apply(fs) {
    if (desk.draft() !== checkedText) {
      desk.toast('稿件在校对后改过了，先重新校对', true);
      await run();
      return;
    }
    const edits = fs.filter((f) => f.suggestion !== null).map((f) => ({ start: f.start, end: f.end, text: f.suggestion }));
    if (!edits.length) return;
    desk.setDraft(desk.splice(checkedText, edits), desk.name());
    desk.toast('已修改 ' + edits.length + ' 处');
    await run();
    const first = panel.querySelector('.pf-card');
    (first || panel.querySelector('#pf-go')).focus();
  }

  function focusCard(i) {
    const card = panel.querySelector('#pf-card-' + i);
    if (!card) return;
    for (const c of panel.querySelectorAll('.pf-card.cur')) c.classList.remove('cur');
    card.classList.add('cur');
    card.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
    card.focus({ preventScroll: true });
  }

  function card(f, i) {
    const chars = desk.cps(checkedText);
    const rp = ruleParts(f.rule);
    const head = el('div', { class: 'pf-head' },
      el('span', { class: 'pf-sev ' + f.severity, text: SEVERITY[f.severity] || f.severity }),
      el('span', { class: 'pf-kind', text: KINDS[f.kind] || f.kind }),
      el('q', { class: 'pf-text', text: chars.slice(f.start, f.end).join('') || '（此处）' }));
    const li = el('li', { class: 'pf-card ' + f.severity, id: 'pf-card-' + i, tabindex: -1, dataset: { i: String(i), kind: f.kind } },
      head,
      el('p', { class: 'pf-msg', text: f.message }),
      el('p', { class: 'pf-rule muted' }, '依据：' + rp.what, rp.clause ? el('span', { class: 'pf-clause', text: rp.clause }) : null));
    if (f.suggestion !== null) {
      li.append(el('button', { type: 'button', class: 'btn pf-fix', text: '改为“' + f.suggestion + '”',
        'aria-label': '采纳建议：把“' + chars.slice(f.start, f.end).join('') + '”改为“' + f.suggestion + '”',
        onclick: () => apply([f]) }));
    }
    li.addEventListener('click', (ev) => {
      if (ev.target.closest('button')) return;
      const m = panel.querySelector('mark[data-f="' + i + '"]');
      if (m) { m.scrollIntoView({ block: 'center', behavior: 'smooth' }); m.classList.add('flash'); setTimeout(() => m.classList.remove('flash'), 1200); }
    });
    return li;
  }

  function render() {
    const out = clear(panel.querySelector('#pf-result'));
    const r = result;
    if (!r) return;
    const fs = r.findings;
    if (checkedText !== desk.draft())
      out.append(el('p', { class: 'ck-stale', id: 'pf-stale', text: '稿件在校对后改过了，结果对应修改前的稿件。' }));
    const bySev = { error: 0, warning: 0, info: 0 };
    const byKind = new Map();
    for (const f of fs) {
      bySev[f.severity] = (bySev[f.severity] || 0) + 1;
      if (!byKind.has(f.kind)) byKind.set(f.kind, []);
      byKind.get(f.kind).push(f);
    }
    out.append(el('ul', { class: 'pf-summary', id: 'pf-summary' },
      ...['error', 'warning', 'info'].map((s) => el('li', { class: 'pf-sev ' + s, text: SEVERITY[s] + ' ' + bySev[s] }))));
    if (!fs.length) {
      out.append(el('p', { class: 'muted', id: 'pf-none', text: '没有发现问题。校对按固定规则检查序号、标点、发文字号、日期、占位符和易混词，不改人名、地名和单位名。' }));
      return;
    }
    /* one line per kind, with 全部采纳 where two or more fixes are certain */
    const kinds = el('ul', { class: 'pf-kinds', id: 'pf-kinds' });
    for (const [k, list] of byKind) {
      const fixable = list.filter((f) => f.suggestion !== null);
      kinds.append(el('li', { dataset: { kind: k } },
        el('span', { class: 'pf-kind', text: KINDS[k] || k }), ' ' + list.length + ' 处',
        fixable.length > 1 ? el('button', { type: 'button', class: 'btn pf-all', dataset: { kind: k },
          text: '全部采纳（' + fixable.length + '）', onclick: () => apply(fixable) }) : null));
    }
    out.append(kinds);
    const view = desk.markedText(checkedText, fs, (f, i) => el('mark', {
      class: 'pf-mark ' + f.severity, tabindex: 0, dataset: { f: String(i) },
      title: (KINDS[f.kind] || f.kind) + '：' + f.message, 'aria-label': (SEVERITY[f.severity] || '') + '：' + f.message,
    }), 'ck-draft pf-draft');
    view.id = 'pf-draft';
    const toCard = (ev) => {
      const m = ev.target.closest('mark[data-f]');
      if (m) focusCard(m.dataset.f);
    };
    view.addEventListener('click', toCard);
    view.addEventListener('keydown', (ev) => { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); toCard(ev); } });
    out.append(el('h2', { text: '稿件（红色为错误，黄色为警告，蓝色为提示）' }), view);
    const list = el('ol', { class: 'pf-cards', id: 'pf-cards' });
    fs.forEach((f, i) => list.append(card(f, i)));
    list.addEventListener('keydown', (ev) => {
      if (ev.key !== 'ArrowDown' && ev.key !== 'ArrowUp') return;
      const cur = ev.target.closest('.pf-card');
      if (!cur) return;
      ev.preventDefault();
      const next = ev.key === 'ArrowDown' ? cur.nextElementSibling : cur.previousElementSibling;
      if (next) focusCard(next.dataset.i);
    });
    out.append(el('h2', { text: '问题清单' }), list);
  }

  desk.register({
    id: 'proof',
    title: '校对',
    order: 20,
    mount(p) {
      panel = p;
      p.append(
        el('div', { class: 'ck-controls' },
          el('button', { type: 'button', class: 'primary', id: 'pf-go', text: '开始校对', onclick: run })),
        el('p', { class: 'muted small', text: '按 GB/T 9704-2012（公文格式）、GB/T 15834-2011（标点符号）、GB/T 15835-2011（数字用法）等检查序号、标点、发文字号、成文日期、占位符和易混词；每处写明依据。能确定的改法可一键采纳。方向键 ↑↓ 在问题间移动。' }),
        el('div', { id: 'pf-status', class: 'status', 'aria-live': 'polite' }),
        el('div', { id: 'pf-result' }));
      desk.onDraft(() => {
        /* the stale note comes and goes with the draft */
        if (result && !p.querySelector('#pf-stale') !== (checkedText === desk.draft())) render();
      });
    },
  });
})();
