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
  const body = document.querySelector('#ikk-tabel tbody');
  body.replaceChildren();
  const answer = await report('indicators', '?period=' + encodeURIComponent(period), 'ikk-galat', 'unduh');
  if (!answer) {
    $('ikk-judul').textContent = '';
    return;
  }
  $('ikk-judul').textContent = 'Periode ' + answer.period + ' (' + tanggal(answer.first_day) + ' s.d. ' +
    tanggal(answer.last_day) + '), ' +
    answer.rows.length + ' indikator.';
  fillIsian(answer);
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
    // The records behind a computed row, on the page that lists them, over the same period.
    const behind = RECORDS_BEHIND[r.indicator.computation];
    if (behind) {
      const link = text('a', 'lihat catatan', 'catatan');
      link.href = '#' + behind[0];
      link.addEventListener('click', (event) => {
        event.preventDefault();
        openOver(behind[0], answer.first_day, answer.last_day, behind[1]);
      });
      if (name.querySelector('button.rinci')) name.append(' · ', link); else name.append(document.createElement('br'), link);
    }
  }
}

// The page listing the records a computed IKK row counts.
// [page, the heading to scroll to]
const RECORDS_BEHIND = {
  INDICATOR_COMPUTATION_BAHAN_POKOK_MONITORED: ['cakupan'],   // the commodities sampled, market by market
  INDICATOR_COMPUTATION_OUTLETS_AUDITED: ['pelanggaran', 'audit-h'],  // the audits, outlet by outlet
  INDICATOR_COMPUTATION_FOLLOW_UPS: ['pelanggaran'],          // the cases and their follow-up actions
  INDICATOR_COMPUTATION_UTTP_VERIFIED_PERCENT: ['uttp'],      // the verifications
};

// Opens `view` over [first, last] (never past today: nothing is scheduled after it), scrolled to
// `heading` when given.
async function openOver(view, first, last, heading) {
  const today = $('cakupan-sampai').dataset.hariIni;
  const to = last > today ? today : last;
  $(view + '-dari').value = first;
  $(view + '-sampai').value = to;
  if (view === 'cakupan') $('cakupan-hari').value = 'setiap_hari';
  if (view === 'pelanggaran') $('pelanggaran-status').value = '';
  shown.add(view);
  location.hash = '#' + view;
  await SHOW[view]();
  if (heading) $(heading).scrollIntoView();
}

// ---- An admin's targets and manual realisations ----

const manual = new Set();  // numbers of the rows whose realisation an admin enters

function fillIsian(table) {
  if ($('isian').hidden) return;
  const chosen = $('isian-nomor').value;
  $('isian-nomor').replaceChildren();
  manual.clear();
  for (const r of table.rows) {
    const option = text('option', r.indicator.number + '. ' + r.indicator.name);
    option.value = String(r.indicator.number);
    $('isian-nomor').append(option);
    if (r.source !== 'otomatis') manual.add(option.value);
  }
  if (chosen) $('isian-nomor').value = chosen;
  if (!$('isian-tahun').value) $('isian-tahun').value = table.last_day.slice(0, 4);
  allowRealisasi();
}

// A computed row's realisation comes from the records (the server refuses it too).
function allowRealisasi() {
  const option = $('isian-jenis').querySelector('option[value=realisasi]');
  option.disabled = !manual.has($('isian-nomor').value);
  if (option.disabled) $('isian-jenis').value = 'target';
}

