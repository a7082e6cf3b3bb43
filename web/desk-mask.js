/* 写作台 · 脱敏: anonymise the draft (POST /api/v1/mask) and put it back
 * (POST /api/v1/mask/restore). The caller chooses the kinds of entity; the
 * tab shows the draft with each entity found marked by kind, the masked
 * text, and the mapping (each entity, its kind, its placeholder, how often),
 * with downloads of the masked text and of the mapping (the answer itself,
 * which restore takes back). Restore takes a mapping file (or pasted JSON)
 * and the masked text, and answers the original byte for byte. Reads the
 * caller's own text only. */
(function () {
  'use strict';

  const desk = window.sucaiDesk;
  const { el, clear } = desk;
  let panel, result = null, maskedFrom = '';

  const KINDS = [
    ['person', '人名', true], ['place', '地名', true], ['org', '单位', true], ['number', '数字', false],
    ['phone', '电话', true], ['idcard', '身份证号', true], ['email', '邮箱', true], ['plate', '车牌', true],
    ['bankcard', '银行卡号', true],
  ];
  const NAME = Object.fromEntries(KINDS.map(([k, n]) => [k, n]));
  const $ = (id) => panel.querySelector('#' + id);

  function chosen() {
    return KINDS.map(([k]) => k).filter((k) => $('mk-k-' + k).checked);
  }

  async function run() {
    const text = desk.draft();
    if (!text.trim()) { $('mk-status').textContent = '先在左边粘贴或上传稿件'; return; }
    const kinds = chosen();
    if (!kinds.length) { $('mk-status').textContent = '至少选一类'; return; }
    $('mk-status').textContent = '正在脱敏…';
    await desk.busy($('mk-go'), $('mk-status'), async () => {
      result = await desk.post('/api/v1/mask', { text, kinds, distinct: $('mk-distinct').checked });
      maskedFrom = text;
      render();
      $('mk-status').textContent = result.spans.length ? '找到 ' + result.spans.length + ' 处' : '没有找到要脱敏的内容';
    });
  }

  function mapping(spans) {
    const rows = new Map();
    for (const s of spans) {
      const key = s.kind + '\u0000' + s.original;
      if (!rows.has(key)) rows.set(key, { kind: s.kind, original: s.original, replacement: s.replacement, n: 0 });
      rows.get(key).n++;
    }
    const tb = el('tbody');
    for (const r of rows.values()) {
      tb.append(el('tr', { dataset: { kind: r.kind } },
        el('td', null, el('span', { class: 'mk-tag mk-' + r.kind, text: NAME[r.kind] || r.kind })),
        el('td', { class: 'mk-orig', text: r.original }),
        el('td', { class: 'mk-repl', text: r.replacement }),
        el('td', { text: String(r.n) })));
    }
    return el('table', { class: 'ck-sections mk-map', id: 'mk-map' },
      el('thead', null, el('tr', null, el('th', { text: '类别' }), el('th', { text: '原文' }), el('th', { text: '替换为' }), el('th', { text: '次数' }))), tb);
  }

  function render() {
    const out = clear($('mk-result'));
    const r = result;
    if (!r) return;
    if (maskedFrom !== desk.draft())
      out.append(el('p', { class: 'ck-stale', id: 'mk-stale', text: '稿件在脱敏后改过了，结果对应修改前的稿件。' }));
    const counts = {};
    for (const s of r.spans) counts[s.kind] = (counts[s.kind] || 0) + 1;
    out.append(el('ul', { class: 'mk-legend' },
      ...Object.keys(counts).map((k) => el('li', null, el('span', { class: 'mk-tag mk-' + k, text: NAME[k] || k }), ' ' + counts[k]))));
    const view = desk.markedText(maskedFrom, r.spans, (s) => el('mark', {
      class: 'mk-ent mk-' + s.kind, dataset: { kind: s.kind }, title: (NAME[s.kind] || s.kind) + ' → ' + s.replacement,
    }), 'ck-draft');
    view.id = 'mk-draft';
    out.append(el('h2', { text: '稿件中找到的内容' }), view);
    out.append(el('h2', { text: '脱敏后的文本' }),
      el('textarea', { id: 'mk-text', class: 'desk-out', readonly: true, spellcheck: 'false' }),
      el('div', { class: 'ck-controls' },
        el('button', { type: 'button', class: 'btn', id: 'mk-dl-text', text: '下载脱敏文本', onclick: () => desk.download(r.text, '脱敏稿.txt') }),
        el('button', { type: 'button', class: 'btn', id: 'mk-dl-map', text: '下载对照表（用于还原）',
          onclick: () => desk.download(JSON.stringify({ text: r.text, spans: r.spans }, null, 1), '脱敏对照表.json', 'application/json') }),
        el('button', { type: 'button', class: 'btn', id: 'mk-copy', text: '复制', onclick: () => copy(r.text) })));
    $('mk-text').value = r.text;
    out.append(el('h2', { text: '对照表' }), r.spans.length ? mapping(r.spans) : el('p', { class: 'muted', text: '没有替换。' }));
    out.append(el('p', { class: 'muted small', text: '对照表含原文，请妥善保管，不要随脱敏稿一起发出。' }));
  }

  async function copy(text) {
    try { await navigator.clipboard.writeText(text); desk.toast('已复制'); } catch (e) { desk.toast('复制不了：请在文本框中选中后复制', true); }
  }

  /* ---- restore ---- */

  async function readMapFile(ev) {
    const f = ev.target.files && ev.target.files[0];
    ev.target.value = '';
    if (!f) return;
    $('mk-map-in').value = await f.text();
    $('mk-r-status').textContent = '已读取 ' + f.name;
    const m = parseMap();
    if (m && !$('mk-masked-in').value.trim() && typeof m.text === 'string') $('mk-masked-in').value = m.text;
  }

  function parseMap() {
    try {
      const m = JSON.parse($('mk-map-in').value);
      if (m && Array.isArray(m.spans)) return m;
    } catch (e) { /* reported below */ }
    $('mk-r-status').textContent = '对照表不对：应是“下载对照表”得到的 JSON 文件';
    return null;
  }

  async function restore() {
    const map = parseMap();
    if (!map) return;
    const masked = $('mk-masked-in').value;
    $('mk-r-status').textContent = '正在还原…';
    await desk.busy($('mk-restore'), $('mk-r-status'), async () => {
      let r;
      try {
        r = await desk.post('/api/v1/mask/restore', masked.trim() ? { map, text: masked } : { map });
      } catch (e) {
        if (e.code === 'bad_map') { $('mk-r-status').textContent = '还原不了：脱敏文本与对照表不符（' + e.message + '）'; return; }
        throw e;
      }
      $('mk-restored').value = r.text;
      $('mk-restored-box').hidden = false;
      $('mk-r-status').textContent = '已还原';
    });
  }

  desk.register({
    id: 'mask',
    title: '脱敏',
    order: 30,
    mount(p) {
      panel = p;
      const boxes = KINDS.map(([k, n, on]) => el('label', { class: 'ck-opt mk-kind' },
        el('input', { type: 'checkbox', id: 'mk-k-' + k, checked: on }), ' ', el('span', { class: 'mk-tag mk-' + k, text: n })));
      p.append(
        el('fieldset', { class: 'mk-kinds' }, el('legend', { text: '脱敏哪些内容' }), ...boxes),
        el('div', { class: 'ck-controls' },
          el('button', { type: 'button', class: 'primary', id: 'mk-go', text: '开始脱敏', onclick: run }),
          el('label', { class: 'ck-opt' }, el('input', { type: 'checkbox', id: 'mk-distinct' }), ' 不同对象用不同代号（XX市、YY市）')),
        el('p', { class: 'muted small', text: '人名、地名（省到村，街道、乡镇、社区）、单位名称、电话、身份证号、邮箱、车牌、银行卡号，换成 XX 一类的代号；同一对象全文用同一代号。数字（金额、数量、比例）默认不换。' }),
        el('div', { id: 'mk-status', class: 'status', 'aria-live': 'polite' }),
        el('div', { id: 'mk-result' }),
        el('details', { class: 'mk-restore', id: 'mk-restore-box' },
          el('summary', { text: '还原：用对照表把脱敏文本恢复成原文' }),
          el('label', { class: 'btn file-btn' }, '选择对照表文件', el('input', { id: 'mk-map-file', type: 'file', accept: '.json,application/json', onchange: readMapFile })),
          el('label', { for: 'mk-map-in', class: 'muted small', text: '对照表（JSON）：' }),
          el('textarea', { id: 'mk-map-in', class: 'desk-out', spellcheck: 'false', placeholder: '{"text": …, "spans": […]}' }),
          el('label', { for: 'mk-masked-in', class: 'muted small', text: '脱敏文本（留空则用对照表里的）：' }),
          el('textarea', { id: 'mk-masked-in', class: 'desk-out', spellcheck: 'false' }),
          el('div', { class: 'ck-controls' }, el('button', { type: 'button', class: 'primary', id: 'mk-restore', text: '还原', onclick: restore })),
          el('div', { id: 'mk-r-status', class: 'status', 'aria-live': 'polite' }),
          el('div', { id: 'mk-restored-box', hidden: true },
            el('textarea', { id: 'mk-restored', class: 'desk-out', readonly: true, spellcheck: 'false' }),
            el('div', { class: 'ck-controls' },
              el('button', { type: 'button', class: 'btn', id: 'mk-use', text: '用作稿件', onclick: () => { desk.setDraft($('mk-restored').value, '还原稿'); desk.toast('已放入稿件'); } }),
              el('button', { type: 'button', class: 'btn', text: '下载', onclick: () => desk.download($('mk-restored').value, '还原稿.txt') })))));
      desk.onDraft(() => {
        /* the stale note comes and goes with the draft */
        if (result && !p.querySelector('#mk-stale') !== (maskedFrom === desk.draft())) render();
      });
    },
  });
})();
