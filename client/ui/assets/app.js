// Pantau, the inspector's app. The laptop decides (prices read, records checked and saved, sync);
// this page only shows what its JSON answers say. No rule is written here.
'use strict';

const state = { csrf: '', today: '', markets: [], sheet: null, traders: [] };

function $(id) { return document.getElementById(id); }

async function api(path, body) {
  const options = body === undefined ? {} : {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': state.csrf },
    body: JSON.stringify(body),
  };
  const response = await fetch(path, options);
  const answer = await response.json();
  return { status: response.status, answer };
}

function text(tag, content, className) {
  const element = document.createElement(tag);
  element.textContent = content;
  if (className) element.className = className;
  return element;
}

const VIEWS = ['beranda', 'harga', 'riwayat', 'impor'];
const STATE_WORDS = {
  pending: 'menunggu dikirim', delivered: 'terkirim', needs_attention: 'perlu perhatian', resolved: 'diganti/dibatalkan',
};
const KIND_WORDS = {
  price_sample: 'harga', outlet_audit: 'audit', follow_up: 'tindak lanjut', uttp_verification: 'tera/tera ulang',
  correction: 'koreksi', void: 'pembatalan',
};

function showView() {
  const wanted = location.hash.slice(1);
  const view = VIEWS.includes(wanted) ? wanted : 'beranda';
  for (const name of VIEWS) {
    $(name).hidden = name !== view;
    const link = $('nav-' + name);
    if (name === view) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
  }
  if (view === 'beranda') refreshState();
  if (view === 'riwayat') showHistory();
}

async function showHistory(event) {
  if (event) event.preventDefault();
  const { status, answer } = await api('/api/v1/records?day=' + encodeURIComponent($('history-day').value));
  if (status !== 200) {
    $('history-summary').textContent = answer.error;
    return;
  }
  const body = document.querySelector('#history tbody');
  body.replaceChildren(...answer.records.map((r) => {
    const tr = document.createElement('tr');
    tr.append(text('td', r.what), text('td', KIND_WORDS[r.kind] || r.kind), text('td', STATE_WORDS[r.state] || r.state),
              text('td', r.id));
    return tr;
  }));
  $('history-summary').textContent = answer.records.length + ' catatan pada ' + answer.day + '.';
}

async function refreshState() {
  const { answer } = await api('/api/v1/state');
  $('pending').textContent = answer.pending;
  $('delivered').textContent = answer.delivered;
  $('attention').textContent = answer.needs_attention;
  $('last-sync').textContent = answer.last_sync || 'belum pernah';
  $('reference').textContent = answer.reference_pulled || 'belum pernah';
  const list = $('attention-list');
  list.replaceChildren();
  for (const item of answer.attention) {
    const li = document.createElement('li');
    li.append(text('strong', item.what), document.createElement('br'));
    const reasons = item.errors.map((e) => e.field + ': ' + e.reason).join('; ') || item.message;
    li.append(text('span', reasons, 'error'), document.createElement('br'));
    li.append(text('small', item.id + ' '));
    if (item.price) li.append(button('Perbaiki', () => fixForm(li, item)));
    li.append(button('Batalkan', () => dropForm(li, item)));
    if (!item.conflict) {
      const again = button('Kirim ulang', async () => {
        await api('/api/v1/requeue', { id: item.id });
        refreshState();
      });
      again.title = 'Setelah penyebabnya diperbaiki di server';
      li.append(again);
    }
    list.append(li);
  }
  $('attention-title').hidden = answer.attention.length === 0;
}

function button(label, onClick) {
  const b = text('button', label, 'secondary');
  b.type = 'button';
  b.addEventListener('click', onClick);
  return b;
}

// One small form under a refused record: a label, an input, a button; Enter submits.
function inlineForm(li, id, label, value, action, submit) {
  li.querySelectorAll('.fix').forEach((e) => e.remove());
  const form = document.createElement('form');
  form.className = 'fix row';
  const field = document.createElement('div');
  const l = text('label', label);
  l.htmlFor = id;
  const input = document.createElement('input');
  input.id = id;
  input.autocomplete = 'off';
  input.value = value;
  field.append(l, input);
  const go = text('button', action);
  go.type = 'submit';
  const msg = text('p', '', 'error');
  msg.setAttribute('role', 'alert');
  form.append(field, go, msg);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const problem = await submit(input.value);
    if (problem) msg.textContent = problem; else refreshState();
  });
  li.append(form);
  input.focus();
  input.select();
}

