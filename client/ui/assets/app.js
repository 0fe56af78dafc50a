// Pantau, the inspector's app. The laptop decides (prices read, records checked and saved, sync);
// this page only shows what its JSON answers say. No rule is written here.
'use strict';

const state = {
  lang: 'id', csrf: '', today: '', markets: [], outlets: [], sheet: null, traders: [], checklist: null, instruments: [],
  instrument: null, replaces: null,  // replaces: the refused record the open Audit or UTTP form fixes
};

function $(id) { return document.getElementById(id); }

// The page's language (Beranda's setting, kept in this browser): Bahasa Indonesia, or English.
// The dinas's terms stay Indonesian in both (HET, pangkalan, kios, tera ulang, sah/batal).
function t(indonesian, english) { return state.lang === 'en' ? english : indonesian; }

// "2026-11-30" -> "30 Nov 2026", with the months of the page's language; a time after the date
// ("2026-11-30 14:05 WITA") is kept. Anything else is shown as it came. Presentation only: the
// answers keep ISO dates.
const MONTHS = {
  id: ['Jan', 'Feb', 'Mar', 'Apr', 'Mei', 'Jun', 'Jul', 'Agu', 'Sep', 'Okt', 'Nov', 'Des'],
  en: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
};
function tanggal(text) {
  const m = /^(\d{4})-(\d{2})-(\d{2})(.*)$/.exec(text || '');
  if (!m) return text;
  return Number(m[3]) + ' ' + MONTHS[state.lang === 'en' ? 'en' : 'id'][Number(m[2]) - 1] + ' ' + m[1] + m[4];
}

function applyLanguage() {
  document.documentElement.lang = state.lang;
  for (const e of document.querySelectorAll('[data-en]')) {
    if (e.dataset.id === undefined) e.dataset.id = e.textContent;
    e.textContent = state.lang === 'en' ? e.dataset.en : e.dataset.id;
  }
  for (const e of document.querySelectorAll('[data-en-html]')) {  // our own markup (kbd), never data
    if (e.dataset.idHtml === undefined) e.dataset.idHtml = e.innerHTML;
    e.innerHTML = state.lang === 'en' ? e.dataset.enHtml : e.dataset.idHtml;
  }
}

// Every answer's messages (refusals, findings, verdicts) come in the page's language.
async function api(path, body) {
  const options = body === undefined ? { headers: { 'X-Pantau-Lang': state.lang } } : {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': state.csrf, 'X-Pantau-Lang': state.lang },
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

const VIEWS = ['beranda', 'harga', 'audit', 'uttp', 'riwayat', 'impor'];
const STATE_WORDS = {
  pending: ['menunggu dikirim', 'waiting'], delivered: ['terkirim', 'delivered'],
  needs_attention: ['perlu perhatian', 'needs attention'], resolved: ['diganti/dibatalkan', 'replaced/dropped'],
};
function stateWords(name) { return STATE_WORDS[name] ? t(...STATE_WORDS[name]) : name; }
const KIND_WORDS = {
  price_sample: ['harga', 'price'], outlet_audit: ['audit', 'audit'], follow_up: ['tindak lanjut', 'follow-up'],
  uttp_verification: ['tera/tera ulang', 'tera/tera ulang'], correction: ['koreksi', 'correction'],
  void: ['pembatalan', 'void'],
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
  const { status, answer } = await api('/api/v1/records?day=' + encodeURIComponent($('history-day').value) +
                                       '&kind=' + encodeURIComponent($('history-kind').value) +
                                       '&market=' + encodeURIComponent($('history-market').value));
  if (status !== 200) {
    $('history-summary').textContent = answer.error;
    return;
  }
  const body = document.querySelector('#history tbody');
  body.replaceChildren(...answer.records.map((r) => {
    const tr = document.createElement('tr');
    tr.append(text('td', r.what), text('td', KIND_WORDS[r.kind] ? t(...KIND_WORDS[r.kind]) : r.kind), text('td', stateWords(r.state)),
              text('td', r.id));
    const change = document.createElement('td');
    const base = ['price_sample', 'outlet_audit', 'follow_up', 'uttp_verification'].includes(r.kind);
    if (base && (r.state === 'pending' || r.state === 'delivered')) {
      if (r.kind === 'price_sample') change.append(button(t('Koreksi', 'Correct'), () => changeForm(change, r, false)));
      change.append(button(t('Batalkan', 'Void'), () => changeForm(change, r, true)));
    }
    tr.append(change);
    return tr;
  }));
  $('history-summary').textContent = answer.records.length + t(' catatan pada ', ' records on ') + tanggal(answer.day) + '.';
}

// Riwayat's "Koreksi" (a price retyped, with the reason) and "Batalkan" (a void, with the reason):
// records of their own, sent with the next sync (as `pantau correct` and `pantau void`).
function changeForm(cell, r, isVoid) {
  cell.querySelectorAll('form').forEach((f) => f.remove());
  const form = document.createElement('form');
  form.className = 'fix';
  const fields = [];
  const add = (id, words) => {
    const input = document.createElement('input');
    input.id = id;
    input.autocomplete = 'off';
    const label = text('label', words);
    label.htmlFor = id;
    fields.push(label, input);
    return input;
  };
  const price = isVoid ? null : add('change-price-' + r.id, t('Harga yang benar', 'The right price'));
  const reason = add('change-reason-' + r.id, t('Alasan', 'Reason'));
  const go = text('button', isVoid ? t('Simpan pembatalan', 'Save the void') : t('Simpan koreksi', 'Save the correction'));
  go.type = 'submit';
  const msg = text('p', '', 'error');
  msg.setAttribute('role', 'alert');
  form.append(...fields, go, msg);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const { status, answer } = await api('/api/v1/change', {
      id: r.id, void: isVoid, price: price ? price.value : '', reason: reason.value,
    });
    if (status === 200) {
      showHistory();
    } else {
      msg.textContent = (answer.errors || []).map((e) => (e.label || e.field) + ': ' + e.reason).join('; ') || answer.error;
    }
  });
  cell.append(form);
  (price || reason).focus();
}

