#!/usr/bin/python3
"""The inspector's app end to end in real headless Chromium, used as an inspector would.

A real pantau-server (RocksDB, gRPC on loopback) with the bundled reference data, a laptop logged
in with the real `pantau` client, and `pantau ui` serving the app. Chromium, driven by Selenium
with the keyboard only, opens the printed link, opens the market-day sheet of Pasar Marabahan,
adds two traders, and types: a price with thousands dots (saved, focus moves down), a pack price
(converted to the unit), a typo (refused in the cell, then fixed), an outlier (refused, then saved
with a reason). Beranda shows 4 pending; "Kirim sekarang" delivers them. Then the server refuses one (the admin
retired its market while the laptop still listed it): Beranda lists it with its content and the
server's reason; once the market is back, "Kirim ulang" sends one again and "Perbaiki" replaces
the other (mistyped) with a new record, and the server holds exactly the prices sent, never the
mistyped one. Then the app's defences, over real sockets: no cookie, another
Host (DNS rebinding), another Origin, no CSRF token — each refused, nothing saved.

Screenshots go to the folder named by --screenshots (docs/inspector-app.md shows them).

Usage: inspector_app_test.py --server BIN --client BIN --reference DIR --screenshots DIR
"""
import datetime
import hashlib
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

import browser_support
from browser_support import check, run, wait_for_file

# A date as the pages write it: "8 Des 2026".
DATE_WORDS = r"\d{1,2} (Jan|Feb|Mar|Apr|Mei|Jun|Jul|Agu|Sep|Okt|Nov|Des) \d{4}"


def wita_words():
    """Today in WITA (UTC+8, the bundled deployment's zone) as the pages write it, and the day it was
    ten minutes ago: a run that crosses midnight WITA (16:00 UTC) may see either."""
    months = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]
    now = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=8)))
    return {f"{d.day} {months[d.month - 1]} {d.year}" for d in (now, now - datetime.timedelta(minutes=10))}


class Browser(browser_support.Browser):
    """The app's own look-ups besides the shared ones."""

    def focused_label(self):
        return self.driver.switch_to.active_element.get_attribute("aria-label")

    def cell(self, commodity, trader):
        return self.driver.find_element(By.CSS_SELECTOR, f'input[aria-label="Harga {commodity} dari {trader}"]')

    def cell_message(self, commodity, trader):
        return self.cell(commodity, trader).find_element(By.XPATH, "following-sibling::span[@class='msg']").text


def send_the_fix(browser, what):
    """Beranda after a Perbaiki: the fix waits, nothing needs attention; Kirim sekarang delivers it."""
    browser.by_id("nav-beranda").click()
    browser.wait(lambda: browser.by_id("pending").text == "1" and browser.by_id("attention").text == "0",
                 f"{what} waits to be sent; nothing needs attention")
    browser.by_id("send-now").click()
    browser.wait(lambda: browser.by_id("send-result").text == "Terkirim: 1 catatan.", f"{what} sent", seconds=60)


def reference_without(original, folder, csv_name, code):
    """A copy of the exported reference folder `original` without the row of `code` in `csv_name`."""
    shutil.copytree(original, folder)
    path = os.path.join(folder, csv_name)
    lines = [line for line in open(path) if not line.startswith(code + ",")]
    open(path, "w").writelines(lines)
    return folder


