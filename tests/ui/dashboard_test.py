#!/usr/bin/python3
"""The supervisor's dashboard end to end in real headless Chromium, used as a kabid would.

A real pantau-server (RocksDB, gRPC and HTTP on loopback) with the bundled reference data; an
inspector's laptop sends a few prices with the real `pantau` client. A supervisor with a password
(set through `pantau-server accounts add --password-prompt`, read from standard input) signs in
with the keyboard: a wrong password is refused and kept out of the page, then the right one opens
the IKK page, whose numbers equal the JSON API's for the supervisor's token; a computed row opens
its breakdown; the XLSX and CSV downloads answer with the session. Then the defences over real
sockets: the cookie's flags, the page's headers, a sign-in without the form's token, a sign-out
without the session's token; sign-out ends the session; repeated wrong passwords back off.

Screenshots go to the folder named by --screenshots (docs/dashboard.md shows them).

Usage: dashboard_test.py --server BIN --client BIN --reference DIR --screenshots DIR
"""
import datetime
import hashlib
import http.client
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zlib

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.support.ui import Select

import browser_support
from browser_support import Browser, check, run, wait_for_file

PASSWORD = "kata sandi kabid 2026"
ADMIN_PASSWORD = "kata sandi admin 2026"
CAMAT_PASSWORD = "kata sandi camat 2026"
# The bundled deployment's zone, WITA (UTC+8): the server's days, whatever this machine's zone is.
WITA = datetime.timezone(datetime.timedelta(hours=8))


def wita(fmt, days_ago=0):
    """The server's local time `days_ago` days ago, as `fmt`."""
    return (datetime.datetime.now(WITA) - datetime.timedelta(days=days_ago)).strftime(fmt)
# Free text a laptop sends, as an attacker would type it: markup for the page, a formula for a sheet.
HOSTILE = '<img src=x onerror="window.diserang=1">Pak <b>Budi</b>'
FORMULA = '=HYPERLINK("http://contoh.invalid/","SKHP")'
# Every item of the bundled LPG checklist answered, none a finding but the one given by hand.
LPG_ANSWERS = ["--answer", "papan_nama=ya", "--answer", "harga_jual=18.000", "--answer", "timbangan_sah=ya",
               "--answer", "berat_tabung_isi_g=8000 g", "--answer", "pencatatan_map=ya",
               "--answer", "pembeli_tidak_berhak=tidak", "--answer", "stok_diterima=60", "--answer", "stok_terjual=50",
               "--answer", "stok_ada=10", "--answer", "pengecer_dalam_batas=ya", "--answer", "alat_keselamatan=ya",
               "--answer", "segel_utuh=ya", "--not-checked", "foto_papan=kamera rusak"]
BULAN = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]


def tanggal(iso):
    """'2026-11-03' -> '3 Nov 2026', as the pages write dates."""
    y, m, d = iso.split("-")
    return f"{int(d)} {BULAN[int(m) - 1]} {y}"


def angka(n):
    """1234 -> '1.234'."""
    return format(int(n), ",").replace(",", ".")


def request(port, method, path, headers=None, body=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    all_headers = {"Host": f"127.0.0.1:{port}"}
    all_headers.update(headers or {})
    connection.request(method, path, body=body, headers=all_headers)
    response = connection.getresponse()
    data = response.read()
    set_cookies = response.headers.get_all("Set-Cookie") or []
    result = (response.status, dict(response.getheaders()), data, set_cookies)
    connection.close()
    return result


def sign_in(browser, port, name, password):
    browser.driver.get(f"http://127.0.0.1:{port}/")
    browser.wait(lambda: browser.driver.current_url.endswith("/masuk"), "sent to the sign-in form")
    browser.by_id("nama").click()
    browser.type([name, Keys.TAB, password, Keys.ENTER])


def ikk_number(text):
    """'1.234,5 %' -> '1234.5': the page's Indonesian notation back to the API's decimal text."""
    return text.replace(" %", "").replace(".", "").replace(",", ".")


def png(width, height):
    """A real PNG of `width` x `height`: a price board's colours in bands."""
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)
    rows = b""
    for y in range(height):
        colour = (11, 79, 108) if y < height // 3 else (255, 255, 255) if y < 2 * height // 3 else (192, 57, 43)
        rows += b"\x00" + bytes(colour) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def cookie_of(browser):
    """The browser's session cookie, to read a download over a socket as the browser would."""
    return {"Cookie": f"pantau_sesi={browser.driver.get_cookie('pantau_sesi')['value']}"}