async function refreshState() {
  const { answer } = await api('/api/v1/state');
  $('pending').textContent = answer.pending;
  $('delivered').textContent = answer.delivered;
  $('attention').textContent = answer.needs_attention;
  $('last-sync').textContent = tanggal(answer.last_sync) || t('belum pernah', 'never');
  const a = answer.auto_sync;
  if (a.every_seconds === 0) {
    $('auto-sync').textContent = t('Kirim otomatis mati.', 'Automatic sending is off.');
  } else if ($('auto-sync').dataset.waiting !== '1') {  // said by autoSync
    $('auto-sync').textContent = t('Kirim otomatis setiap ', 'Sent automatically every ') + a.every_seconds +
      t(' detik', ' s') + (a.last ? t('. Terakhir ', '. Last ') + a.last : '') +
      (a.failures > 0 ? t('. Gagal ', '. Failed ') + a.failures + t(' kali berturut-turut; dicoba lagi ', ' times in a row; next try ') +
        tanggal(a.next) : '') + '.';
  }
  $('reference').textContent = tanggal(answer.reference_pulled) || t('belum pernah', 'never');
  const list = $('attention-list');
  list.replaceChildren();
  for (const item of answer.attention) {
    const li = document.createElement('li');
    li.append(text('strong', item.what), document.createElement('br'));
    const reasons = item.errors.map((e) => (e.label || e.field) + ': ' + e.reason).join('; ') || item.message;
    li.append(text('span', reasons, 'error'), document.createElement('br'));
    li.append(text('small', item.id + ' '));
    if (item.price) li.append(button(t('Perbaiki', 'Fix'), () => fixForm(li, item)));
    if (item.audit) li.append(button(t('Perbaiki', 'Fix'), () => fixAudit(item)));
    if (item.uttp) li.append(button(t('Perbaiki', 'Fix'), () => fixUttp(item)));
    li.append(button(t('Batalkan', 'Drop'), () => dropForm(li, item)));
    if (!item.conflict) {
      const again = button(t('Kirim ulang', 'Send again'), async () => {
        await api('/api/v1/requeue', { id: item.id });
        refreshState();
      });
      again.title = t('Setelah penyebabnya diperbaiki di server', 'Once the cause is fixed on the server');
      li.append(again);
    }
    list.append(li);
  }
  $('attention-title').hidden = answer.attention.length === 0;
  const missed = $('missed-list');
  missed.replaceChildren();
  for (const m of answer.missed_checks.slice(0, 15)) {
    const li = text('li', tanggal(m.day) + ' · ' + m.commodity_name + ' · ' + m.market_name);
    li.dataset.market = m.market;
    li.dataset.commodity = m.commodity;
    missed.append(li);
  }
  const total = Math.max(answer.missed_checks_total, answer.missed_checks.length);
  if (total > 15) missed.append(text('li', t('… dan ', '… and ') + (total - 15) + t(' lagi', ' more'), 'hint'));
  $('missed-title').hidden = $('missed-hint').hidden = answer.missed_checks.length === 0;
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
  inlineForm(li, 'fix-' + item.id, t('Harga yang benar (', 'The right price (') + p.trader + ')', p.price.toLocaleString('id-ID'), t('Simpan perbaikan', 'Save the fix'),
    async (typed) => {
      const { status, answer } = await api('/api/v1/prices', {
        market: p.market, commodity: p.commodity, trader: p.trader, price: typed, replaces: item.id,
      });
      if (status === 200) return '';
      return (answer.errors || []).map((e) => e.reason).join('; ') || answer.error;
    });
}