// Saves the form's value; `clear`: empties the target or realisation instead (asked once first).
async function saveIsian(csrf, clear) {
  $('isian-galat').textContent = '';
  $('isian-hasil').textContent = '';
  const fields = { csrf, nomor: $('isian-nomor').value, tahun: $('isian-tahun').value.trim(),
    jenis: $('isian-jenis').value, nilai: clear ? '' : $('isian-nilai').value.trim(), catatan: $('isian-catatan').value };
  if (!clear && fields.nilai === '') {
    $('isian-galat').textContent = 'Tulis nilainya. Untuk mengosongkan isian, pakai "Hapus isian".';
    $('isian-nilai').focus();
    return;
  }
  if (clear && !window.confirm('Kosongkan ' + fields.jenis + ' indikator ' + fields.nomor + ' tahun ' + fields.tahun +
                               '? Tabel akan menulis "belum diisi".')) {
    return;
  }
  const response = await fetch('/api/v1/isian-ikk', { method: 'POST', credentials: 'same-origin',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) });
  if (response.status === 401) { location.href = '/masuk'; return; }
  const answer = await response.json();
  if (response.status !== 200) {
    $('isian-galat').textContent = answer.error ? answer.error.message : 'Isian tidak tersimpan.';
    $('isian-nilai').focus();
    return;
  }
  $('isian-hasil').textContent = 'Tersimpan: ' + fields.jenis + ' indikator ' + fields.nomor + ' tahun ' + fields.tahun +
    ' = ' + (answer.kosong ? 'belum diisi' : angka(String(answer.nilai_milli / 1000))) + '.';
  $('isian-nilai').value = '';
  $('isian-catatan').value = '';
  await showIkk($('periode').value.trim());
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
  const body = document.querySelector('#harga-tabel tbody');
  body.replaceChildren();
  const answer = await report('prices', query, 'harga-galat', 'harga');
  if (!answer) return;
  $('harga-judul').textContent = answer.commodity_name + ' (per ' + answer.unit + '), ' + tanggal(from) + ' s.d. ' +
    tanggal(to) + ': ' +
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
    data: { labels: labels.map(tanggal), datasets },  // the axis in words; `labels` stay ISO for lookups
    options: {
      animation: false, maintainAspectRatio: false,
      scales: { y: { ticks: { callback: (v) => 'Rp ' + angka(String(v)) } } },
      plugins: { tooltip: { callbacks: { label: (c) => c.dataset.label + ': Rp ' + angka(String(Math.round(c.parsed.y))) } } },
    },
  });
  for (const p of answer.points) {
    const tr = document.createElement('tr');
    cell(tr, pasar[p.market_code] || p.market_code);
    cell(tr, tanggal(p.period));
    cell(tr, String(p.samples), 'angka');
    cell(tr, rupiah(p.mean_rupiah.text), 'angka rata');
    cell(tr, p.previous_period ? tanggal(p.previous_period) : '–');
    cell(tr, p.change_rupiah ? angka(p.change_rupiah.text) : '–', 'angka');
    cell(tr, p.change_percent ? angka(p.change_percent.text) + ' %' : '–', 'angka');
    cell(tr, Number(p.reference_rupiah) > 0 ? p.reference_kind + ' ' + rupiah(p.reference_rupiah) : '–', 'angka');
    const above = p.above_reference_percent;
    cell(tr, above ? angka(above.text) + ' %' : '–', 'angka' + (above && Number(above.numerator) > 0 ? ' kurang' : ''));
    body.append(tr);
  }
  await showStability(commodity, to);
}

// KV antar waktu per commodity over the year of the range's last day (monthly means), and the
// disparity between markets; the chosen commodity's row marked.
async function showStability(commodity, to) {
  const body = document.querySelector('#kv-tabel tbody');
  body.replaceChildren();
  if (!sesi.regency_wide) {
    // The disparity is between every market of the kabupaten: not for an account limited to some.
    $('kv-judul').textContent = 'Stabilitas dan disparitas mencakup seluruh kabupaten; akun ini terbatas pada ' +
      sesi.scope + '.';
    return;
  }
  const from = to.slice(0, 4) + '-01-01';
  const answer = await report('price-stability', '?from=' + from + '&to=' + to + '&by=month', 'harga-galat', 'kv');
  if (!answer) return;
  $('kv-judul').textContent = tanggal(answer.from) + ' s.d. ' + tanggal(answer.to) + ': rata-rata KV ' +
    percent(answer.mean_kv_percent) + ' dari ' + answer.commodities_with_kv + ' komoditas.';
  for (const r of answer.rows) {
    const tr = document.createElement('tr');
    tr.dataset.komoditas = r.commodity_code;
    if (r.commodity_code === commodity) tr.className = 'pilihan';
    const means = r.period_means_rupiah.map(Number);
    const mean = means.length ? Math.round(means.reduce((a, b) => a + b, 0) / means.length) : null;
    cell(tr, (r.commodity_name || r.commodity_code) + ' (per ' + r.unit + ')');
    cell(tr, String(r.periods.length), 'angka');
    cell(tr, mean === null ? '–' : rupiah(String(mean)), 'angka');
    cell(tr, percent(r.kv_percent), 'angka kv');
    cell(tr, String(r.markets.length), 'angka');
    cell(tr, pasar[r.cheapest_market] || r.cheapest_market || '–');
    cell(tr, pasar[r.dearest_market] || r.dearest_market || '–');
    cell(tr, r.markets.length > 1 ? rupiah(r.gap_rupiah) + ' (' + percent(r.gap_percent) + ')' : '–', 'angka');
    cell(tr, percent(r.disparity_kv_percent), 'angka disparitas');
    body.append(tr);
  }
}

