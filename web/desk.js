/* 写作台: one draft, several tools over it as tabs.
 *
 * This file is the frame: the draft (pasted or uploaded, kept in this
 * browser), the tab bar, login, and the helpers every tool uses. A tool is
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
 * desk.splice() (replace code-point ranges), desk.download(),
 * desk.busy() (one run at a time, errors to a status line). */
(function () {
  'use strict';

  const $ = (id) => document.getElementById(id);
  const KEY = 'sucai.desk.draft';
  const tabs = [];
  const listeners = [];
  const state = { me: null, csrf: null, name: '', current: null };

  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    if (attrs) {
      for (const [k, v] of Object.entries(attrs)) {
        if (v === null || v === undefined || v === false) continue;
        if (k === 'class') e.className = v;
        else if (k === 'text') e.textContent = v;
        else if (k === 'dataset') Object.assign(e.dataset, v);
        else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
        else e.setAttribute(k, v === true ? '' : String(v));
      }
    }
    for (const k of kids) {
      if (k === null || k === undefined || k === false) continue;
      e.append(k instanceof Node ? k : document.createTextNode(String(k)));
    }
    return e;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }

  let toastTimer = 0;
  function toast(msg, bad) {
    const t = $('toast');
    t.textContent = msg;
    t.className = 'toast' + (bad ? ' bad' : '');
    t.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { t.hidden = true; }, 2600);
  }

  class ApiError extends Error {
    constructor(status, code, message) {
      super(message);
      this.status = status; this.code = code;
    }
  }

  async function api(path, opts) {
    opts = opts || {};
    const headers = Object.assign({}, opts.headers || {});
    if (opts.method && opts.method !== 'GET' && state.csrf) headers['X-CSRF-Token'] = state.csrf;
    const res = await fetch(path, Object.assign({}, opts, { headers, credentials: 'same-origin' }));
    if (!res.ok) {
      let err = { code: 'http_' + res.status, message: res.statusText || ('HTTP ' + res.status) };
      try {
        const j = await res.json();
        if (j && j.error) err = j.error;
      } catch (e) { /* not JSON */ }
      throw new ApiError(res.status, err.code, err.message);
    }
    return opts.raw ? res : res.json();
  }

  /* Server messages are English (the API's); the page speaks Chinese. */
  function explain(e) {
    if (!(e instanceof ApiError)) return '网络错误，请稍后再试';
    switch (e.code) {
      case 'unauthorized': return '请先登录';
      case 'forbidden': return '当前账户没有这项权限';
      case 'csrf': return '登录状态已过期，请刷新页面后重试';
      case 'quota_exceeded': return '今日查重次数已用完' + (state.me && state.me.user ? '，明天再来' : '，登录后可用更多次数');
      case 'too_large': case 'payload_too_large':
        return /characters/.test(e.message) ? '稿件太长：一次最多 20 万字' : '文件太大，超出了上限';
      case 'unsupported': return '不支持这种文件：请用 .txt、.docx 或 .md（.doc、.wps 请先另存为 .docx）';
      case 'bad_draft':
        if (/empty/.test(e.message)) return '稿件是空的';
        if (/binary/.test(e.message)) return '这不是文本文件';
        return '读不了这份稿件：' + e.message;
    }
    if (e.status >= 500) return '服务器出错了，请稍后再试';
    return e.message;
  }

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

  const TIER_NAMES = { anonymous: '未登录', free: '免费用户', vip: 'VIP', svip: 'SVIP' };

  async function loadMe() {
    try {
      state.me = await api('/api/v1/me');
      state.csrf = state.me.csrf || null;
    } catch (e) {
      state.me = null;
    }
    renderWho();
  }

  function renderWho() {
    const w = clear($('who'));
    const me = state.me;
    if (me && me.user) {
      const roles = me.roles || [];
      const badge = roles.includes('admin') ? '管理员' : roles.includes('editor') ? '编辑' : (TIER_NAMES[me.tier] || me.tier);
      w.append(el('span', { class: 'user', text: me.user }), el('span', { class: 'tier', text: badge }),
        el('button', { type: 'button', class: 'link', text: '退出', onclick: logout }));
    } else {
      w.append(el('button', { type: 'button', class: 'link', id: 'login-open', text: '登录', onclick: openLogin }));
    }
  }

  function openLogin() {
    $('login-error').hidden = true;
    const d = $('login');
    if (typeof d.showModal === 'function') d.showModal(); else d.setAttribute('open', '');
    $('login-name').focus();
  }

  async function logout() {
    try { await api('/api/v1/session', { method: 'DELETE' }); } catch (e) { /* gone anyway */ }
    state.me = null; state.csrf = null;
    await loadMe();
  }

  /* ---- tabs ---- */

  const desk = {
    el, clear, toast, api, explain, draft, setDraft, cps, openLogin,
    post, download, busy, markedText, splice,
    me: () => state.me,
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
  $('login-cancel').addEventListener('click', () => $('login').close());
  $('login-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      state.me = await api('/api/v1/session', {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: $('login-name').value, password: $('login-pass').value }),
      });
      state.csrf = state.me.csrf || null;
      $('login-pass').value = '';
      $('login').close();
      renderWho();
      toast('欢迎，' + state.me.user);
    } catch (e) {
      $('login-error').textContent = e.status === 401 ? '用户名或密码不对' : explain(e);
      $('login-error').hidden = false;
    }
  });
  window.addEventListener('hashchange', () => select(location.hash.replace(/^#/, ''), false));
  document.addEventListener('DOMContentLoaded', () => { init(); loadMe(); });
})();