// "Perbaiki" of a refused audit: its checklist form, filled as it was sent; saved in its place.
async function fixAudit(item) {
  const f = item.audit;
  location.hash = 'audit';
  const outlet = state.outlets.find((o) => o.code === f.outlet);
  $('outlet').value = outlet ? outlet.name : f.outlet;
  // The outlet no longer in this laptop's reference data: openChecklist says so.
  if (!await openChecklist(new Event('submit'))) return;
  for (const [code, value] of Object.entries(f.answers)) {
    const li = document.querySelector('#audit-items li[data-item="' + code + '"]');
    if (!li) continue;
    if (li.dataset.type === 'photo') {
      li.dataset.photo = value;
      li.querySelector('.msg').textContent = t('foto dari catatan yang ditolak', 'the photo of the refused record');
      li.querySelector('.msg').classList.add('ok');
    } else {
      $('q-' + code).value = value;
    }
  }
  for (const [code, why] of Object.entries(f.not_checked)) {
    if (!$('skip-' + code)) continue;
    $('skip-' + code).checked = true;
    $('q-' + code).disabled = true;
    $('why-' + code).hidden = false;
    $('why-' + code).value = why;
  }
  $('audit-extra').value = f.findings.join(', ');
  state.replaces = item.id;
  $('audit-title').textContent += t(' — perbaikan catatan yang ditolak', ' — fixing a refused record');
  $('audit-result').textContent = t('Memperbaiki catatan yang ditolak ', 'Fixing the refused record ') + item.id +
    t(': ubah yang salah, lalu simpan.', ': change what is wrong, then save.');
  await checkAudit();
}

// "Perbaiki" of a refused verification: its form, filled as it was sent; saved in its place.
async function fixUttp(item) {
  const f = item.uttp;
  location.hash = 'uttp';
  $('instrument').value = f.instrument;
  // The instrument no longer in this laptop's registry: openInstrument says so.
  if (!await openInstrument(new Event('submit'))) return;
  $('uttp-kind').value = f.kind;
  $('uttp-class').value = f.class;
  $('uttp-max').value = f.max;
  $('uttp-e').value = f.e;
  (f.points.length > 0 ? f.points : f.runs).slice(0, TEST_ROWS).forEach((r, k) => {
    const i = k + 1;
    $('t-' + i + '-a').value = r.load || r.actual;
    $('t-' + i + '-b').value = r.indication;
    if (r.flow && $('t-' + i + '-flow')) $('t-' + i + '-flow').value = r.flow;
  });
  $('uttp-seals').value = f.seals.join(', ');
  $('uttp-certificate').value = f.certificate;
  state.replaces = item.id;
  $('uttp-title').textContent += t(' — perbaikan catatan yang ditolak', ' — fixing a refused record');
  $('uttp-result').textContent = t('Memperbaiki catatan yang ditolak ', 'Fixing the refused record ') + item.id +
    t(': ubah yang salah, lalu simpan.', ': change what is wrong, then save.');
  await checkUttp();
}

// "Batalkan": the refused record dropped (the server never stored it), with the reason.
function dropForm(li, item) {
  inlineForm(li, 'drop-' + item.id, t('Alasan membatalkan', 'Why it is dropped'), '', t('Batalkan catatan', 'Drop the record'), async (reason) => {
    const { status, answer } = await api('/api/v1/drop', { id: item.id, reason });
    return status === 200 ? '' : answer.error;
  });
}

// Automatic sync: every few seconds the page asks the laptop to send; the laptop decides whether
// one is due (backing off after failures). Never while a form is half filled.
function formBusy() {
  const a = document.activeElement;
  if (a && ['INPUT', 'SELECT', 'TEXTAREA'].includes(a.tagName) && a.type !== 'file' && !a.readOnly &&
      String(a.value || '').trim() !== '' && a.id !== 'market' && a.id !== 'outlet' && a.id !== 'instrument') {
    return true;
  }
  if (!$('audit-form').hidden && !$('audit-save').disabled &&
      [...document.querySelectorAll('#audit-items .answer')].some((e) => e.value)) return true;
  if (!$('uttp-form').hidden && !$('uttp-save').disabled && filledRows().length > 0) return true;
  return false;
}

async function autoSync() {
  if (formBusy() || $('send-now').disabled) {
    $('auto-sync').textContent = t('Kirim otomatis menunggu: formulir sedang diisi.',
                                   'Automatic sending waits: a form is being filled in.');
    $('auto-sync').dataset.waiting = '1';
    return;
  }
  $('auto-sync').textContent = '';
  delete $('auto-sync').dataset.waiting;
  const { answer } = await api('/api/v1/sync', { auto: true });
  if (!$('beranda').hidden && !answer.busy) refreshState();
}