// ---- Cakupan, Pelanggaran, UTTP: the schedule's coverage, violations, tera ulang ----

const kecamatan = {};  // kecamatan code -> name
const tindakan = {};   // follow-up action code -> name
const komoditas = {};  // commodity code -> name
const BULAN = ['Jan', 'Feb', 'Mar', 'Apr', 'Mei', 'Jun', 'Jul', 'Agu', 'Sep', 'Okt', 'Nov', 'Des'];

// "2026-11-30" -> "30 Nov 2026"; "" -> "–".
function tanggal(iso) {
  if (!iso) return '–';
  const [y, m, d] = iso.split('-');
  return Number(d) + ' ' + BULAN[Number(m) - 1] + ' ' + y;
}

// A code as words where no name is kept for it: "stok_kosong" -> "stok kosong".
function words(code) { return String(code).replaceAll('_', ' '); }

// Sets a report's download links and reads its JSON; shows the server's error under the form.
async function report(name, query, error, downloads) {
  for (const [suffix, id] of [['.xlsx', downloads + '-xlsx'], ['.csv', downloads + '-csv']]) {
    $(id).href = '/api/v1/' + name + suffix + query;
  }
  const { status, answer } = await api('/api/v1/' + name + query);
  if (status !== 200) {
    $(error).textContent = answer.error ? answer.error.message : 'Laporan tidak dapat dibaca.';
    return null;
  }
  return answer;
}

function percent(exact) { return exact ? angka(exact.text) + ' %' : '–'; }

// The inspectors this account sees (those of its kecamatan, for a scoped one), for Cakupan's picker.
let petugasListed = false;
async function listPetugas() {
  if (petugasListed) return;
  petugasListed = true;
  const { status, answer } = await api('/api/v1/field-activity');
  if (status !== 200) return;
  const names = new Set([...answer.rows.map((r) => r.inspector), ...answer.inspectors_without_laptop]);
  for (const name of [...names].sort()) $('cakupan-petugas').append(new Option(name, name));
}

async function showCakupan() {
  $('cakupan-galat').textContent = '';
  await listPetugas();
  let query = '?from=' + $('cakupan-dari').value + '&to=' + $('cakupan-sampai').value;
  if ($('cakupan-hari').value) query += '&weekdays=' + $('cakupan-hari').value;
  const inspector = $('cakupan-petugas').value;
  if (inspector) query += '&inspector=' + encodeURIComponent(inspector);
  const totals = document.querySelector('#cakupan-pasar tbody');
  const grid = $('cakupan-grid');
  totals.replaceChildren();
  grid.tHead.replaceChildren();
  grid.tBodies[0].replaceChildren();
  const answer = await report('coverage', query, 'cakupan-galat', 'cakupan');
  if (!answer) return;
  $('cakupan-judul').textContent = 'Terisi ' + angka(answer.covered) + ' dari ' + angka(answer.scheduled) +
    ' (' + percent(answer.covered_percent) + ') pada ' + answer.scheduled_days.length + ' hari terjadwal (' +
    (answer.weekdays.length === 7 ? 'setiap hari' : answer.weekdays.join(', ')) + '), ' + tanggal(answer.from) + ' s.d. ' + tanggal(answer.to) +
    (answer.inspector ? ', sampel petugas ' + answer.inspector + ' di pasar wilayahnya' : '') + '.';
  for (const m of answer.markets) {
    const tr = document.createElement('tr');
    cell(tr, m.market_name || pasar[m.market_code] || m.market_code);
    cell(tr, angka(m.scheduled), 'angka');
    cell(tr, angka(m.covered), 'angka');
    cell(tr, percent(m.covered_percent), 'angka');
    totals.append(tr);
  }
  // Rows are commodities, columns markets (DHIS2's completeness grid).
  const markets = answer.markets.map((m) => m.market_code);
  const head = document.createElement('tr');
  head.append(text('th', 'Komoditas'));
  for (const code of markets) {
    const th = text('th', pasar[code] || code, 'angka');
    th.scope = 'col';
    head.append(th);
  }
  grid.tHead.append(head);
  const byCommodity = new Map();
  for (const r of answer.rows) {
    if (!byCommodity.has(r.commodity_code)) byCommodity.set(r.commodity_code, new Map());
    byCommodity.get(r.commodity_code).set(r.market_code, r);
  }
  for (const [commodity, row] of byCommodity) {
    const tr = document.createElement('tr');
    tr.dataset.komoditas = commodity;
    const th = text('th', komoditas[commodity] || commodity);
    th.scope = 'row';
    tr.append(th);
    for (const market of markets) {
      const r = row.get(market);
      if (!r) { cell(tr, '–', 'angka kosong'); continue; }
      const missing = r.missing_days.length > 0;
      const td = cell(tr, angka(r.covered_days) + '/' + angka(r.scheduled_days), 'angka' + (missing ? ' kurang' : ''));
      td.dataset.pasar = market;
      if (missing) td.title = 'Tanpa sampel: ' + r.missing_days.map(tanggal).join(', ');
    }
    grid.tBodies[0].append(tr);
  }
}

