/*
 * app.js — dyad's dashboard: reads the filters, asks the API (/api/places, /api/series,
 * /api/happenings, /api/stories/{id}) and draws the map (Leaflet over world-atlas's countries,
 * no tiles), the timeline (uPlot) and the evidence of the event picked: its record, and its
 * story with the supporting sentences highlighted and the quotations beside it.
 */
'use strict';

/* CAMEO roots with the PLOVER type each mostly becomes */
const ROOTS = [
  ['01', 'Make public statement', 'AGREE'], ['02', 'Appeal', 'REQUEST'], ['03', 'Express intent to cooperate', 'AGREE'],
  ['04', 'Consult', 'CONSULT'], ['05', 'Engage in diplomatic cooperation', 'SUPPORT'], ['06', 'Engage in material cooperation', 'COOPERATE'],
  ['07', 'Provide aid', 'AID'], ['08', 'Yield', 'CONCEDE'], ['09', 'Investigate', 'INVESTIGATE'],
  ['10', 'Demand', 'DEMAND'], ['11', 'Disapprove', 'ACCUSE'], ['12', 'Reject', 'REJECT'], ['13', 'Threaten', 'THREATEN'],
  ['14', 'Protest', 'PROTEST'], ['15', 'Exhibit force posture', 'MOBILIZE'], ['16', 'Reduce relations', 'SANCTION'],
  ['17', 'Coerce', 'COERCE'], ['18', 'Assault', 'ASSAULT'], ['19', 'Fight', 'ASSAULT'], ['20', 'Use unconventional mass violence', 'ASSAULT'],
];
const QUAD = ['', 'verbal cooperation', 'material cooperation', 'verbal conflict', 'material conflict'];
const FIELDS = ['from', 'to', 'country', 'actor', 'root', 'text'];

const $ = (id) => document.getElementById(id);
const el = (tag, attrs, ...kids) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const k of kids) if (k !== null && k !== undefined) e.append(k);
  return e;
};

let map, clusterLayer, plot, lastFilters = {};

function status(msg, error) {
  const s = $('status');
  s.textContent = msg;
  s.classList.toggle('error', !!error);
}

/* The API's answer as JSON; a 4xx/5xx becomes an Error with the server's message. */
async function api(path, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) if (v !== '' && v !== undefined && v !== null) q.set(k, v);
  const url = path + (q.toString() ? '?' + q : '');
  const r = await fetch(url, { headers: { Accept: 'application/json' } });
  const body = await r.json().catch(() => null);
  if (!r.ok) {
    const e = new Error(body && body.error ? body.error.message : `${r.status} ${r.statusText}`);
    e.param = body && body.error ? body.error.parameter : null;
    throw e;
  }
  return body;
}

/* ==== the base map: world-atlas's TopoJSON decoded here (arcs delta-encoded, quantized) ==== */

function topoFeatures(topo, name) {
  const t = topo.transform;
  const arcs = topo.arcs.map((arc) => {
    let x = 0, y = 0;
    return arc.map((p) => {
      if (!t) return p;
      x += p[0]; y += p[1];
      return [x * t.scale[0] + t.translate[0], y * t.scale[1] + t.translate[1]];
    });
  });
  const ring = (ids) => {
    const pts = [];
    ids.forEach((i, k) => {
      const a = i < 0 ? arcs[~i].slice().reverse() : arcs[i];
      for (let j = k ? 1 : 0; j < a.length; j++) pts.push(a[j]);
    });
    return pts;
  };
  const geom = (g) => g.type === 'Polygon' ? { type: 'Polygon', coordinates: g.arcs.map(ring) }
    : g.type === 'MultiPolygon' ? { type: 'MultiPolygon', coordinates: g.arcs.map((p) => p.map(ring)) } : null;
  return {
    type: 'FeatureCollection',
    features: topo.objects[name].geometries.map((g) => ({ type: 'Feature', properties: g.properties || {}, geometry: geom(g) }))
      .filter((f) => f.geometry),
  };
}

