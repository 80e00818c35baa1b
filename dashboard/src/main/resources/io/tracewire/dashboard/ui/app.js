// Tracewire dashboard UI. No framework, no build step. Every piece of event content is put into
// the page with textContent only (never parsed as markup), so model output, names and tags stay inert text.
'use strict';

(function () {
  const ROW = 30;
  const PAGE = 100;
  const $ = (id) => document.getElementById(id);

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function fmtMs(ms) {
    if (ms === null || ms === undefined) return '–';
    if (ms < 1) return ms.toFixed(2) + ' ms';
    if (ms < 1000) return Math.round(ms) + ' ms';
    if (ms < 60000) return (ms / 1000).toFixed(2) + ' s';
    return (ms / 60000).toFixed(1) + ' min';
  }

  function fmtTime(ms) {
    if (ms === null || ms === undefined) return '–';
    const d = new Date(ms);
    const p = (n, w) => String(n).padStart(w || 2, '0');
    return p(d.getHours()) + ':' + p(d.getMinutes()) + ':' + p(d.getSeconds()) + '.' + p(d.getMilliseconds(), 3);
  }

  function fmtTokens(t) {
    if (!t) return '–';
    return t.total + ' (' + t.input + '/' + t.output + ')';
  }

  // Indents JSON text without parsing it, so large integers (seq, ts) keep every digit.
  function pretty(json) {
    let out = '';
    let depth = 0;
    let inString = false;
    const nl = () => '\n' + '  '.repeat(depth);
    for (let i = 0; i < json.length; i++) {
      const c = json[i];
      if (inString) {
        out += c;
        if (c === '\\') { out += json[++i] || ''; } else if (c === '"') inString = false;
        continue;
      }
      if (c === '"') { inString = true; out += c; }
      else if (c === '{' || c === '[') {
        const close = c === '{' ? '}' : ']';
        if (json[i + 1] === close) { out += c + close; i++; continue; }
        depth++; out += c + nl();
      } else if (c === '}' || c === ']') { depth--; out += nl() + c; }
      else if (c === ',') out += ',' + nl();
      else if (c === ':') out += ': ';
      else out += c;
    }
    return out;
  }

  function statusBadge(s) {
    return el('span', 'status ' + s, s);
  }

  async function getJson(url) {
    const r = await fetch(url, { credentials: 'same-origin', cache: 'no-store' });
    if (!r.ok) throw new Error(r.status + ' ' + url);
    return r.json();
  }

  function throttle(fn, ms) {
    let timer = null;
    let again = false;
    return function () {
      if (timer) { again = true; return; }
      fn();
      timer = setTimeout(function tick() {
        timer = null;
        if (again) { again = false; fn(); timer = setTimeout(tick, ms); }
      }, ms);
    };
  }

  // ------------------------------------------------------------------ virtual list

  // A list whose rows are fetched page by page from the server and only rendered when visible.
  function VirtualList(container, fetchPage, renderRow, onTotal) {
    const space = container.querySelector('.vspace');
    let total = 0;
    let pages = new Map();
    let pending = new Set();
    let generation = 0;

    function reset() {
      generation++;
      pages = new Map();
      pending = new Set();
      render();
    }

    async function load(p) {
      if (pending.has(p)) return;
      pending.add(p);
      const g = generation;
      try {
        const res = await fetchPage(p * PAGE, PAGE);
        if (g !== generation) return;
        pages.set(p, res.items);
        if (res.total !== total) { total = res.total; if (onTotal) onTotal(total); }
      } catch (e) {
        console.warn(e);
      } finally {
        if (g === generation) pending.delete(p);
      }
      if (g === generation) render();
    }

    function render() {
      space.style.height = Math.max(total * ROW, 1) + 'px';
      const top = container.scrollTop;
      const first = Math.max(0, Math.floor(top / ROW) - 5);
      const last = Math.min(Math.max(total, 1) - 1, Math.ceil((top + container.clientHeight) / ROW) + 5);
      const keep = new Set();
      for (let i = first; i <= last; i++) {
        const p = Math.floor(i / PAGE);
        const page = pages.get(p);
        if (!page) { load(p); continue; }
        const item = page[i - p * PAGE];
        if (!item) continue;
        keep.add(String(i));
        let row = space.querySelector('[data-i="' + i + '"]');
        const fresh = renderRow(item, i);
        fresh.dataset.i = String(i);
        fresh.classList.add('row');
        fresh.style.top = (i * ROW) + 'px';
        if (row) space.replaceChild(fresh, row); else space.appendChild(fresh);
      }
      for (const r of Array.from(space.children)) {
        if (!keep.has(r.dataset.i)) space.removeChild(r);
      }
      if (total === 0 && !pages.has(0)) load(0);
    }

    function updateItem(match, item) {
      for (const [p, page] of pages) {
        for (let k = 0; k < page.length; k++) {
          if (match(page[k])) { page[k] = item; render(); return true; }
        }
      }
      return false;
    }

    container.addEventListener('scroll', render);
    window.addEventListener('resize', render);
    return { reset, render, updateItem, total: () => total, rows: () => pages };
  }

  // ------------------------------------------------------------------ root run list

  const filters = { q: $('f-q'), status: $('f-status'), type: $('f-type'), tag: $('f-tag'), name: $('f-name') };

  function filterQuery() {
    const p = new URLSearchParams();
    for (const k of Object.keys(filters)) if (filters[k].value) p.set(k, filters[k].value);
    return p;
  }

  const runList = VirtualList($('runs'), (offset, limit) => {
    const p = filterQuery();
    p.set('offset', offset);
    p.set('limit', limit);
    return getJson('/api/runs?' + p.toString());
  }, (r) => {
    const row = el('div', 'runs-grid');
    row.dataset.runId = r.id;
    const cell = el('span', 'rcell');
    cell.appendChild(el('span', 'rname', r.name));
    for (const t of r.tags.slice(0, 4)) cell.appendChild(el('span', 'tagchip', t));
    row.appendChild(cell);
    const st = el('span');
    st.appendChild(statusBadge(r.status));
    row.appendChild(st);
    row.appendChild(el('span', 'num', fmtTime(r.start_ms)));
    row.appendChild(el('span', 'num', fmtMs(r.duration_ms)));
    row.appendChild(el('span', 'num', fmtTokens(r.tokens)));
    row.appendChild(el('span', 'num', fmtMs(r.first_chunk_ms)));
    const err = el('span', 'num', r.errors ? r.errors : '');
    if (r.error) err.title = r.error;
    row.appendChild(err);
    row.addEventListener('click', () => { location.hash = '#/run/' + encodeURIComponent(r.id); });
    return row;
  }, (total) => { $('list-count').textContent = total + ' root runs'; });

  const refreshList = throttle(() => runList.reset(), 300);
  for (const k of Object.keys(filters)) {
    filters[k].addEventListener('input', () => runList.reset());
    filters[k].addEventListener('change', () => runList.reset());
  }
  $('filters').addEventListener('submit', (e) => e.preventDefault());

  // ------------------------------------------------------------------ totals

  const refreshTotals = throttle(async () => {
    try {
      const s = await getJson('/api/summary');
      const t = $('totals');
      clear(t);
      const add = (k, v, tip) => {
        const s1 = el('span', null, k + ' ');
        s1.appendChild(el('b', null, v));
        if (tip) s1.title = tip;
        t.appendChild(s1);
      };
      add('runs', s.roots);
      add('events', s.events);
      add('running', s.status.running);
      add('errors', s.status.error);
      add('tokens', s.tokens.total);
      add('model TTFC p50', fmtMs(s.model_ttfc_ms.p50),
        'median time to first chunk of the stored model runs, each from its own start');
      add('dropped', s.dropped);
    } catch (e) { /* next update retries */ }
  }, 1000);

  // ------------------------------------------------------------------ run detail

  const detail = { id: null, data: null, collapsed: new Set(), selected: null, tab: 'tree', tokRun: null,
    tokRendered: 0, tokData: null, replaying: null };

  function rootStart(d) {
    let s = d.root.start_ms;
    for (const r of d.runs) if (r.start_ms !== null && (s === null || r.start_ms < s)) s = r.start_ms;
    return s;
  }

  async function loadDetail() {
    const id = detail.id;
    let d;
    try { d = await getJson('/api/runs/' + encodeURIComponent(id)); } catch (e) {
      $('d-title').textContent = 'Run not found (evicted or unknown)';
      return;
    }
    if (id !== detail.id) return;
    detail.data = d;
    $('d-title').textContent = d.root.name;
    const st = $('d-status');
    st.className = 'status ' + d.root.status;
    st.textContent = d.root.status;
    $('d-meta').textContent = fmtTime(d.root.start_ms) + ' · ' + fmtMs(d.root.duration_ms) + ' · ' + d.root.runs
      + ' runs · ' + d.root.events + ' events · tokens ' + fmtTokens(d.root.tokens);
    if (!detail.selected) detail.selected = d.focus;
    renderTree();
    renderRunInfo();
    renderTiming();
    fillTokenRuns();
    if (detail.tab === 'tokens') loadTokens();
    if (detail.tab === 'events') eventList.reset();
  }

  function children(d) {
    const kids = new Map();
    for (const r of d.runs) {
      const k = r.parent_id || '';
      if (!kids.has(k)) kids.set(k, []);
      kids.get(k).push(r);
    }
    return kids;
  }

  function renderTree() {
    const d = detail.data;
    const tree = $('tree');
    clear(tree);
    const kids = children(d);
    const t0 = rootStart(d);
    let t1 = t0;
    const now = Date.now();
    for (const r of d.runs) {
      const e = r.end_ms !== null ? r.end_ms : (r.start_ms !== null ? Math.max(now, r.start_ms) : t0);
      if (e > t1) t1 = e;
    }
    const span = Math.max(t1 - t0, 0.001);
    const walk = (r, depth) => {
      const node = el('div', 'tnode' + (detail.selected === r.id ? ' sel' : ''));
      node.dataset.runId = r.id;
      const name = el('span', 'tname');
      name.style.paddingLeft = (depth * 16) + 'px';
      const has = kids.has(r.id);
      const tw = el('span', 'twist', has ? (detail.collapsed.has(r.id) ? '▸' : '▾') : '·');
      if (has) {
        tw.classList.add('toggle-node');
        tw.addEventListener('click', (ev) => {
          ev.stopPropagation();
          if (detail.collapsed.has(r.id)) detail.collapsed.delete(r.id); else detail.collapsed.add(r.id);
          renderTree();
        });
      }
      name.appendChild(tw);
      name.appendChild(el('span', 'tlabel', r.name));
      node.appendChild(name);
      const type = el('span', 'ttype');
      type.appendChild(statusBadge(r.status));
      type.appendChild(document.createTextNode(' ' + r.type));
      node.appendChild(type);
      node.appendChild(el('span', 'num', fmtMs(r.duration_ms)));
      node.appendChild(el('span', 'num', r.tokens ? r.tokens.total : ''));
      const lane = el('span', 'lane');
      if (r.start_ms !== null) {
        const end = r.end_ms !== null ? r.end_ms : Math.max(now, r.start_ms);
        const bar = el('span', 'bar ' + r.status + ' ' + r.type);
        bar.style.left = ((r.start_ms - t0) / span * 100) + '%';
        bar.style.width = Math.max((end - r.start_ms) / span * 100, 0.3) + '%';
        bar.title = r.name + ': ' + fmtMs(end - r.start_ms);
        lane.appendChild(bar);
        if (r.ttfc_ms !== null) {
          const tick = el('span', 'tick');
          tick.style.left = ((r.start_ms + r.ttfc_ms - t0) / span * 100) + '%';
          tick.title = 'first chunk after ' + fmtMs(r.ttfc_ms);
          lane.appendChild(tick);
        }
      }
      node.appendChild(lane);
      node.addEventListener('click', () => { detail.selected = r.id; renderTree(); renderRunInfo(); });
      tree.appendChild(node);
      if (has && !detail.collapsed.has(r.id)) for (const c of kids.get(r.id)) walk(c, depth + 1);
    };
    for (const r of (kids.get('') || [])) walk(r, 0);
  }

  function renderRunInfo() {
    const d = detail.data;
    const r = d.runs.find((x) => x.id === detail.selected) || d.runs[0];
    $('ri-title').textContent = r.name + ' · ' + r.type + ' · ' + r.status + ' · ' + fmtMs(r.duration_ms)
      + (r.ttfc_ms !== null ? ' · first chunk ' + fmtMs(r.ttfc_ms) : '');
    $('ri-error').textContent = r.error || '';
    $('ri-header').textContent = JSON.stringify(r.header, null, 2);
  }

  function renderTiming() {
    const d = detail.data;
    const rows = $('timing-rows');
    clear(rows);
    const stats = $('timing-stats');
    clear(stats);
    const models = d.runs.filter((r) => r.type === 'chat_model' || r.type === 'llm');
    const stat = (k, v) => { const s = el('div', 'stat'); s.appendChild(el('div', 'k', k)); s.appendChild(el('div', 'v', v)); stats.appendChild(s); };
    stat('duration', fmtMs(d.root.duration_ms));
    stat('first chunk after root start', fmtMs(d.root.first_chunk_ms));
    stat('model runs', models.length);
    stat('chunks', d.root.chunks);
    stat('tokens in', d.root.tokens ? d.root.tokens.input : '–');
    stat('tokens out', d.root.tokens ? d.root.tokens.output : '–');
    stat('errors', d.root.errors);
    if (!models.length) rows.appendChild(el('div', 'empty', 'No model runs in this tree.'));
    for (const r of models) {
      const row = el('div', 'trow');
      row.appendChild(el('span', null, r.name));
      row.appendChild(el('span', 'num', fmtMs(r.ttfc_ms)));
      row.appendChild(el('span', 'num', r.chunks));
      row.appendChild(el('span', 'num', fmtMs(r.max_gap_ms)));
      row.appendChild(el('span', 'num', r.tokens ? r.tokens.input : '–'));
      row.appendChild(el('span', 'num', r.tokens ? r.tokens.output : '–'));
      row.appendChild(el('span', 'num', r.tokens ? r.tokens.total : '–'));
      row.appendChild(el('span', 'num', fmtMs(r.duration_ms)));
      rows.appendChild(row);
    }
  }

  // ------------------------------------------------------------------ tokens

  function fillTokenRuns() {
    const sel = $('tok-run');
    const models = detail.data.runs.filter((r) => r.type === 'chat_model' || r.type === 'llm' || r.chunks > 0);
    const prev = sel.value;
    clear(sel);
    for (const r of models) {
      const o = el('option', null, r.name + ' (' + r.type + ', ' + r.chunks + ' chunks)');
      o.value = r.id;
      sel.appendChild(o);
    }
    const pick = models.find((r) => r.id === prev) || models.find((r) => r.type === 'chat_model' || r.type === 'llm') || models[0];
    if (pick) sel.value = pick.id;
    if (detail.tokRun !== sel.value) { detail.tokRun = sel.value || null; detail.tokRendered = 0; clear($('tok-text')); }
  }

  async function loadTokens() {
    const id = detail.tokRun;
    if (!id) { clear($('tok-text')); $('tok-text').appendChild(el('div', 'empty', 'No streamed output in this run.')); return; }
    let t;
    try { t = await getJson('/api/runs/' + encodeURIComponent(id) + '/tokens'); } catch (e) { return; }
    if (id !== detail.tokRun) return;
    detail.tokData = t;
    if (!detail.replaying) appendChunks(t.chunks);
    renderTokenStats(t);
  }

  function appendChunks(chunks) {
    const box = $('tok-text');
    if (detail.tokRendered > chunks.length) { clear(box); detail.tokRendered = 0; }
    for (const old of box.querySelectorAll('.fresh')) old.classList.remove('fresh');
    for (let i = detail.tokRendered; i < chunks.length; i++) {
      const c = el('span', 'chunk' + (detail.tokRendered > 0 ? ' fresh' : ''), chunks[i].text);
      c.title = '#' + i + ' at +' + fmtMs(chunks[i].t_ms);
      box.appendChild(c);
    }
    detail.tokRendered = chunks.length;
  }

  function renderTokenStats(t) {
    const s = $('tok-stats');
    clear(s);
    const stat = (k, v) => { const d = el('div', 'stat'); d.appendChild(el('div', 'k', k)); d.appendChild(el('div', 'v', v)); s.appendChild(d); };
    stat('time to first chunk', fmtMs(t.ttfc_ms));
    stat('chunks', t.truncated ? t.chunks.length + ' of ' + t.total_chunks : t.total_chunks);
    stat('tokens/s', t.tokens_per_second !== undefined ? t.tokens_per_second.toFixed(1) : '–');
    stat('chunks/s', t.chunks_per_second !== undefined ? t.chunks_per_second.toFixed(1) : '–');
    stat('gap mean', fmtMs(t.gaps_ms.mean));
    stat('gap p50', fmtMs(t.gaps_ms.p50));
    stat('gap p95', fmtMs(t.gaps_ms.p95));
    stat('gap max', fmtMs(t.gaps_ms.max));
    stat('tokens', fmtTokens(t.tokens));
    const g = $('tok-gaps');
    clear(g);
    const max = t.gaps_ms.max || 1;
    for (let i = 1; i < t.chunks.length && i < 2000; i++) {
      const gap = t.chunks[i].t_ms - t.chunks[i - 1].t_ms;
      const b = el('span', 'gap');
      b.style.height = Math.max(1, gap / max * 70) + 'px';
      b.title = 'gap before chunk ' + i + ': ' + fmtMs(gap);
      g.appendChild(b);
    }
  }

  function replay() {
    const t = detail.tokData;
    if (!t) return;
    if (detail.replaying) { clearTimeout(detail.replaying); detail.replaying = null; }
    const box = $('tok-text');
    clear(box);
    detail.tokRendered = 0;
    const speed = Number($('tok-speed').value) || 1;
    const started = performance.now();
    const step = () => {
      const elapsed = (performance.now() - started) * speed;
      const upto = t.chunks.filter((c) => c.t_ms <= elapsed).length;
      appendChunks(t.chunks.slice(0, upto));
      if (upto < t.chunks.length) {
        const next = t.chunks[upto].t_ms;
        detail.replaying = setTimeout(step, Math.max(0, (next - elapsed) / speed));
      } else {
        detail.replaying = null;
      }
    };
    step();
  }

  $('tok-run').addEventListener('change', () => { detail.tokRun = $('tok-run').value; detail.tokRendered = 0; clear($('tok-text')); loadTokens(); });
  $('tok-replay').addEventListener('click', replay);
  $('tok-bounds').addEventListener('change', () => $('tok-text').classList.toggle('bounds', $('tok-bounds').checked));

  // ------------------------------------------------------------------ events

  const eventList = VirtualList($('events'), (offset, limit) => {
    return getJson('/api/runs/' + encodeURIComponent(detail.id) + '/events?offset=' + offset + '&limit=' + limit);
  }, (e) => {
    const row = el('div', 'events-grid');
    const t0 = detail.data ? rootStart(detail.data) : e.t_ms;
    row.appendChild(el('span', 'num', e.i));
    row.appendChild(el('span', 'num', e.seq));
    row.appendChild(el('span', 'num', (e.t_ms - t0).toFixed(1)));
    row.appendChild(el('span', null, e.event));
    row.appendChild(el('span', null, e.name));
    row.appendChild(el('span', 'muted', e.run_id));
    row.addEventListener('click', () => {
      $('event-raw').textContent = pretty(e.raw);
      for (const r of $('events').querySelectorAll('.sel')) r.classList.remove('sel');
      row.classList.add('sel');
    });
    return row;
  });

  // ------------------------------------------------------------------ tabs and routing

  function showTab(name) {
    detail.tab = name;
    for (const b of document.querySelectorAll('.tabs button')) b.classList.toggle('active', b.dataset.tab === name);
    for (const t of ['tree', 'tokens', 'events', 'timing']) $('tab-' + t).hidden = t !== name;
    if (name === 'tokens') loadTokens();
    if (name === 'events') eventList.reset();
  }
  for (const b of document.querySelectorAll('.tabs button')) b.addEventListener('click', () => showTab(b.dataset.tab));

  function route() {
    const m = location.hash.match(/^#\/run\/([^/]+)(?:\/(\w+))?/);
    if (m) {
      const id = decodeURIComponent(m[1]);
      $('list-view').hidden = true;
      $('detail-view').hidden = false;
      if (detail.id !== id) {
        detail.id = id;
        detail.data = null;
        detail.collapsed = new Set();
        detail.selected = null;
        detail.tokRun = null;
        detail.tokRendered = 0;
        clear($('tok-text'));
        clear($('tree'));
        $('event-raw').textContent = '';
      }
      showTab(m[2] || detail.tab || 'tree');
      loadDetail();
    } else {
      detail.id = null;
      $('detail-view').hidden = true;
      $('list-view').hidden = false;
      runList.reset();
    }
  }
  window.addEventListener('hashchange', route);

  // ------------------------------------------------------------------ live updates (SSE)

  const refreshDetail = throttle(() => { if (detail.id) loadDetail(); }, 250);
  let received = 0;

  function connect() {
    const conn = $('conn');
    const es = new EventSource('/api/stream');
    es.addEventListener('open', () => { conn.dataset.state = 'live'; conn.textContent = 'live'; });
    es.addEventListener('error', () => { conn.dataset.state = 'error'; conn.textContent = 'reconnecting'; });
    es.addEventListener('hello', (m) => { conn.dataset.lastId = m.lastEventId; });
    es.addEventListener('reset', (m) => {
      conn.dataset.lastId = m.lastEventId;
      conn.dataset.resets = String(Number(conn.dataset.resets || 0) + 1);
      if (!$('live').checked) return;
      refreshList();
      refreshDetail();
      refreshTotals();
    });
    es.addEventListener('run', (m) => {
      conn.dataset.lastId = m.lastEventId;
      conn.dataset.received = String(++received);
      let r;
      try { r = JSON.parse(m.data); } catch (e) { return; }
      refreshTotals();
      if (!$('live').checked) return;
      if (detail.id && detail.data && r.id === detail.data.root.id) refreshDetail();
      if ($('follow').checked && r.status === 'running' && (!detail.data || detail.data.root.id !== r.id)
          && (!detail.data || r.start_ms >= detail.data.root.start_ms)) {
        location.hash = '#/run/' + encodeURIComponent(r.id) + '/' + (detail.tab || 'tree');
        return;
      }
      if (!detail.id && !runList.updateItem((x) => x.id === r.id, r)) refreshList();
    });
    return es;
  }

  $('live').addEventListener('change', () => { if ($('live').checked) { refreshList(); refreshDetail(); } });
  setInterval(() => {
    if (detail.id && detail.data && detail.data.root.status === 'running' && detail.tab === 'tree') renderTree();
  }, 500);

  connect();
  refreshTotals();
  route();
})();
