/*
 * 素材库 web pages, what every page shares (loaded before the page's own
 * script, as window.sucai): building DOM from text (el, clear), the toast,
 * the API call with the session's CSRF token and its errors in Chinese
 * (api, ApiError, explain), and who-am-I with the login dialog (who). The
 * login dialog and the toast are built here, so a page's HTML has only its
 * own parts and a <span id="who"> in its header. Every piece of text from
 * the server is set with textContent or createTextNode, never parsed as HTML.
 */
(function () {
  'use strict';

  const $ = (id) => document.getElementById(id);

  /* ---- DOM building (text only) ---- */

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

  /* The login dialog and the toast, at the end of the body. */
  document.body.append(
    el('dialog', { id: 'login' },
      el('form', { id: 'login-form', method: 'dialog' },
        el('h2', { text: '登录' }),
        el('label', null, '用户名 ', el('input', { id: 'login-name', name: 'name', autocomplete: 'username', required: true, maxlength: 63 })),
        el('label', null, '密码 ', el('input', {
          id: 'login-pass', name: 'password', type: 'password', autocomplete: 'current-password', required: true, maxlength: 1024,
        })),
        el('p', { id: 'login-error', class: 'error', hidden: true }),
        el('div', { class: 'actions' },
          el('button', { type: 'submit', class: 'primary', text: '登录' }),
          el('button', { type: 'button', id: 'login-cancel', class: 'link', text: '取消' })))),
    el('div', { id: 'toast', class: 'toast', role: 'status', 'aria-live': 'polite', hidden: true }));

  let toastTimer = 0;
  function toast(msg, bad) {
    const t = $('toast');
    t.textContent = msg;
    t.className = 'toast' + (bad ? ' bad' : '');
    t.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { t.hidden = true; }, 2600);
  }

  /* ---- the API ---- */

  /* Who is logged in: me is GET /api/v1/me's answer (or null), csrf the
   * token every call other than GET carries. */
  const session = { me: null, csrf: null };

  class ApiError extends Error {
    constructor(status, code, message, position) {
      super(message);
      this.status = status; this.code = code; this.position = position;
    }
  }

  async function api(path, opts) {
    opts = opts || {};
    const headers = Object.assign({}, opts.headers || {});
    if (opts.method && opts.method !== 'GET' && session.csrf) headers['X-CSRF-Token'] = session.csrf;
    const res = await fetch(path, Object.assign({}, opts, { headers, credentials: 'same-origin' }));
    if (!res.ok) {
      let err = { code: 'http_' + res.status, message: res.statusText || ('HTTP ' + res.status) };
      try {
        const j = await res.json();
        if (j && j.error) err = j.error;
      } catch (e) { /* not JSON */ }
      throw new ApiError(res.status, err.code, err.message, err.position);
    }
    return opts.raw ? res : res.json();
  }

  /* Server messages are English (the API's); the pages speak Chinese.
   * These are the codes every page may meet; a page passes its own as own:
   * { code: '中文' or function (e) answering it }, looked at first. */
  const MESSAGES = {
    unauthorized: '请先登录',
    forbidden: '当前账户没有这项权限',
    csrf: '登录状态已过期，请刷新页面后重试',
    too_many_attempts: '尝试次数过多，请稍后再试',
    account_disabled: '该账户已停用',
  };

  function explain(e, own) {
    if (!(e instanceof ApiError)) return '网络错误，请稍后再试';
    const m = own && Object.prototype.hasOwnProperty.call(own, e.code) ? own[e.code]
      : Object.prototype.hasOwnProperty.call(MESSAGES, e.code) ? MESSAGES[e.code] : undefined;
    if (m !== undefined) return typeof m === 'function' ? m(e) : m;
    if (e.status >= 500) return '服务器出错了，请稍后再试';
    return e.message;
  }

  /* ---- who am I, login ---- */

  const TIER_NAMES = { anonymous: '未登录', free: '免费用户', vip: 'VIP', svip: 'SVIP' };

  /* Who-am-I in <span id="who"> and the login dialog. The page's opts:
   * shown(me) after each change of who (me null when nobody is logged in),
   * loggedIn(me) after a login, loggedOut() after a logout, own the page's
   * messages for explain(). Answers { load, open, logout }. */
  function who(opts) {
    opts = opts || {};

    async function load() {
      try {
        session.me = await api('/api/v1/me');
        session.csrf = session.me.csrf || null;
      } catch (e) {
        session.me = null;
      }
      render();
    }

    function render() {
      const w = clear($('who'));
      const me = session.me;
      if (me && me.user) {
        const roles = me.roles || [];
        const badge = roles.includes('admin') ? '管理员' : roles.includes('editor') ? '编辑' : (TIER_NAMES[me.tier] || me.tier);
        w.append(el('span', { class: 'user', text: me.user }),
          el('span', { class: 'tier', text: badge }),
          el('button', { type: 'button', class: 'link', text: '退出', onclick: logout }));
      } else {
        w.append(el('button', { type: 'button', class: 'link', id: 'login-open', text: '登录', onclick: open }));
      }
      if (opts.shown) opts.shown(session.me);
    }

    function open() {
      $('login-error').hidden = true;
      const d = $('login');
      if (typeof d.showModal === 'function') d.showModal(); else d.setAttribute('open', '');
      $('login-name').focus();
    }

    async function logout() {
      try { await api('/api/v1/session', { method: 'DELETE' }); } catch (e) { /* gone anyway */ }
      session.me = null; session.csrf = null;
      await load();
      if (opts.loggedOut) opts.loggedOut();
    }

    $('login-cancel').addEventListener('click', () => $('login').close());
    $('login-form').addEventListener('submit', async (ev) => {
      ev.preventDefault();
      try {
        session.me = await api('/api/v1/session', {
          method: 'POST', headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ name: $('login-name').value, password: $('login-pass').value }),
        });
        session.csrf = session.me.csrf || null;
        $('login-pass').value = '';
        $('login').close();
        render();
        toast('欢迎，' + session.me.user);
        if (opts.loggedIn) opts.loggedIn(session.me);
      } catch (e) {
        $('login-error').textContent = e.status === 401 ? '用户名或密码不对' : explain(e, opts.own);
        $('login-error').hidden = false;
      }
    });

    return { load, open, logout };
  }

  window.sucai = { $, el, clear, toast, session, ApiError, api, explain, who };
})();