def request(port, method, path, host=None, headers=None, body=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    all_headers = {"Host": host or f"127.0.0.1:{port}"}
    all_headers.update(headers or {})
    connection.request(method, path, body=body, headers=all_headers)
    response = connection.getresponse()
    data = response.read().decode()
    connection.close()
    return response.status, dict(response.getheaders()), data


def main():
    args = browser_support.arguments()
    work = tempfile.mkdtemp(prefix="pantau-ui-test-")
    data = os.path.join(work, "data")
    home = os.path.join(work, "laptop")
    run(args.server, "import-reference", "--data-dir", data, args.reference)
    run(args.server, "accounts", "add", "--data-dir", data, "--name", "siti", "--role", "inspector",
        "--token-file", os.path.join(work, "siti.token"))
    run(args.server, "accounts", "add", "--data-dir", data, "--name", "admin", "--role", "admin",
        "--token-file", os.path.join(work, "admin.token"))
    server = subprocess.Popen([args.server, "serve", "--data-dir", data, "--grpc-listen", "127.0.0.1:0",
                               "--port-file", os.path.join(work, "port")],
                              stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "server.log"), "w"))
    app = None
    browser = None
    try:
        grpc_port = wait_for_file(os.path.join(work, "port"), server)
        run(args.client, "--home", home, "login", "--server", f"127.0.0.1:{grpc_port}",
            "--token-file", os.path.join(work, "siti.token"))
        url_file = os.path.join(work, "url")
        # Automatic sync off here: this part sends with "Kirim sekarang"; the end tests it.
        app = subprocess.Popen([args.client, "--home", home, "ui", "--no-browser", "--url-file", url_file,
                                "--auto-sync", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        url = wait_for_file(url_file, app)
        check(oct(os.stat(url_file).st_mode & 0o777) == "0o600", "the link file is readable by its owner only")
        port = urllib.parse.urlsplit(url).port

        browser = Browser(args.screenshots)
        started = time.time()
        browser.driver.get(url)
        # The secret leaves the address bar: the page is at /.
        browser.wait(lambda: urllib.parse.urlsplit(browser.driver.current_url).path == "/", "the app at /")
        check("kunci" not in browser.driver.current_url, "the launch secret is not left in the address bar")
        browser.wait(lambda: browser.by_id("pending").text == "0", "Beranda: 0 waiting")
        check("siti" in browser.by_id("who").text and "WITA" in browser.by_id("who").text,
              f"who: {browser.by_id('who').text}")
        browser.shot("beranda-kosong")

        # The market-day sheet, by keyboard: the Harga link, the market by name, Enter.
        browser.by_id("nav-harga").click()
        browser.wait(lambda: browser.by_id("harga").is_displayed(), "the Harga screen")
        browser.by_id("market").click()
        browser.type(["Pasar Marabahan (contoh)", Keys.ENTER])
        browser.wait(lambda: browser.by_id("sheet-title").text.startswith("Pasar Marabahan"), "the sheet opens")
        # Today's sheet, dated in words (the day the laptop's zone, WITA, says).
        check(browser.by_id("sheet-title").text in {"Pasar Marabahan (contoh) — " + d for d in wita_words()},
              f"the sheet's title: {browser.by_id('sheet-title').text}")
        for trader in ("Bu Ani", "Pak Budi"):
            browser.by_id("new-trader").click()
            browser.type([trader, Keys.ENTER])
            browser.wait(lambda: len(browser.driver.find_elements(
                By.CSS_SELECTOR, f'input[aria-label="Harga Beras Medium dari {trader}"]')) == 1, f"column {trader}")
        rows = browser.driver.find_elements(By.CSS_SELECTOR, "#grid tbody tr")
        check(len(rows) >= 25, f"one row per commodity of the reference data, got {len(rows)}")
        medium_row = [r.text for r in rows if r.text.startswith("Beras Medium")][0]
        check("HET Rp 13.100" in medium_row, f"the HET in the row: {medium_row}")

        # 1. Thousands dots; Enter saves and moves down the same trader's column.
        browser.cell("Beras Medium", "Bu Ani").click()
        browser.type(["13.100", Keys.ENTER])
        browser.wait(lambda: browser.cell_message("Beras Medium", "Bu Ani") == "tersimpan Rp 13.100 per kg",
                     "13.100 saved")
        browser.wait(lambda: browser.focused_label() == "Harga Beras Premium dari Bu Ani", "focus moves down")
        # 2. A pack: its price and size, converted to the price per kg; Tab saves too.
        browser.cell("Beras Medium", "Pak Budi").click()
        browser.type(["Rp 65.000/5 kg", Keys.TAB])
        browser.wait(lambda: browser.cell_message("Beras Medium", "Pak Budi") == "tersimpan Rp 13.000 per kg",
                     "the pack price converted")
        # 3. A typo is refused in the cell, with the reason; fixed, it saves.
        browser.cell("MinyaKita", "Bu Ani").click()
        browser.type(["15.7OO", Keys.ENTER])
        browser.wait(lambda: "\"15.7OO\" bukan harga" in browser.cell_message("MinyaKita", "Bu Ani"), "the typo refused")
        check(browser.focused_label() == "Harga MinyaKita dari Bu Ani", "focus stays on a refused cell")
        browser.type(["15700", Keys.ENTER])  # the refused text is selected: typing replaces it
        browser.wait(lambda: browser.cell_message("MinyaKita", "Bu Ani") == "tersimpan Rp 15.700 per liter",
                     "the typo fixed")
        # 4. An outlier: refused with the plausible range, then saved with a reason.
        browser.cell("Cabai Rawit Merah", "Pak Budi").click()
        browser.type(["350.000", Keys.ENTER])
        browser.wait(lambda: "di luar rentang wajar" in browser.cell_message("Cabai Rawit Merah", "Pak Budi"),
                     "the outlier refused")
        browser.wait(lambda: browser.focused_label() == "Alasan harga Cabai Rawit Merah dari Pak Budi",
                     "the reason asked for, focused")
        browser.shot("harga-alasan")
        browser.type(["stok kosong setelah banjir", Keys.ENTER])
        browser.wait(lambda: browser.cell_message("Cabai Rawit Merah", "Pak Budi") == "tersimpan Rp 350.000 per kg",
                     "the outlier saved with its reason")
        seconds = time.time() - started
        browser.driver.execute_script("window.scrollTo(0, 0)")
        browser.shot("harga-lembar")

        # The sheet opened again shows what was saved.
        browser.driver.refresh()
        browser.wait(lambda: browser.by_id("harga").is_displayed(), "the Harga screen again")
        browser.by_id("market").click()
        browser.type(["Pasar Marabahan (contoh)", Keys.ENTER])
        browser.wait(lambda: browser.cell("Beras Medium", "Bu Ani").get_attribute("value") == "13.100",
                     "saved cells come back")
        check(browser.cell("Beras Medium", "Bu Ani").get_attribute("readonly") is not None, "a saved cell is kept")

        # Beranda: 4 waiting; send them.
        browser.by_id("nav-beranda").click()
        browser.wait(lambda: browser.by_id("pending").text == "4", "Beranda: 4 waiting")
        browser.shot("beranda-menunggu")
        browser.by_id("send-now").click()
        browser.wait(lambda: browser.by_id("send-result").text == "Terkirim: 4 catatan.", "sent", seconds=60)
        browser.wait(lambda: browser.by_id("pending").text == "0" and browser.by_id("delivered").text == "4",
                     "0 waiting, 4 delivered")
        # The pull that ended the sync said which scheduled price checks of the last 7 days were
        # missed at siti's markets (she is assigned to none: every market); Beranda lists them.
        browser.wait(lambda: browser.by_id("missed-title").is_displayed(), "the missed checks listed")
        missed = browser.driver.find_elements(By.CSS_SELECTOR, "#missed-list li[data-market]")
        check(0 < len(missed) <= 15 and all(re.match(DATE_WORDS + " · ", li.text) for li in missed),
              f"missed checks, dated in words: {[li.text for li in missed]}")
        check(re.fullmatch(DATE_WORDS + r" \d\d:\d\d WITA", browser.by_id("last-sync").text) is not None,
              f"the last sync, dated in words: {browser.by_id('last-sync').text}")
        browser.shot("beranda-terkirim")

        # The server refuses one, and it is fixed through Perlu perhatian: the admin retires Pasar
        # Tamban while this laptop still lists it; a price there is refused at the sync; the admin
        # brings the market back; "Kirim ulang" and "Kirim sekarang" deliver it.
        admin = os.path.join(work, "admin-laptop")
        run(args.client, "--home", admin, "login", "--server", f"127.0.0.1:{grpc_port}",
            "--token-file", os.path.join(work, "admin.token"))
        original = os.path.join(work, "reference-original")
        run(args.client, "--home", admin, "admin", "reference", "export", "--out", original)
        retired = reference_without(original, os.path.join(work, "reference-without-tamban"), "markets.csv",
                                    "pasar_tamban")
        run(args.client, "--home", admin, "admin", "reference", "apply", retired)
        browser.by_id("nav-harga").click()
        browser.by_id("market").clear()
        browser.by_id("market").click()
        browser.type(["Pasar Tamban (contoh)", Keys.ENTER])
        browser.wait(lambda: browser.by_id("sheet-title").text.startswith("Pasar Tamban"), "the Tamban sheet")
        browser.by_id("new-trader").click()
        browser.type(["Bu Sari", Keys.ENTER])
        browser.wait(lambda: len(browser.driver.find_elements(
            By.CSS_SELECTOR, 'input[aria-label="Harga Beras Medium dari Bu Sari"]')) == 1, "column Bu Sari")
        browser.cell("Beras Medium", "Bu Sari").click()
        browser.type(["12.900", Keys.ENTER])
        browser.wait(lambda: browser.cell_message("Beras Medium", "Bu Sari") == "tersimpan Rp 12.900 per kg",
                     "saved on the laptop")
        browser.cell("Gula Konsumsi", "Bu Sari").click()
        browser.type(["17.000", Keys.ENTER])
        browser.wait(lambda: browser.cell_message("Gula Konsumsi", "Bu Sari") == "tersimpan Rp 17.000 per kg",
                     "saved on the laptop")
        browser.by_id("nav-beranda").click()
        browser.wait(lambda: browser.by_id("pending").text == "2", "2 waiting")
        browser.by_id("send-now").click()
        browser.wait(lambda: browser.by_id("send-result").text == "Terkirim: 0 catatan; 2 perlu perhatian.",
                     "refused by the server", seconds=60)
        browser.wait(lambda: browser.by_id("attention").text == "2", "2 need attention")
        items = browser.driver.find_elements(By.CSS_SELECTOR, "#attention-list li")
        check("Beras Medium di pasar_tamban, Bu Sari, Rp 12.900/kg" in items[0].text, f"the refused record: {items[0].text}")
        # The server's reason, sent with its message id, in the page's language.
        check(items[0].find_element(By.CSS_SELECTOR, ".error").text.startswith('Pasar: pasar "pasar_tamban" tidak dikenal'),
              f"the server's reason in Bahasa Indonesia: {items[0].text}")
        browser.shot("beranda-perlu-perhatian")
        run(args.client, "--home", admin, "admin", "reference", "apply", original)
        # The first was right: sent again as it is.
        items[0].find_element(By.XPATH, ".//button[text()='Kirim ulang']").click()
        browser.wait(lambda: browser.by_id("pending").text == "1" and browser.by_id("attention").text == "1",
                     "one pending again")
        browser.by_id("send-now").click()  # delivers it, and brings the market back to this laptop
        browser.wait(lambda: browser.by_id("send-result").text == "Terkirim: 1 catatan.", "delivered", seconds=60)
        browser.wait(lambda: browser.by_id("delivered").text == "5", "5 delivered")
        # The second was mistyped too: "Perbaiki", the right price, Enter: a new record in its place.
        item = browser.driver.find_element(By.CSS_SELECTOR, "#attention-list li")
        check("Gula Konsumsi" in item.text and "Rp 17.000" in item.text, f"the second refused record: {item.text}")
        item.find_element(By.XPATH, ".//button[text()='Perbaiki']").click()
        browser.wait(lambda: browser.driver.switch_to.active_element.get_attribute("id").startswith("fix-")
                     and browser.driver.switch_to.active_element.get_attribute("value") == "17.000",
                     "the fix form, focused, with the refused price")
        browser.shot("beranda-perbaiki")
        browser.type(["17.500", Keys.ENTER])
        browser.wait(lambda: browser.by_id("pending").text == "1" and browser.by_id("attention").text == "0",
                     "the fix pending, nothing needs attention")
        browser.by_id("send-now").click()
        browser.wait(lambda: browser.by_id("send-result").text == "Terkirim: 1 catatan.", "delivered", seconds=60)
        browser.wait(lambda: browser.by_id("delivered").text == "6", "6 delivered")

        # Riwayat: today's records of this laptop, with what each is and its state.
        browser.by_id("nav-riwayat").click()
        browser.wait(lambda: browser.by_id("history-summary").text.startswith("7 catatan pada "), "Riwayat lists 7")
        check(browser.by_id("history-summary").text in {f"7 catatan pada {d}." for d in wita_words()},
              browser.by_id("history-summary").text)
        history = browser.by_id("history").text
        check(any(f"Beras Medium di Pasar Marabahan (contoh), Bu Ani, Rp 13.100/kg, {d}" in history for d in wita_words()),
              f"a record's description says its day in words: {history}")
        for expected in ("Beras Medium di Pasar Marabahan (contoh), Bu Ani, Rp 13.100/kg",
                         "Cabai Rawit Merah di Pasar Marabahan (contoh), Pak Budi, Rp 350.000/kg",
                         "Beras Medium di Pasar Tamban (contoh), Bu Sari, Rp 12.900/kg",
                         "Gula Konsumsi di Pasar Tamban (contoh), Bu Sari, Rp 17.500/kg"):
            check(expected in history, f"Riwayat shows {expected}: {history}")
        check(history.count("terkirim") == 6 and history.count("diganti/dibatalkan") == 1,
              f"6 delivered, the mistyped one replaced: {history}")
        # Koreksi: Pak Budi's cabai was Rp 35.000, not 350.000: a correction, with the reason.
        row = [r for r in browser.driver.find_elements(By.CSS_SELECTOR, "#history tbody tr")
               if r.text.startswith("Cabai Rawit Merah di Pasar Marabahan (contoh), Pak Budi")][0]
        row.find_element(By.XPATH, ".//button[text()='Koreksi']").click()
        browser.wait(lambda: browser.driver.switch_to.active_element.get_attribute("id").startswith("change-price-"),
                     "the correction form")
        browser.type(["35.000", Keys.TAB, "salah ketik satu nol", Keys.ENTER])
        browser.wait(lambda: browser.by_id("history-summary").text.startswith("8 catatan pada "), "the correction listed")
        browser.wait(lambda: "koreksi" in browser.by_id("history").text, "a correction record, waiting")
        browser.shot("riwayat")
        # By market: Pasar Tamban's three (one delivered, the mistyped one replaced, its fix).
        Select(browser.by_id("history-market")).select_by_visible_text("Pasar Tamban (contoh)")
        browser.by_id("history-form").find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        browser.wait(lambda: browser.by_id("history-summary").text.startswith("3 catatan pada "), "Tamban's records")
        check("Marabahan" not in browser.by_id("history").text, browser.by_id("history").text)
        Select(browser.by_id("history-market")).select_by_visible_text("semua")

        # Impor: a spreadsheet saved by Excel with Indonesian settings, one row refused with its line;
        # the same file again adds nothing.
        csv_path = os.path.join(work, "pasar-wanaraya.csv")
        # An hour ago, in WITA (UTC+8, the bundled deployment's zone), as the inspector's sheet says.
        hour_ago = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=7)).strftime("%Y-%m-%d %H:%M")
        with open(csv_path, "w", newline="") as f:
            f.write("\ufeffmarket;commodity;trader;price_rupiah;observed_at\r\n"
                    f"pasar_wanaraya;beras_medium;Bu Tini;Rp 13.200;{hour_ago}\r\n"
                    f"pasar_wanaraya;gula_konsumsi;Bu Tini;17.500;{hour_ago}\r\n"
                    f"pasar_wanaraya;beras_medum;Bu Tini;13200;{hour_ago}\r\n")
        for round_, expected in ((1, "3 baris: 2 baru tersimpan, 0 sudah pernah diimpor, 1 ditolak."),
                                 (2, "3 baris: 0 baru tersimpan, 2 sudah pernah diimpor, 1 ditolak.")):
            browser.by_id("nav-impor").click()
            browser.wait(lambda: browser.by_id("impor").is_displayed(), "the Impor screen")
            browser.by_id("import-file").send_keys(csv_path)
            browser.by_id("import-form").find_element(By.TAG_NAME, "button").click()
            browser.wait(lambda: browser.by_id("import-result").text == expected, f"import round {round_}: {expected}")
        problems = browser.by_id("import-problems").text
        check(problems.startswith("baris 4: price_sample.commodity_code: komoditas \"beras_medum\" tidak dikenal"), problems)
        browser.shot("impor")
        browser.by_id("nav-beranda").click()
        browser.wait(lambda: browser.by_id("pending").text == "3", "the correction and the 2 imported prices wait")
        browser.by_id("send-now").click()
        browser.wait(lambda: browser.by_id("send-result").text == "Terkirim: 3 catatan.", "correction and imports sent",
                     seconds=60)

        # Audit: an LPG pangkalan's checklist, by keyboard; the finding appears as the answer is
        # given; an item that cannot be checked is marked with the reason; the photo from a file;
        # saved only once every item is answered; then its follow-up from the pangkalan's ladder.
        photo_path = os.path.join(work, "papan-nama.jpg")
        with open(photo_path, "wb") as f:
            f.write(b"\xff\xd8\xff\xe0" + os.urandom(40000))
        browser.by_id("nav-audit").click()
        browser.wait(lambda: browser.by_id("audit").is_displayed(), "the Audit screen")
        browser.by_id("outlet").click()
        browser.type(["Pangkalan LPG contoh Marabahan 1", Keys.ENTER])
        browser.wait(lambda: browser.by_id("audit-title").text.startswith("Pangkalan LPG contoh Marabahan 1"),
                     "the checklist opens")
        browser.wait(lambda: browser.driver.switch_to.active_element.get_attribute("id") == "q-papan_nama",
                     "the first question focused")
        # Each item: the answer, Tab past its "tidak dapat diperiksa" box, Tab to the next.
        browser.type(["tidak", Keys.TAB, Keys.TAB])
        browser.wait(lambda: "papan_nama_tidak_ada" in browser.by_id("audit-findings").text,
                     "the finding appears as the answer is given")
        browser.type(["Rp 18.000", Keys.TAB, Keys.TAB, "ya", Keys.TAB, Keys.TAB])
        # berat_tabung_isi_g: the scale is broken: "tidak dapat diperiksa" and the reason.
        browser.type([Keys.TAB, Keys.SPACE])
        browser.wait(lambda: browser.driver.switch_to.active_element.get_attribute("id") == "why-berat_tabung_isi_g",
                     "the reason asked for")
        browser.type(["timbangan pangkalan rusak", Keys.TAB])
        for value in ("ya", "tidak", "60", "50", "10", "ya", "ya", "ya"):
            browser.type([value, Keys.TAB, Keys.TAB])
        browser.wait(lambda: browser.by_id("audit-missing").text == "1 butir belum dijawab.", "only the photo left")
        browser.by_id("audit-save").click()
        browser.wait(lambda: browser.by_id("audit-result").text.startswith("Belum tersimpan"), "not saved without the photo")
        browser.by_id("q-foto_papan").send_keys(photo_path)  # the file chooser
        browser.wait(lambda: "foto tersimpan" in browser.driver.find_element(
            By.CSS_SELECTOR, '#audit-items li[data-item="foto_papan"] .msg').text, "the photo kept")
        browser.wait(lambda: browser.by_id("audit-missing").text == "Semua butir terjawab.", "every item answered")
        findings = browser.by_id("audit-findings").text
        check(findings.count("\n") == 0 and "papan_nama_tidak_ada" in findings, f"one finding: {findings}")
        browser.shot("audit")
        browser.by_id("audit-save").click()
        browser.wait(lambda: browser.by_id("audit-result").text.startswith("Audit tersimpan"), "the audit saved")
        browser.wait(lambda: browser.by_id("followups").is_displayed(), "the follow-up form")
        ladder = [o.text for o in browser.by_id("fu-action-0").find_elements(By.TAG_NAME, "option")]
        check(ladder[0] == "1. Teguran lisan" and not any("APH" in step for step in ladder),
              f"the pangkalan's ladder only: {ladder}")
        browser.by_id("fu-actor-0").click()
        browser.type(["Bidang Perdagangan", Keys.ENTER])
        browser.wait(lambda: "tindak lanjut tersimpan" in browser.by_id("followup-list").text, "the follow-up saved")
        browser.driver.execute_script("arguments[0].scrollIntoView({block: 'end'})", browser.by_id("followups"))
        browser.shot("audit-tindak-lanjut")
        browser.by_id("nav-beranda").click()
        browser.wait(lambda: browser.by_id("pending").text == "2", "the audit and its follow-up wait to be sent")
        browser.by_id("send-now").click()
        browser.wait(lambda: browser.by_id("send-result").text == "Terkirim: 2 catatan.", "audit sent", seconds=60)
        # The photo went with them: the server gives it back byte for byte.
        sha = hashlib.sha256(open(photo_path, "rb").read()).hexdigest()
        run(args.client, "--home", admin, "photo", "get", sha, "--out", os.path.join(work, "photo-back.jpg"))
        check(open(os.path.join(work, "photo-back.jpg"), "rb").read() == open(photo_path, "rb").read(),
              "the server holds the audit's photo")

        # UTTP: the bundled scale (class III, Max 30 kg, e 5 g in the registry), two points typed
        # as read; each judged as it is typed; a failing point makes it batal, confirmed to save.
        browser.by_id("nav-uttp").click()
        browser.wait(lambda: browser.by_id("uttp").is_displayed(), "the UTTP screen")
        browser.by_id("instrument").click()
        browser.type(["UTTP-CONTOH-0001", Keys.ENTER])
        browser.wait(lambda: browser.by_id("uttp-title").text.startswith("UTTP-CONTOH-0001"), "the instrument opens")
        check(browser.by_id("uttp-class").get_attribute("value") == "III" and
              browser.by_id("uttp-max").get_attribute("value") == "30 kg" and
              browser.by_id("uttp-e").get_attribute("value") == "5 g", "class, Max and e from the registry")
        browser.wait(lambda: browser.driver.switch_to.active_element.get_attribute("id") == "t-1-a", "the first load")
        browser.type(["10 kg", Keys.TAB, "10005 g", Keys.TAB])
        browser.wait(lambda: browser.by_id("t-1-pass").text == "lulus" and browser.by_id("t-1-mpe").text == "5000 mg",
                     "point 1 judged as typed: at the MPE")
        browser.type(["20 kg", Keys.TAB, "20,008 kg", Keys.TAB])
        browser.wait(lambda: browser.by_id("t-2-pass").text == "GAGAL", "point 2 fails")
        check(browser.by_id("uttp-verdict").text.startswith("Putusan: BATAL"), browser.by_id("uttp-verdict").text)
        browser.by_id("uttp-seals").click()
        browser.type(["TS-26-001", Keys.ENTER])  # Enter saves the form
        browser.wait(lambda: browser.by_id("uttp-result").text.startswith("Putusannya BATAL"), "batal shown first")
        browser.wait(lambda: browser.driver.switch_to.active_element.get_attribute("id") == "uttp-batal",
                     "the confirmation focused")
        check(browser.by_id("t-2-pass").text == "GAGAL" and browser.by_id("uttp-verdict").text.startswith("Putusan: BATAL"),
              f"the failing point and the verdict stay shown: {browser.by_id('uttp-verdict').text}")
        browser.driver.execute_script("arguments[0].scrollIntoView({block: 'start'})", browser.by_id("uttp-title"))
        browser.shot("uttp")
        browser.type([Keys.ENTER])
        browser.wait(lambda: browser.by_id("uttp-result").text.endswith("sebagai BATAL."), "saved as batal")
        # The server refuses it: meanwhile the admin took the scale out of the registry by mistake.
        # Put back, "Perbaiki" opens the form filled as it was sent; saved again, it takes the
        # refused one's place and is delivered.
        no_scale = reference_without(original, os.path.join(work, "reference-without-scale"), "uttp_instruments.csv",
                                     "UTTP-CONTOH-0001")
        run(args.client, "--home", admin, "admin", "reference", "apply", no_scale)
        browser.by_id("nav-beranda").click()
        browser.wait(lambda: browser.by_id("pending").text == "1", "the verification waits to be sent")
        browser.by_id("send-now").click()
        browser.wait(lambda: browser.by_id("send-result").text == "Terkirim: 0 catatan; 1 perlu perhatian.",
                     "the verification refused", seconds=60)
        item = browser.driver.find_element(By.CSS_SELECTOR, "#attention-list li")
        check('UTTP "UTTP-CONTOH-0001" tidak ada di daftar' in item.find_element(By.CSS_SELECTOR, ".error").text,
              f"the server's reason: {item.text}")
        run(args.client, "--home", admin, "admin", "reference", "apply", original)
        browser.by_id("send-now").click()  # brings the scale back to this laptop
        browser.wait(lambda: browser.by_id("send-result").text == "Terkirim: 0 catatan.", "the registry pulled",
                     seconds=60)
        browser.driver.find_element(By.CSS_SELECTOR, "#attention-list li").find_element(
            By.XPATH, ".//button[text()='Perbaiki']").click()
        browser.wait(lambda: browser.by_id("uttp").is_displayed() and
                     browser.by_id("uttp-title").text.endswith("perbaikan catatan yang ditolak") and
                     browser.by_id("uttp-result").text.startswith("Memperbaiki catatan yang ditolak"), "the fix form")
        browser.wait(lambda: browser.by_id("t-2-pass").text == "GAGAL", "the points judged again")
        check(browser.by_id("uttp-class").get_attribute("value") == "III" and
              browser.by_id("t-1-a").get_attribute("value") == "10 kg" and
              browser.by_id("t-2-b").get_attribute("value") == "20008 g" and
              browser.by_id("uttp-seals").get_attribute("value") == "TS-26-001",
              "the form filled as the refused record was sent")
        browser.shot("uttp-perbaiki")
        browser.by_id("uttp-seals").click()
        browser.type([Keys.ENTER])
        browser.wait(lambda: browser.driver.switch_to.active_element.get_attribute("id") == "uttp-batal",
                     "batal confirmed again")
        browser.type([Keys.ENTER])
        browser.wait(lambda: browser.by_id("uttp-result").text.endswith("sebagai BATAL."), "the fix saved")
        send_the_fix(browser, "the fixed verification")

        # A refused audit, fixed the same way: the pangkalan is out of the registry while a second
        # audit of it is sent; put back, "Perbaiki" opens its checklist filled as it was sent
        # (answers, the item not checked with its reason, the photo), and it is saved in its place.
        no_pangkalan = reference_without(original, os.path.join(work, "reference-without-pangkalan"), "outlets.csv",
                                         "pkl_contoh_marabahan_1")
        browser.by_id("nav-audit").click()
        browser.by_id("outlet").clear()
        browser.by_id("outlet").click()
        browser.type(["Pangkalan LPG contoh Marabahan 1", Keys.ENTER])
        browser.wait(lambda: browser.driver.switch_to.active_element.get_attribute("id") == "q-papan_nama",
                     "the checklist again")
        browser.type(["ya", Keys.TAB, Keys.TAB, "Rp 19.500", Keys.TAB, Keys.TAB, "ya", Keys.TAB, Keys.TAB,
                      Keys.TAB, Keys.SPACE])
        browser.wait(lambda: browser.driver.switch_to.active_element.get_attribute("id") == "why-berat_tabung_isi_g",
                     "the reason asked for")
        browser.type(["timbangan dipinjam", Keys.TAB])
        for value in ("ya", "tidak", "60", "50", "10", "ya", "ya", "ya"):
            browser.type([value, Keys.TAB, Keys.TAB])
        browser.by_id("q-foto_papan").send_keys(photo_path)
        browser.wait(lambda: browser.by_id("audit-missing").text == "Semua butir terjawab.", "every item answered")
        browser.by_id("audit-save").click()
        browser.wait(lambda: browser.by_id("audit-result").text.startswith("Audit tersimpan"), "the second audit saved")
        run(args.client, "--home", admin, "admin", "reference", "apply", no_pangkalan)
        browser.by_id("nav-beranda").click()
        browser.by_id("send-now").click()
        browser.wait(lambda: browser.by_id("send-result").text == "Terkirim: 0 catatan; 1 perlu perhatian.",
                     "the audit refused", seconds=60)
        run(args.client, "--home", admin, "admin", "reference", "apply", original)
        browser.by_id("send-now").click()
        browser.wait(lambda: browser.by_id("send-result").text == "Terkirim: 0 catatan.", "the registry pulled",
                     seconds=60)
        item = browser.driver.find_element(By.CSS_SELECTOR, "#attention-list li")
        check(item.text.startswith("audit Pangkalan LPG contoh Marabahan 1"), f"the refused audit: {item.text}")
        item.find_element(By.XPATH, ".//button[text()='Perbaiki']").click()
        browser.wait(lambda: browser.by_id("audit").is_displayed() and
                     browser.by_id("audit-title").text.endswith("perbaikan catatan yang ditolak") and
                     browser.by_id("audit-missing").text == "Semua butir terjawab.", "the audit form filled")
        check(browser.by_id("q-harga_jual").get_attribute("value") == "19500" and
              browser.by_id("skip-berat_tabung_isi_g").is_selected() and
              browser.by_id("why-berat_tabung_isi_g").get_attribute("value") == "timbangan dipinjam" and
              "foto dari catatan yang ditolak" in browser.driver.find_element(
                  By.CSS_SELECTOR, '#audit-items li[data-item="foto_papan"] .msg').text,
              "the answers, the item not checked and the photo as sent")
        # Rp 19.500 is above the HET of Rp 18.500: the checklist's finding, judged again from the answers.
        findings = browser.by_id("audit-findings").text
        check("Rp 19.500" in findings and "Rp 18.500" in findings and findings.count("\n") == 0,
              f"its one finding judged again: {findings}")
        browser.driver.execute_script("window.scrollTo(0, 0)")
        browser.shot("audit-perbaiki")
        browser.by_id("audit-save").click()
        browser.wait(lambda: browser.by_id("audit-result").text.startswith("Audit tersimpan"), "the fix saved")
        send_the_fix(browser, "the fixed audit")

        # English as a setting: the whole page, kept across a reload; the dinas's terms stay.
        Select(browser.by_id("lang")).select_by_visible_text("English")
        browser.wait(lambda: browser.by_id("nav-beranda").text == "Home", "the page in English")
        browser.driver.refresh()
        browser.wait(lambda: browser.by_id("nav-harga").text == "Prices" and
                     browser.driver.find_element(By.CSS_SELECTOR, "#beranda dt").text == "Waiting to be sent",
                     "English kept after a reload")
        check(browser.driver.execute_script("return document.documentElement.lang") == "en", "lang=en")
        browser.by_id("nav-harga").click()
        browser.by_id("market").click()
        browser.type(["Pasar Marabahan (contoh)", Keys.ENTER])
        browser.wait(lambda: browser.driver.find_element(By.CSS_SELECTOR, "#grid thead th").text == "Commodity",
                     "the sheet in English")
        check(len(browser.driver.find_elements(By.CSS_SELECTOR, 'input[aria-label="Price of Beras Medium from Bu Ani"]')) == 1,
              "cells labelled in English")
        check("HET/HAP" in browser.by_id("grid").text, "HET stays HET")
        # The rules' own words follow the setting: a typo refused in English.
        english_cell = browser.driver.find_element(By.CSS_SELECTOR, 'input[aria-label="Price of Beras Premium from Bu Ani"]')
        english_cell.click()
        browser.type(["12.3OO", Keys.ENTER])
        browser.wait(lambda: english_cell.find_element(By.XPATH, "following-sibling::span[@class='msg']").text.startswith(
            '"12.3OO" is not a price: write whole Rupiah'), "the typo refused in English")
        browser.shot("harga-english")
        Select(browser.by_id("lang")).select_by_visible_text("Bahasa Indonesia")
        browser.wait(lambda: browser.by_id("nav-harga").text == "Harga" and
                     browser.driver.find_element(By.CSS_SELECTOR, "#grid thead th").text == "Komoditas",
                     "back in Bahasa Indonesia")

        # Every input is labelled (a <label for> or an aria-label): a screen reader reads each.
        unlabelled = browser.driver.execute_script("""
            return [...document.querySelectorAll('input, select, textarea')]
              .filter((e) => !e.getAttribute('aria-label') && !(e.id && document.querySelector(`label[for="${e.id}"]`)))
              .map((e) => e.outerHTML);""")
        check(unlabelled == [], f"inputs without a label: {unlabelled}")
        # A phone, 360 px wide: the page itself never scrolls sideways (the sheet scrolls in its box).
        browser.driver.set_window_size(360, 740)
        for view in ("beranda", "harga", "audit", "uttp", "riwayat", "impor"):
            browser.by_id("nav-" + view).click()
            browser.wait(lambda: browser.by_id(view).is_displayed(), view)
            width = browser.driver.execute_script("return document.documentElement.scrollWidth")
            inner = browser.driver.execute_script("return window.innerWidth")
            if width > inner:
                wide = browser.driver.execute_script("""
                    return [...document.querySelectorAll('body *')]
                      .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && e.offsetParent !== null)
                      .slice(0, 8).map((e) => e.tagName + '#' + e.id + '.' + e.className + ' ' +
                                          Math.round(e.getBoundingClientRect().right));""")
                browser.shot(f"failure-{view}-360px")
                check(False, f"{view} at 360 px: the page is {width} px wide in a {inner} px window: {wide}")
        browser.by_id("nav-harga").click()
        browser.shot("harga-360px")
        browser.driver.set_window_size(1366, 768)

        # The app's defences, over real sockets.
        status, headers, _ = request(port, "GET", "/api/v1/state")
        check(status == 401, f"no cookie: {status}")
        check("frame-ancestors 'none'" in headers.get("Content-Security-Policy", ""), "CSP on every answer")
        check("Access-Control-Allow-Origin" not in headers, "no CORS")
        status, _, _ = request(port, "GET", "/masuk?kunci=" + "0" * 48)
        check(status == 403, f"a wrong secret: {status}")
        status, headers, _ = request(port, "GET", urllib.parse.urlsplit(url).path + "?" + urllib.parse.urlsplit(url).query)
        check(status == 303, f"the secret signs in: {status}")
        cookie = headers["Set-Cookie"].split(";")[0]
        check("HttpOnly" in headers["Set-Cookie"] and "SameSite=Strict" in headers["Set-Cookie"], headers["Set-Cookie"])
        status, _, body = request(port, "GET", "/api/v1/session", headers={"Cookie": cookie})
        check(status == 200, f"session: {status}")
        csrf = json.loads(body)["csrf"]
        status, _, _ = request(port, "GET", "/api/v1/state", host=f"pantau.example.net:{port}",
                               headers={"Cookie": cookie})
        check(status == 403, f"another Host (DNS rebinding): {status}")
        price = json.dumps({"market": "pasar_marabahan", "commodity": "gula_konsumsi", "trader": "Bu Ani",
                            "price": "17500"})
        own = {"Cookie": cookie, "Content-Type": "application/json", "Origin": f"http://127.0.0.1:{port}"}
        status, _, _ = request(port, "POST", "/api/v1/prices", headers=dict(own, Origin="http://evil.example"),
                               body=price)
        check(status == 403, f"another Origin: {status}")
        status, _, _ = request(port, "POST", "/api/v1/prices", headers=own, body=price)
        check(status == 403, f"no CSRF token: {status}")
        status, _, _ = request(port, "POST", "/api/v1/prices", headers=dict(own, **{"X-CSRF-Token": "0" * 64}),
                               body=price)
        check(status == 403, f"a wrong CSRF token: {status}")
        status, _, body = request(port, "GET", "/api/v1/state", headers={"Cookie": cookie})
        check(json.loads(body)["pending"] == 0, "nothing was saved by the refused requests")
        status, _, body = request(port, "POST", "/api/v1/prices", headers=dict(own, **{"X-CSRF-Token": csrf}),
                                  body=price)
        check(status == 200 and json.loads(body)["saved"], f"with everything right it saves: {status} {body}")

        browser.driver.quit()
        browser = None
        app.send_signal(signal.SIGINT)
        out, err = app.communicate(timeout=30)
        check(app.returncode == 0, f"pantau ui stops cleanly on Ctrl-C: {app.returncode} {err}")
        app = None
        # The CLI on the same home afterwards: the record saved through the socket is there.
        status_json = json.loads(run(args.client, "--home", home, "status", "--json").stdout)
        check(status_json["pending"] == 1, f"CLI status after the app: {status_json}")

        # Automatic sync: the app again, sending on its own every second — the record saved over the
        # socket goes at once; but a record saved while a price is half typed in the sheet waits, and
        # goes once the cell is left empty. (It is saved after the typing, so that no tick of the
        # timer can send it before the form is busy.)
        os.remove(url_file)
        app = subprocess.Popen([args.client, "--home", home, "ui", "--no-browser", "--url-file", url_file,
                                "--auto-sync", "1"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        browser = Browser(args.screenshots)
        browser.driver.get(wait_for_file(url_file, app))
        browser.wait(lambda: browser.by_id("pending").text == "0", "the record saved over the socket is sent on its own",
                     seconds=30)
        browser.by_id("nav-harga").click()
        browser.by_id("market").click()
        browser.type(["Pasar Marabahan (contoh)", Keys.ENTER])
        browser.wait(lambda: len(browser.driver.find_elements(
            By.CSS_SELECTOR, 'input[aria-label="Harga Telur Ayam Ras dari Bu Ani"]')) == 1, "the sheet")
        browser.cell("Telur Ayam Ras", "Bu Ani").click()
        browser.type(["28."])  # half typed
        browser.wait(lambda: "menunggu" in browser.driver.execute_script(
            "return document.getElementById('auto-sync').textContent"), "automatic sync waits for the form")
        saved = browser.driver.execute_async_script(
            "const done = arguments[0]; api('/api/v1/prices', {market: 'pasar_marabahan', commodity: 'gula_konsumsi',"
            " trader: 'Bu Ani', price: '17600'}).then((r) => done(r.answer.saved === true));")
        check(saved, "a price saved while the sheet is half typed")
        time.sleep(2.5)  # two more turns of the timer
        pending_now = browser.driver.execute_async_script(
            "const done = arguments[0]; fetch('/api/v1/state').then((r) => r.json()).then((j) => done(j.pending));")
        check(pending_now == 1, f"nothing sent while a price was half typed: {pending_now} pending")
        browser.type([Keys.BACKSPACE] * 3)
        browser.by_id("nav-beranda").click()
        browser.wait(lambda: browser.by_id("pending").text == "0", "sent on its own", seconds=30)
        browser.wait(lambda: "Terakhir" in browser.by_id("auto-sync").text, "the page says when it last sent")
        browser.shot("beranda-otomatis")
        browser.driver.quit()
        browser = None
        app.send_signal(signal.SIGINT)
        app.communicate(timeout=30)
        check(app.returncode == 0, f"pantau ui stops cleanly: {app.returncode}")
        app = None

        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)
        stats = json.loads(run(args.server, "stats", "--data-dir", data, "--json").stdout)
        check(stats["records"]["outlet_audit"] == 2 and stats["records"]["follow_up"] == 1,
              f"the audit, its follow-up, and the fixed audit (never the refused one): {stats}")
        check(stats["records"]["uttp_verification"] == 1, f"the fixed verification (never the refused one): {stats}")
        check(stats["records"]["correction"] == 1, f"the correction: {stats}")
        check(stats["records"]["price_sample"] == 10 and stats["total_records"] == 15,
              f"the server holds exactly the 10 prices sent (4 + 1 sent again + 1 fixed + 2 imported + 2 sent on their "
              f"own; never the mistyped one): {stats}")
        print(f"ok: market day of 4 prices in {seconds:.1f} s of browser time, a refused price fixed and sent; "
              f"screenshots in {args.screenshots}")
        return 0
    finally:
        if browser is not None:
            browser.driver.quit()
        for process in (app, server):
            if process is not None and process.poll() is None:
                process.kill()
                process.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
