/*
 * 素材库 web page: search (results as you type, facets, paging), the reader
 * (outline, highlighted hits, collapsible sections, copy), the 汇编 cart
 * (kept in localStorage, compiled by POST /api/v1/compile), the import page
 * and login (the helpers every page shares are common.js's, window.sucai). Plain DOM: every piece of text from the server is set with
 * textContent or createTextNode, never parsed as HTML.
 */
(function () {
  'use strict';

  const LIMIT = 20;
  const DEBOUNCE_MS = 120;
  const FIELDS = ['genre', 'year', 'level', 'section'];
  const FIELD_NAMES = { genre: '文种', year: '年份', level: '层级', section: '章节类型' };
  const KIND_NAMES = {
    overview: '情况', work: '做法', results: '成效', problems: '问题', plans: '打算', notes: '注释',
    other: '其他',
  };
  const STATUS_NAMES = { imported: '已导入', duplicate: '重复', refused: '未导入' };

  const $ = (id) => document.getElementById(id);

  /* Extensions (daily.js: 今日更新, saved searches, quick find, 提纲, the
   * shelf) register here: routes(path, params) returns true when it shows
   * the view; hits(list, data) after results; doc(d, article) after the
   * reader; me(me) after who-am-I; cart() after the cart changed. */
  const hooks = { routes: [], hits: [], doc: [], me: [], cart: [] };
  const runHooks = (name, ...args) => { for (const f of hooks[name]) { try { f(...args); } catch (e) { console.error(e); } } };

  const S = window.sucai;
  const { el, clear, toast, api, ApiError } = S;

  function fmtNum(n) {
    return Number(n).toLocaleString('zh-CN');
  }

  function fmtChars(n) {
    return n >= 10000 ? (n / 10000).toFixed(n >= 100000 ? 0 : 1) + ' 万字' : fmtNum(n) + ' 字';
  }

  /* ---- the API ---- */

  const state = {
    q: '', mode: 'doc', offset: 0,
    filters: { genre: [], year: [], level: [], section: [] },
    get me() { return S.session.me; },
    get csrf() { return S.session.csrf; },
    hits: [], sel: -1,
    cart: loadCart(),
    copySource: localStorage.getItem('sucai.copySource') !== '0',
  };

  /* The API's error codes in the page's words (the common ones are in
   * common.js). */
  const MESSAGES = {
    quota_exceeded: '今日下载次数已用完，明天再来',
    not_found: '找不到这篇文档（可能已被删除）',
    payload_too_large: '内容太大，超出了上限',
    too_large: '内容太大，超出了上限',
    too_many_files: '一次上传的文件太多',
    bad_query: (e) => '查询有误：' + queryMessage(e.message),
    query_too_long: '查询太长了',
    bad_filter: '筛选条件有误',
    bad_encoding: '查询里有无法识别的字符',
  };
  const explain = (e) => S.explain(e, MESSAGES);

  /* The query parser's English messages, in Chinese (the position is shown apart). */
  function queryMessage(m) {
    const rules = [
      [/unbalanced \(/, '左括号没有配对的右括号'],
      [/unbalanced \)/, '右括号没有配对的左括号'],
      [/empty \( \)/, '括号里是空的'],
      [/unterminated quote/, '引号没有闭合'],
      [/without a left operand/, '“|”或 OR 前面缺少词'],
      [/without a right operand/, '“|”或 OR 后面缺少词'],
      [/'-' without a term/, '减号后面要跟要排除的词'],
      [/missing term/, '这里缺少搜索词'],
      [/empty term/, '这里缺少搜索词'],
      [/empty value for/, '字段后面缺少值，如 genre:工作总结'],
      [/unknown section kind/, '章节类型只能是：情况、做法、成效、问题、打算、注释、其他'],
      [/bad year/, '年份的写法是 year:2023 或 year:2019-2023'],
      [/too complex/, '查询太复杂，请减少词语或运算符'],
      [/nested too deeply/, '括号嵌套太深'],
      [/term too long/, '单个词太长'],
      [/too long/, '查询太长'],
      [/invalid UTF-8/, '含有无法识别的字符'],
    ];
    for (const [re, zh] of rules) if (re.test(m)) return zh;
    return m;
  }

  /* ---- search normalisation (the server's rules 1-4), with a map back ---- */

  function isCjk(cp) {
    return (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0x3400 && cp <= 0x4dbf) ||
      (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0x20000 && cp <= 0x3134f);
  }

  function foldCp(c) {
    if (c >= 0xff01 && c <= 0xff5e) c -= 0xfee0;
    else if (c === 0x3000) c = 0x20;
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    return c;
  }

  /* cps: array of code points; returns { n: normalised cps, map: index into cps } */
  function normalize(cps) {
    const f = [], fm = [];
    for (let i = 0; i < cps.length; i++) {
      const c = cps[i];
      if ((c >= 0x200b && c <= 0x200d) || c === 0x2060 || c === 0xfeff) continue;
      f.push(foldCp(c)); fm.push(i);
    }
    const n = [], map = [];
    for (let i = 0; i < f.length; i++) {
      const c = f[i];
      if (c === 0x20 || c === 0x09 || c === 0xa0) {
        let j = i;
        while (j < f.length && (f[j] === 0x20 || f[j] === 0x09 || f[j] === 0xa0)) j++;
        if (n.length && isCjk(n[n.length - 1]) && j < f.length && isCjk(f[j])) { i = j - 1; continue; }
      }
      n.push(c); map.push(fm[i]);
    }
    return { n, map };
  }

  function toCps(s) { return Array.from(s, (ch) => ch.codePointAt(0)); }

  /* Plain terms of a query for highlighting in the reader (operators,
   * exclusions and fields dropped). */
  function queryTerms(q) {
    const terms = [];
    const re = /"([^"]*)"|(\S+)/g;
    let m;
    while ((m = re.exec(q || '')) !== null) {
      let t = m[1] !== undefined ? m[1] : m[2];
      if (m[1] === undefined) {
        if (t === 'OR' || t === '|' || t.startsWith('-')) continue;
        if (/^[a-zA-Z]+:/.test(t)) continue;
        t = t.replace(/[()|]/g, '');
      }
      t = t.trim();
      if (t) terms.push(normalize(toCps(t)).n);
    }
    return terms.filter((t) => t.length > 0);
  }

  /* [start, end) code point ranges of the terms in text, merged. */
  function findTerms(text, terms) {
    if (!terms.length) return [];
    const cps = toCps(text);
    const { n, map } = normalize(cps);
    const ranges = [];
    for (const t of terms) {
      outer: for (let i = 0; i + t.length <= n.length; i++) {
        for (let k = 0; k < t.length; k++) if (n[i + k] !== t[k]) continue outer;
        ranges.push([map[i], map[i + t.length - 1] + 1]);
      }
    }
    ranges.sort((a, b) => a[0] - b[0]);
    const out = [];
    for (const r of ranges) {
      const last = out[out.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
      else out.push(r.slice());
    }
    return out;
  }

  /* Text with [start, end) code point ranges wrapped in <mark>. */
  function marked(text, ranges) {
    const frag = document.createDocumentFragment();
    const chars = Array.from(text);
    let pos = 0;
    for (const [s, e] of ranges) {
      if (s < pos || s >= chars.length) continue;
      if (s > pos) frag.append(chars.slice(pos, s).join(''));
      frag.append(el('mark', { text: chars.slice(s, Math.min(e, chars.length)).join('') }));
      pos = Math.min(e, chars.length);
    }
    if (pos < chars.length) frag.append(chars.slice(pos).join(''));
    return frag;
  }

  /* ---- routing ---- */

  function searchParams() {
    const p = new URLSearchParams();
    if (state.q) p.set('q', state.q);
    if (state.mode !== 'doc') p.set('mode', state.mode);
    if (state.offset) p.set('offset', String(state.offset));
    for (const f of FIELDS) for (const v of state.filters[f]) p.append(f, v);
    return p;
  }

  function searchHash() {
    const s = searchParams().toString();
    return '#/' + (s ? '?' + s : '');
  }

  function parseHash() {
    const h = location.hash.replace(/^#/, '') || '/';
    const qi = h.indexOf('?');
    const path = qi < 0 ? h : h.slice(0, qi);
    const params = new URLSearchParams(qi < 0 ? '' : h.slice(qi + 1));
    return { path, params };
  }

  function show(view) {
    for (const m of document.querySelectorAll('main.view'))
      m.hidden = m.id !== 'view-' + view;
    document.body.dataset.view = view;
  }

  function route() {
    const { path, params } = parseHash();
    let m;
    if ((m = /^\/doc\/(\d+)$/.exec(path))) {
      show('reader');
      openDoc(Number(m[1]), params.get('q') || '', params.get('at'), params.get('hl'));
    } else if (path === '/cart') {
      show('cart');
      renderCart();
    } else if (path === '/import') {
      show('import');
    } else if (hooks.routes.some((r) => r(path, params))) {
      /* an extension's view */
    } else {
      show('search');
      state.q = params.get('q') || '';
      state.mode = params.get('mode') === 'para' ? 'para' : 'doc';
      state.offset = Math.max(0, parseInt(params.get('offset') || '0', 10) || 0);
      for (const f of FIELDS) state.filters[f] = params.getAll(f);
      if ($('q').value !== state.q) $('q').value = state.q;
      syncModeButtons();
      runSearch();
    }
  }

  /* ---- search ---- */

  let inflight = null;
  let seq = 0;
  const cache = new Map();

  function hasFilters() { return FIELDS.some((f) => state.filters[f].length); }

  function syncModeButtons() {
    for (const b of document.querySelectorAll('.modes button')) {
      const on = b.dataset.mode === state.mode;
      b.classList.toggle('on', on);
      b.setAttribute('aria-pressed', on ? 'true' : 'false');
    }
  }

  async function runSearch() {
    const q = state.q.trim();
    if (!q && !hasFilters()) {
      clear($('hits')); clear($('pager')); clear($('facets'));
      $('status').textContent = '';
      $('status').className = 'status';
      renderWelcome();
      return;
    }
    $('welcome').hidden = true;
    const p = searchParams();
    p.set('q', q);
    p.set('limit', String(LIMIT));
    const url = '/api/v1/search?' + p.toString();
    const my = ++seq;
    if (inflight) inflight.abort();
    let data = cache.get(url);
    if (!data) {
      inflight = new AbortController();
      const t0 = performance.now();
      try {
        data = await api(url, { signal: inflight.signal });
      } catch (e) {
        if (e.name === 'AbortError' || my !== seq) return;
        showSearchError(e);
        return;
      }
      data.roundtrip = performance.now() - t0;
      cache.set(url, data);
      if (cache.size > 60) cache.delete(cache.keys().next().value);
    }
    if (my !== seq) return;
    /* A field with a filter shows the counts it would have without its own
     * filter (so more values can be added: a repeated filter is an OR). */
    const active = FIELDS.filter((f) => state.filters[f].length);
    if (active.length && data.facets) {
      const others = await Promise.all(active.map((f) => facetsWithout(f)));
      if (my !== seq) return;
      data = Object.assign({}, data, { facets: Object.assign({}, data.facets) });
      active.forEach((f, i) => {
        if (others[i]) data.facets[f === 'section' ? 'kind' : f] = others[i][f === 'section' ? 'kind' : f];
      });
    }
    renderResults(data);
  }

  async function facetsWithout(field) {
    const p = searchParams();
    p.delete(field);
    p.delete('offset');
    const q = state.q.trim();
    if (!q && !FIELDS.some((f) => f !== field && state.filters[f].length)) return null;
    p.set('q', q);
    p.set('limit', '0');
    const url = '/api/v1/search?' + p.toString();
    let d = cache.get(url);
    if (!d) {
      try { d = await api(url); } catch (e) { return null; }
      cache.set(url, d);
    }
    return d.facets || null;
  }

  function showSearchError(e) {
    clear($('hits')); clear($('pager'));
    const s = clear($('status'));
    s.className = 'status error';
    if (e instanceof ApiError && e.code === 'bad_query') {
      s.append(explain(e) + (e.position ? '（第 ' + e.position + ' 个字）' : ''));
      if (e.position) {
        const chars = Array.from(state.q);
        const i = Math.max(0, e.position - 1);
        s.append(el('div', { class: 'query-pos' },
          chars.slice(0, i).join(''),
          el('mark', { class: 'bad', text: chars[i] || ' ' }),
          chars.slice(i + 1).join('')));
      }
    } else {
      s.append(explain(e));
    }
  }

  function renderResults(data) {
    const s = clear($('status'));
    s.className = 'status';
    const unit = state.mode === 'para' ? '个段落' : '篇文档';
    s.append(el('strong', { id: 'total', text: fmtNum(data.total) }), ' ' + unit,
      el('span', { class: 'took', text: '　用时 ' + Number(data.took_ms).toFixed(2) + ' 毫秒' }));
    if (data.total > 0 && data.hits.length) {
      const a = data.offset + 1, b = data.offset + data.hits.length;
      s.append(el('span', { class: 'range', text: '　第 ' + a + '–' + b + ' 条' }));
    }
    const pp = data.paid_parts;
    if (pp && pp.searched === false) {
      s.append(el('div', { class: 'paid-note', id: 'paid-note',
        text: '今天在付费部分中搜索的次数已用完，结果只含免费内容' +
          (state.me && state.me.user ? '。' : '；登录后可获得更多次数。') }));
    } else if (pp && pp.only > 0) {
      s.append(el('span', { class: 'range', text: '　其中 ' + fmtNum(pp.only) + ' 篇在付费部分找到' }));
    }
    renderFacets(data.facets || {});
    const ol = clear($('hits'));
    state.hits = data.hits;
    state.sel = -1;
    if (!data.hits.length) {
      ol.append(el('li', { class: 'nohit', text: data.total ? '没有更多结果。' : '没有找到。可以换个说法，或去掉一些条件。' }));
    }
    data.hits.forEach((h, i) => ol.append(renderHit(h, i)));
    renderPager(data.total);
    runHooks('hits', ol, data);
  }

  function docLink(h) {
    const p = new URLSearchParams();
    if (state.q.trim()) p.set('q', state.q.trim());
    const sn = (h.snippets || [])[0];
    if (sn && sn.start >= 0) p.set('at', String(sn.start));
    const s = p.toString();
    return '#/doc/' + h.id + (s ? '?' + s : '');
  }

  function renderHit(h, i) {
    const li = el('li', { class: 'hit', dataset: { i: String(i), id: String(h.id) } });
    const title = el('a', { class: 'title', href: docLink(h), text: h.title || '（无标题）' });
    const meta = el('div', { class: 'meta' });
    if (h.genre) meta.append(el('span', { class: 'tag', text: h.genre }));
    if (h.year) meta.append(el('span', { class: 'tag', text: h.year + '年' }));
    if (state.mode === 'para' && h.section) meta.append(el('span', { class: 'path', text: h.section }));
    if (h.paid_only) {
      meta.append(el('span', { class: 'tag paid', text: '付费部分有匹配' }));
    } else {
      meta.append(el('span', { class: 'count', text: '命中 ' + h.count + ' 处' }));
      if (h.paid) meta.append(el('span', { class: 'tag paid', text: '含付费内容' }));
    }
    const add = cartButton(h);
    li.append(el('div', { class: 'hit-head' }, title, add), meta);
    if (h.paid_only) {
      li.append(el('p', { class: 'snippet paid' }, el('span', { class: 'lock' },
        el('i', { class: 'lock-icon', 'aria-hidden': 'true' }), '在付费部分找到，开通会员后可见')));
    }
    for (const sn of h.snippets || []) {
      const p = el('p', { class: 'snippet' + (sn.paid ? ' paid' : '') });
      if (sn.text === null || sn.text === undefined) {
        p.append(el('span', { class: 'lock' }, el('i', { class: 'lock-icon', 'aria-hidden': 'true' }), '此处命中在付费部分，开通会员后可见'));
      } else {
        if (sn.start > 0) p.append('…');
        p.append(marked(sn.text, sn.highlights || []));
        p.append('…');
      }
      if (state.mode !== 'para' && sn.section) p.append(el('span', { class: 'where', text: sn.section }));
      li.append(p);
    }
    li.addEventListener('click', (ev) => {
      if (ev.target.closest('a,button')) return;
      location.hash = docLink(h);
    });
    return li;
  }

  function renderFacets(f) {
    const box = clear($('facets'));
    const groups = [
      ['genre', f.genre], ['year', f.year], ['level', f.level], ['section', f.kind],
    ];
    const active = hasFilters();
    const inner = el('div', { class: 'facet-groups' });
    for (const [field, values] of groups) {
      const chosen = state.filters[field];
      const list = (values || []).slice();
      for (const v of chosen) {
        if (!list.some((x) => x.value === v)) list.push({ value: v, count: 0 });
      }
      if (field === 'year') list.sort((a, b) => String(b.value).localeCompare(String(a.value)));
      if (!list.length) continue;
      const g = el('section', { class: 'facet', dataset: { field } }, el('h3', { text: FIELD_NAMES[field] }));
      const ul = el('ul');
      for (const v of list) {
        const on = chosen.includes(String(v.value));
        const label = field === 'section' ? (KIND_NAMES[v.value] || v.value) :
          field === 'year' ? v.value + '年' : v.value;
        const b = el('button', {
          type: 'button', class: 'fv' + (on ? ' on' : ''), 'aria-pressed': on ? 'true' : 'false',
          dataset: { field, value: String(v.value) },
          onclick: () => toggleFilter(field, String(v.value)),
        }, el('span', { class: 'fl', text: label }), el('span', { class: 'fc', text: fmtNum(v.count) }));
        ul.append(el('li', null, b));
      }
      g.append(ul);
      inner.append(g);
    }
    const det = el('details', { class: 'facet-box', open: window.innerWidth > 760 || active },
      el('summary', { text: active ? '筛选（已选）' : '筛选' }), inner);
    if (active) {
      inner.append(el('button', { type: 'button', class: 'link', text: '清除筛选', onclick: () => {
        for (const k of FIELDS) state.filters[k] = [];
        go();
      } }));
    }
    box.append(det);
  }

  function toggleFilter(field, value) {
    const a = state.filters[field];
    const i = a.indexOf(value);
    if (i >= 0) a.splice(i, 1); else a.push(value);
    state.offset = 0;
    go();
  }

  function renderPager(total) {
    const nav = clear($('pager'));
    const pages = Math.ceil(Math.min(total, 10000 + LIMIT) / LIMIT);
    if (pages <= 1) return;
    const cur = Math.floor(state.offset / LIMIT);
    const btn = (label, page, extra) => el('button', {
      type: 'button', class: extra || '', disabled: page < 0 || page >= pages || page === cur,
      'aria-current': page === cur ? 'page' : null,
      onclick: () => { state.offset = page * LIMIT; go(); window.scrollTo(0, 0); },
    }, label);
    nav.append(btn('上一页', cur - 1, 'prev'));
    const from = Math.max(0, Math.min(cur - 3, pages - 7));
    for (let p = from; p < Math.min(pages, from + 7); p++) nav.append(btn(String(p + 1), p, p === cur ? 'cur' : ''));
    nav.append(btn('下一页', cur + 1, 'next'));
  }

  let welcomeDone = false;
  async function renderWelcome() {
    const w = $('welcome');
    w.hidden = false;
    if (welcomeDone) return;
    welcomeDone = true;
    clear(w);
    w.append(el('h1', { text: '公文素材，一搜即得' }),
      el('p', { class: 'muted', text: '精准搜索：输入的字连在一起出现才算命中，不漏一处，也不多出一处。' }));
    const ex = el('div', { class: 'examples' });
    for (const q of ['依法行政', '存在的问题 section:问题', '营商环境 year:2023-2024', 'title:述职报告', '安全生产 -疫情']) {
      ex.append(el('button', { type: 'button', class: 'chip', text: q, onclick: () => {
        $('q').value = q; state.q = q; state.offset = 0; go(); $('q').focus();
      } }));
    }
    w.append(ex);
    try {
      const s = await api('/api/v1/stats');
      w.append(el('p', { class: 'stats', text: '库中共 ' + fmtNum(s.documents) + ' 篇文档，' + fmtChars(s.chars) + '。' }));
    } catch (e) { /* the page works without it */ }
  }

  /* Put the search state in the address bar (without a history entry per
   * keystroke) and search. */
  function go(replace) {
    const h = searchHash();
    if (location.hash !== h) {
      if (replace) history.replaceState(null, '', h); else history.pushState(null, '', h);
    }
    if (document.body.dataset.view !== 'search') show('search');
    runSearch();
  }

  /* ---- keyboard ---- */

  function selectHit(i) {
    const items = $('hits').querySelectorAll('li.hit');
    if (!items.length) return;
    state.sel = Math.max(0, Math.min(items.length - 1, i));
    items.forEach((li, k) => li.classList.toggle('selected', k === state.sel));
    items[state.sel].scrollIntoView({ block: 'nearest' });
  }

  document.addEventListener('keydown', (ev) => {
    const t = ev.target;
    const typing = t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable);
    if (ev.key === 'Escape') {
      if (typing) { t.blur(); return; }
      if (document.body.dataset.view === 'reader') history.back();
      return;
    }
    if (typing || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    if (ev.key === '/') {
      ev.preventDefault();
      $('q').focus();
      $('q').select();
    } else if (document.body.dataset.view === 'search' && (ev.key === 'j' || ev.key === 'k')) {
      ev.preventDefault();
      selectHit(state.sel + (ev.key === 'j' ? 1 : -1));
    } else if (ev.key === 'Enter' && document.body.dataset.view === 'search' && state.sel >= 0) {
      const h = state.hits[state.sel];
      if (h) location.hash = docLink(h);
    }
  });

  /* ---- the reader ---- */

  let docSeq = 0;

  async function openDoc(id, q, at, hl) {
    const my = ++docSeq;
    const art = clear($('doc'));
    clear($('outline'));
    art.append(el('p', { class: 'muted', text: '正在打开…' }));
    let d;
    try {
      d = await api('/api/v1/docs/' + id);
    } catch (e) {
      if (my !== docSeq) return;
      clear(art).append(el('p', { class: 'error', text: explain(e) }));
      return;
    }
    if (my !== docSeq) return;
    /* hl=START-END: a stretch to highlight (code points of the text), as
     * the 写作台's 查重 links to a source */
    const m = /^(\d+)-(\d+)$/.exec(hl || '');
    renderDoc(d, q, at === null || at === '' ? -1 : Number(at), m ? [Number(m[1]), Number(m[2])] : null);
    runHooks('doc', d, art);
  }

  function sourceLine(d) {
    const bits = [];
    if (d.unit) bits.push(d.unit);
    if (d.year) bits.push(d.year + '年');
    return '（来源：《' + d.title + '》' + (bits.length ? '，' + bits.join('，') : '') + '）';
  }

  async function copyText(text, what) {
    window.sucaiLastCopied = text; /* for tests and for the curious */
    try {
      await navigator.clipboard.writeText(text);
    } catch (e) {
      const ta = el('textarea', { class: 'offscreen', readonly: true });
      ta.value = text;
      document.body.append(ta);
      ta.select();
      let ok = false;
      try { ok = document.execCommand('copy'); } catch (e2) { ok = false; }
      ta.remove();
      if (!ok) { toast('复制失败：浏览器不允许访问剪贴板', true); return; }
    }
    toast('已复制' + (what || '') + '（' + fmtNum(Array.from(text).length) + ' 字）');
  }

  function withSource(text, d) {
    return state.copySource ? text + '\n' + sourceLine(d) : text;
  }

  function renderDoc(d, q, at, hl) {
    const art = clear($('doc'));
    document.title = d.title + ' · 素材库';
    const terms = queryTerms(q);

    /* header */
    const meta = el('div', { class: 'meta' });
    if (d.genre) meta.append(el('span', { class: 'tag', text: d.genre }));
    if (d.year) meta.append(el('span', { class: 'tag', text: d.year + '年' }));
    if (d.level) meta.append(el('span', { class: 'tag', text: d.level }));
    if (d.unit) meta.append(el('span', { text: d.unit }));
    meta.append(el('span', { text: fmtChars(d.chars) }));
    if (d.source && d.source.file) meta.append(el('span', { class: 'muted', text: '出自 ' + d.source.file + (d.source.part > 1 ? ' 第 ' + d.source.part + ' 篇' : '') }));
    const srcBox = el('input', { type: 'checkbox', id: 'copy-source' });
    srcBox.checked = state.copySource;
    srcBox.addEventListener('change', () => {
      state.copySource = srcBox.checked;
      localStorage.setItem('sucai.copySource', srcBox.checked ? '1' : '0');
    });
    const back = el('a', { class: 'back', href: searchHash(), text: '← 返回结果' });
    const tools = el('div', { class: 'doc-tools' },
      back,
      cartButton(d),
      el('button', { type: 'button', class: 'btn', text: '复制全文', onclick: () => {
        copyText(withSource(plainText(), d), '全文');
      } }),
      el('label', { class: 'check' }, srcBox, '复制时附出处'));
    art.append(el('header', { class: 'doc-head' }, el('h1', { text: d.title }), meta, tools));

    /* body: paragraphs in full-text code point coordinates */
    const text = d.text || '';
    const wh = d.locked && d.withheld ? d.withheld : null;
    const lines = text.split('\n');
    const outline = d.outline || [];
    const root = el('div', { class: 'doc-body' });
    const stack = []; /* { sec, body, end, level } */
    let si = 0;
    let served = 0;
    let lockedShown = false;
    const paras = [];
    const container = () => (stack.length ? stack[stack.length - 1].body : root);

    const lockBlock = () => el('div', { class: 'locked', id: 'locked' },
      el('i', { class: 'lock-icon', 'aria-hidden': 'true' }),
      el('strong', { text: '付费内容' }),
      el('span', { text: '此处约 ' + fmtNum(wh[1] - wh[0]) + ' 字' +
        (d.paid_sections ? '、' + fmtNum(d.paid_sections) + ' 个章节' : '') + '，开通会员后阅读。' }),
      state.me && state.me.user ? null : el('button', { type: 'button', class: 'link', text: '登录', onclick: openLogin }));

    lines.forEach((line, idx) => {
      const len = Array.from(line).length;
      let full = served;
      if (wh && served >= wh[0]) full = served + (wh[1] - wh[0]);
      if (wh && !lockedShown && served >= wh[0]) {
        while (stack.length && stack[stack.length - 1].end <= wh[0]) stack.pop();
        container().append(lockBlock());
        lockedShown = true;
      }
      served += len + 1;
      if (!line.trim()) return;
      /* close the sections this paragraph is past, open the ones it starts */
      while (stack.length && stack[stack.length - 1].end <= full) stack.pop();
      let heading = null;
      while (si < outline.length && outline[si].start < full + len + 1) {
        const s = outline[si];
        if (s.start < full) { si++; continue; } /* inside a withheld range */
        while (stack.length && stack[stack.length - 1].level >= s.level) stack.pop();
        const sec = el('section', { class: 'sec l' + s.level, id: 'sec-' + si, dataset: { n: String(si) } });
        const body = el('div', { class: 'sec-body' });
        container().append(sec);
        stack.push({ sec, body, end: s.end, level: s.level, n: si });
        heading = { s, n: si, sec, body };
        si++;
        break; /* one section per paragraph start; a nested one opens with its own line */
      }
      const isTitle = idx === 0 && line.trim() === (d.title || '').trim();
      if (isTitle) return; /* the title is the page's h1 */
      const p = el('p', { class: 'para', dataset: { start: String(full), i: String(paras.length) } });
      const ranges = findTerms(line, terms);
      if (hl && hl[0] < full + len && hl[1] > full) {
        ranges.push([Math.max(0, hl[0] - full), Math.min(len, hl[1] - full)]);
        ranges.sort((x, y) => x[0] - y[0]);
      }
      const lead = heading ? headingLength(line, heading.s) : 0;
      if (lead > 0) {
        const chars = Array.from(line);
        const head = chars.slice(0, lead).join('');
        p.append(el('strong', { class: 'lead' }, marked(head, ranges)));
        const shifted = ranges.map(([a, b]) => [a - lead, b - lead]).filter(([, b]) => b > 0)
          .map(([a, b]) => [Math.max(0, a), b]);
        p.append(marked(chars.slice(lead).join(''), shifted));
      } else {
        p.append(marked(line, ranges));
      }
      p.append(el('button', { type: 'button', class: 'copy', title: '复制本段', text: '复制',
        onclick: () => copyText(withSource(line.trim(), d), '本段') }));
      paras.push(p);
      if (heading) {
        const h = heading;
        const standalone = line.trim() === (h.s.label + h.s.heading).trim();
        if (standalone) p.classList.add('heading', 'h' + Math.min(h.s.level, 4));
        const fold = el('button', { type: 'button', class: 'fold', 'aria-expanded': 'true', title: '折叠/展开本节', text: '▾' });
        fold.addEventListener('click', () => {
          const open = !h.sec.classList.toggle('folded');
          fold.setAttribute('aria-expanded', open ? 'true' : 'false');
          fold.textContent = open ? '▾' : '▸';
        });
        const copySec = el('button', { type: 'button', class: 'copy-sec', text: '复制本节', title: '复制本节全文',
          onclick: () => copyText(withSource(sectionText(h.sec), d), '本节') });
        h.sec.append(el('div', { class: 'sec-head' }, fold, p, copySec), h.body);
      } else {
        container().append(p);
      }
    });
    if (wh && !lockedShown) container().append(lockBlock());
    for (const sec of root.querySelectorAll('section.sec')) {
      const body = sec.querySelector(':scope > .sec-body');
      if (!body || !body.firstChild) sec.classList.add('leaf');
    }
    root.addEventListener('click', (ev) => {
      const p = ev.target.closest('p.para');
      if (!p || ev.target.closest('button')) return;
      const was = p.classList.contains('active');
      for (const a of root.querySelectorAll('p.para.active')) a.classList.remove('active');
      if (!was) p.classList.add('active');
    });
    art.append(root);

    function plainText() {
      return Array.from(root.querySelectorAll('p.para')).map(paraText).join('\n');
    }

    /* outline */
    const nav = clear($('outline'));
    if (!outline.length) {
      $('outline-box').hidden = true;
    } else {
      $('outline-box').hidden = false;
      $('outline-box').open = window.innerWidth > 760;
      const ul = el('ul');
      outline.forEach((s, n) => {
        const a = el('a', { href: '#sec-' + n, class: 'o l' + s.level, dataset: { n: String(n) },
          onclick: (ev) => {
            ev.preventDefault();
            const target = $('sec-' + n);
            if (target) {
              target.classList.remove('folded');
              for (let up = target.parentElement; up; up = up.parentElement) up.classList && up.classList.remove('folded');
              target.scrollIntoView({ behavior: 'smooth', block: 'start' });
              target.classList.add('flash');
              setTimeout(() => target.classList.remove('flash'), 1200);
              for (const o of nav.querySelectorAll('a.o')) o.classList.toggle('cur', o === a);
              if (window.innerWidth <= 760) $('outline-box').open = false;
            } else {
              toast('这一节在付费部分', true);
            }
          } }, el('span', { class: 'ol', text: s.label }), s.heading);
        if (wh && s.start >= wh[0] && s.start < wh[1]) a.classList.add('paid');
        ul.append(el('li', null, a));
      });
      nav.append(ul);
    }

    /* bring the hit into view: the paragraph holding code point `at`, else the first mark */
    let target = null;
    if (at >= 0) {
      if (wh && at >= wh[0] && at < wh[1]) target = $('locked');
      else for (const p of root.querySelectorAll('p.para')) { if (Number(p.dataset.start) <= at) target = p; else break; }
    }
    if (!target) target = root.querySelector('mark');
    if (target) {
      const p = target.closest('p') || target;
      p.classList.add('hit-para');
      requestAnimationFrame(() => p.scrollIntoView({ block: 'center' }));
    } else {
      window.scrollTo(0, 0);
    }
  }

  /* Code points of line taken by its section's label and heading (0 if the
   * line does not start with them). */
  function headingLength(line, s) {
    const t = line.trimStart();
    const lh = (s.label || '') + (s.heading || '');
    if (!lh || !t.startsWith(lh)) return 0;
    return Array.from(line).length - Array.from(t).length + Array.from(lh).length;
  }

  function paraText(p) {
    let t = '';
    for (const n of p.childNodes) {
      if (n.nodeType === Node.ELEMENT_NODE && n.tagName === 'BUTTON') continue;
      t += n.textContent;
    }
    return t.trim();
  }

  function sectionText(sec) {
    return Array.from(sec.querySelectorAll('p.para')).map(paraText).join('\n');
  }

  /* ---- the 汇编 cart ---- */

  function loadCart() {
    try {
      const c = JSON.parse(localStorage.getItem('sucai.cart') || '[]');
      return Array.isArray(c) ? c.filter((x) => x && Number.isInteger(x.id)) : [];
    } catch (e) {
      return [];
    }
  }

  function saveCart(quiet) {
    localStorage.setItem('sucai.cart', JSON.stringify(state.cart));
    $('cart-count').textContent = String(state.cart.length);
    for (const b of document.querySelectorAll('button.add')) syncCartButton(b);
    if (!quiet) runHooks('cart');
  }

  function inCart(id) { return state.cart.some((x) => x.id === id); }

  function syncCartButton(b) {
    const on = inCart(Number(b.dataset.id));
    b.classList.toggle('on', on);
    b.textContent = on ? '已在汇编' : '加入汇编';
    b.setAttribute('aria-pressed', on ? 'true' : 'false');
  }

  function cartButton(doc) {
    const b = el('button', { type: 'button', class: 'btn add', dataset: { id: String(doc.id) } });
    syncCartButton(b);
    b.addEventListener('click', (ev) => {
      ev.stopPropagation();
      if (inCart(doc.id)) {
        state.cart = state.cart.filter((x) => x.id !== doc.id);
        toast('已从汇编中移除');
      } else {
        state.cart.push({ id: doc.id, title: doc.title, genre: doc.genre || null, year: doc.year || null });
        toast('已加入汇编（共 ' + state.cart.length + ' 篇）');
      }
      saveCart();
    });
    return b;
  }

  function renderCart() {
    const ol = clear($('cart-list'));
    $('cart-empty').hidden = state.cart.length > 0;
    $('compile-form').hidden = state.cart.length === 0;
    state.cart.forEach((c, i) => {
      const move = (d) => {
        const j = i + d;
        if (j < 0 || j >= state.cart.length) return;
        const t = state.cart[i]; state.cart[i] = state.cart[j]; state.cart[j] = t;
        saveCart(); renderCart();
        const btn = $('cart-list').children[j] && $('cart-list').children[j].querySelector(d < 0 ? '.up' : '.down');
        if (btn && !btn.disabled) btn.focus();
      };
      const li = el('li', { class: 'cart-item', draggable: 'true', dataset: { i: String(i), id: String(c.id) } },
        el('span', { class: 'grip', 'aria-hidden': 'true', text: '⠿' }),
        el('a', { href: '#/doc/' + c.id, class: 'title', text: c.title }),
        el('span', { class: 'muted', text: [c.genre, c.year ? c.year + '年' : null].filter(Boolean).join(' · ') }),
        el('span', { class: 'ops' },
          el('button', { type: 'button', class: 'icon up', title: '上移', 'aria-label': '上移', disabled: i === 0, text: '↑', onclick: () => move(-1) }),
          el('button', { type: 'button', class: 'icon down', title: '下移', 'aria-label': '下移', disabled: i === state.cart.length - 1, text: '↓', onclick: () => move(1) }),
          el('button', { type: 'button', class: 'icon remove', title: '移除', 'aria-label': '移除', text: '×', onclick: () => {
            state.cart.splice(i, 1); saveCart(); renderCart();
          } })));
      li.addEventListener('dragstart', (ev) => { ev.dataTransfer.setData('text/x-sucai-index', String(i)); li.classList.add('dragging'); });
      li.addEventListener('dragend', () => li.classList.remove('dragging'));
      li.addEventListener('dragover', (ev) => { ev.preventDefault(); });
      li.addEventListener('drop', (ev) => {
        ev.preventDefault();
        const from = Number(ev.dataTransfer.getData('text/x-sucai-index'));
        if (!Number.isInteger(from) || from === i) return;
        const [it] = state.cart.splice(from, 1);
        state.cart.splice(i, 0, it);
        saveCart(); renderCart();
      });
      ol.append(li);
    });
  }

  $('cart-clear').addEventListener('click', () => {
    if (!state.cart.length || !confirm('清空汇编清单？')) return;
    state.cart = []; saveCart(); renderCart();
  });

  $('compile-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!state.cart.length) return;
    const go2 = $('compile-go');
    go2.disabled = true;
    go2.textContent = '正在生成…';
    try {
      const body = { ids: state.cart.map((c) => c.id), format: $('compile-format').value };
      const title = $('compile-title').value.trim();
      if (title) body.title = title;
      const res = await api('/api/v1/compile', {
        method: 'POST', raw: true,
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      const blob = await res.blob();
      const name = fileNameOf(res.headers.get('Content-Disposition')) || ('汇编.' + body.format);
      const a = el('a', { href: URL.createObjectURL(blob), download: name, class: 'offscreen' });
      document.body.append(a);
      a.click();
      setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
      const left = res.headers.get('X-Downloads-Left');
      const omitted = Number(res.headers.get('X-Sucai-Omitted-Chars') || 0);
      toast('已生成 ' + name + (omitted > 0 ? '（付费部分 ' + fmtNum(omitted) + ' 字未包含）' : '') +
        (left !== null ? '，今日还可下载 ' + left + ' 次' : ''));
    } catch (e) {
      toast(explain(e), true);
      if (e.status === 401) openLogin();
    } finally {
      go2.disabled = false;
      go2.textContent = '生成并下载';
    }
  });

  /* filename*=UTF-8''… (RFC 5987) over filename="…" */
  function fileNameOf(cd) {
    if (!cd) return null;
    const star = /filename\*=UTF-8''([^;]+)/i.exec(cd);
    if (star) { try { return decodeURIComponent(star[1]); } catch (e) { /* fall through */ } }
    const plain = /filename="([^"]*)"/i.exec(cd);
    return plain ? plain[1] : null;
  }

  /* ---- import ---- */

  function upload(files) {
    if (!files.length) return;
    const fd = new FormData();
    for (const f of files) fd.append('files', f, f.name);
    const xhr = new XMLHttpRequest();
    const bar = $('upload-progress');
    bar.hidden = false; bar.value = 0;
    $('import-summary').textContent = '正在上传 ' + files.length + ' 个文件…';
    $('import-summary').className = 'status';
    xhr.upload.addEventListener('progress', (ev) => { if (ev.lengthComputable) bar.value = (100 * ev.loaded) / ev.total; });
    xhr.addEventListener('load', () => {
      bar.hidden = true;
      let j = null;
      try { j = JSON.parse(xhr.responseText); } catch (e) { j = null; }
      if (xhr.status !== 200 || !j || !j.files) {
        const msg = j && j.error ? j.error.message : ('HTTP ' + xhr.status);
        $('import-summary').textContent = (xhr.status === 401 ? '请先以编辑身份登录：' : '导入失败：') + msg;
        $('import-summary').className = 'status error';
        if (xhr.status === 401) openLogin();
        return;
      }
      const s = j.summary;
      $('import-summary').textContent = '导入 ' + s.imported + ' 个，重复 ' + s.duplicates + ' 个，未导入 ' + s.refused + ' 个；新增文档 ' + s.docs + ' 篇。';
      const ol = $('import-list');
      for (const f of j.files) {
        const li = el('li', { class: 'imp ' + f.status },
          el('span', { class: 'st', text: STATUS_NAMES[f.status] || f.status }),
          el('span', { class: 'fn', text: f.file }));
        if (f.docs && f.docs.length) {
          const links = el('span', { class: 'docs' });
          for (const id of f.docs) links.append(el('a', { href: '#/doc/' + id, text: '#' + id }), ' ');
          li.append(links);
        }
        if (f.reason) li.append(el('span', { class: 'reason', text: f.reason }));
        ol.prepend(li);
      }
      cache.clear();
      welcomeDone = false;
    });
    xhr.addEventListener('error', () => {
      bar.hidden = true;
      $('import-summary').textContent = '上传失败：网络错误';
      $('import-summary').className = 'status error';
    });
    xhr.open('POST', '/api/v1/import');
    if (state.csrf) xhr.setRequestHeader('X-CSRF-Token', state.csrf);
    xhr.send(fd);
  }

  const drop = $('drop');
  $('files').addEventListener('change', () => { upload(Array.from($('files').files)); $('files').value = ''; });
  for (const t of ['dragenter', 'dragover']) drop.addEventListener(t, (ev) => { ev.preventDefault(); drop.classList.add('over'); });
  for (const t of ['dragleave', 'drop']) drop.addEventListener(t, () => drop.classList.remove('over'));
  drop.addEventListener('drop', (ev) => { ev.preventDefault(); upload(Array.from(ev.dataTransfer.files)); });

  /* ---- who am I, login ---- */

  const who = S.who({
    own: MESSAGES,
    shown(me) {
      $('import-link').hidden = !(me && me.may && me.may.import);
      runHooks('me', me);
    },
    loggedIn() { cache.clear(); route(); },
    loggedOut() { cache.clear(); route(); },
  });
  const openLogin = who.open;

  /* ---- wiring ---- */

  let typingTimer = 0;
  /* Chinese is typed through an input method: pinyin being composed is not
   * the query yet, so wait for the composition to end. */
  $('q').addEventListener('compositionend', () => $('q').dispatchEvent(new Event('input')));
  $('q').addEventListener('input', (ev) => {
    if (ev.isComposing) return;
    clearTimeout(typingTimer);
    typingTimer = setTimeout(() => {
      state.q = $('q').value;
      state.offset = 0;
      go(true);
    }, DEBOUNCE_MS);
  });
  $('search-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    clearTimeout(typingTimer);
    state.q = $('q').value;
    state.offset = 0;
    go();
  });
  for (const b of document.querySelectorAll('.modes button')) {
    b.addEventListener('click', () => {
      state.mode = b.dataset.mode;
      state.offset = 0;
      syncModeButtons();
      go();
    });
  }
  $('syntax-toggle').addEventListener('click', () => {
    const s = $('syntax');
    s.hidden = !s.hidden;
    $('syntax-toggle').setAttribute('aria-expanded', s.hidden ? 'false' : 'true');
  });
  for (const code of document.querySelectorAll('#syntax code')) {
    code.tabIndex = 0;
    code.title = '点击试试';
    code.addEventListener('click', () => {
      $('q').value = code.textContent; state.q = code.textContent; state.offset = 0; go(); $('q').focus();
    });
  }

  window.addEventListener('hashchange', route);
  window.addEventListener('popstate', route);
  window.addEventListener('storage', (ev) => {
    if (ev.key === 'sucai.cart') { state.cart = loadCart(); saveCart(); if (document.body.dataset.view === 'cart') renderCart(); }
  });

  window.sucaiApp = {
    hooks, api, el, clear, toast, explain, show, route, go, state, fmtNum, fmtChars, marked,
    cartButton, saveCart, loadCart, renderCart, ApiError,
    /* the search box: put a query in it and search */
    search(q) { $('q').value = q; state.q = q; state.offset = 0; go(); },
  };
  saveCart(true);
  route();
  /* the extensions load after this file (defer keeps the order) and hook in
   * before the principal arrives */
  setTimeout(who.load, 0);
})();
