/*
 * 素材库 web page, the member's daily library (on top of app.js, through
 * window.sucaiApp): 今日更新 (#/updates) with its Atom feeds; saved searches
 * (#/watches, #/watch/ID) with "N new since you last looked" and private
 * feeds; the quick-find box (suggestions under the search box); the 提纲
 * panel on the search page when one 文种 is chosen, and #/outline;
 * favourites and reading history (#/shelf); the 汇编 cart kept on the
 * server for members; "此文另见 N 篇相近文档" in results and the reader.
 * Every piece of text from the server is set with textContent.
 */
(function () {
  'use strict';

  const A = window.sucaiApp;
  if (!A) return;
  const { api, el, clear, toast, explain, show, state } = A;
  const $ = (id) => document.getElementById(id);
  const enc = encodeURIComponent;

  document.head.append(el('link', { rel: 'stylesheet', href: 'daily.css' }));

  /* ---- views and navigation ---- */

  function view(id, ...kids) {
    const m = el('main', { id: 'view-' + id, class: 'view single', hidden: true }, ...kids);
    document.body.insertBefore(m, $('login'));
    return m;
  }

  const vUpdates = view('updates', el('section', { class: 'panel wide' },
    el('div', { class: 'panel-head' }, el('h1', { text: '今日更新' }),
      el('a', { id: 'updates-feed', class: 'feed', href: '/api/v1/feeds/updates', title: 'Atom 订阅源（可用 RSS 阅读器订阅）', text: '订阅源' })),
    el('p', { class: 'muted', id: 'updates-sub' }),
    el('div', { id: 'updates-days', class: 'days' }),
    el('div', { id: 'updates-genres', class: 'chips' }),
    el('ol', { id: 'updates-list', class: 'cards' }),
    el('button', { type: 'button', id: 'updates-more', class: 'btn', hidden: true, text: '加载更多' })));

  const vWatches = view('watches', el('section', { class: 'panel wide' },
    el('h1', { text: '我的订阅' }),
    el('p', { class: 'muted', text: '保存一个搜索（含筛选条件），以后入库的文档只要符合，就会出现在这里；也可以生成私人订阅源，用 RSS 阅读器接收。' }),
    el('p', { id: 'watches-limit', class: 'muted' }),
    el('ol', { id: 'watches-list', class: 'watch-list' }),
    el('div', { id: 'watches-empty', class: 'empty', hidden: true, text: '还没有订阅。在搜索结果上方点“订阅此搜索”。' })));

  const vWatch = view('watch', el('section', { class: 'panel wide' },
    el('div', { class: 'panel-head' }, el('h1', { id: 'watch-title' }), el('a', { href: '#/watches', class: 'link', text: '全部订阅' })),
    el('p', { id: 'watch-query', class: 'muted' }),
    el('ol', { id: 'watch-hits', class: 'cards' }),
    el('button', { type: 'button', id: 'watch-more', class: 'btn', hidden: true, text: '加载更多' })));

  const vShelf = view('shelf', el('section', { class: 'panel wide' },
    el('h1', { text: '我的收藏与阅读记录' }),
    el('div', { class: 'tabs', role: 'tablist' },
      el('button', { type: 'button', id: 'tab-fav', class: 'on', role: 'tab', text: '收藏' }),
      el('button', { type: 'button', id: 'tab-hist', role: 'tab', text: '阅读记录' })),
    el('ol', { id: 'shelf-list', class: 'cards' }),
    el('div', { id: 'shelf-empty', class: 'empty', hidden: true }),
    el('button', { type: 'button', id: 'shelf-clear', class: 'link danger', hidden: true, text: '清空阅读记录' })));

  const vOutline = view('outline', el('section', { class: 'panel wide' },
    el('div', { class: 'panel-head' }, el('h1', { id: 'outline-title', text: '提纲' }),
      el('a', { id: 'outline-back', class: 'link', text: '回到搜索' })),
    el('form', { id: 'outline-form', class: 'outline-form' },
      el('label', null, '文种 ', el('input', { id: 'outline-genre', maxlength: 64, placeholder: '如：工作总结' })),
      el('label', null, '主题（可选） ', el('input', { id: 'outline-q', maxlength: 200, placeholder: '如：安全生产' })),
      el('button', { type: 'submit', class: 'primary', text: '看提纲' })),
    el('div', { id: 'outline-body' })));
  void vUpdates; void vWatches; void vWatch; void vShelf; void vOutline;

  const nav = document.querySelector('.nav');
  const link = (href, id, text) => el('a', { href, id, text });
  nav.insertBefore(link('#/updates', 'updates-link', '今日更新'), nav.firstChild);
  const watchLink = link('#/watches', 'watches-link', '订阅');
  watchLink.append(el('span', { id: 'watches-new', class: 'badge new', hidden: true }));
  nav.insertBefore(watchLink, $('cart-link'));
  nav.insertBefore(link('#/shelf', 'shelf-link', '收藏'), $('cart-link'));
  watchLink.hidden = true;
  $('shelf-link').hidden = true;

  const member = () => !!(state.me && state.me.may && state.me.may.shelf);

  function needLogin(box) {
    clear(box).append(el('p', { class: 'empty' }, '这项功能需要登录。',
      el('button', { type: 'button', class: 'link', text: '登录', onclick: () => $('login-open') && $('login-open').click() })));
  }

  /* a document as lists show it */
  function card(d, extra) {
    const li = el('li', { class: 'card', dataset: { id: String(d.id) } });
    const head = el('div', { class: 'card-head' },
      el('a', { class: 'title', href: '#/doc/' + d.id, text: d.title || '（无标题）' }), A.cartButton(d));
    const meta = el('div', { class: 'meta' });
    if (d.docno) meta.append(el('span', { class: 'tag docno', text: d.docno }));
    if (d.genre) meta.append(el('span', { class: 'tag', text: d.genre }));
    if (d.date) meta.append(el('span', { class: 'tag', text: d.date }));
    else if (d.year) meta.append(el('span', { class: 'tag', text: d.year + '年' }));
    if (d.unit) meta.append(el('span', { class: 'unit', text: d.unit }));
    if (d.locked) meta.append(el('span', { class: 'tag paid', text: '含会员内容' }));
    if (extra) meta.append(extra);
    li.append(head, meta);
    if (d.summary) li.append(el('p', { class: 'summary', text: d.summary }));
    return li;
  }

  /* ---- 今日更新 ---- */

  let upd = { genre: '', before: 0 };
  let updSeq = 0;
  /* hashchange and popstate both route: a load that a newer one overtook
   * draws nothing */
  const seqs = { watches: 0, watch: 0, shelf: 0, outline: 0 };

  async function loadUpdates(more) {
    const list = $('updates-list');
    const p = new URLSearchParams({ days: '7', limit: '20' });
    if (upd.genre) p.set('genre', upd.genre);
    if (more && upd.before) p.set('before', String(upd.before));
    const my = ++updSeq;
    let d;
    try { d = await api('/api/v1/updates?' + p); } catch (e) { toast(explain(e), true); return; }
    if (my !== updSeq) return; /* a newer load is on its way */
    if (!more) {
      clear(list);
      delete list.dataset.lastDay;
      $('updates-sub').textContent = '近 7 天入库 ' + A.fmtNum(d.total) + ' 篇' + (upd.genre ? '（' + upd.genre + '）' : '') + '，新的在前。';
      const days = clear($('updates-days'));
      for (const day of d.days) {
        const box = el('div', { class: 'day' }, el('strong', { text: day.day }), ' ', A.fmtNum(day.count) + ' 篇');
        if (day.topics && day.topics.length)
          box.append(el('span', { class: 'muted', text: '　主题：' + day.topics.slice(0, 5).map((t) => t.value + ' ' + t.count).join('、') }));
        days.append(box);
      }
      const chips = clear($('updates-genres'));
      const counts = new Map();
      for (const day of d.days) for (const g of day.genres) counts.set(g.value, (counts.get(g.value) || 0) + g.count);
      chips.append(el('button', { type: 'button', class: 'chip' + (upd.genre ? '' : ' on'), text: '全部',
        onclick: () => { upd = { genre: '', before: 0 }; syncUpdatesHash(); } }));
      for (const [g, n] of counts) {
        if (!g || g === 'null') continue;
        chips.append(el('button', { type: 'button', class: 'chip' + (g === upd.genre ? ' on' : ''), dataset: { genre: g },
          onclick: () => { upd = { genre: g, before: 0 }; syncUpdatesHash(); } }, g + ' ', el('span', { class: 'fc', text: String(n) })));
      }
      $('updates-feed').href = '/api/v1/feeds/updates' + (upd.genre ? '?genre=' + enc(upd.genre) : '');
    }
    let lastDay = list.dataset.lastDay || '';
    for (const doc of d.docs) {
      if (doc.day !== lastDay) { list.append(el('li', { class: 'day-head', text: doc.day })); lastDay = doc.day; }
      list.append(card(doc));
    }
    list.dataset.lastDay = lastDay;
    if (!d.docs.length && !more) list.append(el('li', { class: 'empty', text: '近 7 天没有新入库的文档。' }));
    upd.before = d.next_before || 0;
    $('updates-more').hidden = !d.next_before;
    loadNear(list);
  }

  function syncUpdatesHash() {
    const h = '#/updates' + (upd.genre ? '?genre=' + enc(upd.genre) : '');
    if (location.hash !== h) location.hash = h; else loadUpdates(false);
  }
  $('updates-more').addEventListener('click', () => loadUpdates(true));

  /* ---- saved searches ---- */

  async function loadWatches() {
    const ol = $('watches-list');
    if (!member()) { needLogin(ol); $('watches-empty').hidden = true; $('watches-limit').textContent = ''; return; }
    const my = ++seqs.watches;
    let d;
    try { d = await api('/api/v1/watches'); } catch (e) { clear(ol).append(el('li', { class: 'error', text: explain(e) })); return; }
    if (my !== seqs.watches) return;
    clear(ol);
    setBadge(d.watches.reduce((n, w) => n + w.new, 0));
    $('watches-empty').hidden = d.watches.length > 0;
    $('watches-limit').textContent = '已保存 ' + d.watches.length + ' 个，当前账户最多 ' + d.limit + ' 个。';
    for (const w of d.watches) {
      const li = el('li', { class: 'watch', dataset: { id: String(w.id) } },
        el('a', { class: 'title', href: '#/watch/' + w.id, text: w.name }),
        w.new ? el('span', { class: 'badge new', text: w.new + ' 篇新' }) : el('span', { class: 'muted', text: '无新文档' }),
        el('code', { class: 'q', text: w.query }),
        el('span', { class: 'muted', text: '共 ' + w.matches + ' 篇' }));
      const acts = el('span', { class: 'acts' });
      acts.append(el('button', { type: 'button', class: 'link', text: '订阅源', onclick: () => makeFeed(w, li) }));
      if (w.feed) acts.append(el('button', { type: 'button', class: 'link', text: '停用订阅源', onclick: async () => {
        try { await api('/api/v1/watches/' + w.id + '/feed', { method: 'DELETE' }); toast('订阅源已停用'); loadWatches(); } catch (e) { toast(explain(e), true); }
      } }));
      acts.append(el('button', { type: 'button', class: 'link danger', text: '删除', onclick: async () => {
        try { await api('/api/v1/watches/' + w.id, { method: 'DELETE' }); toast('已删除订阅'); loadWatches(); refreshBadge(); } catch (e) { toast(explain(e), true); }
      } }));
      li.append(acts);
      ol.append(li);
    }
  }

  async function makeFeed(w, li) {
    try {
      const r = await api('/api/v1/watches/' + w.id + '/feed', { method: 'POST' });
      const url = location.origin + r.url;
      const old = li.querySelector('.feed-url');
      if (old) old.remove();
      li.append(el('div', { class: 'feed-url' }, el('input', { readonly: true, value: url, 'aria-label': '私人订阅源地址' }),
        el('span', { class: 'muted', text: '只显示这一次；再生成一个，旧的就失效。' })));
      toast('已生成私人订阅源');
    } catch (e) { toast(explain(e), true); }
  }

  let watchNow = { id: 0, before: 0 };
  async function loadWatch(id, more) {
    if (!member()) { needLogin($('watch-hits')); return; }
    const p = new URLSearchParams({ limit: '20' });
    if (more && watchNow.before) p.set('before', String(watchNow.before));
    const my = ++seqs.watch;
    let d;
    try { d = await api('/api/v1/watches/' + id + '?' + p); } catch (e) { clear($('watch-hits')).append(el('li', { class: 'error', text: explain(e) })); return; }
    if (my !== seqs.watch) return;
    if (!more) {
      clear($('watch-hits'));
      $('watch-title').textContent = '订阅：' + d.watch.name;
      clear($('watch-query')).append('查询 ', el('code', { text: d.watch.query }), '，共 ' + d.watch.matches + ' 篇，新 ' + d.watch.new + ' 篇。',
        el('button', { type: 'button', class: 'link', text: '用它搜索', onclick: () => A.search(d.watch.query) }));
    }
    for (const h of d.hits) $('watch-hits').append(card(h, h.new ? el('span', { class: 'badge new', text: '新' }) : null));
    if (!d.hits.length && !more) $('watch-hits').append(el('li', { class: 'empty', text: '还没有符合的新文档。新文档入库时会自动匹配。' }));
    watchNow = { id, before: d.next_before || 0 };
    $('watch-more').hidden = !d.next_before;
    /* looked at: nothing is new any more */
    if (!more && d.watch.new) {
      try { await api('/api/v1/watches/' + id + '/seen', { method: 'POST' }); refreshBadge(); } catch (e) { /* shown next time */ }
    }
  }
  $('watch-more').addEventListener('click', () => loadWatch(watchNow.id, true));

  function setBadge(n) {
    const b = $('watches-new');
    b.textContent = String(n);
    b.hidden = !n;
  }

  async function refreshBadge() {
    if (!member()) { setBadge(0); return; }
    try {
      const d = await api('/api/v1/watches');
      setBadge(d.watches.reduce((s, w) => s + w.new, 0));
    } catch (e) { setBadge(0); }
  }

  /* "订阅此搜索" above the results */
  A.hooks.hits.push((ol, data) => {
    const st = $('status');
    if (!member() || !data || !data.query) return;
    st.append(el('button', { type: 'button', class: 'link save-watch', text: '订阅此搜索', onclick: async () => {
      try {
        await api('/api/v1/watches', { method: 'POST', headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ query: data.query }) });
        toast('已订阅：以后入库的相关文档会出现在“订阅”里');
      } catch (e) {
        toast(e.code === 'conflict' ? '已经订阅过这个搜索' : e.code === 'limit' ? '订阅数已达上限' : explain(e), true);
      }
    } }));
  });

  /* ---- 一键快速查找 ---- */

  /* the suggestions stand above the results (not over them), so that the
   * facets and results stay clickable while they show */
  const q = $('q');
  const box = el('ul', { id: 'suggest', class: 'suggest', role: 'listbox', 'aria-label': '快速查找', hidden: true });
  $('status').parentNode.insertBefore(box, $('status'));
  q.setAttribute('aria-autocomplete', 'list');
  q.setAttribute('aria-controls', 'suggest');
  let sugTimer = 0, sugSeq = 0, sugSel = -1, sugItems = [];

  function closeSuggest() { box.hidden = true; sugSel = -1; }

  function pick(s) {
    closeSuggest();
    if (s.kind === 'unit') A.search(s.query);
    else location.hash = '#/doc/' + s.id;
  }

  async function suggest() {
    const text = q.value.trim();
    const my = ++sugSeq;
    if (!text || text.length > 64) { closeSuggest(); return; }
    let d;
    try { d = await api('/api/v1/suggest?limit=8&q=' + enc(text)); } catch (e) { closeSuggest(); return; }
    if (my !== sugSeq) return;
    clear(box);
    sugItems = d.suggestions;
    sugSel = -1;
    const KIND = { docno: '文号', date: '日期', title: '标题', unit: '单位' };
    d.suggestions.forEach((s, i) => {
      const li = el('li', { role: 'option', class: 'sug', dataset: { i: String(i), kind: s.kind } },
        el('span', { class: 'kind', text: KIND[s.kind] || s.kind }));
      if (s.kind === 'unit') {
        li.append(el('span', { class: 'main', text: s.unit }), el('span', { class: 'muted', text: ' ' + s.count + ' 篇' }));
      } else {
        const main = el('span', { class: 'main' });
        if (s.kind === 'title' && s.match) main.append(A.marked(s.title, [s.match]));
        else main.textContent = s.title;
        li.append(main);
        const bits = [];
        if (s.docno) bits.push(s.docno);
        if (s.date) bits.push(s.date);
        if (bits.length) {
          const sub = el('span', { class: 'muted' });
          if (s.kind === 'docno' && s.match) sub.append(A.marked(s.docno, [s.match]), s.date ? ' ' + s.date : '');
          else sub.textContent = bits.join(' ');
          li.append(' ', sub);
        }
      }
      li.addEventListener('click', () => pick(s));
      box.append(li);
    });
    box.hidden = !d.suggestions.length;
  }

  function moveSel(k) {
    const items = box.querySelectorAll('li.sug');
    if (!items.length) return;
    sugSel = (sugSel + k + items.length) % items.length;
    items.forEach((li, i) => li.classList.toggle('sel', i === sugSel));
    q.setAttribute('aria-activedescendant', '');
  }

  q.addEventListener('input', (ev) => {
    if (ev.isComposing) return;
    clearTimeout(sugTimer);
    sugTimer = setTimeout(suggest, 80);
  });
  q.addEventListener('keydown', (ev) => {
    if (box.hidden) return;
    if (ev.key === 'ArrowDown') { ev.preventDefault(); moveSel(1); }
    else if (ev.key === 'ArrowUp') { ev.preventDefault(); moveSel(-1); }
    else if (ev.key === 'Enter' && sugSel >= 0) { ev.preventDefault(); ev.stopPropagation(); pick(sugItems[sugSel]); }
    else if (ev.key === 'Enter') { closeSuggest(); }
    else if (ev.key === 'Escape') { closeSuggest(); }
  }, true);
  /* a suggestion list from an older text is not left standing */
  q.addEventListener('input', () => { if (!q.value.trim()) closeSuggest(); });

  /* ---- 提纲 ---- */

  function skeletonList(d, max) {
    const ol = el('ol', { class: 'skeletons' });
    for (const s of d.skeletons.slice(0, max)) {
      const li = el('li', { class: 'skeleton' }, el('span', { class: 'share', text: Math.round(s.share * 100) + '%' }));
      const heads = el('span', { class: 'heads' });
      s.headings.forEach((h, i) => heads.append(i ? ' · ' : '', el('span', { class: 'h1', text: CN[i] + '、' + h })));
      li.append(heads);
      const ex = el('span', { class: 'examples' }, '例：');
      for (const x of s.examples) ex.append(el('a', { href: '#/doc/' + x.id, title: x.title, text: x.title.length > 18 ? x.title.slice(0, 18) + '…' : x.title }), ' ');
      li.append(ex);
      ol.append(li);
    }
    return ol;
  }
  const CN = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二', '十三', '十四', '十五'];

  async function outlinePanel(ol, data) {
    const old = $('outline-panel');
    if (old) old.remove();
    const genres = state.filters.genre;
    if (genres.length !== 1) return;
    const g = genres[0];
    const p = new URLSearchParams({ genre: g, skeletons: '3', headings: '8' });
    const words = state.q.trim();
    if (words) p.set('q', words);
    let d;
    try { d = await api('/api/v1/outline-stats?' + p); } catch (e) { return; }
    if (state.filters.genre[0] !== g) return;
    const panel = el('details', { id: 'outline-panel', class: 'outline-panel', open: true },
      el('summary', null, '提纲：' + g + (words ? '（' + words + '）' : '') + '常见结构',
        el('span', { class: 'muted', text: '　共 ' + d.outlined + ' 篇有一级标题' })));
    if (!d.skeletons.length) panel.append(el('p', { class: 'muted', text: '这类文档的一级标题还不够统一，看不出常见结构。' }));
    else panel.append(skeletonList(d, 3));
    panel.append(el('a', { class: 'link', href: '#/outline?' + p.toString(), text: '完整提纲与二级标题 ›' }));
    ol.parentNode.insertBefore(panel, ol);
    void data;
  }
  A.hooks.hits.push(outlinePanel);

  async function loadOutline(params) {
    const g = params.get('genre') || '';
    const words = params.get('q') || '';
    $('outline-genre').value = g;
    $('outline-q').value = words;
    $('outline-back').href = '#/?genre=' + enc(g) + (words ? '&q=' + enc(words) : '');
    const my = ++seqs.outline;
    const body = clear($('outline-body'));
    if (!g) { body.append(el('p', { class: 'muted', text: '输入文种（如“工作总结”“实施方案”），看同类文档最常用的一级标题结构。' })); return; }
    let d;
    try { d = await api('/api/v1/outline-stats?' + new URLSearchParams({ genre: g, q: words, skeletons: '10', headings: '20' })); }
    catch (e) { if (my === seqs.outline) body.append(el('p', { class: 'error', text: explain(e) })); return; }
    if (my !== seqs.outline) return;
    clear(body);
    $('outline-title').textContent = '提纲：' + g;
    body.append(el('p', { class: 'muted', text: '共 ' + d.docs + ' 篇，其中 ' + d.outlined + ' 篇有一级标题。百分比为采用该结构的文档比例。' }));
    body.append(el('h2', { text: '常见结构' }), d.skeletons.length ? skeletonList(d, 10) : el('p', { class: 'muted', text: '还看不出常见结构。' }));
    body.append(el('h2', { text: '常用一级标题及其二级标题' }));
    const ul = el('ul', { class: 'headings' });
    for (const h of d.headings) {
      const li = el('li', null, el('strong', { text: h.label }), el('span', { class: 'muted', text: '　' + Math.round(h.share * 100) + '%，常在第 ' + h.position.toFixed(1) + ' 位' }));
      if (h.subheadings.length) {
        const sub = el('ul', { class: 'subs' });
        for (const s of h.subheadings) sub.append(el('li', null, s.label, el('span', { class: 'muted', text: ' ' + Math.round(s.share * 100) + '%' })));
        li.append(sub);
      }
      ul.append(li);
    }
    body.append(ul);
  }
  $('outline-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const p = new URLSearchParams({ genre: $('outline-genre').value.trim() });
    if ($('outline-q').value.trim()) p.set('q', $('outline-q').value.trim());
    location.hash = '#/outline?' + p;
  });

  /* ---- favourites and history ---- */

  let shelfTab = 'fav';
  async function loadShelf() {
    const ol = $('shelf-list');
    $('tab-fav').classList.toggle('on', shelfTab === 'fav');
    $('tab-hist').classList.toggle('on', shelfTab === 'hist');
    $('shelf-clear').hidden = true;
    if (!member()) { needLogin(ol); $('shelf-empty').hidden = true; return; }
    const my = ++seqs.shelf;
    let d;
    try { d = await api(shelfTab === 'fav' ? '/api/v1/favorites?limit=100' : '/api/v1/history?limit=100'); }
    catch (e) { clear(ol).append(el('li', { class: 'error', text: explain(e) })); return; }
    if (my !== seqs.shelf) return;
    clear(ol);
    for (const it of d.items) {
      const extra = shelfTab === 'fav'
        ? el('button', { type: 'button', class: 'link danger', text: '取消收藏', onclick: async () => {
          try { await api('/api/v1/favorites/' + it.id, { method: 'DELETE' }); loadShelf(); } catch (e) { toast(explain(e), true); }
        } })
        : el('span', { class: 'muted', text: '读过 ' + it.times + ' 次，最近 ' + it.read_at.slice(0, 10) });
      ol.append(card(it, extra));
    }
    const empty = $('shelf-empty');
    empty.hidden = d.items.length > 0;
    empty.textContent = shelfTab === 'fav' ? '还没有收藏。在阅读页点“收藏”。' : '还没有阅读记录。';
    $('shelf-clear').hidden = shelfTab !== 'hist' || !d.items.length;
  }
  $('tab-fav').addEventListener('click', () => { shelfTab = 'fav'; loadShelf(); });
  $('tab-hist').addEventListener('click', () => { shelfTab = 'hist'; loadShelf(); });
  $('shelf-clear').addEventListener('click', async () => {
    try { await api('/api/v1/history', { method: 'DELETE' }); toast('阅读记录已清空'); loadShelf(); } catch (e) { toast(explain(e), true); }
  });

  /* ---- the reader: 发文字号, 成文日期, 收藏, 此文另见 ---- */

  A.hooks.doc.push(async (d, art) => {
    const meta = art.querySelector('.doc-meta') || art.querySelector('header') || art.firstChild;
    const bar = el('div', { class: 'doc-extra' });
    if (d.docno) bar.append(el('span', { class: 'tag docno', text: d.docno }));
    if (d.date) bar.append(el('span', { class: 'tag', text: '成文日期 ' + d.date }));
    if (member()) {
      const fav = el('button', { type: 'button', class: 'btn fav', text: '☆ 收藏' });
      fav.addEventListener('click', async () => {
        const on = fav.classList.contains('on');
        try {
          if (on) await api('/api/v1/favorites/' + d.id, { method: 'DELETE' });
          else await api('/api/v1/favorites', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ doc: d.id }) });
          fav.classList.toggle('on', !on);
          fav.textContent = on ? '☆ 收藏' : '★ 已收藏';
          toast(on ? '已取消收藏' : '已收藏');
        } catch (e) { toast(explain(e), true); }
      });
      bar.append(fav);
      api('/api/v1/favorites?limit=100').then((f) => {
        if (f.items.some((x) => x.id === d.id)) { fav.classList.add('on'); fav.textContent = '★ 已收藏'; }
      }).catch(() => {});
    }
    const near = el('div', { class: 'near', hidden: true });
    bar.append(near);
    if (meta && meta.parentNode === art) meta.after(bar); else art.prepend(bar);
    try {
      const n = await api('/api/v1/docs/' + d.id + '/near');
      if (n.near.length) {
        const det = el('details', { class: 'near-box' }, el('summary', { text: '此文另见 ' + n.near.length + ' 篇相近文档' }));
        const ul = el('ul');
        for (const x of n.near)
          ul.append(el('li', null, el('a', { href: '#/doc/' + x.id, text: x.title }),
            x.similarity !== null ? el('span', { class: 'muted', text: ' 相似度 ' + Math.round(x.similarity * 100) + '%' }) : null));
        det.append(ul);
        near.append(det);
        near.hidden = false;
      }
    } catch (e) { /* the reader works without it */ }
  });

  /* results and lists: how many near duplicates each has */
  async function loadNear(list) {
    const items = Array.from(list.querySelectorAll('li[data-id]'));
    if (!items.length) return;
    const ids = items.map((li) => li.dataset.id).slice(0, 100);
    let d;
    try { d = await api('/api/v1/near?ids=' + ids.join(',')); } catch (e) { return; }
    for (const li of items) {
      const n = d.near[li.dataset.id];
      if (!n || li.querySelector('.near-count')) continue;
      const meta = li.querySelector('.meta');
      if (meta) meta.append(el('a', { class: 'near-count', href: '#/doc/' + li.dataset.id, text: '此文另见 ' + n + ' 篇相近文档' }));
    }
  }
  A.hooks.hits.push((ol) => loadNear(ol));

  /* ---- the cart on the server, for members ---- */

  let cartTimer = 0, cartSynced = false;
  async function pullCart() {
    if (!member()) { cartSynced = false; return; }
    try {
      const c = await api('/api/v1/cart');
      if (c.docs.length) {
        state.cart = c.docs.map((x) => ({ id: x.id, title: x.title, genre: null, year: null }));
        A.saveCart(true);
        if (document.body.dataset.view === 'cart') A.renderCart();
      } else if (state.cart.length) {
        pushCart();
      }
      cartSynced = true;
    } catch (e) { /* the local cart stands */ }
  }
  function pushCart() {
    if (!member()) return;
    clearTimeout(cartTimer);
    cartTimer = setTimeout(async () => {
      try {
        await api('/api/v1/cart', { method: 'POST', headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ ids: state.cart.map((x) => x.id) }) });
      } catch (e) { toast('汇编清单未能同步到服务器：' + explain(e), true); }
    }, 300);
  }
  A.hooks.cart.push(() => { if (cartSynced) pushCart(); });
  A.hooks.me.push(() => {
    /* 订阅 and 收藏 are a member's */
    watchLink.hidden = !member();
    $('shelf-link').hidden = !member();
    pullCart();
    refreshBadge();
  });

  /* ---- routes ---- */

  A.hooks.routes.push((path, params) => {
    let m;
    if (path === '/updates') {
      show('updates');
      upd = { genre: params.get('genre') || '', before: 0 };
      delete $('updates-list').dataset.lastDay;
      loadUpdates(false);
      return true;
    }
    if (path === '/watches') { show('watches'); loadWatches(); return true; }
    if ((m = /^\/watch\/(\d+)$/.exec(path))) { show('watch'); loadWatch(Number(m[1]), false); return true; }
    if (path === '/shelf') { show('shelf'); loadShelf(); return true; }
    if (path === '/outline') { show('outline'); loadOutline(params); return true; }
    return false;
  });
  /* the first route ran before these views existed */
  if (/^#\/(updates|watches|watch\/|shelf|outline)/.test(location.hash)) A.route();
})();
