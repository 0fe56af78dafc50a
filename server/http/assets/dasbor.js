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
  await showIkk($('periode').value);
}

document.addEventListener('DOMContentLoaded', start);