const URUTAN_STATUS = { terlambat: 0, terbuka: 1, selesai: 2 };

async function showPelanggaran() {
  $('pelanggaran-galat').textContent = '';
  const range = '?from=' + $('pelanggaran-dari').value + '&to=' + $('pelanggaran-sampai').value;
  let query = range;
  if ($('pelanggaran-status').value) query += '&status=' + $('pelanggaran-status').value;
  const body = document.querySelector('#pelanggaran-tabel tbody');
  body.replaceChildren();
  const answer = await report('violations', query, 'pelanggaran-galat', 'pelanggaran');
  if (!answer) return;
  await showAudits(range);
  $('pelanggaran-judul').textContent = angka(answer.overdue) + ' terlambat, ' + angka(answer.open) + ' terbuka, ' +
    angka(answer.closed) + ' selesai (' + angka(answer.closed_late) + ' melewati batas); per ' + tanggal(answer.as_of) + '.';
  // Overdue first (the most overdue first), then open, then closed.
  const rows = [...answer.rows].sort((a, b) => (URUTAN_STATUS[a.status] - URUTAN_STATUS[b.status]) ||
    (Number(b.days_overdue) - Number(a.days_overdue)));
  for (const v of rows) {
    const tr = document.createElement('tr');
    tr.dataset.audit = v.audit_record_id;
    tr.dataset.temuan = v.finding_code;
    let status = v.status;
    if (v.status === 'terlambat') status += ' ' + v.days_overdue + ' hari';
    if (v.status === 'selesai' && Number(v.days_late) > 0) status += ', ' + v.days_late + ' hari melewati batas';
    cell(tr, status, 'status ' + { terlambat: 'kurang', terbuka: 'mendekati', selesai: 'tercapai' }[v.status]);
    cell(tr, tanggal(v.audit_day));
    const outlet = cell(tr, v.outlet_name || v.outlet_code);
    outlet.append(document.createElement('br'),
      text('span', words(v.outlet_kind) + ' · ' + (kecamatan[v.kecamatan_code] || v.kecamatan_code), 'hint'));
    const finding = cell(tr, words(v.finding_code));
    if (v.finding_reason) finding.append(document.createElement('br'), text('span', v.finding_reason, 'hint'));
    cell(tr, v.last_action_code ? (tindakan[v.last_action_code] || words(v.last_action_code)) + ', ' +
      tanggal(v.last_action_date) : 'belum ada');
    cell(tr, tanggal(v.due_date));
    cell(tr, v.inspector);
    const history = document.createElement('td');
    if (v.history.length > 0) {
      const list = document.createElement('ol');
      for (const h of v.history) list.append(text('li', h));
      history.append(list);
    } else {
      history.textContent = '–';
    }
    tr.append(history);
    // The audit's evidence photos, each opening full size; a scoped account is told why it has none.
    const evidence = document.createElement('td');
    evidence.className = 'bukti';
    if (v.photo_sha256s.length === 0) {
      evidence.textContent = '–';
    } else if (!sesi.photos) {
      evidence.textContent = v.photo_sha256s.length + ' foto (hanya untuk penyelia tanpa batas wilayah)';
    } else {
      v.photo_sha256s.forEach((sha, i) => {
        const link = document.createElement('a');
        link.href = '/api/v1/photo/' + encodeURIComponent(sha);
        link.target = '_blank';
        link.rel = 'noopener';
        const img = document.createElement('img');
        img.src = link.href;
        img.alt = 'Foto bukti ' + (i + 1) + ', ' + (v.outlet_name || v.outlet_code) + ', ' + tanggal(v.audit_day);
        link.append(img);
        evidence.append(link);
      });
    }
    tr.append(evidence);
    body.append(tr);
  }
}