async function sendNow() {
  const button = $('send-now');
  button.disabled = true;
  $('send-result').textContent = t('Mengirim…', 'Sending…');
  try {
    const { answer } = await api('/api/v1/sync', {});
    $('send-result').textContent = answer.ok
      ? t('Terkirim: ', 'Delivered: ') + answer.delivered + t(' catatan', ' records') +
        (answer.needs_attention_now > 0 ? '; ' + answer.needs_attention_now + t(' perlu perhatian', ' need attention') : '') + '.'
      : t('Belum terkirim: ', 'Not sent: ') + answer.failure;
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
    $('sheet-error').textContent = t('Pilih pasar dari daftar (ketik sebagian namanya).', 'Pick a market from the list (type part of its name).');
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
  $('sheet-title').textContent = sheet.market.name + ' — ' + tanggal(sheet.day);
  const head = document.createElement('tr');
  for (const title of [t('Komoditas', 'Commodity'), t('Satuan', 'Unit'), 'HET/HAP', t('Terakhir', 'Last')]) head.append(text('th', title));
  for (const trader of state.traders) head.append(text('th', trader));
  if (state.traders.length === 0) head.append(text('th', t('Tambahkan pedagang dulu', 'Add a trader first')));
  document.querySelector('#grid thead').replaceChildren(head);
  const body = document.querySelector('#grid tbody');
  body.replaceChildren();
  sheet.rows.forEach((row, rowIndex) => {
    const tr = document.createElement('tr');
    tr.append(text('td', row.name, 'commodity'));
    tr.append(text('td', 'per ' + row.unit));
    tr.append(text('td', row.reference ? row.reference.kind + ' ' + row.reference.text : '–', 'num'));
    tr.append(text('td', row.last ? 'Rp ' + row.last.price_rupiah.toLocaleString('id-ID') + ' (' + tanggal(row.last.day) + ')' : '–',
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
  input.setAttribute('aria-label', t('Harga ', 'Price of ') + row.name + t(' dari ', ' from ') + trader);
  input.inputMode = 'numeric';
  input.autocomplete = 'off';
  const msg = text('span', '', 'msg');
  msg.setAttribute('role', 'status');
  const saved = row.cells[trader];
  if (saved) {
    input.value = saved.price_rupiah.toLocaleString('id-ID');
    input.readOnly = true;
    td.classList.add('saved');
    msg.textContent = saved.state === 'needs_attention' ? t('perlu perhatian', 'needs attention') : t('tersimpan', 'saved');
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
      msg.textContent = t('tersimpan ', 'saved ') + answer.text + ' per ' + row.unit;
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
  reason.setAttribute('aria-label', t('Alasan harga ', 'Reason for the price of ') + row.name + t(' dari ', ' from ') + trader);
  reason.placeholder = t('alasan', 'reason');
  const button = text('button', t('Simpan dengan alasan', 'Save with the reason'), 'secondary reason');
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
  $('import-result').textContent = t('Mengimpor…', 'Importing…');
  const { status, answer } = await api('/api/v1/import', { csv: await file.text() });
  const problems = $('import-problems');
  problems.replaceChildren();
  if (status !== 200) {
    $('import-result').textContent = t('Tidak diimpor: ', 'Not imported: ') + answer.error;
    return;
  }
  $('import-result').textContent = answer.rows + t(' baris: ', ' rows: ') + answer.added + t(' baru tersimpan, ', ' new saved, ') +
    answer.already + t(' sudah pernah diimpor, ', ' imported before, ') + answer.problems.length + t(' ditolak.', ' refused.');
  for (const p of answer.problems) problems.append(text('li', p));
}

// Audit: the checklist in force for the outlet as a form; the findings come back from the laptop
// as the answers are given (the server's own rules), and the audit is saved only when every item
// is answered or marked "tidak dapat diperiksa".
const ITEM_HINTS = {
  count: ['jumlah', 'count'], price_rupiah: ['Rp', 'Rp'], weight_g: ['gram', 'grams'], yes_no: ['', ''], photo: ['', ''],
};

// Opens the checklist of the outlet typed; false when there is none to open (said on the page).
async function openChecklist(event) {
  event.preventDefault();
  const typed = $('outlet').value;
  const found = state.outlets.find((o) => o.name === typed || o.code === typed);
  $('outlet-error').textContent = '';
  state.replaces = null;
  if (!found) {
    $('outlet-error').textContent = t('Pilih pangkalan atau kios dari daftar (ketik sebagian namanya).', 'Pick a pangkalan or kios from the list (type part of its name).');
    return false;
  }
  const { status, answer } = await api('/api/v1/checklist?outlet=' + encodeURIComponent(found.code));
  if (status !== 200) {
    $('outlet-error').textContent = answer.error;
    return false;
  }
  state.checklist = answer;
  $('audit-title').textContent = answer.outlet.name + t(' — daftar periksa ', ' — checklist ') + answer.version;
  const list = $('audit-items');
  list.replaceChildren(...answer.items.map(itemRow));
  $('audit-form').hidden = false;
  $('audit-result').textContent = '';
  $('followups').hidden = true;
  $('audit-save').disabled = false;
  $('audit-extra').value = '';
  await checkAudit();
  const first = list.querySelector('input, select');
  if (first) first.focus();
  return true;
}

function itemRow(item) {
  const li = document.createElement('li');
  li.dataset.item = item.code;
  li.dataset.type = item.type;
  const label = text('label', item.question);
  label.htmlFor = 'q-' + item.code;
  let input;
  if (item.type === 'yes_no') {
    input = document.createElement('select');
    for (const [value, words] of [['', '—'], ['ya', t('ya', 'yes')], ['tidak', t('tidak', 'no')]]) {
      const option = text('option', words);
      option.value = value;
      input.append(option);
    }
  } else if (item.type === 'photo') {
    input = document.createElement('input');
    input.type = 'file';
    input.accept = 'image/*';
    input.setAttribute('capture', 'environment');  // the laptop's camera where there is one
    input.addEventListener('change', () => uploadPhoto(li, input));
  } else {
    input = document.createElement('input');
    input.inputMode = 'numeric';
    input.autocomplete = 'off';
    input.placeholder = t(...ITEM_HINTS[item.type]);
  }
  input.id = 'q-' + item.code;
  input.className = 'answer';
  if (item.type !== 'photo') input.addEventListener('change', checkAudit);
  const skip = document.createElement('input');
  skip.type = 'checkbox';
  skip.id = 'skip-' + item.code;
  const skipLabel = text('label', t('tidak dapat diperiksa', 'tidak dapat diperiksa (cannot be checked)'));
  skipLabel.htmlFor = skip.id;
  const reason = document.createElement('input');
  reason.id = 'why-' + item.code;
  reason.className = 'why';
  reason.placeholder = t('alasan', 'reason');
  reason.hidden = true;
  reason.setAttribute('aria-label', t('Alasan ', 'Why ') + item.code + t(' tidak dapat diperiksa', ' cannot be checked'));
  reason.addEventListener('change', checkAudit);
  skip.addEventListener('change', () => {
    reason.hidden = !skip.checked;
    input.disabled = skip.checked;
    if (skip.checked) reason.focus();
    checkAudit();
  });
  const msg = text('span', '', 'msg');
  msg.setAttribute('role', 'status');
  const options = document.createElement('span');
  options.className = 'skip';
  options.append(skip, skipLabel, reason);
  li.append(label, input, options, msg);
  return li;
}

async function uploadPhoto(li, input) {
  const file = input.files[0];
  const msg = li.querySelector('.msg');
  delete li.dataset.photo;
  if (!file) return checkAudit();
  msg.textContent = t('menyimpan foto…', 'keeping the photo…');
  const response = await fetch('/api/v1/photos', {
    method: 'POST', headers: { 'Content-Type': 'application/octet-stream', 'X-CSRF-Token': state.csrf, 'X-Pantau-Lang': state.lang },
    body: file,
  });
  const answer = await response.json();
  if (response.status === 200) {
    li.dataset.photo = answer.sha256;
    msg.textContent = t('foto tersimpan (', 'photo kept (') + Math.round(answer.bytes / 1024) + ' KB)';
    msg.classList.add('ok');
  } else {
    msg.textContent = answer.error;
    msg.classList.remove('ok');
  }
  checkAudit();
}

function auditBody() {
  const answers = {}, notChecked = {};
  for (const li of document.querySelectorAll('#audit-items li')) {
    const code = li.dataset.item;
    if ($('skip-' + code).checked) {
      notChecked[code] = $('why-' + code).value;
    } else if (li.dataset.type === 'photo') {
      if (li.dataset.photo) answers[code] = li.dataset.photo;
    } else if ($('q-' + code).value.trim() !== '') {
      answers[code] = $('q-' + code).value;
    }
  }
  const findings = $('audit-extra').value.split(',').map((f) => f.trim()).filter((f) => f);
  return { outlet: state.checklist.outlet.code, answers, not_checked: notChecked, findings, replaces: state.replaces || '' };
}

function showAudit(answer) {
  const findings = $('audit-findings');
  findings.replaceChildren(...answer.findings.map((f) => text('li', f.code + ' — ' + f.reason)));
  if (answer.findings.length === 0) findings.append(text('li', t('belum ada temuan', 'no finding yet')));
  for (const li of document.querySelectorAll('#audit-items li')) {
    if (li.dataset.type !== 'photo') li.querySelector('.msg').textContent = '';
    li.classList.remove('refused');
  }
  for (const e of answer.errors || []) {
    const code = e.field.startsWith('answers.') ? e.field.slice(8) : '';
    const li = code && document.querySelector('#audit-items li[data-item="' + code + '"]');
    if (li) {
      li.classList.add('refused');
      li.querySelector('.msg').textContent = e.reason;
    }
  }
  const missing = answer.missing || [];
  $('audit-missing').textContent = missing.length === 0 ? t('Semua butir terjawab.', 'Every item is answered.')
    : missing.length + t(' butir belum dijawab.', ' items not answered yet.');
}

async function checkAudit() {
  if (!state.checklist) return;
  const { answer } = await api('/api/v1/audit/check', auditBody());
  showAudit(answer);
}

async function saveAudit(event) {
  event.preventDefault();
  const { status, answer } = await api('/api/v1/audits', auditBody());
  if (status !== 200) {
    showAudit(answer);
    const general = (answer.errors || []).filter((e) => !e.field.startsWith('answers.')).map((e) => e.reason);
    $('audit-result').textContent = t('Belum tersimpan. ', 'Not saved. ') + (general.join('; ') || answer.error || '');
    return;
  }
  $('audit-result').textContent = t('Audit tersimpan (', 'Audit saved (') + answer.id + '); ' + answer.all_findings.length + t(' temuan.', ' findings.');
  state.replaces = null;
  $('audit-save').disabled = true;
  showFollowUps(answer.id, answer.all_findings);
}

// From each finding, a follow-up with the actions of the outlet's ladder.
function showFollowUps(auditId, findings) {
  const list = $('followup-list');
  list.replaceChildren();
  findings.forEach((finding, index) => {
    const li = document.createElement('li');
    li.append(text('strong', finding));
    const form = document.createElement('form');
    form.className = 'row';
    const fields = [];
    const action = document.createElement('select');
    action.id = 'fu-action-' + index;
    for (const step of state.checklist.ladder) {
      const option = text('option', step.step + '. ' + step.name);
      option.value = step.code;
      action.append(option);
    }
    const actor = document.createElement('input');
    actor.id = 'fu-actor-' + index;
    actor.autocomplete = 'off';
    const due = document.createElement('input');
    due.id = 'fu-due-' + index;
    due.type = 'date';
    for (const [input, words] of [[action, t('Tindakan', 'Action')], [actor, t('Oleh', 'By')], [due, t('Batas waktu', 'Due')]]) {
      const div = document.createElement('div');
      const label = text('label', words);
      label.htmlFor = input.id;
      div.append(label, input);
      fields.push(div);
    }
    const go = text('button', t('Simpan tindak lanjut', 'Save the follow-up'));
    go.type = 'submit';
    const msg = text('p', '', 'msg');
    msg.setAttribute('role', 'status');
    form.append(...fields, go);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const { status, answer } = await api('/api/v1/followups', {
        audit: auditId, finding, action: action.value, actor: actor.value, due: due.value,
      });
      msg.textContent = status === 200 ? t('tindak lanjut tersimpan (', 'follow-up saved (') + answer.id + ')'
        : (answer.errors || []).map((e) => e.reason).join('; ') || answer.error;
      if (status === 200) go.disabled = true;
    });
    li.append(form, msg);
    list.append(li);
  });
  $('followups').hidden = findings.length === 0;
}

// UTTP: an instrument of the registry, its class, Max and e prefilled; each test point's error,
// MPE and pass or fail as it is typed (the laptop judges, common/metrology); a batal is shown and
// saved only when confirmed.
const TEST_ROWS = 5;

// Opens the instrument typed; false when there is none to open (said on the page).
async function openInstrument(event) {
  event.preventDefault();
  const typed = $('instrument').value;
  const found = state.instruments.find((i) => i.code === typed || i.code + ' — ' + i.name === typed);
  $('instrument-error').textContent = '';
  state.replaces = null;
  if (!found) {
    $('instrument-error').textContent = t('Pilih alat dari daftar (ketik nomor registrasi, pemilik atau tempat).', 'Pick an instrument from the list (type its registry number, owner or place).');
    return false;
  }
  const { status, answer } = await api('/api/v1/instrument?id=' + encodeURIComponent(found.code));
  if (status !== 200) {
    $('instrument-error').textContent = answer.error;
    return false;
  }
  state.instrument = answer;
  $('uttp-title').textContent = answer.id + ' — ' + answer.type + ', ' + answer.owner + (answer.place ? ', ' + answer.place : '');
  $('uttp-class').value = answer.class;
  $('uttp-max').value = answer.max;
  $('uttp-e').value = answer.e;
  const nawi = answer.category === 'nawi';
  document.querySelectorAll('#uttp-form .nawi').forEach((e) => { e.hidden = !nawi; });
  const head = document.createElement('tr');
  const titles = nawi ? [t('Titik', 'Point'), t('Beban', 'Load'), t('Penunjukan', 'Indication'), t('Kesalahan', 'Error'),
    t('BKD', 'MPE'), t('Hasil', 'Result')]
    : [t('Uji', 'Run'), t('Debit', 'Flow'), t('Volume sebenarnya', 'Actual volume'), t('Penunjukan', 'Indication'),
      t('Kesalahan', 'Error'), t('BKD', 'MPE'), t('Hasil', 'Result')];
  for (const t of titles) head.append(text('th', t));
  document.querySelector('#uttp-tests thead').replaceChildren(head);
  const body = document.querySelector('#uttp-tests tbody');
  body.replaceChildren();
  for (let i = 1; i <= TEST_ROWS; i++) {
    const tr = document.createElement('tr');
    tr.append(text('td', String(i)));
    if (!nawi) {
      const flow = document.createElement('select');
      flow.id = 't-' + i + '-flow';
      flow.setAttribute('aria-label', t('Debit uji ', 'Flow of run ') + i);
      for (const f of ['max', 'mid', 'min']) {
        const option = text('option', f);
        option.value = f;
        flow.append(option);
      }
      flow.selectedIndex = (i - 1) % 3;
      flow.addEventListener('change', checkUttp);
      const td = document.createElement('td');
      td.append(flow);
      tr.append(td);
    }
    for (const [part, words] of [['a', nawi ? t('Beban', 'Load') : t('Volume sebenarnya', 'Actual volume')], ['b', t('Penunjukan', 'Indication')]]) {
      const input = document.createElement('input');
      input.id = 't-' + i + '-' + part;
      input.autocomplete = 'off';
      input.size = 10;
      input.setAttribute('aria-label', words + t(' uji ', ' of test ') + i);
      input.addEventListener('change', checkUttp);
      const td = document.createElement('td');
      td.append(input);
      tr.append(td);
    }
    for (const part of ['error', 'mpe', 'pass']) {
      const td = text('td', '', 'num');
      td.id = 't-' + i + '-' + part;
      tr.append(td);
    }
    body.append(tr);
  }
  $('uttp-form').hidden = false;
  $('uttp-save').disabled = false;
  $('uttp-batal').hidden = true;
  $('uttp-result').textContent = '';
  $('uttp-verdict').textContent = '';
  $('t-1-a').focus();
  return true;
}

function uttpBody(confirmBatal) {
  const nawi = state.instrument.category === 'nawi';
  const rows = [];
  for (let i = 1; i <= TEST_ROWS; i++) {
    const a = $('t-' + i + '-a').value, b = $('t-' + i + '-b').value;
    rows.push(nawi ? { load: a, indication: b } : { flow: $('t-' + i + '-flow').value, actual: a, indication: b });
  }
  return {
    instrument: state.instrument.id, kind: $('uttp-kind').value, class: $('uttp-class').value,
    max: $('uttp-max').value, e: $('uttp-e').value, points: nawi ? rows : [], runs: nawi ? [] : rows,
    seals: $('uttp-seals').value.split(',').map((x) => x.trim()).filter((x) => x),
    certificate: $('uttp-certificate').value, confirm_batal: confirmBatal, replaces: state.replaces || '',
  };
}

// The rows that were filled, in order: the verdict's tests follow them.
function filledRows() {
  const out = [];
  for (let i = 1; i <= TEST_ROWS; i++) {
    if ($('t-' + i + '-a').value.trim() !== '' || $('t-' + i + '-b').value.trim() !== '') out.push(i);
  }
  return out;
}

function showUttp(answer) {
  for (let i = 1; i <= TEST_ROWS; i++) {
    for (const part of ['error', 'mpe', 'pass']) $('t-' + i + '-' + part).textContent = '';
    $('t-' + i + '-pass').className = 'num';
  }
  // A batal awaiting confirmation is not an error of the entry: its tests are shown as judged.
  const errors = (answer.errors || []).filter((e) => e.field !== 'verdict');
  const verdict = answer.verdict;
  if (verdict && errors.length === 0) {
    const rows = filledRows();
    const nawi = state.instrument.category === 'nawi';
    (nawi ? verdict.points : verdict.runs).forEach((p, k) => {
      const i = rows[k];
      if (!i) return;
      const unit = nawi ? ' mg' : ' mL';
      const error = nawi ? p.error_mg : p.error_ml, mpe = nawi ? p.mpe_mg : p.mpe_ml;
      $('t-' + i + '-error').textContent = (error > 0 ? '+' : '') + error + unit;
      $('t-' + i + '-mpe').textContent = mpe + unit;
      $('t-' + i + '-pass').textContent = p.pass ? t('lulus', 'pass') : t('GAGAL', 'FAIL');
      $('t-' + i + '-pass').className = p.pass ? 'num pass' : 'num fail';
    });
    const words = verdict.verdict === 'sah' ? 'SAH' : verdict.verdict === 'batal' ? 'BATAL' : t('belum dapat dinilai', 'not judged yet');
    $('uttp-verdict').textContent = t('Putusan: ', 'Verdict: ') + words + (verdict.reasons.length ? ' — ' + verdict.reasons.join('; ') : '');
    $('uttp-verdict').className = 'verdict ' + (verdict.verdict === 'sah' ? 'pass' : 'fail');
  } else {
    $('uttp-verdict').textContent = errors.map((e) => e.reason).join('; ');
    $('uttp-verdict').className = 'verdict fail';
  }
}

async function checkUttp() {
  if (!state.instrument) return;
  const { answer } = await api('/api/v1/uttp/check', uttpBody(false));
  showUttp(answer);
}

async function saveUttp(confirmBatal) {
  const { status, answer } = await api('/api/v1/uttp', uttpBody(confirmBatal));
  showUttp(answer);
  if (status === 200) {
    $('uttp-result').textContent = t('Tersimpan (', 'Saved (') + answer.id + t(') sebagai ', ') as ') +
      (answer.verdict && answer.verdict.verdict === 'batal' ? 'BATAL' : 'SAH') + '.';
    $('uttp-save').disabled = true;
    $('uttp-batal').hidden = true;
    state.replaces = null;
    return;
  }
  if (answer.needs_confirm) {
    $('uttp-result').textContent = t('Putusannya BATAL. Periksa lagi titik ujinya; bila benar, simpan sebagai BATAL.',
      'The verdict is BATAL. Check the test points again; if they are right, save it as BATAL.');
    $('uttp-batal').hidden = false;
    $('uttp-batal').focus();
    return;
  }
  $('uttp-result').textContent = t('Belum tersimpan: ', 'Not saved: ') + ((answer.errors || []).map((e) => e.reason).join('; ') || answer.error);
}

async function start() {
  const { status, answer } = await api('/api/v1/session');
  if (status !== 200) {
    document.body.replaceChildren(text('p', answer.error, 'notice'));
    return;
  }
  state.csrf = answer.csrf;
  state.lang = localStorage.getItem('pantau.lang') === 'en' ? 'en' : 'id';
  $('lang').value = state.lang;
  applyLanguage();
  $('lang').addEventListener('change', () => {
    state.lang = $('lang').value;
    localStorage.setItem('pantau.lang', state.lang);
    applyLanguage();
    showView();
    if (state.sheet && !$('sheet').hidden) drawSheet();
  });
  state.today = answer.today;
  $('who').textContent = answer.account + ' · ' + answer.deployment + ' · ' + answer.time_zone;
  $('day').value = answer.today;
  $('history-day').value = answer.today;
  const markets = await api('/api/v1/list?kind=markets');
  state.markets = markets.answer;
  $('history-market').append(...state.markets.map((m) => {
    const option = text('option', m.name);
    option.value = m.code;
    return option;
  }));
  $('markets').replaceChildren(...state.markets.map((m) => {
    const option = document.createElement('option');
    option.value = m.name;
    option.label = m.kecamatan;
    return option;
  }));
  const outlets = await api('/api/v1/list?kind=outlets');
  state.outlets = outlets.answer;
  $('outlets').replaceChildren(...state.outlets.map((o) => {
    const option = document.createElement('option');
    option.value = o.name;
    option.label = o.detail + ', ' + o.kecamatan;
    return option;
  }));
  const instruments = await api('/api/v1/list?kind=instruments');
  state.instruments = instruments.answer;
  $('instruments').replaceChildren(...state.instruments.map((i) => {
    const option = document.createElement('option');
    option.value = i.code;
    option.label = i.name + ' — ' + i.detail + ', ' + i.kecamatan;
    return option;
  }));
  $('instrument-form').addEventListener('submit', openInstrument);
  $('uttp-form').addEventListener('submit', (event) => { event.preventDefault(); saveUttp(false); });
  $('uttp-batal').addEventListener('click', () => saveUttp(true));
  for (const id of ['uttp-kind', 'uttp-class', 'uttp-max', 'uttp-e']) $(id).addEventListener('change', checkUttp);
  $('outlet-form').addEventListener('submit', openChecklist);
  $('audit-form').addEventListener('submit', saveAudit);
  $('audit-extra').addEventListener('change', checkAudit);
  $('send-now').addEventListener('click', sendNow);
  $('sheet-form').addEventListener('submit', openSheet);
  $('trader-form').addEventListener('submit', addTrader);
  $('history-form').addEventListener('submit', showHistory);
  $('import-form').addEventListener('submit', importFile);
  window.addEventListener('hashchange', showView);
  showView();
  if (answer.auto_sync_seconds > 0) {
    // Asked often; the laptop answers "not yet" until one is due.
    setInterval(autoSync, Math.min(answer.auto_sync_seconds, 15) * 1000);
  }
}

document.addEventListener('DOMContentLoaded', start);