async function initMap() {
  map = L.map('map', { worldCopyJump: true, minZoom: 1, maxZoom: 12, zoomSnap: 1, keyboard: true, attributionControl: true })
    .setView([25, 20], 2);
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution('Countries: Natural Earth via world-atlas');
  const topo = await (await fetch('vendor/countries-110m.json')).json();
  L.geoJSON(topoFeatures(topo, 'countries'), {
    style: { color: '#9aa7b3', weight: 0.7, fillColor: '#fdfdfb', fillOpacity: 1 },
    interactive: false,
  }).addTo(map);
  clusterLayer = L.layerGroup().addTo(map);
  map.on('zoomend', () => loadPlaces(lastFilters));
}

/* The quad class most of a cluster's events have (ties to the more violent). */
function mainQuad(quad) {
  let best = 4;
  for (let q = 4; q >= 1; q--) if (quad[q - 1] > quad[best - 1]) best = q;
  return best;
}

async function loadPlaces(f, fit) {
  const gj = await api('/api/places', { ...f, zoom: map.getZoom() });
  clusterLayer.clearLayers();
  for (const feat of gj.features) {
    const p = feat.properties, [lon, lat] = feat.geometry.coordinates;
    const q = mainQuad(p.quad), size = Math.round(18 + 10 * Math.log10(p.count));
    const label = `${p.count} event${p.count > 1 ? 's' : ''}, mostly ${QUAD[q]}` +
      (p.dead ? `, ${p.dead} dead` : '') + (p.events[0] ? `: ${p.events[0].event || p.events[0].root} on ${p.events[0].date}` : '');
    const icon = L.divIcon({
      className: 'cluster-marker',
      html: `<div class="cluster-icon q${q}" style="width:${size}px;height:${size}px">${p.count > 1 ? p.count : ''}</div>`,
      iconSize: [size, size],
    });
    // violent and larger clusters are drawn over the others where they overlap
    const m = L.marker([lat, lon], { icon, title: label, alt: label, keyboard: true, riseOnHover: true, zIndexOffset: q * 1000 + Math.min(p.count, 999) });
    m.on('click', () => showCluster(p, label));
    m.on('add', () => { const e = m.getElement(); if (e) { e.setAttribute('aria-label', label); e.setAttribute('role', 'button'); } });
    clusterLayer.addLayer(m);
  }
  $('map-count').textContent = `${gj.events} located events in ${gj.clusters} clusters`;
  if (fit && gj.features.length) { /* the map goes to what the filters found */
    const b = L.latLngBounds(gj.features.map((x) => [x.geometry.coordinates[1], x.geometry.coordinates[0]]));
    map.fitBounds(b.pad(0.3), { maxZoom: 5, animate: false });
  }
  return gj;
}

/* ==== the timeline ======================================================================= */

/* The timeline's days: the filter's dates, else the data's, at least a week. */
function xRange(xs) {
  const day = (d) => Date.parse(d + 'T00:00:00Z') / 1000;
  let lo = lastFilters.from ? day(lastFilters.from) : xs.length ? xs[0] : Date.now() / 1000 - 30 * 86400;
  let hi = lastFilters.to ? day(lastFilters.to) : xs.length ? xs[xs.length - 1] : Date.now() / 1000;
  if (hi - lo < 7 * 86400) lo -= 3 * 86400, hi += 4 * 86400;
  return [lo, hi];
}

async function loadSeries(f) {
  const s = await api('/api/series', { ...f, by: 'day' });
  const xs = [], ev = [], dead = [];
  for (const p of s.series) {
    xs.push(Date.parse(p.period + 'T00:00:00Z') / 1000);
    ev.push(p.events);
    dead.push(p.dead);
  }
  const box = $('timeline');
  const width = Math.max(300, box.clientWidth), height = Math.max(110, (box.clientHeight || 170) - 34);
  const opts = {
    width, height, tzDate: (ts) => uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC'),
    scales: {
      /* the filter's dates when it has them; a single day gets a week around it */
      x: { time: true, range: xRange(xs) },
      dead: { auto: true },
    },
    series: [{ label: 'day' },
      { label: 'events', stroke: '#0969da', fill: 'rgba(9,105,218,.15)', width: 1.5, points: { show: xs.length < 60 } },
      { label: 'dead', stroke: '#d7191c', width: 1.5, scale: 'dead', points: { show: xs.length < 60 } }],
    axes: [{}, { label: 'events' }, { side: 1, scale: 'dead', label: 'dead', grid: { show: false } }],
  };
  if (plot) plot.destroy();
  box.textContent = '';
  plot = new uPlot(opts, [xs, ev, dead], box);
  const total = ev.reduce((a, b) => a + b, 0), deaths = dead.reduce((a, b) => a + b, 0);
  const summary = xs.length ? `${total} events and ${deaths} dead on ${xs.length} days, ${s.series[0].period} to ${s.series[s.series.length - 1].period}` : 'No dated events match.';
  $('timeline-summary').textContent = summary;
  box.setAttribute('aria-label', 'Timeline of events and deaths per day: ' + summary);
}