// The audits of the range: the records behind IKK row 21.
async function showAudits(range) {
  const body = document.querySelector('#audit-tabel tbody');
  body.replaceChildren();
  const answer = await report('audits', range, 'pelanggaran-galat', 'audit');
  if (!answer) return;
  $('audit-judul').textContent = angka(answer.audits) + ' audit di ' + angka(answer.outlets) + ' outlet, ' +
    angka(answer.with_findings) + ' dengan temuan; ' + tanggal(answer.from) + ' s.d. ' + tanggal(answer.to) + '.';
  for (const a of answer.rows) {
    const tr = document.createElement('tr');
    tr.dataset.audit = a.record_id;
    cell(tr, tanggal(a.day));
    const outlet = cell(tr, a.outlet_name || a.outlet_code);
    outlet.append(document.createElement('br'),
      text('span', words(a.outlet_kind) + ' · ' + (kecamatan[a.kecamatan_code] || a.kecamatan_code || '–'), 'hint'));
    cell(tr, a.inspector);
    cell(tr, a.checklist_applied ? words(a.checklist_applied) : '–');
    cell(tr, angka(a.not_checked), 'angka');
    cell(tr, a.findings.length ? a.findings.map(words).join(', ') : 'tidak ada', a.findings.length ? 'kurang' : '');
    cell(tr, angka(a.photo_sha256s.length), 'angka');
    body.append(tr);
  }
}

const STATUS_UTTP = { terlambat: 'terlambat', jatuh_tempo: 'jatuh tempo', berlaku: 'berlaku' };

async function showUttp() {
  $('uttp-galat').textContent = '';
  const due = document.querySelector('#uttp-tempo tbody');
  const checked = document.querySelector('#uttp-verifikasi tbody');
  due.replaceChildren();
  checked.replaceChildren();
  const list = await report('uttp-due', '', 'uttp-galat', 'uttp-tempo');
  if (list) {
    $('uttp-tempo-judul').textContent = angka(list.overdue) + ' terlambat dan ' + angka(list.due_soon) +
      ' jatuh tempo dalam ' + list.within_days + ' hari, dari ' + angka(list.registry) + ' alat terdaftar; per ' +
      tanggal(list.as_of) + '.';
    for (const u of list.rows) {
      const tr = document.createElement('tr');
      tr.dataset.alat = u.instrument_id;
      cell(tr, u.instrument_id);
      cell(tr, u.type_name || u.type_code);
      cell(tr, u.owner);
      cell(tr, [u.location, pasar[u.market_code], kecamatan[u.kecamatan_code]].filter(Boolean).join(', '));
      cell(tr, u.last_sah_day ? tanggal(u.last_sah_day) : 'belum pernah sah');
      cell(tr, u.next_due ? tanggal(u.next_due) : '–');
      // One meaning per column: days overdue or days left, said in words.
      const days = Number(u.days);
      const said = u.status === 'terlambat'
        ? 'terlambat' + (u.next_due ? ' ' + days + ' hari' : '') + (u.last_batal_day ? ' (batal ' + tanggal(u.last_batal_day) + ')' : '')
        : STATUS_UTTP[u.status] + ', ' + days + ' hari lagi';
      cell(tr, said, 'status ' + (u.status === 'terlambat' ? 'kurang' : u.status === 'jatuh_tempo' ? 'mendekati' : 'tercapai'));
      due.append(tr);
    }
  }
  let query = '?from=' + $('uttp-dari').value + '&to=' + $('uttp-sampai').value;
  if ($('uttp-selisih').checked) query += '&discrepancies_only=true';
  const done = await report('uttp-verifications', query, 'uttp-galat', 'uttp-verifikasi');
  if (!done) return;
  $('uttp-verifikasi-judul').textContent = angka(done.sah) + ' sah, ' + angka(done.batal) + ' batal, ' +
    angka(done.discrepancies) + ' selisih antara klaim laptop dan putusan server; ' + tanggal(done.from) + ' s.d. ' +
    tanggal(done.to) + '.';
  for (const v of done.rows) {
    const tr = document.createElement('tr');
    tr.dataset.rekaman = v.record_id;
    if (v.discrepancy) tr.className = 'selisih';
    cell(tr, tanggal(v.day));
    cell(tr, v.instrument_id + ' · ' + v.type_name);
    cell(tr, v.owner);
    cell(tr, words(v.kind));
    cell(tr, v.computed_verdict || '–', v.computed_verdict === 'batal' ? 'kurang' : '');
    cell(tr, (v.claimed_verdict || '–') + (v.discrepancy ? ' (selisih)' : ''), v.discrepancy ? 'kurang' : '');
    cell(tr, v.reasons.join('; ') || '–');
    cell(tr, v.officer);
    cell(tr, v.certificate_number || '–');
    checked.append(tr);
  }
}

