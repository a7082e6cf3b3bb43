/* 写作台: one draft, several tools over it as tabs.
 *
 * This file is the frame: the draft (pasted or uploaded, kept in this
 * browser), the tab bar, and the helpers every tool uses (the DOM, API and
 * login helpers come from common.js, window.sucai). A tool is
 * one file that calls
 *
 *   sucaiDesk.register({ id: 'check', title: '查重', order: 10,
 *                        mount(panel, desk) { ... }, shown(desk) { ... } });
 *
 * and one <script> line in desk.html. mount() builds the tool's panel once;
 * shown() (optional) runs each time its tab is opened. Tools read the draft
 * with desk.draft(), hear of changes through desk.onDraft(fn), call the API
 * with desk.api() or desk.post() (which add the CSRF token of a logged-in
 * session) and count offsets in code points with desk.cps(). Shared
 * helpers: desk.markedText() (the draft with stretches marked),
 * desk.splice() (replace code-point ranges), desk.flash() (show a mark),
 * desk.download(),
 * desk.busy() (one run at a time, errors to a status line). */
(function () {
  'use strict';

  const $ = (id) => document.getElementById(id);
  const KEY = 'sucai.desk.draft';
  const tabs = [];
  const listeners = [];
  const state = { name: '', current: null };

  const S = window.sucai;
  const { el, clear, toast, api } = S;

  /* The API's error codes in the desk's words (the common ones are in
   * common.js). */
  const MESSAGES = {
    quota_exceeded: () => '今日查重次数已用完' + (S.session.me && S.session.me.user ? '，明天再来' : '，登录后可用更多次数'),
    too_large: (e) => /characters/.test(e.message) ? '稿件太长：一次最多 20 万字' : '文件太大，超出了上限',
    payload_too_large: (e) => MESSAGES.too_large(e),
    unsupported: '不支持这种文件：请用 .txt、.docx 或 .md（.doc、.wps 请先另存为 .docx）',
    bad_draft: (e) => {
      if (/empty/.test(e.message)) return '稿件是空的';
      if (/binary/.test(e.message)) return '这不是文本文件';
      return '读不了这份稿件：' + e.message;
    },
  };
  const explain = (e) => S.explain(e, MESSAGES);

  /* ---- the draft ---- */

  function draft() { return $('draft').value; }
  function cps(s) { return Array.from(s); }

  function setDraft(text, name) {
    $('draft').value = text;
    state.name = name || '';
    changed();
  }

  function changed() {
    const t = draft();
    try { localStorage.setItem(KEY, t); } catch (e) { /* full or private: the draft just is not kept */ }
    const n = cps(t).length;
    $('draft-count').textContent = n ? n.toLocaleString('zh-CN') + ' 字' : '';
    $('draft-note').textContent = state.name ? '来自 ' + state.name : '';
    for (const fn of listeners) fn(t);
  }

  async function upload(file) {
    const fd = new FormData();
    fd.append('file', file, file.name);
    $('draft-note').textContent = '正在读取 ' + file.name + '…';
    try {
      const r = await api('/api/v1/draft', { method: 'POST', body: fd });
      setDraft(r.text, file.name);
      toast('已读取 ' + file.name + '（' + r.chars.toLocaleString('zh-CN') + ' 字）');
    } catch (e) {
      $('draft-note').textContent = '';
      toast(explain(e), true);
    }
  }

  /* ---- helpers the tools share ---- */

  /* POST a JSON body, answer the parsed JSON (or the Response with raw). */
  function post(path, body, raw) {
    return api(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), raw });
  }

  /* Save a Blob or a string as a file. */
  function download(data, filename, type) {
    const blob = data instanceof Blob ? data : new Blob([data], { type: type || 'text/plain;charset=utf-8' });
    const a = el('a', { href: URL.createObjectURL(blob), download: filename });
    document.body.append(a);
    a.click();
    setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }

  /* Run fn once at a time with the button disabled; an error goes to the
   * status line in the page's words. Answers fn's result or undefined. */
  async function busy(button, status, fn) {
    if (button.disabled) return undefined;
    button.disabled = true;
    try {
      return await fn();
    } catch (e) {
      if (status) status.textContent = explain(e);
      return undefined;
    } finally {
      button.disabled = false;
    }
  }

  /* A text with stretches marked, paragraph by paragraph (line breaks kept).
   * spans: [{start, end}] in code points, sorted; a span overlapping the
   * one before is skipped. make(span, index) answers the element that holds
   * the span's characters (a span across a line break goes on in a clone). */
  function markedText(text, spans, make, cls) {
    const chars = cps(text || '');
    const box = el('div', { class: cls || 'marked' });
    const pc = 'ck-para';
    let p = el('p', { class: pc });
    let at = 0;
    const flushTo = (end, node) => {
      while (at < end) {
        const nl = chars.indexOf('\n', at);
        const stop = nl < 0 || nl >= end ? end : nl;
        if (stop > at) (node || p).append(chars.slice(at, stop).join(''));
        at = stop;
        if (at < end && chars[at] === '\n') {
          box.append(p);
          p = el('p', { class: pc });
          if (node) {
            const cont = node.cloneNode(false);
            cont.removeAttribute('id');
            p.append(cont);
            node = cont;
          }
          at++;
        }
      }
    };
    spans.forEach((s, i) => {
      if (s.start < at || s.end > chars.length) return;
      flushTo(s.start);
      const m = make(s, i);
      p.append(m);
      flushTo(Math.max(s.end, s.start), m);
    });
    flushTo(chars.length);
    box.append(p);
    return box;
  }

  /* Scroll a marked stretch into view and outline it for a moment. */
  function flash(m) {
    if (!m) return;
    m.scrollIntoView({ block: 'center', behavior: 'smooth' });
    m.classList.add('flash');
    setTimeout(() => m.classList.remove('flash'), 1200);
  }

  /* text with the code-point ranges of edits [{start, end, text}] replaced
   * (edits that overlap an earlier one are left out); answers the new text. */
  function splice(text, edits) {
    const chars = cps(text);
    const sorted = edits.slice().sort((a, b) => a.start - b.start || a.end - b.end);
    const out = [];
    let at = 0;
    for (const e of sorted) {
      if (e.start < at || e.end > chars.length) continue;
      out.push(chars.slice(at, e.start).join(''), e.text);
      at = e.end;
    }
    out.push(chars.slice(at).join(''));
    return out.join('');
  }

  /* ---- who ---- */

  const who = S.who({ own: MESSAGES });
  const openLogin = who.open;

  /* ---- tabs ---- */

  const desk = {
    el, clear, toast, api, explain, draft, setDraft, cps, openLogin,
    post, download, busy, markedText, splice, flash,
    me: () => S.session.me,
    name: () => state.name,
    onDraft: (fn) => listeners.push(fn),
    register(tab) { tabs.push(tab); },
  };
  window.sucaiDesk = desk;

  function select(id, push) {
    const tab = tabs.find((t) => t.id === id) || tabs[0];
    if (!tab) return;
    state.current = tab.id;
    for (const t of tabs) {
      const on = t === tab;
      t.button.classList.toggle('on', on);
      t.button.setAttribute('aria-selected', on ? 'true' : 'false');
      t.button.tabIndex = on ? 0 : -1;
      t.panel.hidden = !on;
    }
    if (push && location.hash !== '#' + tab.id) history.replaceState(null, '', '#' + tab.id);
    if (tab.shown) tab.shown(desk);
  }

  function init() {
    tabs.sort((a, b) => (a.order || 0) - (b.order || 0));
    const bar = $('tabs'), panels = $('panels');
    for (const t of tabs) {
      t.button = el('button', { type: 'button', role: 'tab', id: 'tab-' + t.id, 'aria-controls': 'panel-' + t.id,
        class: 'tab', text: t.title, onclick: () => select(t.id, true) });
      t.panel = el('section', { role: 'tabpanel', id: 'panel-' + t.id, 'aria-labelledby': 'tab-' + t.id, class: 'panel tool', hidden: true });
      bar.append(t.button);
      panels.append(t.panel);
      t.mount(t.panel, desk);
    }
    bar.addEventListener('keydown', (ev) => {
      if (ev.key !== 'ArrowRight' && ev.key !== 'ArrowLeft') return;
      const i = tabs.findIndex((t) => t.id === state.current);
      const n = tabs[(i + (ev.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length];
      select(n.id, true);
      n.button.focus();
    });
    let kept = '';
    try { kept = localStorage.getItem(KEY) || ''; } catch (e) { kept = ''; }
    $('draft').value = kept;
    changed();
    select(location.hash.replace(/^#/, ''), false);
  }

  $('draft').addEventListener('input', () => { state.name = ''; changed(); });
  $('draft-clear').addEventListener('click', () => { setDraft('', ''); $('draft').focus(); });
  $('draft-file').addEventListener('change', (ev) => {
    const f = ev.target.files && ev.target.files[0];
    if (f) upload(f);
    ev.target.value = '';
  });
  const pane = document.querySelector('.draft-pane');
  pane.addEventListener('dragover', (ev) => { ev.preventDefault(); pane.classList.add('over'); });
  pane.addEventListener('dragleave', () => pane.classList.remove('over'));
  pane.addEventListener('drop', (ev) => {
    ev.preventDefault();
    pane.classList.remove('over');
    const f = ev.dataTransfer.files && ev.dataTransfer.files[0];
    if (f) upload(f);
  });
  window.addEventListener('hashchange', () => select(location.hash.replace(/^#/, ''), false));
  document.addEventListener('DOMContentLoaded', () => { init(); who.load(); });
})();