// "Perbaiki": the refused price retyped; saved as a new record in its place.
function fixForm(li, item) {
  const p = item.price;
  inlineForm(li, 'fix-' + item.id, 'Harga yang benar (' + p.trader + ')', p.price.toLocaleString('id-ID'), 'Simpan perbaikan',
    async (typed) => {
      const { status, answer } = await api('/api/v1/prices', {
        market: p.market, commodity: p.commodity, trader: p.trader, price: typed, replaces: item.id,
      });
      if (status === 200) return '';
      return (answer.errors || []).map((e) => e.reason).join('; ') || answer.error;
    });
}

// "Batalkan": the refused record dropped (the server never stored it), with the reason.
function dropForm(li, item) {
  inlineForm(li, 'drop-' + item.id, 'Alasan membatalkan', '', 'Batalkan catatan', async (reason) => {
    const { status, answer } = await api('/api/v1/drop', { id: item.id, reason });
    return status === 200 ? '' : answer.error;
  });
}

async function sendNow() {
  const button = $('send-now');
  button.disabled = true;
  $('send-result').textContent = 'Mengirim…';
  try {
    const { answer } = await api('/api/v1/sync', {});
    $('send-result').textContent = answer.ok
      ? 'Terkirim: ' + answer.delivered + ' catatan' +
        (answer.needs_attention_now > 0 ? '; ' + answer.needs_attention_now + ' perlu perhatian' : '') + '.'
      : 'Belum terkirim: ' + answer.failure;
  } finally {
    button.disabled = false;
    refreshState();
  }
}

function marketCode(typed) {
  const found = state.markets.find((m) => m.name === typed || m.code === typed);
  return found ? found.code : '';
}

async function openSheet(event) {
  event.preventDefault();
  const code = marketCode($('market').value);
  $('sheet-error').textContent = '';
  if (!code) {
    $('sheet-error').textContent = 'Pilih pasar dari daftar (ketik sebagian namanya).';
    $('market').focus();
    return;
  }
  const { status, answer } = await api('/api/v1/sheet?market=' + encodeURIComponent(code) +
                                       '&day=' + encodeURIComponent($('day').value));
  if (status !== 200) {
    $('sheet-error').textContent = answer.error;
    return;
  }
  state.sheet = answer;
  state.traders = answer.traders.slice();
  drawSheet();
  const first = document.querySelector('#grid tbody input');
  if (first) first.focus();
}

function addTrader(event) {
  event.preventDefault();
  const name = $('new-trader').value.trim();
  if (!name || state.traders.includes(name)) return;
  state.traders.push(name);
  $('new-trader').value = '';
  drawSheet();
  const column = state.traders.length - 1;
  const first = document.querySelector('#grid tbody tr input[data-column="' + column + '"]');
  if (first) first.focus();
}

function drawSheet() {
  const sheet = state.sheet;
  $('sheet').hidden = false;
  $('sheet-title').textContent = sheet.market.name + ' — ' + sheet.day;
  const head = document.createElement('tr');
  for (const title of ['Komoditas', 'Satuan', 'HET/HAP', 'Terakhir']) head.append(text('th', title));
  for (const trader of state.traders) head.append(text('th', trader));
  if (state.traders.length === 0) head.append(text('th', 'Tambahkan pedagang dulu'));
  document.querySelector('#grid thead').replaceChildren(head);
  const body = document.querySelector('#grid tbody');
  body.replaceChildren();
  sheet.rows.forEach((row, rowIndex) => {
    const tr = document.createElement('tr');
    tr.append(text('td', row.name, 'commodity'));
    tr.append(text('td', 'per ' + row.unit));
    tr.append(text('td', row.reference ? row.reference.kind + ' ' + row.reference.text : '–', 'num'));
    tr.append(text('td', row.last ? 'Rp ' + row.last.price_rupiah.toLocaleString('id-ID') + ' (' + row.last.day + ')' : '–',
                   'num'));
    state.traders.forEach((trader, column) => tr.append(cell(row, trader, rowIndex, column)));
    body.append(tr);
  });
}