// ---- Petugas & laptop: who has not sent anything for days ----

async function showPetugas() {
  $('petugas-galat').textContent = '';
  const body = document.querySelector('#petugas-tabel tbody');
  body.replaceChildren();
  const answer = await report('field-activity', '?quiet_days=' + encodeURIComponent($('petugas-sepi').value.trim()),
    'petugas-galat', 'petugas');
  if (!answer) return;
  const refused = Number(answer.refused_waiting || 0);
  $('petugas-judul').textContent = answer.rows.length + ' laptop; ' + answer.quiet + ' tanpa kiriman dan sinkron ' +
    answer.quiet_days + ' hari atau lebih; ' + (refused ? angka(refused) + ' catatan ditolak menunggu perbaikan; '
    : '') + 'minggu ini sejak ' + tanggal(answer.week_first_day) + ', per ' + tanggal(answer.as_of) + '.';
  $('petugas-tanpa').textContent = answer.inspectors_without_laptop.length
    ? 'Petugas tanpa laptop terdaftar (belum pernah sinkron): ' + answer.inspectors_without_laptop.join(', ') + '.' : '';
  for (const r of answer.rows) {
    const tr = document.createElement('tr');
    tr.dataset.laptop = r.device_id;
    if (r.quiet) tr.className = 'sepi';
    cell(tr, r.inspector);
    const laptop = cell(tr, r.device_id);
    if (r.device_description) laptop.append(document.createElement('br'), text('span', r.device_description, 'hint'));
    const when = (localTime, never) => {
      if (!localTime) return cell(tr, never, 'kosong');
      const [day, time] = localTime.split(' ');
      return cell(tr, tanggal(day) + ' ' + time);
    };
    const synced = Number(r.days_since_sync) >= 0;
    when(r.last_sync, 'tidak diketahui');
    when(r.last_received, 'belum pernah');
    const days = Number(r.days_since);
    cell(tr, days < 0 ? '–' : String(days), 'angka' + (r.quiet ? ' kurang' : ''));
    cell(tr, angka(r.received_this_week), 'angka');
    cell(tr, synced ? angka(r.pending_on_laptop || 0) : '–', 'angka');
    const waiting = Number(r.refused_waiting || 0);
    cell(tr, synced ? angka(waiting) : '–', 'angka' + (waiting > 0 ? ' kurang' : ''));
    body.append(tr);
  }
}

// ---- Peringatan: the price early warning ----

const JENIS_PERINGATAN = { het: 'di atas HET/HAP', lonjakan: 'lonjakan', alps: 'ALPS', ifpa: 'IFPA',
  tidak_teramati: 'tidak teramati' };

