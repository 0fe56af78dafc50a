'use strict';
// The supervisor's dashboard: every figure comes from the server's /api/v1 reports (the same as a
// token reads), with the signed-in session's account, role and scope. Text is always set as text.

function $(id) { return document.getElementById(id); }

function text(tag, content, className) {
  const element = document.createElement(tag);
  element.textContent = content;
  if (className) element.className = className;
  return element;
}

async function api(path) {
  const response = await fetch(path, { credentials: 'same-origin' });
  if (response.status === 401) {
    location.href = '/masuk';
    return { status: 401, answer: {} };
  }
  return { status: response.status, answer: await response.json() };
}

// "1234.5" -> "1.234,5": numbers as Indonesians write them.
function angka(decimal) {
  const [whole, fraction] = String(decimal).split('.');
  const negative = whole.startsWith('-');
  const digits = negative ? whole.slice(1) : whole;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return (negative ? '-' : '') + grouped + (fraction ? ',' + fraction : '');
}

// Capaian against its target, exactly: numerator / denominator percent against 100 and 75.
function capaianClass(c) {
  const n = BigInt(c.numerator), d = BigInt(c.denominator);
  if (n >= 100n * d) return 'tercapai';
  if (n >= 75n * d) return 'mendekati';
  return 'kurang';
}

function cell(row, content, className) {
  const td = text('td', content, className);
  row.append(td);
  return td;
}

async function showIkk(period) {
  $('ikk-galat').textContent = '';
  const query = '?period=' + encodeURIComponent(period);
  $('unduh-xlsx').href = '/api/v1/indicators.xlsx' + query;
  $('unduh-csv').href = '/api/v1/indicators.csv' + query;
  const { status, answer } = await api('/api/v1/indicators' + query);
  const body = document.querySelector('#ikk-tabel tbody');
  body.replaceChildren();
  if (status !== 200) {
    $('ikk-galat').textContent = answer.error ? answer.error.message : 'Tabel IKK tidak dapat dibaca.';
    $('ikk-judul').textContent = '';
    return;
  }
  $('ikk-judul').textContent = 'Periode ' + answer.period + ' (' + answer.first_day + ' s.d. ' + answer.last_day + '), ' +
    answer.rows.length + ' indikator.';
  for (const r of answer.rows) {
    const tr = document.createElement('tr');
    tr.id = 'ikk-' + r.indicator.number;
    cell(tr, String(r.indicator.number), 'angka');
    cell(tr, r.indicator.tujuan);
    cell(tr, r.indicator.sasaran);
    const name = cell(tr, r.indicator.name);
    cell(tr, r.indicator.formula);
    cell(tr, r.indicator.data_source);
    for (const key of ['target', 'realisasi']) {
      if (r[key]) cell(tr, angka(r[key].text), 'angka ' + key); else cell(tr, 'belum diisi', 'angka kosong ' + key);
    }
    if (r.capaian) {
      cell(tr, angka(r.capaian.text) + ' %', 'angka capaian ' + capaianClass(r.capaian));
    } else {
      cell(tr, '–', 'angka kosong capaian').title = r.target ? 'realisasi belum ada' : 'target belum diisi';
    }
    body.append(tr);
    const parts = Object.entries(r.breakdown || {});
    if (r.source === 'otomatis' && parts.length > 0) {
      // A row computed from field records opens its breakdown.
      const open = text('button', 'rincian', 'rinci');
      open.type = 'button';
      open.setAttribute('aria-expanded', 'false');
      const detail = document.createElement('tr');
      detail.className = 'rinci';
      detail.hidden = true;
      const td = text('td', parts.map(([k, v]) => k + ': ' + angka(v)).join(' · '));
      td.colSpan = 9;
      detail.append(td);
      open.addEventListener('click', () => {
        detail.hidden = !detail.hidden;
        open.setAttribute('aria-expanded', String(!detail.hidden));
      });
      name.append(document.createElement('br'), open);
      body.append(detail);
    }
  }
}

// ---- Harga: a commodity's daily mean per market, against its HET/HAP ----

const pasar = {};  // market code -> name
const WARNA = ['#0b4f6c', '#c0392b', '#2e7d32', '#6a1b9a', '#ef6c00', '#00838f', '#5d4037', '#ad1457'];

function rupiah(text) { return 'Rp ' + angka(String(text).split('.')[0]); }

// Every day from `from` to `to` (YYYY-MM-DD), inclusive.
function days(from, to) {
  const out = [];
  for (let d = new Date(from + 'T00:00:00Z'); d <= new Date(to + 'T00:00:00Z'); d.setUTCDate(d.getUTCDate() + 1)) {
    out.push(d.toISOString().slice(0, 10));
  }
  return out;
}

