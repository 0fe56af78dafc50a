"""What the Chromium tests of Pantau's web faces share: running the real binaries, waiting for a
file a process writes, checks, and a headless Chromium driven as a person would drive it."""
import argparse
import os
import subprocess
import time

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait


def arguments():
    """--server BIN --client BIN --reference DIR --screenshots DIR (made when missing)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", required=True)
    parser.add_argument("--client", required=True)
    parser.add_argument("--reference", required=True)
    parser.add_argument("--screenshots", required=True)
    args = parser.parse_args()
    os.makedirs(args.screenshots, exist_ok=True)
    return args


def run(*argv, stdin=None, **kw):
    """Runs a command to its end; its output, or an AssertionError naming it."""
    done = subprocess.run(argv, capture_output=True, text=True, timeout=120, input=stdin, **kw)
    if done.returncode != 0:
        raise AssertionError(f"{argv} exited {done.returncode}: {done.stdout}{done.stderr}")
    return done


def wait_for_file(path, process, seconds=30):
    """The text `process` writes to `path` (a port, a link), once it is there."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        if os.path.exists(path) and os.path.getsize(path) > 0:
            return open(path).read().strip()
        if process.poll() is not None:
            raise AssertionError(f"{process.args} exited {process.returncode} before writing {path}")
        time.sleep(0.05)
    raise AssertionError(f"{path} not written within {seconds} s")


def check(condition, message):
    if not condition:
        raise AssertionError(message)


# The browser's clock runs in UTC-12 (POSIX writes it Etc/GMT+12), 20 hours behind the bundled
# deployment's WITA: a page that took its days from the browser rather than from the server would
# show yesterday for most of every day, and a test would see it whatever the hour of the run.
BROWSER_TIME_ZONE = "Etc/GMT+12"


class Browser:
    """Debian's headless Chromium at 1366x768 (the usual office laptop), in Bahasa Indonesia, with
    its clock in BROWSER_TIME_ZONE."""

    def __init__(self, screenshots):
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1366,768",
                     "--disable-dev-shm-usage", "--lang=id"):
            options.add_argument(flag)
        self.driver = webdriver.Chrome(
            service=Service("/usr/bin/chromedriver", env={**os.environ, "TZ": BROWSER_TIME_ZONE}), options=options)
        self.screenshots = screenshots
        self.keys_pressed = 0

    def wait(self, predicate, what, seconds=20):
        """Until `predicate()` holds; while a page is being replaced, an element of the old one may
        answer with any WebDriver error, which counts as "not yet"."""
        def holds(_):
            try:
                return predicate()
            except WebDriverException:
                return False
        try:
            return WebDriverWait(self.driver, seconds, poll_frequency=0.05).until(holds)
        except Exception:
            self.shot("failure")
            raise AssertionError(f"waited {seconds} s for: {what}")

    def shot(self, name):
        self.driver.save_screenshot(os.path.join(self.screenshots, name + ".png"))

    def by_id(self, element_id):
        return self.driver.find_element(By.ID, element_id)

    def type(self, keys):
        """Types into the focused element, as a person at the keyboard."""
        self.keys_pressed += sum(1 if isinstance(k, str) and len(k) == 1 or not isinstance(k, str) else len(k)
                                 for k in keys)
        webdriver.ActionChains(self.driver).send_keys(*keys).perform()
