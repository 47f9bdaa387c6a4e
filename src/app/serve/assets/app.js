// The what-if page: draws a control for each lever the server lists, asks the server for
// the baseline against the variant whenever a control moves (the server cancels the
// previous question), polls the job and shows each estimate as it sharpens. The charts are
// the report's own, drawn by the server; this script only places them.
'use strict';

const $ = (id) => document.getElementById(id);
const client = 'page-' + Math.random().toString(36).slice(2, 12);
const page = { scenarios: [], limits: null, scenario: null, settings: {}, job: 0, seen: 0, timer: 0, answer: null };

const pct = (x) => {
  const p = 100 * x;
  return (p > 0 && p < 1) || (p > 99 && p < 100) ? p.toFixed(1) + '%' : p.toFixed(0) + '%';
};
const yrs = (x) => x.toFixed(1) + ' years';
const thousands = (n) => n.toLocaleString('en-GB');
const decimals = (step) => (String(step).split('.')[1] || '').length;
const el = (tag, attrs = {}, text) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
};

async function start() {
  try {
    const r = await fetch('/api/scenarios');
    const d = await r.json();
    page.scenarios = d.scenarios;
    page.limits = d.limits;
  } catch (e) {
    return fail('The server did not answer: is collabsim serve still running?');
  }
  for (const s of page.scenarios) $('scenario').append(el('option', { value: s.id }, s.name));
  for (const n of [1000, 2000, 5000].filter((n) => n <= page.limits.max_replicates)) {
    $('replicates').append(el('option', { value: n }, thousands(n)));
  }
  $('replicates').value = String(page.limits.default_replicates);
  $('years').max = page.limits.max_years;
  const wanted = new URLSearchParams(location.search).get('scenario');
  $('scenario').value = page.scenarios.some((s) => s.id === wanted) ? wanted : page.scenarios[0].id;
  $('scenario').addEventListener('change', () => choose($('scenario').value));
  $('years').addEventListener('change', ask);
  $('replicates').addEventListener('change', ask);
  $('reset').addEventListener('click', () => choose(page.scenario.id));
  $('copy').addEventListener('click', () => navigator.clipboard && navigator.clipboard.writeText($('command').textContent));
  $('save').addEventListener('click', save);
  choose($('scenario').value);
}

// Shows the levers of scenario `id` at its own values and asks for its baseline.
function choose(id) {
  page.scenario = page.scenarios.find((s) => s.id === id);
  page.settings = {};
  $('scenario-file').textContent = page.scenario.file + ' (seed ' + page.scenario.seed + ')';
  $('years').value = page.scenario.years;
  $('named-levers').replaceChildren(...page.scenario.levers.filter((l) => l.named).map(control));
  $('other-levers').replaceChildren(...page.scenario.levers.filter((l) => !l.named).map(control));
  ask();
}

// One lever's control: a slider with a number box, a switch, or a choice.
function control(l) {
  const box = el('div', { class: 'lever', 'data-path': l.path });
  const top = el('div', { class: 'top' });
  top.append(el('span', { class: 'name' }, l.title));
  const value = el('span', { class: 'value' });
  top.append(value);
  box.append(top);
  const changed = (v) => {
    const same = l.kind === 'number' ? Math.abs(v - l.value) < 1e-9 : v === l.value;
    if (same) delete page.settings[l.path];
    else page.settings[l.path] = v;
    box.classList.toggle('changed', !same);
    ask();
  };
  let input;
  if (l.kind === 'number') {
    const d = decimals(l.step);
    const slider = el('input', { type: 'range', min: l.min, max: l.max, step: l.step, value: l.value, 'aria-label': l.title });
    const exact = el('input', { type: 'number', step: 'any', value: l.value, 'aria-label': l.title + ' (exact)' });
    if (l.valid[0] !== null) exact.min = l.valid[0];
    if (l.valid[1] !== null) exact.max = l.valid[1];
    slider.addEventListener('input', () => {
      const v = Number(Number(slider.value).toFixed(d));
      exact.value = v;
      changed(v);
    });
    exact.addEventListener('change', () => {
      const v = Number(exact.value);
      if (exact.value === '' || !Number.isFinite(v)) return;
      slider.value = v;
      changed(v);
    });
    value.append(exact, ' ' + (l.unit === 'ratio' || l.unit === '0..1' ? '' : l.unit));
    const track = el('div', { class: 'track' });
    track.append(slider);
    const at = (100 * (l.value - l.min)) / (l.max - l.min || 1);
    // Under the slider at the case's value; shifted by as much of its own width, so that it
    // stays inside the track at either end.
    const x = Math.min(100, Math.max(0, at));
    const mark = el('span', { class: 'mark', style: 'left:' + x + '%;transform:translateX(-' + x + '%)' }, '▲ the case: ' + l.value);
    track.append(mark);
    box.append(track);
    input = slider;
  } else if (l.kind === 'bool') {
    const label = el('label', { class: 'switch' });
    input = el('input', { type: 'checkbox' });
    input.checked = l.value;
    input.addEventListener('change', () => changed(input.checked));
    label.append(input, 'on (the case: ' + (l.value ? 'on' : 'off') + ')');
    box.append(label);
  } else if (l.kind === 'choice') {
    input = el('select', { 'aria-label': l.title });
    for (const c of l.choices) input.append(el('option', { value: c }, c + (c === l.value ? ' (the case)' : '')));
    input.value = l.value;
    input.addEventListener('change', () => changed(input.value));
    box.append(input);
  }
  const meaning = l.inert ? 'Changes nothing here: ' + l.inert : l.meaning;
  const range = l.kind === 'number' ? ' [' + l.unit + '; slider ' + l.min + ' to ' + l.max + ']' : '';
  box.append(el('p', { class: 'meaning' }, meaning + range));
  if (l.inert) box.classList.add('inert');
  return box;
}