/* ==== happenings ========================================================================= */

async function loadHappenings(f) {
  const h = await api('/api/happenings', { ...f, limit: 100 });
  const list = $('happenings');
  list.textContent = '';
  for (const hp of h.happenings) {
    const m = hp.mention_list && hp.mention_list[0];
    const root = ROOTS.find((r) => r[0] === hp.root);
    const text = `${hp.first_date || 'undated'} · ${hp.code || hp.root} ${root ? root[1] : ''} · ${hp.source || '---'} → ${hp.target || '---'} · ${hp.mentions} mention${hp.mentions > 1 ? 's' : ''}`;
    const b = el('button', { type: 'button', title: m ? m.text : '', onclick: () => m && openEvent(m.event_id, m.story_id, b) }, text);
    list.append(el('li', {}, b));
  }
  $('happenings-count').textContent = `${h.count}${h.count === h.limit ? '+' : ''}`;
}

/* ==== evidence: a cluster's events, an event's record and story ========================== */

function showCluster(p, label) {
  const box = $('cluster');
  box.textContent = '';
  box.append(el('h3', { class: 'hint' }, label));
  const ul = el('ul');
  let first = null;
  for (const e of p.events) {
    const b = el('button', { type: 'button', onclick: () => openEvent(e.id, e.story_id, b) },
      `${e.date || 'undated'} · ${e.root} ${e.event || ''} · ${e.story_id}`);
    ul.append(el('li', {}, b));
    if (!first || (e.quad_class === 4 && first.e.quad_class !== 4)) first = { e, b };
  }
  if (p.count > p.events.length) ul.append(el('li', { class: 'hint' }, `and ${p.count - p.events.length} more: zoom in or narrow the filters`));
  box.append(ul);
  if (first) openEvent(first.e.id, first.e.story_id, first.b);
}

const actorText = (list) => (list && list.length ? list.map((a) => `${a.name || a.entity_text} (${a.code || '---'})`).join('; ') : '—');
const sizeText = (s) => (s ? `${s.value}${s.qualifier && s.qualifier !== 'exact' ? ' (' + s.qualifier + ')' : ''}` : null);

/* The story text with the event's sentences and the quotations marked, by character (code
 * point) offsets as the store gives them. */
function storyText(text, support, quotes) {
  const chars = Array.from(text), marks = new Array(chars.length + 1).fill(0);
  const paint = (spans, bit) => { for (const [s, e] of spans) for (let i = s; i < e && i < chars.length; i++) marks[i] |= bit; };
  paint(support, 1);
  for (const q of quotes) paint((q.text_info && q.text_info.spans) || [], 2);
  const out = el('div', { class: 'story-text', tabindex: '0', 'aria-label': 'Story text; the supporting sentences are highlighted' });
  let i = 0;
  while (i < chars.length) {
    let j = i;
    while (j < chars.length && marks[j] === marks[i]) j++;
    const piece = chars.slice(i, j).join('');
    if (marks[i]) {
      const cls = (marks[i] & 1 ? 'support' : '') + (marks[i] & 2 ? ' quote' : '');
      out.append(el('mark', { class: cls.trim() }, piece));
    } else out.append(piece);
    i = j;
  }
  return out;
}