def main():
    args = browser_support.arguments()
    work = tempfile.mkdtemp(prefix="pantau-dashboard-test-")
    data = os.path.join(work, "data")
    # The bundled reference data, with this year's targets as the dinas enters them (shipped empty).
    reference = os.path.join(work, "reference")
    shutil.copytree(args.reference, reference)
    year = wita("%Y")
    with open(os.path.join(reference, "indicator_targets.csv"), "w") as f:
        f.write(f"no,year,target\n1,{year},120\n20,{year},3\n21,{year},10\n22,{year},4\n23,{year},87.5\n")
    run(args.server, "import-reference", "--data-dir", data, reference)
    run(args.server, "accounts", "add", "--data-dir", data, "--name", "siti", "--role", "inspector",
        "--token-file", os.path.join(work, "siti.token"))
    run(args.server, "accounts", "add", "--data-dir", data, "--name", "kabid", "--role", "supervisor",
        "--password-prompt", "--token-file", os.path.join(work, "kabid.token"), stdin=PASSWORD + "\n")
    run(args.server, "accounts", "add", "--data-dir", data, "--name", "camat", "--role", "supervisor",
        "--kecamatan", "marabahan", "--password-prompt", "--token-file", os.path.join(work, "camat.token"),
        stdin=CAMAT_PASSWORD + "\n")
    run(args.server, "accounts", "add", "--data-dir", data, "--name", "budi", "--role", "inspector",
        "--token-file", os.path.join(work, "budi.token"))
    run(args.server, "accounts", "add", "--data-dir", data, "--name", "admin", "--role", "admin",
        "--password-prompt", "--token-file", os.path.join(work, "admin.token"), stdin=ADMIN_PASSWORD + "\n")
    server = subprocess.Popen([args.server, "serve", "--data-dir", data, "--grpc-listen", "127.0.0.1:0",
                               "--port-file", os.path.join(work, "port"), "--http-listen", "127.0.0.1:0",
                               "--http-port-file", os.path.join(work, "http-port")],
                              stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "server.log"), "w"))
    browser = None
    try:
        grpc_port = wait_for_file(os.path.join(work, "port"), server)
        port = int(wait_for_file(os.path.join(work, "http-port"), server))
        # The field work the IKK table rolls up: an inspector's prices, sent.
        home = os.path.join(work, "laptop")
        run(args.client, "--home", home, "login", "--server", f"127.0.0.1:{grpc_port}",
            "--token-file", os.path.join(work, "siti.token"))
        for commodity, price in (("beras_medium", "13100"), ("minyakita", "15700"), ("gula_konsumsi", "17500")):
            run(args.client, "--home", home, "price", "add", "--market", "pasar_marabahan", "--commodity", commodity,
                "--price", price, "--trader", "Bu Ani")
        # Beras medium over a few days at two markets, with days missing between them.
        three_days_ago = wita("%Y-%m-%d 09:00", 3)
        run(args.client, "--home", home, "price", "add", "--market", "pasar_marabahan", "--commodity", "beras_medium",
            "--price", "12900", "--trader", "Bu Ani", "--at", three_days_ago)
        run(args.client, "--home", home, "price", "add", "--market", "pasar_wanaraya", "--commodity", "beras_medium",
            "--price", "13600", "--trader", "Pak Eko")
        # An audit 20 days ago with a finding, followed up by someone whose name is hostile text;
        # the case's due date has passed. A tera ulang yesterday whose SKHP number is a formula.
        audit_day = wita("%Y-%m-%d", 20)
        # The audit's evidence photo of the price board (a real PNG), kept on the laptop and synced.
        photo_file = os.path.join(work, "papan.png")
        with open(photo_file, "wb") as f:
            f.write(png(64, 48))
        photo_sha = hashlib.sha256(open(photo_file, "rb").read()).hexdigest()
        kept = run(args.client, "--home", home, "photo", "add", photo_file)
        check(photo_sha in kept.stdout + kept.stderr, f"the photo kept by its SHA-256: {kept.stdout} {kept.stderr}")
        answers = [a for a in LPG_ANSWERS if a not in ("--not-checked", "foto_papan=kamera rusak")]
        saved = run(args.client, "--home", home, "audit", "add", "--outlet", "pkl_contoh_marabahan_1",
                    "--finding", "harga_di_atas_het", "--at", audit_day + " 10:00", *answers,
                    "--answer", f"foto_papan={photo_sha}").stdout
        audit_id = re.search(r"saved [^;]* (\S+);", saved).group(1)
        run(args.client, "--home", home, "followup", "add", "--audit", audit_id, "--finding", "harga_di_atas_het",
            "--action", "teguran_tertulis", "--actor", HOSTILE, "--date", audit_day,
            "--due", wita("%Y-%m-%d", 6), "--status", "open")
        yesterday = wita("%Y-%m-%d 10:00", 1)
        run(args.client, "--home", home, "uttp", "add", "--instrument", "UTTP-CONTOH-0001", "--kind", "tera_ulang",
            "--point", "10 kg:10005 g", "--certificate", FORMULA, "--at", yesterday)
        # A price saved on a laptop whose clock runs 3 hours ahead: the server refuses it, and it
        # waits on the laptop for siti's fix (sync exits 3: delivered, one needs attention).
        run("/usr/bin/faketime", "-f", "+3h", args.client, "--home", home, "price", "add", "--market", "pasar_wanaraya",
            "--commodity", "minyakita", "--price", "15900", "--trader", "Pak Eko")
        synced = subprocess.run([args.client, "--home", home, "sync"], capture_output=True, text=True, timeout=120)
        check(synced.returncode == 3, f"the sync delivers and reports one refusal: {synced.returncode} {synced.stderr}")
        token = open(os.path.join(work, "kabid.token")).read().strip()
        status, _, body, _ = request(port, "GET", f"/api/v1/indicators?period={year}",
                                     {"Authorization": f"Bearer {token}"})
        check(status == 200, f"the API answers the token: {status} {body[:200]}")
        api = json.loads(body)

        browser = Browser(args.screenshots)
        # A wrong password: refused, the name kept, the password not.
        sign_in(browser, port, "kabid", "bukan kata sandinya")
        browser.wait(lambda: browser.by_id("galat").text == "Nama akun atau kata sandi salah.", "the wrong password refused")
        check(browser.by_id("nama").get_attribute("value") == "kabid" and browser.by_id("sandi").get_attribute("value") == "",
              "the name kept, the password not")
        browser.shot("masuk-salah")
        browser.by_id("sandi").click()
        browser.type([PASSWORD, Keys.ENTER])
        browser.wait(lambda: len(browser.driver.find_elements(By.CSS_SELECTOR, "#ikk-tabel tbody tr[id]")) == len(api["rows"]),
                     "the IKK table drawn")
        check(browser.driver.current_url == f"http://127.0.0.1:{port}/", "the dashboard at /")
        browser.shot("ikk-atas")
        check("kabid (penyelia)" in browser.by_id("who").text, f"who: {browser.by_id('who').text}")
        check(not browser.by_id("isian").is_displayed(), "a supervisor has no form to enter targets")
        check(len(api["rows"]) == 25, f"all 25 rows: {len(api['rows'])}")
        # Every row's figures are the API's, in Indonesian notation; none shown is invented.
        compared = 0
        for row in api["rows"]:
            tr = browser.by_id(f"ikk-{row['indicator']['number']}")
            cells = tr.find_elements(By.TAG_NAME, "td")
            check(cells[3].text.split("\n")[0] == row["indicator"]["name"], f"row {row['indicator']['number']}: {cells[3].text}")
            for column, key in ((6, "target"), (7, "realisasi")):
                shown = cells[column].text
                if key in row:
                    check(ikk_number(shown) == row[key]["text"], f"row {row['indicator']['number']} {key}: {shown} vs {row[key]}")
                    compared += 1
                else:
                    check(shown == "belum diisi", f"row {row['indicator']['number']} {key}: {shown}")
            shown = cells[8].text
            if "capaian" in row:
                check(ikk_number(shown) == row["capaian"]["text"], f"row {row['indicator']['number']} capaian: {shown}")
                n, d = int(row["capaian"]["numerator"]), int(row["capaian"]["denominator"])
                expected = "tercapai" if n >= 100 * d else "mendekati" if n >= 75 * d else "kurang"
                check(expected in cells[8].get_attribute("class"), f"capaian coloured {expected}: {cells[8].get_attribute('class')}")
                compared += 1
            else:
                check(shown == "–", f"row {row['indicator']['number']} capaian: {shown}")
        # Targets of 5 rows, realisasi of the computed ones, and capaian where both exist.
        check(compared >= 12, f"figures compared: {compared}")
        computed = [r for r in api["rows"] if r["source"] == "otomatis" and r.get("breakdown")]
        check(computed, "a row computed from field records")
        row = computed[0]
        button = browser.by_id(f"ikk-{row['indicator']['number']}").find_element(By.CSS_SELECTOR, "button.rinci")
        button.click()
        detail = browser.by_id(f"ikk-{row['indicator']['number']}").find_element(By.XPATH, "following-sibling::tr[1]")
        browser.wait(lambda: detail.is_displayed(), "the breakdown opens")
        browser.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", detail)
        key, value = sorted(row["breakdown"].items())[0]
        check(f"{key}: {value}" in detail.text or key in detail.text, f"the breakdown: {detail.text} vs {row['breakdown']}")
        browser.shot("ikk")
        # The records behind row 24 (UTTP verified): the UTTP page over the table's period.
        browser.by_id("ikk-24").find_element(By.CSS_SELECTOR, "a.catatan").click()
        browser.wait(lambda: browser.by_id("uttp").is_displayed() and
                     browser.by_id("uttp-verifikasi-judul").text.startswith("1 sah"), "row 24's verifications")
        check(browser.by_id("uttp-dari").get_attribute("value") == f"{year}-01-01", "over the IKK period")
        browser.by_id("nav-ikk").click()
        browser.wait(lambda: browser.by_id("ikk").is_displayed(), "back to the IKK table")
        # The records behind row 21 (outlets audited): the audits of the period on Pelanggaran, one
        # row each, their outlets counted as the row counts them.
        browser.by_id("ikk-21").find_element(By.CSS_SELECTOR, "a.catatan").click()
        browser.wait(lambda: browser.by_id("pelanggaran").is_displayed() and browser.by_id("audit-judul").text != "",
                     "row 21's audits")
        frm, to = browser.by_id("pelanggaran-dari").get_attribute("value"), browser.by_id("pelanggaran-sampai").get_attribute("value")
        status, _, body, _ = request(port, "GET", f"/api/v1/audits?from={frm}&to={to}", {"Authorization": f"Bearer {token}"})
        audits = json.loads(body)
        row21 = next(r for r in api["rows"] if r["indicator"]["number"] == 21)
        check(status == 200 and frm == f"{year}-01-01" and audits["outlets"] == row21["realisasi"]["text"] == "1",
              f"the audits' outlets are row 21's realisation: {audits} vs {row21.get('realisasi')}")
        shown = browser.driver.find_elements(By.CSS_SELECTOR, "#audit-tabel tbody tr")
        check([tr.get_attribute("data-audit") for tr in shown] == [a["record_id"] for a in audits["rows"]] == [audit_id],
              f"one row per audit: {[tr.text for tr in shown]}")
        cells = shown[0].find_elements(By.TAG_NAME, "td")
        check(cells[0].text == tanggal(audit_day) and cells[1].text.startswith("Pangkalan LPG contoh Marabahan 1")
              and cells[5].text == "harga di atas het" and cells[6].text == "1",
              f"the audit row: {[c.text for c in cells]}")
        check(browser.by_id("audit-judul").text.startswith("1 audit di 1 outlet, 1 dengan temuan"),
              browser.by_id("audit-judul").text)
        check(browser.driver.execute_script("return document.getElementById('audit-h').getBoundingClientRect().top")
              < 400, "scrolled to the audits")
        browser.shot("audit")
        browser.by_id("nav-ikk").click()
        browser.wait(lambda: browser.by_id("ikk").is_displayed(), "back to the IKK table")
        # Another period, typed.
        browser.by_id("periode").clear()
        browser.by_id("periode").click()
        browser.type([f"{year}-Q4", Keys.ENTER])
        browser.wait(lambda: browser.by_id("ikk-judul").text.startswith(f"Periode {year}-Q4"), "the quarter's table")
        browser.by_id("periode").clear()
        browser.by_id("periode").click()
        browser.type(["bulan ini", Keys.ENTER])
        this_month = wita("%Y-%m")
        browser.wait(lambda: browser.by_id("ikk-judul").text.startswith(f"Periode {this_month} "),
                     "'bulan ini' is this month on the server's clock")
        browser.by_id("periode").clear()
        browser.by_id("periode").click()
        browser.type(["tahun depan", Keys.ENTER])
        browser.wait(lambda: "bulan-ini" in browser.by_id("ikk-galat").text and browser.by_id("ikk-judul").text == "",
                     "a period that is none refused with the words it takes")

        # The downloads answer with the session (the browser's cookie, read here over a socket).
        session = browser.driver.get_cookie("pantau_sesi")
        check(session is not None and session["httpOnly"] and session["sameSite"] == "Strict",
              f"the session cookie is HttpOnly and SameSite=Strict: {session}")
        check(browser.driver.execute_script("return document.cookie") == "", "no script reads the session")
        cookie = {"Cookie": f"pantau_sesi={session['value']}"}
        status, headers, xlsx, _ = request(port, "GET", f"/api/v1/indicators.xlsx?period={year}", cookie)
        check(status == 200 and xlsx[:2] == b"PK", f"the XLSX download: {status}")
        status, headers, csv, _ = request(port, "GET", f"/api/v1/indicators.csv?period={year}", cookie)
        check(status == 200 and csv.decode().count("\n") >= 26, f"the CSV download: {status} {csv[:100]}")
        status, headers, page, _ = request(port, "GET", "/", cookie)
        check(status == 200 and "frame-ancestors 'none'" in headers.get("Content-Security-Policy", "")
              and headers.get("Cache-Control") == "no-store" and headers.get("X-Frame-Options") == "DENY",
              f"the page's headers: {headers}")
        # A sign-in without the form's token, and a sign-out without the session's: refused.
        status, _, _, _ = request(port, "POST", "/masuk", {"Content-Type": "application/x-www-form-urlencoded"},
                                  f"csrf=x&nama=kabid&sandi={PASSWORD}")
        check(status == 403, f"a sign-in without the form's token: {status}")
        status, headers, _, _ = request(port, "POST", "/keluar", dict(cookie, **{"Content-Type": "application/x-www-form-urlencoded"}),
                                        "csrf=0")
        check(status == 303 and headers.get("Location") == "/", f"a forged sign-out changes nothing: {status} {headers}")
        status, _, _, _ = request(port, "GET", f"/api/v1/indicators?period={year}", cookie)
        check(status == 200, "the session still holds")

        # Sign-out, as a person does: the session ends, the old cookie reads nothing.
        browser.driver.find_element(By.CSS_SELECTOR, "#keluar button").click()
        browser.wait(lambda: browser.driver.current_url.endswith("/masuk"), "signed out")
        status, _, _, _ = request(port, "GET", f"/api/v1/indicators?period={year}", cookie)
        check(status == 401, f"the ended session reads nothing: {status}")
        browser.driver.get(f"http://127.0.0.1:{port}/")
        browser.wait(lambda: browser.driver.current_url.endswith("/masuk"), "the dashboard sends to the form again")

        # Repeated wrong passwords from one address back off, even for the right one.
        def gone(element):
            """True once the page that held `element` is replaced (Chromium may answer either way)."""
            try:
                element.is_enabled()
                return False
            except WebDriverException:
                return True

        def submit(password):
            if browser.by_id("nama").get_attribute("value") == "":
                browser.by_id("nama").send_keys("kabid")
            field = browser.by_id("sandi")
            field.click()
            browser.type([password, Keys.ENTER])
            browser.wait(lambda: gone(field), "the answer's page")
            return browser.by_id("galat").text if browser.driver.find_elements(By.ID, "galat") else ""
        # The 6th failure blocks for 1 s, each further one doubles it; a refusal while blocked is
        # not counted. The right password is tried once a block of at least 3 s has started, so a
        # slow machine's page loads cannot outlast the block before it arrives.
        wait = 0
        for i in range(12):
            said = submit(f"tebakan nomor {i}")
            if said == "Nama akun atau kata sandi salah.":
                continue
            match = re.search(r"coba lagi dalam (\d+) detik", said)
            check(match is not None, f"attempt {i}: {said}")
            wait = int(match.group(1))
            if wait >= 3:
                break
            time.sleep(wait + 0.2)
        check(wait >= 3, f"the block grew to {wait} s")
        said = submit(PASSWORD)
        check("coba lagi dalam" in said, f"backing off: {said}")
        check(browser.driver.current_url.endswith("/masuk"), "not signed in while backing off")
        browser.shot("masuk-tunggu")

        time.sleep(wait + 1.2)
        browser.by_id("sandi").click()
        browser.type([PASSWORD, Keys.ENTER])
        browser.wait(lambda: browser.driver.current_url.endswith("/") and
                     len(browser.driver.find_elements(By.CSS_SELECTOR, "#ikk-tabel tbody tr[id]")) == 25,
                     "signed in again after the back-off", seconds=30)
        # Harga: beras medium's daily means per market over the last 30 days, against the HET; a
        # missing day is a gap, never 0; the table of changes equals the API's.
        browser.by_id("nav-harga").click()
        browser.wait(lambda: browser.by_id("harga").is_displayed(), "the Harga page")
        browser.wait(lambda: browser.driver.execute_script("return !!Chart.getChart('grafik')"), "the chart drawn")
        Select(browser.by_id("komoditas")).select_by_visible_text("Beras Medium")
        browser.driver.find_element(By.CSS_SELECTOR, "#harga-form button").click()
        browser.wait(lambda: browser.by_id("harga-judul").text.startswith("Beras Medium"), "beras medium's chart")
        frm, to = browser.by_id("dari").get_attribute("value"), browser.by_id("sampai").get_attribute("value")
        # The range ends on the server's today in WITA, not the browser's (20 hours behind).
        recent = {wita("%Y-%m-%d"), (datetime.datetime.now(WITA) - datetime.timedelta(minutes=10)).strftime("%Y-%m-%d")}
        check(to in recent, f"the range ends on the server's today, not the browser's: {frm}..{to}")
        status, _, body, _ = request(port, "GET", f"/api/v1/prices?commodity_code=beras_medium&from={frm}&to={to}&by=day",
                                     {"Authorization": f"Bearer {token}"})
        prices = json.loads(body)
        check(status == 200 and len(prices["points"]) == 3, f"three market-days in the API: {status} {body[:300]}")
        chart = browser.driver.execute_script(
            "const c = Chart.getChart('grafik'); return {labels: c.data.labels.length, "
            "sets: c.data.datasets.map((d) => ({label: d.label, values: d.data.filter((v) => v !== null).length, "
            "zeros: d.data.filter((v) => v === 0).length}))};")
        check(chart["labels"] == 30, f"30 days on the axis: {chart}")
        by_label = {d["label"]: d for d in chart["sets"]}
        check(by_label.get("Pasar Marabahan (contoh)", {}).get("values") == 2 and
              by_label.get("Pasar Wanaraya (contoh)", {}).get("values") == 1,
              f"one point per market-day with samples, the rest gaps: {chart}")
        check(all(d["zeros"] == 0 for d in chart["sets"]), f"no missing day drawn as 0: {chart}")
        check("HET" in by_label and by_label["HET"]["values"] == 30, f"the HET line across the range: {chart}")
        drawn = browser.driver.execute_script(
            "const c = document.getElementById('grafik'); const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
            "let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n;")
        check(drawn > 2000, f"the canvas is drawn on: {drawn} pixels")
        rows = browser.driver.find_elements(By.CSS_SELECTOR, "#harga-tabel tbody tr")
        check(len(rows) == len(prices["points"]), f"one table row per market-day: {len(rows)}")
        for tr, p in zip(rows, prices["points"]):
            cells = tr.find_elements(By.TAG_NAME, "td")
            check(cells[1].text == tanggal(p["period"]) and cells[3].text == "Rp " + format(int(p["mean_rupiah"]["text"].split(".")[0]), ",").replace(",", "."),
                  f"the row of {p['market_code']} {p['period']}: {tr.text}")
        # Stability: KV antar waktu per commodity since 1 January and the disparity between markets,
        # equal to the API's; the chosen commodity's row marked.
        browser.wait(lambda: browser.by_id("kv-judul").text != "", "the stability table")
        stability = json.loads(request(port, "GET", f"/api/v1/price-stability?from={to[:4]}-01-01&to={to}&by=month",
                                       {"Authorization": f"Bearer {token}"})[2])
        shown = browser.driver.find_elements(By.CSS_SELECTOR, "#kv-tabel tbody tr")
        check(len(shown) == len(stability["rows"]) and shown, f"one row per commodity: {len(shown)}")
        beras = next(r for r in stability["rows"] if r["commodity_code"] == "beras_medium")
        tr = browser.driver.find_element(By.CSS_SELECTOR, "#kv-tabel tr[data-komoditas=beras_medium]")
        cells = tr.find_elements(By.TAG_NAME, "td")
        expected_kv = beras["kv_percent"]["text"].replace(".", ",") + " %" if "kv_percent" in beras else "–"
        expected_disparity = (beras["disparity_kv_percent"]["text"].replace(".", ",") + " %"
                              if "disparity_kv_percent" in beras else "–")
        check(cells[3].text == expected_kv and cells[8].text == expected_disparity,
              f"beras medium's KV and disparity: {[c.text for c in cells]} vs {beras}")
        check(len(beras["markets"]) == 2 and cells[4].text == "2", f"two markets: {beras['markets']}")
        check(cells[5].text == "Pasar Marabahan (contoh)" and cells[6].text == "Pasar Wanaraya (contoh)",
              f"cheapest and dearest by name: {[c.text for c in cells]}")
        check("pilihan" in tr.get_attribute("class"), "the chosen commodity's row marked")
        browser.shot("harga")
        browser.driver.execute_script("document.getElementById('kv-tabel').scrollIntoView()")
        browser.shot("harga-kv")

        def api_get(path):
            status, _, body, _ = request(port, "GET", path, {"Authorization": f"Bearer {token}"})
            check(status == 200, f"{path}: {status} {body[:300]}")
            return json.loads(body)

        # Cakupan: the schedule's totals and the market x commodity grid equal the API's.
        browser.by_id("nav-cakupan").click()
        browser.wait(lambda: browser.by_id("cakupan-judul").text.startswith("Terisi"), "the Cakupan page")
        Select(browser.by_id("cakupan-hari")).select_by_visible_text("setiap hari")
        browser.driver.find_element(By.CSS_SELECTOR, "#cakupan-form button").click()
        browser.wait(lambda: "(setiap hari)" in browser.by_id("cakupan-judul").text, "every day's coverage")
        frm, to = browser.by_id("cakupan-dari").get_attribute("value"), browser.by_id("cakupan-sampai").get_attribute("value")
        coverage = api_get(f"/api/v1/coverage?from={frm}&to={to}&weekdays=setiap_hari")
        said = browser.by_id("cakupan-judul").text
        check(said.startswith(f"Terisi {angka(coverage['covered'])} dari {angka(coverage['scheduled'])} "
                              f"({coverage['covered_percent']['text'].replace('.', ',')} %)"), f"coverage: {said} vs {coverage}")
        grid = {(td.find_element(By.XPATH, "..").get_attribute("data-komoditas"), td.get_attribute("data-pasar")): td
                for td in browser.driver.find_elements(By.CSS_SELECTOR, "#cakupan-grid td[data-pasar]")}
        check(len(grid) == len(coverage["rows"]) and len(grid) > 0, f"one cell per row of the API: {len(grid)}")
        for r in coverage["rows"]:
            td = grid[(r["commodity_code"], r["market_code"])]
            check(td.text == f"{r['covered_days']}/{r['scheduled_days']}", f"{r['market_code']} {r['commodity_code']}: {td.text}")
            check(("kurang" in td.get_attribute("class")) == bool(r["missing_days"]), f"missing days marked: {r}")
        beras = grid[("beras_medium", "pasar_marabahan")]
        check(int(beras.text.split("/")[0]) == 2, f"beras medium at Marabahan covered on its two days: {beras.text}")
        check(browser.driver.find_element(By.CSS_SELECTOR, "#cakupan-grid tr[data-komoditas=beras_medium] th").text
              == "Beras Medium", "commodities by name")
        browser.shot("cakupan")
        browser.driver.execute_script("document.getElementById('cakupan-grid').scrollIntoView()")
        browser.shot("cakupan-grid")
        # Per inspector: siti's own samples (all of them here), budi's none; the grid is the API's.
        for name, beras_covered in (("siti", 2), ("budi", 0)):
            Select(browser.by_id("cakupan-petugas")).select_by_visible_text(name)
            browser.driver.find_element(By.CSS_SELECTOR, "#cakupan-form button").click()
            browser.wait(lambda: f"sampel petugas {name} " in browser.by_id("cakupan-judul").text, f"{name}'s coverage")
            frm, to = browser.by_id("cakupan-dari").get_attribute("value"), browser.by_id("cakupan-sampai").get_attribute("value")
            own = api_get(f"/api/v1/coverage?from={frm}&to={to}&weekdays=setiap_hari&inspector={name}")
            check(own["inspector"] == name, f"the API's answer is {name}'s: {own.get('inspector')}")
            for r in own["rows"]:
                td = browser.driver.find_element(
                    By.CSS_SELECTOR, f"#cakupan-grid tr[data-komoditas={r['commodity_code']}] td[data-pasar={r['market_code']}]")
                check(td.text == f"{r['covered_days']}/{r['scheduled_days']}", f"{name}: {r} vs {td.text}")
            beras = next(r for r in own["rows"] if r["commodity_code"] == "beras_medium" and r["market_code"] == "pasar_marabahan")
            check(int(beras["covered_days"]) == beras_covered, f"{name}'s beras medium at Marabahan: {beras}")
        browser.shot("cakupan-petugas")
        Select(browser.by_id("cakupan-petugas")).select_by_visible_text("semua petugas")

        # Pelanggaran: the overdue case first, its history with the hostile name as text.
        browser.by_id("nav-pelanggaran").click()
        browser.wait(lambda: browser.by_id("pelanggaran-judul").text != "", "the Pelanggaran page")
        frm, to = browser.by_id("pelanggaran-dari").get_attribute("value"), browser.by_id("pelanggaran-sampai").get_attribute("value")
        violations = api_get(f"/api/v1/violations?from={frm}&to={to}")
        check(violations["overdue"] == "1" and len(violations["rows"]) == 1, f"one overdue case: {violations}")
        said = browser.by_id("pelanggaran-judul").text
        check(said.startswith(f"{violations['overdue']} terlambat, {violations['open']} terbuka, {violations['closed']} selesai"),
              f"the counts: {said}")
        row = browser.driver.find_element(By.CSS_SELECTOR, f"#pelanggaran-tabel tr[data-audit='{audit_id}']")
        cells = row.find_elements(By.TAG_NAME, "td")
        v = violations["rows"][0]
        check(cells[0].text == f"terlambat {v['days_overdue']} hari", f"status: {cells[0].text}")
        check(cells[1].text == tanggal(audit_day), f"audit day: {cells[1].text}")
        check(cells[2].text.startswith("Pangkalan LPG contoh Marabahan 1"), f"the outlet by name: {cells[2].text}")
        check(cells[4].text.startswith("Teguran tertulis") or cells[4].text.lower().startswith("teguran tertulis"),
              f"the action by name: {cells[4].text}")
        check(HOSTILE in cells[7].text, f"the hostile name as text: {cells[7].text}")
        check(not cells[7].find_elements(By.CSS_SELECTOR, "img, b"), "no markup from a laptop became elements")
        # The evidence photo: drawn from the server (the browser decoded it), opening full size, the
        # same bytes as the laptop's file, named by its type.
        check(v["photo_sha256s"] == [photo_sha], f"the audit's photo in the API: {v.get('photo_sha256s')}")
        thumb = cells[8].find_element(By.TAG_NAME, "img")
        browser.wait(lambda: browser.driver.execute_script("return arguments[0].complete && arguments[0].naturalWidth",
                                                           thumb) == 64, "the evidence photo drawn")
        check(thumb.get_attribute("alt").startswith("Foto bukti 1, Pangkalan LPG contoh Marabahan 1"),
              f"the photo's alt text: {thumb.get_attribute('alt')}")
        check(cells[8].find_element(By.TAG_NAME, "a").get_attribute("href").endswith(f"/api/v1/photo/{photo_sha}"),
              "the photo opens full size")
        status, headers, body, _ = request(port, "GET", f"/api/v1/photo/{photo_sha}", cookie_of(browser))
        check(status == 200 and body == open(photo_file, "rb").read() and headers.get("Content-Type") == "image/png"
              and headers.get("Cache-Control") == "no-store", f"the photo over the session: {status} {headers}")
        check(browser.driver.execute_script("return window.diserang === undefined"), "no script from a laptop ran")
        browser.shot("pelanggaran")

        # UTTP: the due list and the verifications equal the API's; a formula stays text.
        browser.by_id("nav-uttp").click()
        browser.wait(lambda: browser.by_id("uttp-verifikasi-judul").text != "", "the UTTP page")
        due = api_get("/api/v1/uttp-due")
        shown = browser.driver.find_elements(By.CSS_SELECTOR, "#uttp-tempo tbody tr")
        check(len(shown) == len(due["rows"]), f"the due list: {len(shown)} vs {len(due['rows'])}")
        check(browser.by_id("uttp-tempo-judul").text.startswith(f"{due['overdue']} terlambat dan {due['due_soon']} jatuh tempo"),
              f"due counts: {browser.by_id('uttp-tempo-judul').text}")
        frm, to = browser.by_id("uttp-dari").get_attribute("value"), browser.by_id("uttp-sampai").get_attribute("value")
        done = api_get(f"/api/v1/uttp-verifications?from={frm}&to={to}")
        check(done["sah"] == "1" and len(done["rows"]) == 1, f"one sah verification: {done}")
        check(browser.by_id("uttp-verifikasi-judul").text.startswith(f"{done['sah']} sah, {done['batal']} batal, "
                                                                      f"{done['discrepancies']} selisih"),
              f"verification counts: {browser.by_id('uttp-verifikasi-judul').text}")
        cells = browser.driver.find_elements(By.CSS_SELECTOR, "#uttp-verifikasi tbody tr td")
        check(cells[4].text == "sah" and cells[8].text == FORMULA, f"the verification: {[c.text for c in cells]}")
        status, _, csv, _ = request(port, "GET", f"/api/v1/uttp-verifications.csv?from={frm}&to={to}", cookie_of(browser))
        check(status == 200 and ',"\'=HYPERLINK(""http://contoh.invalid/"",""SKHP"")",' in csv.decode(),
              f"the SKHP in the CSV download is text, not a formula: {csv.decode()}")
        browser.shot("uttp")

        # Petugas & laptop: siti's laptop with its last sync, what arrived this week and the refused
        # record waiting on it, equal to the API's; budi has never synced.
        browser.by_id("nav-petugas").click()
        browser.wait(lambda: browser.by_id("petugas-judul").text != "", "the Petugas page")
        activity = api_get("/api/v1/field-activity?quiet_days=3")
        check(len(activity["rows"]) == 1 and activity["rows"][0]["inspector"] == "siti", f"siti's laptop: {activity}")
        laptop = activity["rows"][0]
        check(int(laptop["received_this_week"]) >= 8 and laptop["days_since"] == "0" and not laptop["quiet"],
              f"this week's records, just now: {laptop}")
        check(laptop["refused_waiting"] == "1" and laptop["days_since_sync"] == "0" and activity["refused_waiting"] == "1",
              f"the refused record waiting, reported at the sync: {laptop}")
        row = browser.driver.find_element(By.CSS_SELECTOR, f"#petugas-tabel tr[data-laptop='{laptop['device_id']}']")
        cells = row.find_elements(By.TAG_NAME, "td")
        check(cells[0].text == "siti" and cells[4].text == "0" and cells[5].text == laptop["received_this_week"]
              and cells[6].text == "0" and cells[7].text == "1" and "kurang" in cells[7].get_attribute("class"),
              f"the row: {[c.text for c in cells]} vs {laptop}")
        day, clock = laptop["last_sync"].split(" ")
        check(cells[2].text == f"{tanggal(day)} {clock}", f"last sync: {cells[2].text}")
        day, clock = laptop["last_received"].split(" ")
        check(cells[3].text == f"{tanggal(day)} {clock}", f"last received: {cells[3].text}")
        check("1 catatan ditolak menunggu perbaikan" in browser.by_id("petugas-judul").text,
              browser.by_id("petugas-judul").text)
        check(browser.by_id("petugas-tanpa").text ==
              "Petugas tanpa laptop terdaftar (belum pernah sinkron): budi.", browser.by_id("petugas-tanpa").text)
        browser.shot("petugas")

        # Peringatan: Pasar Wanaraya's 13.600 today is above the HET of 13.100 (+3,82 %), and so is the
        # kabupaten's mean of the day (13.350); equal to the API's, siaga first.
        browser.by_id("nav-peringatan").click()
        browser.wait(lambda: browser.by_id("peringatan-judul").text != "", "the Peringatan page")
        frm, to = browser.by_id("peringatan-dari").get_attribute("value"), browser.by_id("peringatan-sampai").get_attribute("value")
        everything = api_get(f"/api/v1/alerts?from={frm}&to={to}")
        shown = browser.driver.find_elements(By.CSS_SELECTOR, "#peringatan-tabel tbody tr")
        check(len(shown) == len(everything["alerts"]) and browser.by_id("peringatan-judul").text.startswith(
            f"{len(everything['alerts'])} peringatan"), f"every alert: {len(shown)} vs {len(everything['alerts'])}")
        Select(browser.by_id("peringatan-jenis")).select_by_visible_text("di atas HET/HAP")
        browser.driver.find_element(By.CSS_SELECTOR, "#peringatan-form button").click()
        browser.wait(lambda: browser.by_id("peringatan-judul").text.startswith("2 peringatan"), "the HET alerts")
        het = api_get(f"/api/v1/alerts?from={frm}&to={to}&kinds=het")
        check(sorted(a["market_code"] for a in het["alerts"]) == ["", "pasar_wanaraya"], f"the HET alerts: {het}")
        row = browser.driver.find_element(By.CSS_SELECTOR, "#peringatan-tabel tr[data-pasar=pasar_wanaraya]")
        cells = [c.text for c in row.find_elements(By.TAG_NAME, "td")]
        check(cells[1] == "waspada" and cells[2] == "di atas HET/HAP" and cells[3] == "Beras Medium"
              and cells[4] == "Pasar Wanaraya (contoh)"
              and "di atas HET Rp 13.100 (+3,82 %) selama 1 hari pengamatan" in cells[5], f"the alert: {cells}")
        browser.shot("peringatan")

        # At 360 px every page's tables scroll inside their boxes; the page itself does not.
        browser.driver.set_window_size(360, 740)
        for page in ("cakupan", "pelanggaran", "uttp", "petugas", "peringatan", "harga"):
            browser.by_id(f"nav-{page}").click()
            browser.wait(lambda: browser.by_id(page).is_displayed(), f"the {page} page at 360 px")
            time.sleep(0.3)
            width = browser.driver.execute_script("return document.documentElement.scrollWidth")
            check(width <= 360, f"no sideways scroll on {page} at 360 px: {width}")
            browser.shot(f"{page}-360px")
        browser.by_id("nav-ikk").click()

        time.sleep(0.3)
        width = browser.driver.execute_script("return document.documentElement.scrollWidth")
        check(width <= 360, f"no sideways scroll at 360 px: {width}")
        browser.shot("ikk-360px")

        # The admin enters row 1's realisation in the form; the table shows it and its capaian at
        # once, and the audit log has it.
        browser.driver.set_window_size(1366, 768)
        browser.driver.find_element(By.CSS_SELECTOR, "#keluar button").click()
        browser.wait(lambda: browser.driver.current_url.endswith("/masuk"), "signed out")
        sign_in(browser, port, "admin", ADMIN_PASSWORD)
        browser.wait(lambda: browser.by_id("isian").is_displayed() and
                     len(browser.driver.find_elements(By.CSS_SELECTOR, "#isian-nomor option")) == 25,
                     "the admin's form under the IKK table")
        browser.driver.execute_script("document.getElementById('isian').scrollIntoView()")
        Select(browser.by_id("isian-nomor")).select_by_value("1")
        Select(browser.by_id("isian-jenis")).select_by_value("realisasi")
        browser.by_id("isian-nilai").click()
        browser.type(["sembilan puluh", Keys.ENTER])
        browser.wait(lambda: "bukan angka" in browser.by_id("isian-galat").text, "a value that is no number refused")
        browser.by_id("isian-nilai").clear()
        browser.by_id("isian-nilai").click()
        browser.type(["90", Keys.TAB, "daftar hadir rapat", Keys.ENTER])
        browser.wait(lambda: browser.by_id("isian-hasil").text.startswith("Tersimpan: realisasi indikator 1 tahun"),
                     "saved")
        browser.wait(lambda: browser.by_id("ikk-1").find_elements(By.TAG_NAME, "td")[7].text == "90", "row 1's realisasi")
        capaian = browser.by_id("ikk-1").find_elements(By.TAG_NAME, "td")[8]
        check(capaian.text == "75,00 %" and "mendekati" in capaian.get_attribute("class"),
              f"90 of a target of 120 is 75,00 %: {capaian.text}")
        browser.shot("ikk-isian")
        admin_home = os.path.join(work, "admin-laptop")
        run(args.client, "--home", admin_home, "login", "--server", f"127.0.0.1:{grpc_port}",
            "--token-file", os.path.join(work, "admin.token"))
        log = run(args.client, "--home", admin_home, "admin", "audit-log", "--format", "csv").stdout
        check(any("ikk.realisasi" in line and "admin" in line and "indikator 1 tahun" in line and "= 90" in line
                  for line in log.splitlines()), f"the audit log has the admin's entry: {log[-600:]}")

        # A supervisor limited to kecamatan Marabahan sees Marabahan's market only, as its token does.
        browser.driver.find_element(By.CSS_SELECTOR, "#keluar button").click()
        browser.wait(lambda: browser.driver.current_url.endswith("/masuk"), "signed out")
        sign_in(browser, port, "camat", CAMAT_PASSWORD)
        browser.wait(lambda: "camat (penyelia)" in browser.by_id("who").text, "the scoped supervisor signed in")
        check([o.text for o in Select(browser.by_id("komoditas")).options] and
              not browser.by_id("isian").is_displayed(), "no admin form for a supervisor")
        browser.by_id("nav-cakupan").click()
        browser.wait(lambda: browser.by_id("cakupan-judul").text.startswith("Terisi"), "the scoped Cakupan")
        camat_token = open(os.path.join(work, "camat.token")).read().strip()
        frm, to = browser.by_id("cakupan-dari").get_attribute("value"), browser.by_id("cakupan-sampai").get_attribute("value")
        status, _, body, _ = request(port, "GET", f"/api/v1/coverage?from={frm}&to={to}",
                                     {"Authorization": f"Bearer {camat_token}"})
        scoped = json.loads(body)
        shown = [tr.find_elements(By.TAG_NAME, "td")[0].text
                 for tr in browser.driver.find_elements(By.CSS_SELECTOR, "#cakupan-pasar tbody tr")]
        check(status == 200 and shown == ["Pasar Marabahan (contoh)"] and
              [m["market_code"] for m in scoped["markets"]] == ["pasar_marabahan"],
              f"only Marabahan, as the token sees: {shown} {scoped['markets']}")
        # Its Pelanggaran page says why the photo is not shown; its token cannot read it either.
        browser.by_id("nav-pelanggaran").click()
        browser.wait(lambda: browser.driver.find_elements(By.CSS_SELECTOR, "#pelanggaran-tabel td.bukti"),
                     "the scoped Pelanggaran")
        evidence = browser.driver.find_element(By.CSS_SELECTOR, "#pelanggaran-tabel td.bukti")
        check(evidence.text == "1 foto (hanya untuk penyelia tanpa batas wilayah)" and
              not evidence.find_elements(By.TAG_NAME, "img"), f"no photo for a scoped account: {evidence.text}")
        status, _, body, _ = request(port, "GET", f"/api/v1/photo/{photo_sha}", {"Authorization": f"Bearer {camat_token}"})
        check(status == 403, f"a scoped token reads no photo: {status} {body[:200]}")
        browser.by_id("nav-harga").click()
        browser.wait(lambda: browser.driver.execute_script("return !!Chart.getChart('grafik')"), "the scoped chart")
        Select(browser.by_id("komoditas")).select_by_visible_text("Beras Medium")
        browser.driver.find_element(By.CSS_SELECTOR, "#harga-form button").click()
        browser.wait(lambda: browser.by_id("harga-judul").text.startswith("Beras Medium"), "beras medium, scoped")
        labels = browser.driver.execute_script("return Chart.getChart('grafik').data.datasets.map((d) => d.label)")
        check("Pasar Wanaraya (contoh)" not in labels and "Pasar Marabahan (contoh)" in labels,
              f"the chart holds Marabahan's line only (and the HET): {labels}")
        check(browser.by_id("harga-galat").text == "" and
              browser.by_id("kv-judul").text.startswith("Stabilitas dan disparitas mencakup seluruh kabupaten"),
              f"the kabupaten-wide disparity is not asked for: {browser.by_id('harga-galat').text}")
        browser.shot("camat-harga")
        print(f"ok: IKK table of {len(api['rows'])} rows, Harga, Cakupan, Pelanggaran and UTTP equal to the API, "
              "hostile text kept as text, sign-in, sign-out and back-off; "
              f"screenshots in {args.screenshots}")
        return 0
    finally:
        if browser is not None:
            browser.driver.quit()
        server.send_signal(15)
        server.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