async function showPeringatan() {
  $('peringatan-galat').textContent = '';
  const body = document.querySelector('#peringatan-tabel tbody');
  body.replaceChildren();
  let query = '?from=' + $('peringatan-dari').value + '&to=' + $('peringatan-sampai').value;
  if ($('peringatan-jenis').value) query += '&kinds=' + $('peringatan-jenis').value;
  const answer = await report('alerts', query, 'peringatan-galat', 'peringatan');
  if (!answer) return;
  const siaga = answer.alerts.filter((a) => a.level === 'siaga').length;
  $('peringatan-judul').textContent = angka(answer.alerts.length) + ' peringatan, ' + angka(siaga) + ' siaga; ' +
    tanggal(answer.from) + ' s.d. ' + tanggal(answer.to) + '.';
  $('peringatan-riwayat').textContent = answer.short_history.length
    ? answer.short_history.length + ' seri pasar × komoditas belum punya riwayat cukup untuk ALPS (36 bulan).' : '';
  // Siaga first, then by time, newest first.
  const alerts = [...answer.alerts].sort((a, b) => (a.level === b.level ? 0 : a.level === 'siaga' ? -1 : 1) ||
    (b.day || b.month).localeCompare(a.day || a.month));
  for (const a of alerts) {
    const tr = document.createElement('tr');
    tr.dataset.jenis = a.kind;
    tr.dataset.pasar = a.market_code;
    tr.dataset.komoditas = a.commodity_code;
    cell(tr, a.day ? tanggal(a.day) : a.month);
    cell(tr, a.level, 'status ' + (a.level === 'siaga' ? 'kurang' : 'mendekati'));
    cell(tr, JENIS_PERINGATAN[a.kind] || a.kind);
    cell(tr, a.commodity_name || a.commodity_code);
    cell(tr, a.market_name || a.market_code);
    cell(tr, a.message);
    cell(tr, a.inspectors.length ? a.inspectors.join(', ') : '–');
    body.append(tr);
  }
}

// ---- Pages ----

const VIEWS = ['ikk', 'harga', 'cakupan', 'pelanggaran', 'uttp', 'petugas', 'peringatan'];
const shown = new Set(['ikk']);
const SHOW = { harga: showHarga, cakupan: showCakupan, pelanggaran: showPelanggaran, uttp: showUttp,
  petugas: showPetugas, peringatan: showPeringatan };

function showView() {
  const wanted = location.hash.slice(1);
  const view = VIEWS.includes(wanted) ? wanted : 'ikk';
  for (const name of VIEWS) {
    $(name).hidden = name !== view;
    if (name === view) $('nav-' + name).setAttribute('aria-current', 'page'); else $('nav-' + name).removeAttribute('aria-current');
  }
  // A page reads its report the first time it is opened; its form reads it again.
  if (!shown.has(view)) {
    shown.add(view);
    SHOW[view]();
  }
}

let sesi = {};  // the signed-in account, as /api/v1/sesi tells it

async function start() {
  const { status, answer } = await api('/api/v1/sesi');
  if (status !== 200) return;
  sesi = answer;
  $('csrf').value = answer.csrf;
  const role = { supervisor: 'penyelia', admin: 'admin' }[answer.role] || answer.role;
  $('who').textContent = answer.account + ' (' + role + ') · ' + answer.deployment;
  $('periode').value = answer.today.slice(0, 4);
  if (answer.role === 'admin') {
    $('isian').hidden = false;
    $('isian-nomor').addEventListener('change', allowRealisasi);
    $('isian-form').addEventListener('submit', (event) => {
      event.preventDefault();
      saveIsian(answer.csrf, false);
    });
    $('isian-hapus').addEventListener('click', () => saveIsian(answer.csrf, true));
  }
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
  // Days are the deployment's (the server's today in its time zone), whatever the browser's zone.
  const today = new Date(answer.today + 'T00:00:00Z');
  const monthAgo = new Date(today.getTime() - 29 * 86400000);
  const local = (d) => d.toISOString().slice(0, 10);
  $('sampai').value = local(today);
  $('dari').value = local(monthAgo);
  for (const k of answer.kecamatan) kecamatan[k.code] = k.name;
  for (const a of answer.actions) tindakan[a.code] = a.name;
  for (const c of answer.commodities) komoditas[c.code] = c.name;
  $('cakupan-sampai').value = local(today);
  $('cakupan-sampai').dataset.hariIni = local(today);
  $('cakupan-dari').value = local(new Date(today.getTime() - 27 * 86400000));  // the last four weeks
  for (const page of ['pelanggaran', 'uttp']) {
    $(page + '-sampai').value = local(today);
    $(page + '-dari').value = local(today).slice(0, 5) + '01-01';
  }
  $('peringatan-sampai').value = local(today);
  $('peringatan-dari').value = local(monthAgo);
  for (const [name, show] of Object.entries(SHOW)) {
    $(name + '-form').addEventListener('submit', (event) => {
      event.preventDefault();
      show();
    });
  }
  window.addEventListener('hashchange', showView);
  await showIkk($('periode').value);
  showView();
}

document.addEventListener('DOMContentLoaded', start);