// Sends the current settings as a question, shortly after the last move.
function ask() {
  clearTimeout(page.debounce);
  page.debounce = setTimeout(send, 150);
}

function question() {
  const q = { client, scenario: page.scenario.id, variant: page.settings, replicates: Number($('replicates').value) };
  const y = Number($('years').value);
  if ($('years').value !== '' && y !== page.scenario.years) q.years = y;
  return q;
}

async function post(url, body) {
  const r = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  let d = {};
  try { d = await r.json(); } catch (e) { /* not JSON */ }
  return { status: r.status, body: d };
}

async function send() {
  const q = question();
  page.job = 0;
  $('save').disabled = true;
  status('Asking…', 0);
  let r;
  try { r = await post('/api/compare', q); } catch (e) { return fail('The server did not answer: is collabsim serve still running?'); }
  if (r.status === 503) {
    status('The server is busy; asking again in a moment…', 0);
    page.debounce = setTimeout(send, 1000);
    return;
  }
  if (r.status !== 202) return fail(r.body.error || 'The server refused the question (' + r.status + ').');
  $('error').hidden = true;
  $('command').textContent = r.body.command;
  page.job = r.body.id;
  page.seen = 0;
  poll(r.body.id);
}

async function poll(id) {
  if (id !== page.job) return;
  let d;
  try { d = await (await fetch('/api/jobs/' + id + '?seen=' + page.seen)).json(); } catch (e) { return fail('The server did not answer: is collabsim serve still running?'); }
  if (id !== page.job) return; // a newer question replaced this one
  if (d.answer) {
    page.seen = d.stage;
    show(d.answer);
  }
  const n = page.answer ? page.answer.target : 0;
  if (d.phase === 'failed') return fail(d.error);
  if (d.phase === 'cancelled') return;
  if (d.phase === 'done') {
    status('Done: ' + thousands(n) + ' futures per arm.', 1, 'final');
    $('save').disabled = !page.answer.has_variant;
    return;
  }
  const so_far = page.answer && page.seen ? ' Showing the estimate from ' + thousands(page.answer.replicates) + ' futures.' : '';
  status('Simulating: ' + pct(d.done / Math.max(1, d.total)) + ' done.' + so_far, d.done / Math.max(1, d.total));
  setTimeout(() => poll(id), 150);
}

function status(text, frac, state = 'running') {
  $('status').textContent = text;
  $('status').dataset.state = state;
  $('progress').firstElementChild.style.width = Math.round(100 * frac) + '%';
}

function fail(text) {
  $('error').textContent = text;
  $('error').hidden = false;
  status('', 0, 'error');
}

// One estimate onto the page.
function show(a) {
  page.answer = a;
  const c = a.comparison;
  const b = c.baseline;
  const v = a.has_variant ? c.variants[0] : null;
  document.body.classList.toggle('no-variant', !v);
  $('headline').textContent = headline(a, b, v);
  const rows = [];
  const row = (label, bv, vv, dv, key) => rows.push({ label, bv, vv, dv, key });
  const md = v ? v.versus_baseline.median_difference_years : null;
  row('Half had ended by', med(b), v ? med(v.arm) : null,
    md === null || md === undefined ? null : num(signed(md, 2) + ' years', md), 'median');
  for (const y of Object.keys(b.survival_at_years)) {
    const s = b.survival_at_years[y];
    const sv = v ? v.arm.survival_at_years[y] : null;
    row('Still running after ' + y + (y === '1' ? ' year' : ' years'), num(pct(s), s), v ? num(pct(sv), sv) : null,
      v ? num(signed(100 * (sv - s), 1) + ' points', sv - s) : null, 'survival-' + y);
  }
  const d = v && v.versus_baseline.rmst_difference_years;
  row('Mean lifetime over ' + c.horizon_years + ' years', num(yrs(b.rmst_years), b.rmst_years),
    v ? num(yrs(v.arm.rmst_years), v.arm.rmst_years) : null,
    d ? num(signed(d.estimate, 2) + ' years (95% interval ' + signed(d.ci95[0], 2) + ' to ' + signed(d.ci95[1], 2) + ')', d.estimate) : null,
    'rmst');
  const tbody = $('numbers').tBodies[0];
  tbody.replaceChildren(...rows.map((r) => {
    const tr = el('tr', { 'data-key': r.key });
    tr.append(el('th', { scope: 'row' }, r.label));
    for (const [cell, cls] of [[r.bv, 'baseline'], [r.vv, 'variant'], [r.dv, 'difference']]) {
      const td = el('td', { class: 'num ' + cls + (cls === 'baseline' ? '' : ' variant-col') }, cell ? cell.text : '');
      if (cell && cell.value !== null && cell.value !== undefined) td.dataset.value = cell.value;
      tr.append(td);
    }
    return tr;
  }));
  $('numbers').hidden = false;
  $('survival').innerHTML = a.survival_svg;
  $('incidence').innerHTML = a.incidence_svg;
  causes(a);
  $('sentences').replaceChildren(...a.sentences.map((s) => el('p', { class: s.startsWith('    ') ? 'stats' : '' }, s.trim())));
  $('command').textContent = a.command;
}

