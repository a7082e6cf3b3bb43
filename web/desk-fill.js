/* 写作台 · 套用: fill a template's slots (POST /api/v1/fill). Finds every
 * XX-style slot of the draft (XX, ××, 某某, X年X月X日 …) with its kind
 * (单位, 地名, 人名, 日期, 数字, or 未识别), offers a form with one field per
 * kind found (kept in this browser), previews the draft with each slot
 * filled or still open, and gives the result: copy, download, or make it
 * the draft. Reads the caller's own text only. */
(function () {
  'use strict';

  const desk = window.sucaiDesk;
  const { el, clear } = desk;
  const KEY = 'sucai.desk.profile';
  const FIELDS = [
    ['unit', '单位', '如：海淀区发改委'], ['place', '地名', '如：海淀区'], ['person', '人名', '如：张明'],
    ['date', '日期', '如：2024年5月8日'], ['number', '数字', '如：3'],
  ];
  const NAME = Object.fromEntries(FIELDS.map(([k, n]) => [k, n]));
  NAME.unknown = '未识别';
  let panel, result = null, filledFrom = '', timer = 0;
  const $ = (id) => panel.querySelector('#' + id);

  function loadProfile() {
    try { return JSON.parse(localStorage.getItem(KEY) || '{}') || {}; } catch (e) { return {}; }
  }

  function profile() {
    const p = {};
    for (const [k] of FIELDS) {
      const v = $('fl-' + k).value.trim();
      if (v) p[k] = v;
    }
    return p;
  }

  async function run() {
    const text = desk.draft();
    if (!text.trim()) { $('fl-status').textContent = '先在左边粘贴或上传稿件'; return; }
    const prof = profile();
    try { localStorage.setItem(KEY, JSON.stringify(prof)); } catch (e) { /* not kept */ }
    await desk.busy($('fl-go'), $('fl-status'), async () => {
      result = await desk.post('/api/v1/fill', { text, profile: prof });
      filledFrom = text;
      render();
      const r = result;
      $('fl-status').textContent = r.slots.length
        ? '找到 ' + r.slots.length + ' 处空位，已填 ' + r.filled + ' 处' + (r.unfilled ? '，还有 ' + r.unfilled + ' 处未填' : '')
        : '稿件里没有 XX、××、某某 这样的空位';
    });
  }

  /* the form shows the fields of the kinds found (all before the first run) */
  function showFields(kinds) {
    for (const [k] of FIELDS) $('fl-row-' + k).hidden = kinds !== null && !kinds.has(k);
  }

  function render() {
    const out = clear($('fl-result'));
    const r = result;
    if (!r) return;
    const kinds = new Set(r.slots.map((s) => s.kind));
    showFields(r.slots.length ? kinds : null);
    if (filledFrom !== desk.draft())
      out.append(el('p', { class: 'ck-stale', id: 'fl-stale', text: '稿件在套用后改过了，结果对应修改前的稿件。' }));
    if (!r.slots.length) return;
    const counts = {};
    for (const s of r.slots) counts[s.kind] = (counts[s.kind] || 0) + 1;
    out.append(el('ul', { class: 'mk-legend', id: 'fl-kinds' },
      ...Object.keys(counts).map((k) => el('li', { dataset: { kind: k } }, el('span', { class: 'mk-tag fl-' + k, text: NAME[k] || k }), ' ' + counts[k] + ' 处'))));
    /* the preview: the draft with each slot showing its value, or still open */
    const preview = desk.markedText(filledFrom, r.slots, (s, i) => el('mark', {
      class: 'fl-slot ' + (s.value === null ? 'open' : 'filled'), dataset: { kind: s.kind, i: String(i) },
      title: (NAME[s.kind] || s.kind) + (s.value === null ? '：未填' : '：' + s.original + ' → ' + s.value),
    }), 'ck-draft');
    preview.id = 'fl-preview';
    /* markedText put the slot's own characters in each mark: show the value */
    for (const m of preview.querySelectorAll('mark.fl-slot.filled')) m.textContent = r.slots[m.dataset.i].value;
    out.append(el('h2', { text: '预览（绿色为已填，红色为未填）' }), preview);
    out.append(el('h2', { text: '结果' }),
      el('textarea', { id: 'fl-text', class: 'desk-out', readonly: true, spellcheck: 'false' }),
      el('div', { class: 'ck-controls' },
        el('button', { type: 'button', class: 'primary', id: 'fl-use', text: '用作稿件', onclick: () => {
          desk.setDraft(r.text, desk.name());
          desk.toast('已放入稿件');
        } }),
        el('button', { type: 'button', class: 'btn', id: 'fl-dl', text: '下载', onclick: () => desk.download(r.text, '套用稿.txt') })));
    $('fl-text').value = r.text;
  }

  desk.register({
    id: 'fill',
    title: '套用',
    order: 40,
    mount(p) {
      panel = p;
      const kept = loadProfile();
      const rows = FIELDS.map(([k, n, hint]) => el('label', { class: 'fl-row', id: 'fl-row-' + k },
        el('span', { text: n }),
        el('input', { id: 'fl-' + k, type: 'text', maxlength: 200, placeholder: hint, value: kept[k] || '',
          oninput: () => { clearTimeout(timer); timer = setTimeout(() => { if (result) run(); }, 400); } })));
      p.append(
        el('p', { class: 'muted small', text: '稿件中的 XX、××、某某、X年X月X日 等空位按上下文分成单位、地名、人名、日期、数字，用下面填的内容替换；判断不了的留着并标出。' }),
        el('form', { class: 'fl-form', id: 'fl-form', onsubmit: (ev) => { ev.preventDefault(); run(); } }, ...rows,
          el('div', { class: 'ck-controls' }, el('button', { type: 'submit', class: 'primary', id: 'fl-go', text: '找出空位并套用' }))),
        el('div', { id: 'fl-status', class: 'status', 'aria-live': 'polite' }),
        el('div', { id: 'fl-result' }));
      desk.onDraft(() => {
        /* the stale note comes and goes with the draft */
        if (result && !p.querySelector('#fl-stale') !== (filledFrom === desk.draft())) render();
      });
    },
  });
})();