async function showHarga() {
  $('harga-galat').textContent = '';
  const commodity = $('komoditas').value, from = $('dari').value, to = $('sampai').value;
  const query = '?commodity_code=' + encodeURIComponent(commodity) + '&from=' + from + '&to=' + to + '&by=day';
  $('harga-xlsx').href = '/api/v1/prices.xlsx' + query;
  $('harga-csv').href = '/api/v1/prices.csv' + query;
  const { status, answer } = await api('/api/v1/prices' + query);
  const body = document.querySelector('#harga-tabel tbody');
  body.replaceChildren();
  if (status !== 200) {
    $('harga-galat').textContent = answer.error ? answer.error.message : 'Harga tidak dapat dibaca.';
    return;
  }
  $('harga-judul').textContent = answer.commodity_name + ' (per ' + answer.unit + '), ' + from + ' s.d. ' + to + ': ' +
    answer.points.length + ' hari-pasar dengan sampel.';
  // One line per market over every day of the range; a day without samples is a gap, never 0.
  const labels = days(from, to);
  const byMarket = new Map();
  const reference = labels.map(() => null);
  let referenceKind = 'HET/HAP';
  for (const p of answer.points) {
    if (!byMarket.has(p.market_code)) byMarket.set(p.market_code, labels.map(() => null));
    const i = labels.indexOf(p.period);
    if (i < 0) continue;
    byMarket.get(p.market_code)[i] = Number(p.mean_rupiah.numerator) / Number(p.mean_rupiah.denominator);
    if (Number(p.reference_rupiah) > 0) {
      reference[i] = Number(p.reference_rupiah);
      referenceKind = p.reference_kind;
    }
  }
  // The reference price holds between the days that name it: drawn across the whole range.
  let last = null;
  for (let i = 0; i < reference.length; i++) { if (reference[i] !== null) last = reference[i]; else reference[i] = last; }
  last = null;
  for (let i = reference.length - 1; i >= 0; i--) { if (reference[i] !== null) last = reference[i]; else reference[i] = last; }
  const datasets = [...byMarket.entries()].map(([code, data], k) => ({
    label: pasar[code] || code, data, borderColor: WARNA[k % WARNA.length], backgroundColor: WARNA[k % WARNA.length],
    spanGaps: false, pointRadius: 3, tension: 0,
  }));
  if (reference.some((v) => v !== null)) {
    datasets.push({ label: referenceKind, data: reference, borderColor: '#a4001d', borderDash: [6, 4], pointRadius: 0,
      spanGaps: false, tension: 0 });
  }
  const old = Chart.getChart('grafik');
  if (old) old.destroy();
  new Chart($('grafik'), {
    type: 'line',
    data: { labels, datasets },
    options: {
      animation: false, maintainAspectRatio: false,
      scales: { y: { ticks: { callback: (v) => 'Rp ' + angka(String(v)) } } },
      plugins: { tooltip: { callbacks: { label: (c) => c.dataset.label + ': Rp ' + angka(String(Math.round(c.parsed.y))) } } },
    },
  });
  for (const p of answer.points) {
    const tr = document.createElement('tr');
    cell(tr, pasar[p.market_code] || p.market_code);
    cell(tr, p.period);
    cell(tr, String(p.samples), 'angka');
    cell(tr, rupiah(p.mean_rupiah.text), 'angka rata');
    cell(tr, p.previous_period || '–');
    cell(tr, p.change_rupiah ? angka(p.change_rupiah.text) : '–', 'angka');
    cell(tr, p.change_percent ? angka(p.change_percent.text) + ' %' : '–', 'angka');
    cell(tr, Number(p.reference_rupiah) > 0 ? p.reference_kind + ' ' + rupiah(p.reference_rupiah) : '–', 'angka');
    const above = p.above_reference_percent;
    cell(tr, above ? angka(above.text) + ' %' : '–', 'angka' + (above && Number(above.numerator) > 0 ? ' kurang' : ''));
    body.append(tr);
  }
}

// ---- Pages ----

const VIEWS = ['ikk', 'harga'];

function showView() {
  const wanted = location.hash.slice(1);
  const view = VIEWS.includes(wanted) ? wanted : 'ikk';
  for (const name of VIEWS) {
    $(name).hidden = name !== view;
    if (name === view) $('nav-' + name).setAttribute('aria-current', 'page'); else $('nav-' + name).removeAttribute('aria-current');
  }
  if (view === 'harga' && !Chart.getChart('grafik')) showHarga();
}

async function start() {
  const { status, answer } = await api('/api/v1/sesi');
  if (status !== 200) return;
  $('csrf').value = answer.csrf;
  const role = { supervisor: 'penyelia', admin: 'admin' }[answer.role] || answer.role;
  $('who').textContent = answer.account + ' (' + role + ') · ' + answer.deployment;
  $('periode').value = String(new Date().getFullYear());
  $('ikk-form').addEventListener('submit', (event) => {
    event.preventDefault();
    showIkk($('periode').value.trim());
  });
  for (const m of answer.markets) pasar[m.code] = m.name;
  for (const c of answer.commodities) {
    const option = text('option', c.name);
    option.value = c.code;
    $('komoditas').append(option);
  }
  const today = new Date();
  const monthAgo = new Date(today.getTime() - 29 * 86400000);
  const local = (d) => new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 10);
  $('sampai').value = local(today);
  $('dari').value = local(monthAgo);
  $('harga-form').addEventListener('submit', (event) => {
    event.preventDefault();
    showHarga();
  });
  window.addEventListener('hashchange', showView);
  await showIkk($('periode').value);
  showView();
}

document.addEventListener('DOMContentLoaded', start);
