#!/usr/bin/python3
"""The inspector's app, measured: a whole market day in real headless Chromium, and a cell's save.

1. A market day on the Harga sheet: every commodity of the bundled reference data x 3 traders,
   typed with the keyboard as an inspector would (a click on each trader column's first cell,
   then digits and Enter down the column). Prints keys pressed per price beyond its digits, the
   seconds of browser time, and the page's load time (Navigation Timing).
2. A cell's save, fsync included: N POST /api/v1/prices over loopback (the app's own request),
   against the same N prices saved by `pantau price add` processes (the CLI, the baseline of the
   same run). Prints the median and 95th percentile of each and their ratio.

Usage: bench/ui/app_bench.py --server BIN --client BIN --reference DIR [--saves N]
Figures go in docs/performance.md with the command. Not a test: nothing here fails on time.
"""
import argparse
import csv
import http.client
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait


def run(*argv):
    done = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise SystemExit(f"{argv} exited {done.returncode}: {done.stdout}{done.stderr}")
    return done


def wait_for_file(path, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if os.path.exists(path) and os.path.getsize(path) > 0:
            return open(path).read().strip()
        time.sleep(0.05)
    raise SystemExit(f"{path} not written")


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", required=True)
    parser.add_argument("--client", required=True)
    parser.add_argument("--reference", required=True)
    parser.add_argument("--saves", type=int, default=200)
    args = parser.parse_args()
    commodities = list(csv.DictReader(open(os.path.join(args.reference, "commodities.csv"))))

    work = tempfile.mkdtemp(prefix="pantau-ui-bench-")
    data, home, cli_home = (os.path.join(work, n) for n in ("data", "laptop", "cli-laptop"))
    run(args.server, "import-reference", "--data-dir", data, args.reference)
    for name in ("siti", "ina"):
        run(args.server, "accounts", "add", "--data-dir", data, "--name", name, "--role", "inspector",
            "--token-file", os.path.join(work, name + ".token"))
    server = subprocess.Popen([args.server, "serve", "--data-dir", data, "--grpc-listen", "127.0.0.1:0",
                               "--port-file", os.path.join(work, "port")],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    app = None
    driver = None
    try:
        grpc = "127.0.0.1:" + wait_for_file(os.path.join(work, "port"))
        run(args.client, "--home", home, "login", "--server", grpc, "--token-file", os.path.join(work, "siti.token"))
        run(args.client, "--home", cli_home, "login", "--server", grpc, "--token-file", os.path.join(work, "ina.token"))
        # No automatic sync: a send during the run would be measured with the saves.
        app = subprocess.Popen([args.client, "--home", home, "ui", "--no-browser", "--url-file",
                                os.path.join(work, "url"), "--auto-sync", "0"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = wait_for_file(os.path.join(work, "url"))
        port = urllib.parse.urlsplit(url).port

        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1366,768",
                     "--disable-dev-shm-usage"):
            options.add_argument(flag)
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        wait = WebDriverWait(driver, 30, poll_frequency=0.01)
        driver.get(url)
        wait.until(lambda d: d.find_element(By.ID, "pending").text == "0")
        load_ms = driver.execute_script(
            "const n = performance.getEntriesByType('navigation')[0]; return n.loadEventEnd - n.startTime;")

        # 1. The market day.
        keys = 0
        digits = 0
        actions = webdriver.ActionChains(driver)
        driver.find_element(By.ID, "nav-harga").click()
        driver.find_element(By.ID, "market").click()
        webdriver.ActionChains(driver).send_keys("Pasar Marabahan (contoh)", Keys.ENTER).perform()
        wait.until(lambda d: d.find_element(By.ID, "sheet-title").text.startswith("Pasar Marabahan"))
        traders = ["Bu Ani", "Pak Budi", "Bu Ina"]
        for trader in traders:
            driver.find_element(By.ID, "new-trader").click()
            webdriver.ActionChains(driver).send_keys(trader, Keys.ENTER).perform()
        rows = driver.find_elements(By.CSS_SELECTOR, "#grid tbody tr")
        names = [r.find_element(By.CSS_SELECTOR, "td.commodity").text for r in rows]
        by_name = {c["name"]: c for c in commodities}
        started = time.time()
        for column, trader in enumerate(traders):
            driver.find_element(By.CSS_SELECTOR, f'input[aria-label="Harga {names[0]} dari {trader}"]').click()
            keys += 1  # the click that starts the column
            for name in names:
                c = by_name[name]
                low, high = int(c["plausible_min_rupiah"]), int(c["plausible_max_rupiah"])
                price = str((low + high) // 2 // 100 * 100 + 100 * column)
                webdriver.ActionChains(driver).send_keys(price, Keys.ENTER).perform()
                keys += len(price) + 1
                digits += len(price)
                cell = f'input[aria-label="Harga {name} dari {trader}"]'
                wait.until(lambda d: "tersimpan" in d.find_element(By.CSS_SELECTOR, cell).find_element(
                    By.XPATH, "following-sibling::span").text)
        seconds = time.time() - started
        prices = len(names) * len(traders)
        print(f"market day: {prices} prices ({len(names)} commodities x {len(traders)} traders) in "
              f"{seconds:.1f} s of browser time; {(keys - digits) / prices:.2f} keys per price beyond its digits "
              f"({keys} keys, {digits} digits); the CLI needs about 76 per price "
              f"(`pantau price add --market pasar_marabahan --commodity CODE --price N --trader NAME`)")
        print(f"page load: {load_ms:.0f} ms (navigationStart to loadEvent, Navigation Timing)")

        # 2. A cell's save: the app's request against the CLI's process, N each, fsync included.
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        host = f"127.0.0.1:{port}"
        path = urllib.parse.urlsplit(url)
        connection.request("GET", path.path + "?" + path.query, headers={"Host": host})
        response = connection.getresponse()
        response.read()
        cookie = response.getheader("Set-Cookie").split(";")[0]
        connection.request("GET", "/api/v1/session", headers={"Host": host, "Cookie": cookie})
        csrf = json.loads(connection.getresponse().read())["csrf"]
        headers = {"Host": host, "Cookie": cookie, "Origin": "http://" + host, "X-CSRF-Token": csrf,
                   "Content-Type": "application/json"}
        app_ms = []
        for i in range(args.saves):
            body = json.dumps({"market": "pasar_tamban", "commodity": "beras_medium", "trader": f"Pedagang {i}",
                               "price": "13.100"})
            t = time.perf_counter()
            connection.request("POST", "/api/v1/prices", body=body, headers=headers)
            answer = json.loads(connection.getresponse().read())
            app_ms.append((time.perf_counter() - t) * 1000)
            assert answer["saved"], answer
        cli_ms = []
        for i in range(args.saves):
            t = time.perf_counter()
            run(args.client, "--home", cli_home, "price", "add", "--market", "pasar_tamban", "--commodity",
                "beras_medium", "--price", "13.100", "--trader", f"Pedagang {i}")
            cli_ms.append((time.perf_counter() - t) * 1000)
        app_p50, app_p95 = statistics.median(app_ms), percentile(app_ms, 95)
        cli_p50, cli_p95 = statistics.median(cli_ms), percentile(cli_ms, 95)
        print(f"cell save ({args.saves} each, fsync included): app p50 {app_p50:.1f} ms, p95 {app_p95:.1f} ms; "
              f"CLI process p50 {cli_p50:.1f} ms, p95 {cli_p95:.1f} ms; ratio app/CLI at p95 {app_p95 / cli_p95:.2f}")
        return 0
    finally:
        if driver is not None:
            driver.quit()
        for process in (app, server):
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGINT)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