const num = (text, value) => ({ text, value });
const signed = (x, d) => (x > 0 ? '+' : x < 0 ? '−' : '') + Math.abs(x).toFixed(d);
const med = (arm) => arm.median_years === null
  ? num('not within ' + arm.horizon_years + ' years', null)
  : num(yrs(arm.median_years), arm.median_years);

function headline(a, b, v) {
  const span = b.horizon_years + ' years';
  if (!v) {
    const m = b.median_years === null ? 'more than half of the collaborations are still running after ' + span
      : 'half of the collaborations have ended by ' + yrs(b.median_years);
    return 'As the case stands, ' + m + '. Move a lever to compare.';
  }
  if (v.versus_baseline.identical_to_baseline) return 'These settings are the case as it is: nothing changes.';
  // The terminal's sentence for the difference (one wording, the server's).
  const said = a.sentences.find((s) => s.trim().startsWith('Under ')) || '';
  const est = a.final ? '' : ' First estimate, from ' + thousands(a.replicates) + ' futures; refining…';
  return said.trim() + est;
}

function causes(a) {
  const c = a.comparison;
  const base = a.arms[0];
  const variant = a.arms[1];
  const shares = (arm) => Object.fromEntries((arm ? arm.causes : []).map((x) => [x.cause, { ...x }]));
  const sb = shares(base), sv = shares(variant);
  // With a variant, the shares are the comparison's own (as comparison.json records them).
  for (const r of c.variants.length ? c.variants[0].versus_baseline.causes : []) {
    if (sb[r.cause]) sb[r.cause].share = r.cumulative_incidence_at_horizon[0];
    if (sv[r.cause]) sv[r.cause].share = r.cumulative_incidence_at_horizon[1];
  }
  const all = [...new Set([...Object.keys(sb), ...Object.keys(sv)])];
  const tbody = $('causes').tBodies[0];
  tbody.replaceChildren(...all.map((k) => {
    const tr = el('tr', { 'data-cause': k });
    const th = el('th', { scope: 'row' }, k);
    th.append(el('span', { class: 'why' }, (sb[k] || sv[k]).meaning));
    tr.append(th);
    for (const [x, cls] of [[sb[k], 'baseline'], [sv[k], 'variant variant-col']]) {
      const td = el('td', { class: 'num ' + cls }, x ? pct(x.share) : '');
      if (x) td.dataset.value = x.share;
      tr.append(td);
    }
    return tr;
  }));
  $('causes').hidden = false;
  $('causes-title').hidden = false;
  const who = (arm, name) => arm.partner_out
    ? name + ': ' + arm.partner_out.partner + ' is the partner most likely to pull out (' + pct(arm.partner_out.share) + ' of all runs by ' + c.horizon_years + ' years).'
    : name + ': no partner pulled out.';
  $('partners').textContent = who(base, 'Baseline') + (variant ? ' ' + who(variant, 'Variant') : '');
}

async function save() {
  $('save').disabled = true;
  const before = $('status').textContent;
  status('Writing the report (the whole comparison runs again, as the command would)…', 0.5, 'saving');
  let r;
  try { r = await post('/api/save', question()); } catch (e) { return fail('The server did not answer: is collabsim serve still running?'); }
  if (r.status !== 200) {
    $('save').disabled = false;
    return fail(r.body.error || 'The comparison could not be saved (' + r.status + ').');
  }
  for (const [name, text] of Object.entries(r.body.files)) {
    const type = name.endsWith('.html') ? 'text/html' : 'application/json';
    const url = URL.createObjectURL(new Blob([text], { type }));
    const a = el('a', { href: url, download: name });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }
  status(before + ' Saved report.html and manifest.json (for the folder ' + r.body.folder + ').', 1, 'saved');
  $('save').disabled = false;
}

start();