async function openEvent(id, storyId, button) {
  document.querySelectorAll('button[aria-pressed="true"]').forEach((b) => b.setAttribute('aria-pressed', 'false'));
  if (button) button.setAttribute('aria-pressed', 'true');
  const box = $('detail');
  box.textContent = 'Loading…';
  try {
    const st = await api('/api/stories/' + encodeURIComponent(storyId));
    const ev = st.events.find((e) => e.id === id) || st.events[0];
    box.textContent = '';
    if (!ev) { box.append(el('p', {}, 'This story has no event records.')); return; }
    const loc = ev.event_loc || {}, size = ev.size || {};
    const rows = [
      ['event', `${ev.event || '—'}${ev.mode ? ' (' + ev.mode + ')' : ''}`],
      ['CAMEO', `${ev.cameo.code} · root ${ev.cameo.root} · quad ${ev.cameo.quad_class} (${QUAD[ev.cameo.quad_class] || ''}) · Goldstein ${ev.cameo.goldstein}`],
      ['date', `${ev.date || 'undated'} (${ev.date_precision})`],
      ['source', actorText(ev.actor)], ['target', actorText(ev.recipient)],
      ['place', loc.resolved_place ? `${loc.resolved_place}${loc.admin1 ? ', ' + loc.admin1 : ''}, ${loc.country_code} (${loc.precision})` : (loc.country_code || '—')],
      ['dead', sizeText(size.dead)], ['injured', sizeText(size.injured)],
      ['ACLED', ev.acled ? `${ev.acled.event_type} — ${ev.acled.sub_event_type}` : null],
      ['story', `${st.title || st.id} · ${st.source || ''} · ${st.date || ''}`], ['record', ev.id],
    ];
    const dl = el('dl', { class: 'record', 'aria-label': 'Event record' });
    for (const [k, v] of rows) if (v) dl.append(el('dt', {}, k), el('dd', {}, v));
    box.append(el('h3', {}, `${ev.event || ev.cameo.code}: ${actorText(ev.actor)} → ${actorText(ev.recipient)}`), dl);
    const quotes = st.quotes || [];
    const aside = el('aside', { class: 'quotes', 'aria-label': 'Quotations in the story' }, el('h4', {}, `Quotes (${quotes.length})`));
    for (const q of quotes)
      aside.append(el('blockquote', {}, q.text, el('cite', {}, '— ' + (q.speaker && q.speaker.length ? actorText(q.speaker) : 'unknown speaker'))));
    box.append(el('div', { class: 'story' }, storyText(st.text, (ev.text_info && ev.text_info.spans) || [], quotes), aside));
    $('detail-section').scrollTop = 0;
  } catch (e) {
    box.textContent = '';
    box.append(el('p', { class: 'error' }, 'Could not read the story: ' + e.message));
  }
}

/* ==== filters ============================================================================ */

function readFilters() {
  const f = {};
  for (const k of FIELDS) {
    let v = $('f-' + k).value.trim();
    if (k === 'country' || k === 'actor') v = v.toUpperCase();
    if (v) f[k] = v;
  }
  return f;
}

function writeFilters(f) {
  for (const k of FIELDS) $('f-' + k).value = f[k] || '';
}

async function apply(f) {
  lastFilters = f;
  const q = new URLSearchParams(f).toString();
  if (location.hash.slice(1) !== q) history.replaceState(null, '', q ? '#' + q : location.pathname);
  document.querySelectorAll('#filters [aria-invalid]').forEach((i) => i.removeAttribute('aria-invalid'));
  status('Loading…');
  try {
    const [gj] = await Promise.all([loadPlaces(f, Object.keys(f).length > 0), loadSeries(f), loadHappenings(f)]);
    status(`${gj.events} located events match${Object.keys(f).length ? ' the filters' : ''}.`);
  } catch (e) {
    status(e.message, true);
    if (e.param && $('f-' + e.param)) {
      $('f-' + e.param).setAttribute('aria-invalid', 'true');
      $('f-' + e.param).focus();
    }
  }
}

async function main() {
  const sel = $('f-root');
  for (const [code, name, plover] of ROOTS) sel.append(el('option', { value: code }, `${code} ${name} (${plover})`));
  await initMap();
  $('filters').addEventListener('submit', (ev) => { ev.preventDefault(); apply(readFilters()); });
  $('filters').addEventListener('reset', () => setTimeout(() => apply({}), 0));
  const f = Object.fromEntries(new URLSearchParams(location.hash.slice(1)));
  writeFilters(f);
  window.addEventListener('resize', () => plot && plot.setSize({ width: $('timeline').clientWidth, height: plot.height }));
  await apply(readFilters());
  document.body.dataset.ready = '1';
}

main().catch((e) => status('The dashboard could not start: ' + e.message, true));