function cell(row, trader, rowIndex, column) {
  const td = document.createElement('td');
  td.className = 'cell';
  const input = document.createElement('input');
  input.id = 'c-' + rowIndex + '-' + column;
  input.dataset.row = rowIndex;
  input.dataset.column = column;
  input.setAttribute('aria-label', 'Harga ' + row.name + ' dari ' + trader);
  input.inputMode = 'numeric';
  input.autocomplete = 'off';
  const msg = text('span', '', 'msg');
  msg.setAttribute('role', 'status');
  const saved = row.cells[trader];
  if (saved) {
    input.value = saved.price_rupiah.toLocaleString('id-ID');
    input.readOnly = true;
    td.classList.add('saved');
    msg.textContent = saved.state === 'needs_attention' ? 'perlu perhatian' : 'tersimpan';
  }
  input.addEventListener('change', () => save(td, input, msg, row, trader, ''));
  input.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    const next = document.getElementById('c-' + (rowIndex + 1) + '-' + column);
    if (!input.readOnly && input.value.trim() !== '' && !td.classList.contains('saved')) {
      save(td, input, msg, row, trader, '').then(() => { if (td.classList.contains('saved') && next) next.focus(); });
    } else if (next) {
      next.focus();
    }
  });
  td.append(input, msg);
  return td;
}

async function save(td, input, msg, row, trader, reason) {
  if (input.readOnly || input.value.trim() === '' || td.dataset.busy) return;
  // Leaving a refused cell unchanged does not send it again; a reason or a new value does.
  if (!reason && td.dataset.refused === input.value) return;
  td.dataset.busy = '1';
  try {
    const { answer } = await api('/api/v1/prices', {
      market: state.sheet.market.code, commodity: row.code, trader, price: input.value,
      day: state.sheet.day, confirm_reason: reason,
    });
    td.querySelectorAll('.reason').forEach((e) => e.remove());
    if (answer.saved) {
      td.classList.remove('refused');
      td.classList.add('saved');
      input.readOnly = true;
      msg.textContent = 'tersimpan ' + answer.text + ' per ' + row.unit;
      return;
    }
    td.classList.add('refused');
    td.dataset.refused = input.value;
    msg.textContent = (answer.errors || []).map((e) => e.reason).join('; ') || answer.error;
    if (answer.needs_reason) {
      askReason(td, input, msg, row, trader, document.activeElement === input);
    } else if (document.activeElement === input) {
      input.select();  // what is typed next replaces the refused text
    }
  } finally {
    delete td.dataset.busy;
  }
}

// "Simpan dengan alasan": a real outlier is kept with the inspector's reason.
function askReason(td, input, msg, row, trader, focus) {
  const reason = document.createElement('input');
  reason.className = 'reason';
  reason.setAttribute('aria-label', 'Alasan harga ' + row.name + ' dari ' + trader);
  reason.placeholder = 'alasan';
  const button = text('button', 'Simpan dengan alasan', 'secondary reason');
  button.type = 'button';
  const submit = () => { if (reason.value.trim()) save(td, input, msg, row, trader, reason.value.trim()); };
  reason.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') { event.preventDefault(); submit(); }
  });
  button.addEventListener('click', submit);
  td.append(reason, button);
  if (focus) reason.focus();  // keyboard only: Enter on the price, then the reason, then Enter
}

async function importFile(event) {
  event.preventDefault();
  const file = $('import-file').files[0];
  if (!file) return;
  $('import-result').textContent = 'Mengimpor…';
  const { status, answer } = await api('/api/v1/import', { csv: await file.text() });
  const problems = $('import-problems');
  problems.replaceChildren();
  if (status !== 200) {
    $('import-result').textContent = 'Tidak diimpor: ' + answer.error;
    return;
  }
  $('import-result').textContent = answer.rows + ' baris: ' + answer.added + ' baru tersimpan, ' + answer.already +
    ' sudah pernah diimpor, ' + answer.problems.length + ' ditolak.';
  for (const p of answer.problems) problems.append(text('li', p));
}

async function start() {
  const { status, answer } = await api('/api/v1/session');
  if (status !== 200) {
    document.body.replaceChildren(text('p', answer.error, 'notice'));
    return;
  }
  state.csrf = answer.csrf;
  state.today = answer.today;
  $('who').textContent = answer.account + ' · ' + answer.deployment + ' · ' + answer.time_zone;
  $('day').value = answer.today;
  $('history-day').value = answer.today;
  const markets = await api('/api/v1/list?kind=markets');
  state.markets = markets.answer;
  $('markets').replaceChildren(...state.markets.map((m) => {
    const option = document.createElement('option');
    option.value = m.name;
    option.label = m.kecamatan;
    return option;
  }));
  $('send-now').addEventListener('click', sendNow);
  $('sheet-form').addEventListener('submit', openSheet);
  $('trader-form').addEventListener('submit', addTrader);
  $('history-form').addEventListener('submit', showHistory);
  $('import-form').addEventListener('submit', importFile);
  window.addEventListener('hashchange', showView);
  showView();
}

document.addEventListener('DOMContentLoaded', start);
