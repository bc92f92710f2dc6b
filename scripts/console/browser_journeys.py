#!/usr/bin/env python3
"""browser_journeys.py BASE OUTDIR --keys FILE.json: the web console's four journeys in a real browser.

Drives headless Chromium through Selenium against a running platformd at BASE (for example
http://127.0.0.1:8080) as four personas, signing in at /console/sign-in with their API keys:

  developer   (tenant A) launches the app from the form generated from its manifest, watches
              the instance page's #phase reach ready (live over SSE, else by reloading), opens
              it through Connect (the proxied app answers) and stops it;
  admin       (tenant A) rotates a key on /console/admin/keys and finds the rotation in audit search;
  operator    (platform) opens an incident, sees it on the public /status page, and sees a
              release blocked by a missing approval on the release's gates page;
  isolation   (developer of tenant B) tries tenant A's URLs directly: the instance page, the
              launch form, a stop POST (with and without B's CSRF token) and the admin pages;
              each must answer an error page (404/403 and a stable code in #error-code) with
              none of A's names in the DOM.

The developer's stop runs after the isolation journey, so B's stop POSTs meet a running
instance. Each persona then opens every page its navigation links to (no error page, one h1; a
403 the API answers for a scope the key lacks is printed as a note).

On every page it visits (all but the proxied app) it runs axe-core (the axe-selenium-python
package) and fails on any serious or critical violation, and saves a PNG screenshot into OUTDIR;
it writes OUTDIR/axe-results.json (per page: url, violations by impact, and the one waived
axe-core 3.1 false positive, see engine_bug). --only NAME... runs some journeys. It checks keyboard navigation:
from the top, Tab reaches the skip link first, then the nav links in order, and the skip link
moves focus to main; on the launch form every control is reached by Tab in document order.

The keys file (written by Tests/PlatformServerTests/Console/ConsoleBrowserTests.swift):
  {"developerA": KEY, "adminA": KEY, "operator": KEY, "developerB": KEY,
   "tenantA": {"id", "name"}, "projectA": {"id", "name"}, "tenantB": {...}, "projectB": {...},
   "app": {"name": "gpu-echo", "version": "1.0.0"}, "environment": "staging",
   "rotateKey": KEYID, "release": {"project": ID, "id": ID}}

Prints one line per journey step ("journey NAME: step ... ok" or "... FAILED: why"), one line per
journey ("journey NAME: PASS|FAIL") and a final summary line; exits 1 when anything failed."""
import argparse
import json
import os
import re
import shutil
import sys
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request

from axe_selenium_python import Axe
from selenium import webdriver
from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

BLOCKING_IMPACTS = ("serious", "critical")


def browser():
    """Headless Chromium, as scripts/portal/browser_check.py starts it."""
    options = Options()
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1400,1000"):
        options.add_argument(argument)
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    service = Service(shutil.which("chromedriver") or "/usr/bin/chromedriver")
    driver = webdriver.Chrome(service=service, options=options)
    # Generous: CI machines are shared, and axe-core takes seconds per page on a loaded one.
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(180)
    return driver


def engine_bug(version, rule, node):
    """axe-core before 3.2 (what axe-selenium-python 2.1.6 ships: 3.1.1) counts the standalone
    tokens `off` and `on` as inappropriate on anything but a text input; the HTML standard and
    axe-core 3.2+ allow them on every control. Only that exact case is waived (and listed under
    "waived" in axe-results.json); every other autocomplete finding still fails."""
    if rule != "autocomplete-valid" or not version or not re.match(r"^(2\.|3\.[01]\.)", version):
        return False
    checks = node.get("all", []) + node.get("any", []) + node.get("none", [])
    value = re.search(r'autocomplete="([^"]*)"', node.get("html", ""))
    return bool(value) and value.group(1).strip().lower() in ("off", "on") and all(c.get("id") == "autocomplete-appropriate" for c in checks)


class StepFailed(Exception):
    """One journey step did not hold; the journey stops there."""


class Console:
    """The browser, the output folder and what every visited page was found to be."""

    def __init__(self, base, out):
        self.base = base.rstrip("/")
        self.out = out
        self.driver = browser()
        self.axe = Axe(self.driver)
        self.pages = []
        self.shots = 0
        self.journey = ""
        self.engine = None
        self.notes = []

    # -- output ---------------------------------------------------------------------------

    def step(self, text):
        print(f"journey {self.journey}: {text} ok", flush=True)

    def note(self, text):
        """Something worth reading that does not fail the journey."""
        self.notes.append(f"{self.journey}: {text}")
        print(f"journey {self.journey}: note: {text}", flush=True)

    def fail(self, text):
        raise StepFailed(text)

    def expect(self, condition, text, why=""):
        if not condition:
            self.fail(f"{text}{': ' + why if why else ''}")
        self.step(text)

    # -- pages ----------------------------------------------------------------------------

    def url(self, path):
        return path if path.startswith("http") else self.base + path

    def open(self, path, name, axe=True):
        """Loads a page, then checks it (axe) and screenshots it."""
        self.driver.get(self.url(path))
        self.record(name, axe=axe)

    def record(self, name, axe=True):
        """axe-core and a screenshot of the page now shown; serious/critical violations fail the step."""
        self.shots += 1
        shot = os.path.join(self.out, f"{self.shots:02d}-{self.journey}-{name}.png")
        self.driver.save_screenshot(shot)
        entry = {"journey": self.journey, "page": name, "url": self.driver.current_url, "screenshot": shot,
                 "title": self.driver.title, "violations": {}}
        if axe:
            try:
                self.axe.inject()
                results = self.axe.run()
            except WebDriverException as error:
                # Once more, on the same page: a slow machine can time a first run out.
                print(f"journey {self.journey}: note: axe on {name} failed once ({type(error).__name__}), again", flush=True)
                self.axe.inject()
                results = self.axe.run()
            self.engine = self.driver.execute_script("return window.axe ? axe.version : null;")
            for violation in results.get("violations", []):
                impact = violation.get("impact") or "unknown"
                nodes = violation.get("nodes", [])
                waived = [node for node in nodes if engine_bug(self.engine, violation["id"], node)]
                if waived:
                    entry.setdefault("waived", []).append({
                        "id": violation["id"], "targets": [" ".join(map(str, node.get("target", []))) for node in waived],
                        "why": f"axe-core {self.engine} rejects autocomplete=on/off on non-text inputs (fixed in axe-core 3.2)"})
                    nodes = [node for node in nodes if node not in waived]
                    if not nodes:
                        continue
                entry["violations"].setdefault(impact, []).append({
                    "id": violation["id"], "help": violation.get("help", ""),
                    "targets": [" ".join(map(str, node.get("target", []))) for node in nodes][:10],
                })
        else:
            entry["axe"] = "skipped: not a console page"
        self.pages.append(entry)
        blocking = {impact: [v["id"] + " " + ",".join(v["targets"][:3]) for v in entry["violations"].get(impact, [])]
                    for impact in BLOCKING_IMPACTS if entry["violations"].get(impact)}
        if blocking:
            self.fail(f"axe on {name} ({entry['url']}): {blocking}")

    def find(self, css):
        found = self.driver.find_elements(By.CSS_SELECTOR, css)
        return found[0] if found else None

    def need(self, css, where):
        element = self.find(css)
        if element is None:
            self.fail(f"{where}: no {css} (title {self.driver.title!r}, url {self.driver.current_url}, "
                      f"error {self.text('#error-code')!r} {self.text('#error-message')!r})")
        return element

    def text(self, css):
        element = self.find(css)
        return element.text.strip() if element is not None else None

    def click_and_wait(self, element):
        """Clicks and waits until the old page is gone (a form post and its redirect)."""
        html = self.driver.find_element(By.TAG_NAME, "html")
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
        element.click()
        def gone(_):
            # Stale is the usual answer; chromedriver sometimes says "Node with given id does
            # not belong to the document" (an unknown error) for the same thing.
            try:
                html.is_enabled()
                return False
            except WebDriverException:
                return True
        try:
            WebDriverWait(self.driver, 30).until(gone)
        except TimeoutException:
            self.fail(f"clicking {element.tag_name} #{element.get_attribute('id')} did not load a page")

    def error_status(self):
        """The error page's HTTP status (its h1 starts with it) and stable code, or (None, None)."""
        code = self.text("#error-code")
        heading = self.text("h1") or ""
        match = re.match(r"(\d{3})\b", heading)
        return (int(match.group(1)) if match else None, code)

    def sign_in(self, key, who):
        self.driver.delete_all_cookies()
        self.open("/console/sign-in", "sign-in")
        self.keyboard_top("sign-in page", nav=False)
        self.need("#key", "sign-in").send_keys(key)
        self.click_and_wait(self.need("#sign-in", "sign-in"))
        problem = self.text("#sign-in-problem")
        if problem or "/console/sign-in" in self.driver.current_url:
            self.fail(f"sign in as {who}: {problem or self.driver.title}")
        self.need("#sign-out", "after sign-in")
        self.step(f"signed in as {who}")

    def http_status(self, path, method="GET", form=None):
        """The HTTP status of a request sent with the browser's cookies (Selenium does not expose it)."""
        cookie = "; ".join(f"{c['name']}={c['value']}" for c in self.driver.get_cookies())
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        request = urllib.request.Request(self.url(path), data=data, method=method, headers={"Cookie": cookie, "Accept": "text/html"})
        if data is not None:
            request.add_header("Content-Type", "application/x-www-form-urlencoded")
            request.add_header("Origin", self.base)

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None
        opener = urllib.request.build_opener(NoRedirect)
        try:
            with opener.open(request, timeout=15) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def csrf(self):
        field = self.find("input[name=csrf]")
        return field.get_attribute("value") if field is not None else ""

    # -- keyboard -------------------------------------------------------------------------

    def focused(self):
        return self.driver.execute_script(
            "const e = document.activeElement; if (!e || e === document.body) return null;"
            "return {tag: e.tagName.toLowerCase(), id: e.id, name: e.getAttribute('name'), href: e.getAttribute('href'),"
            " cls: e.className, inNav: !!e.closest('nav'), inForm: e.form ? e.form.id : (e.closest('form') ? e.closest('form').id : null)};")

    def tab_sequence(self, count):
        """Focus from the top of the page, then `count` presses of Tab: what each focused."""
        self.driver.execute_script("if (document.activeElement) document.activeElement.blur(); window.scrollTo(0, 0);")
        self.driver.execute_script("document.body.setAttribute('tabindex', '-1'); document.body.focus(); document.body.removeAttribute('tabindex');")
        sequence = []
        for _ in range(count):
            webdriver.ActionChains(self.driver).send_keys(Keys.TAB).perform()
            sequence.append(self.focused())
        return sequence

    def keyboard_top(self, where, nav=True):
        """Tab from the top reaches the skip link first, then every nav link in document order;
        the skip link moves focus to main#main."""
        nav_links = [a.get_attribute("href") for a in self.driver.find_elements(By.CSS_SELECTOR, 'nav[aria-label="Console sections"] a[href]')]
        sequence = self.tab_sequence(len(nav_links) + 6)
        first = sequence[0] or {}
        if "skip" not in str(first.get("cls")) or first.get("href") != "#main":
            self.fail(f"{where}: the first Tab focuses {first}, not the skip link")
        if nav:
            if not nav_links:
                self.fail(f"{where}: no nav links")
            reached = [urllib.parse.urljoin(self.driver.current_url, f["href"]) for f in sequence if f and f.get("inNav") and f.get("href")]
            if reached[:len(nav_links)] != nav_links:
                self.fail(f"{where}: Tab reached nav links {reached}, expected {nav_links}")
        # Activate the skip link from the keyboard: focus lands on main.
        self.tab_sequence(1)
        webdriver.ActionChains(self.driver).send_keys(Keys.ENTER).perform()
        time.sleep(0.2)
        landed = self.driver.execute_script("return document.activeElement ? document.activeElement.id : null;")
        if landed != "main":
            self.fail(f"{where}: the skip link moved focus to {landed!r}, not main")
        self.step(f"keyboard on {where}: skip link first{', then ' + str(len(nav_links)) + ' nav links in order' if nav else ''}, skip lands on main")

    def keyboard_form(self, form_id, where):
        """Every enabled, visible control of form#form_id is reached by Tab, in document order."""
        controls = self.driver.execute_script(
            "return Array.from(document.querySelectorAll('#' + arguments[0] + ' input, #' + arguments[0] + ' select, #' + arguments[0] + ' textarea, #' + arguments[0] + ' button'))"
            ".filter(e => e.type !== 'hidden' && !e.disabled && e.offsetParent !== null).map(e => e.id || e.name);", form_id)
        if not controls:
            self.fail(f"{where}: form#{form_id} has no controls")
        total = len(self.driver.find_elements(By.CSS_SELECTOR, "a[href], input, select, textarea, button")) + 2
        sequence = self.tab_sequence(min(total, 200))
        reached = []
        for focused in sequence:
            if focused and focused.get("inForm") == form_id and focused.get("tag") in ("input", "select", "textarea", "button"):
                key = focused.get("id") or focused.get("name")
                if not reached or reached[-1] != key:
                    reached.append(key)
        # Radio groups take one Tab stop: compare the order of the controls Tab did reach, and require every non-radio one.
        radios = set(self.driver.execute_script(
            "return Array.from(document.querySelectorAll('#' + arguments[0] + ' input[type=radio]')).map(e => e.id || e.name);", form_id))
        expected = [c for c in controls if c not in radios]
        got = [c for c in reached if c not in radios]
        if got != expected:
            self.fail(f"{where}: Tab reached {reached}, expected {controls} in order")
        self.step(f"keyboard on {where}: {len(controls)} controls of form#{form_id} reached by Tab in order")

    # -- shared checks --------------------------------------------------------------------

    def expect_refused(self, name, foreign_names, how, action):
        """The page now shown is the error page: 404/403, a stable code, none of A's names."""
        status, code = self.error_status()
        source = self.driver.page_source
        leaked = [n for n in foreign_names if n and n in source]
        self.record(name)
        if status not in (403, 404) or not code or not re.fullmatch(r"[a-z_]+(\.[a-z_]+)+", code):
            self.fail(f"{action}: expected an error page 404/403 with a stable code, got status {status} code {code!r} "
                      f"(title {self.driver.title!r}, url {self.driver.current_url})")
        if leaked:
            self.fail(f"{action}: tenant A's {leaked} in the DOM")
        if how is not None and how not in (403, 404):
            self.fail(f"{action}: HTTP {how}")
        self.step(f"{action} refused: {status if how is None else how} {code}, no A names")


# -- journeys ------------------------------------------------------------------------------

def tour(console):
    """Every page the persona's navigation links to, not yet visited in this journey: each loads
    (no error page), has one h1, passes axe and is screenshotted."""
    links = [(a.text.strip(), a.get_attribute("href"))
             for a in console.driver.find_elements(By.CSS_SELECTOR, 'nav[aria-label="Console sections"] a[href]')]
    visited = {urllib.parse.urldefrag(p["url"])[0].split("?")[0] for p in console.pages if p["journey"] == console.journey}
    toured, refused = [], []
    for label, href in links:
        if href in visited:
            continue
        slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-") or "page"
        console.open(href, "nav-" + slug)
        status, code = console.error_status()
        if code and status == 403:
            # The page refuses as the API does; the navigation offered a link this key cannot use.
            console.note(f"nav link {label!r} ({href}) answers {status} {code}: {console.text('#error-message')}")
            refused.append(label)
            continue
        if code:
            console.fail(f"nav link {label!r} ({href}) answers an error page: {status} {code} {console.text('#error-message')!r}")
        headings = console.driver.find_elements(By.TAG_NAME, "h1")
        if len(headings) != 1:
            console.fail(f"nav link {label!r} ({href}): {len(headings)} h1 elements")
        toured.append(label)
    console.step(f"every nav page loads, has one h1 and passes axe ({len(toured)} more: {', '.join(toured) or 'none'}"
                 f"{'; refused with 403: ' + ', '.join(refused) if refused else ''})")


def developer_journey(console, keys):
    console.journey = "developer"
    project, app = keys["projectA"], keys["app"]
    console.sign_in(keys["developerA"], "developer of tenant A")
    console.open("/console/", "home")
    console.keyboard_top("home")
    table = console.need("#project-table", "home")
    console.expect(project["name"] in table.text, f"home lists project {project['name']}")

    console.open(f"/console/projects/{project['id']}/catalog", "catalog")
    console.need("table#catalog-table", "project catalog")
    console.need(f'tr[data-app="{app["name"]}"]', "project catalog")
    launch = console.need(f"a#launch-{app['name']}", "project catalog")
    console.step(f"catalog row and launch link for {app['name']}")
    console.click_and_wait(launch)
    console.record("launch-form")
    console.need("form#launch-form", "launch page")
    console.keyboard_form("launch-form", "launch form")
    name_field = console.find("#launch-form input[name=name]") or console.find("#launch-form #name") or console.find("#launch-form #instance-name")
    if name_field is not None:
        name_field.clear()
        name_field.send_keys("console-ci")
    environment = console.find("#launch-form select[name=environment]")
    if environment is not None:
        for option in environment.find_elements(By.TAG_NAME, "option"):
            if option.get_attribute("value") == keys.get("environment", "staging"):
                option.click()
    elif keys.get("environment"):
        radio = console.find(f'#launch-form input[name=environment][value="{keys["environment"]}"]')
        if radio is not None:
            radio.click()
    console.click_and_wait(console.need("button#launch", "launch form"))
    match = re.search(r"/console/projects/([^/]+)/instances/([^/?#]+)", console.driver.current_url)
    if not match:
        errors = [e.text for e in console.driver.find_elements(By.CSS_SELECTOR, ".field-error, .error, #error-message")]
        console.fail(f"launch did not land on an instance page: {console.driver.current_url} {errors}")
    instance = match.group(2)
    console.step(f"launched {app['name']} from the form: instance {instance}")

    # Ready: live over SSE first (no reload), else by reloading the page.
    phase = console.need("#phase", "instance page")
    if phase.get_attribute("data-phase-of") != instance:
        console.fail(f"#phase data-phase-of={phase.get_attribute('data-phase-of')!r}, expected {instance}")
    seen = [phase.text.strip()]
    live = False
    # First without reloading: console.js applies the SSE stream's phases to #phase.
    watch_until = time.time() + 45
    while time.time() < watch_until and seen[-1] not in ("ready", "failed", "stopped"):
        time.sleep(0.5)
        current = console.text("#phase")
        if current and current != seen[-1]:
            seen.append(current)
            live = True
    # Then (no live updates, or not ready yet) by reloading the page.
    reload_until = time.time() + 120
    while time.time() < reload_until and seen[-1] not in ("ready", "failed", "stopped"):
        time.sleep(1.5)
        console.driver.refresh()
        current = console.text("#phase")
        if current and current != seen[-1]:
            seen.append(current)
    console.expect(seen[-1] == "ready", f"instance page shows phase ready ({' -> '.join(seen)}{', live over SSE' if live else ', by reloading'})")
    console.record("instance-live")
    instance_page = f"/console/projects/{project['id']}/instances/{instance}"
    console.open(instance_page, "instance-ready")
    console.expect(console.text("#phase") == "ready", "the instance page, loaded again, shows ready")
    console.keyboard_top("instance page")
    for css in ("table#usage-table", "button#stop", "form#connect-open"):
        console.need(css, "instance page")
    if console.find("pre#logs") is None:
        console.note("no pre#logs on the instance page yet (the template shows it only when the logs are not empty)")
    commands = [c.text for c in console.driver.find_elements(By.CSS_SELECTOR, "code[id^=command-]")]
    console.expect(any("appctl connect" in c for c in commands), f"ssh/port-forward actions show appctl commands ({len(commands)})")

    # Connect (web): the proxy answers with the app.
    console.click_and_wait(console.need("form#connect-open button", "instance page"))
    console.expect(f"/i/{instance}/open/" in console.driver.current_url, f"Connect opened {console.driver.current_url}")
    console.record("connected-app", axe=False)
    console.driver.get(console.url(f"/i/{instance}/open/cgi-bin/gpus"))
    body = console.driver.find_element(By.TAG_NAME, "body").text
    console.expect(instance in body, "the proxied app answers (cgi-bin/gpus names the instance)", body[:200])

    keys["_instanceA"] = instance


def developer_stop(console, keys):
    """The developer journey's end, run after the isolation journey: B's stop POSTs left A's
    instance running; the developer stops it from its page."""
    console.journey = "developer"
    project = keys["projectA"]
    instance = keys.get("_instanceA")
    if not instance:
        console.fail("no instance was launched, nothing to stop")
    instance_page = f"/console/projects/{project['id']}/instances/{instance}"
    console.sign_in(keys["developerA"], "developer of tenant A (again)")
    console.open(instance_page, "instance-before-stop")
    console.expect(console.text("#phase") == "ready", "the instance is still ready after tenant B's stop attempts")
    console.click_and_wait(console.need("button#stop", "instance page"))
    deadline = time.time() + 90
    final = None
    while time.time() < deadline:
        if f"/instances/{instance}" not in console.driver.current_url:
            console.driver.get(console.url(f"/console/projects/{project['id']}/instances/{instance}"))
        final = console.text("#phase")
        if final in ("stopped", "failed"):
            break
        time.sleep(1.5)
        console.driver.refresh()
    console.record("instance-stopped")
    console.expect(final == "stopped", f"instance stopped (phase {final})")
    console.open(f"/console/projects/{project['id']}/instances", "instances")
    row = console.need(f'tr[data-instance="{instance}"]', "instances list")
    console.expect("stopped" in (console.text(f'[data-phase-of="{instance}"]') or row.text), "instances list shows it stopped")
    tour(console)


def admin_journey(console, keys):
    console.journey = "admin"
    console.sign_in(keys["adminA"], "tenant admin of A")
    console.open("/console/admin/keys", "keys")
    console.keyboard_top("keys page")
    console.need("table#keys-table", "keys page")
    rotate = keys["rotateKey"]
    console.need(f'tr[data-key="{rotate}"]', "keys page")
    form = console.need(f'form[id="rotate-{rotate}"]', "keys page")
    button = form.find_element(By.CSS_SELECTOR, "button")
    console.expect("Rotate" in button.text, f"key {rotate} has a Rotate button")
    console.click_and_wait(button)
    console.record("rotated")
    issued = console.need("code#issued-key", "rotate answer")
    console.expect(len(issued.text.strip()) > 16, "the new key is shown once in code#issued-key")

    console.open("/console/admin/audit", "audit")
    search = console.need("form#audit-search", "audit page")
    console.keyboard_form("audit-search", "audit search")
    action = search.find_element(By.CSS_SELECTOR, "[name=action]")
    if action.tag_name == "select":
        for option in action.find_elements(By.TAG_NAME, "option"):
            if option.get_attribute("value") == "iam.key.rotate":
                option.click()
    else:
        action.clear()
        action.send_keys("iam.key.rotate")
    console.click_and_wait(console.need("button#search", "audit page"))
    console.record("audit-results")
    console.need("table#audit-table", "audit results")
    rows = console.driver.find_elements(By.CSS_SELECTOR, "table#audit-table tr.audit-record")
    found = [r for r in rows if "iam.key.rotate" in r.find_element(By.CSS_SELECTOR, "td.action").text
             and rotate in r.find_element(By.CSS_SELECTOR, "td.target").text]
    console.expect(bool(found), f"audit search for iam.key.rotate finds the rotation of {rotate} ({len(rows)} rows)")
    console.expect(all("iam.key.rotate" in r.find_element(By.CSS_SELECTOR, "td.action").text for r in rows),
                   "every row the search answers is an iam.key.rotate")
    tour(console)


def operator_journey(console, keys):
    console.journey = "operator"
    console.sign_in(keys["operator"], "operator")
    console.open("/console/platform/status", "status")
    console.keyboard_top("platform status")
    console.need("table#components-table", "platform status")
    form = console.need("form#open-incident", "platform status")
    console.keyboard_form("open-incident", "open-incident form")
    title = f"Console CI incident {int(time.time())}"
    form.find_element(By.CSS_SELECTOR, "[name=title]").send_keys(title)
    message = form.find_elements(By.CSS_SELECTOR, "[name=message]")
    if message:
        message[0].send_keys("Investigating elevated launch latency (browser suite).")
    impact = form.find_elements(By.CSS_SELECTOR, "select[name=impact]")
    if impact:
        options = impact[0].find_elements(By.TAG_NAME, "option")
        chosen = [o for o in options if o.get_attribute("value") == "minor"] or [o for o in options if o.get_attribute("value")]
        if chosen:
            chosen[0].click()
    components = form.find_elements(By.CSS_SELECTOR, "[name=components]")
    if components and components[0].tag_name == "select":
        options = [o for o in components[0].find_elements(By.TAG_NAME, "option") if o.get_attribute("value")]
        if options and not any(o.is_selected() for o in options):
            options[0].click()
    elif components and components[0].get_attribute("type") == "checkbox":
        if not any(c.is_selected() for c in components):
            components[0].click()
    elif components and not components[0].get_attribute("value"):
        first = console.find("table#components-table tbody th, table#components-table tbody td")
        components[0].send_keys(first.text.strip() if first is not None else "api")
    console.click_and_wait(console.need("#open-incident-submit", "platform status"))
    console.record("incident-opened")
    rows = [r for r in console.driver.find_elements(By.CSS_SELECTOR, "table#incidents-table tr[data-incident]") if title in r.text]
    if not rows:
        console.fail(f"incident {title!r} not in table#incidents-table after opening it: "
                     f"{[e.text for e in console.driver.find_elements(By.CSS_SELECTOR, '.error, .field-error, #error-message, p.flash')]}")
    incident = rows[0].get_attribute("data-incident")
    console.step(f"opened incident {incident} from the form")
    console.need(f'form[id="update-{incident}"]', "platform status")

    release = keys["release"]
    console.open("/console/platform/releases", "releases")
    console.need("table#releases-table", "releases page")
    console.need(f'tr[data-release="{release["id"]}"]', "releases page")
    console.step(f"release {release['id']} listed")
    console.open(f"/console/platform/releases/{release['project']}/{release['id']}", "release-gates")
    console.need("table#gates-table", "release page")
    blocked = []
    for row in console.driver.find_elements(By.CSS_SELECTOR, "table#gates-table tr[data-gate]"):
        missing = row.find_elements(By.CSS_SELECTOR, "td.missing")
        decision = row.find_elements(By.CSS_SELECTOR, "td.decision")
        verdict = decision[0].text.strip().lower() if decision else ""
        if missing and "approval" in missing[0].text.lower() and verdict not in ("pass", "passed", "ok"):
            blocked.append((row.get_attribute("data-gate"), decision[0].text.strip() if decision else "?", missing[0].text.strip()))
    console.expect(bool(blocked), f"a gate is blocked by a missing approval: {blocked[:2]}")
    tour(console)
    # Last: the public page is platformd's own, outside the console's templates.
    console.driver.get(console.url(f"/status?format=html&seen={int(time.time())}"))
    public_text = console.driver.find_element(By.TAG_NAME, "body").text
    console.expect(title in public_text, "the incident is on the public /status page")
    console.record("public-status")


def isolation_journey(console, keys):
    console.journey = "isolation"
    tenant, project, app = keys["tenantA"], keys["projectA"], keys["app"]
    instance = keys.get("_instanceA") or keys.get("instanceA")
    foreign = [tenant["name"], project["name"]]
    console.sign_in(keys["developerB"], "developer of tenant B")
    console.open("/console/", "home")
    source = console.driver.page_source
    console.expect(keys["projectB"]["name"] in source and not any(n in source for n in foreign),
                   "home lists B's project and none of A's")
    console.open("/console/instances", "instances")
    if instance:
        console.expect(instance not in console.driver.page_source, "A's instance is not in B's instance list")

    targets = [
        ("a-launch", f"/console/projects/{project['id']}/apps/{app['name']}/{app['version']}/launch", "A's launch form"),
        ("a-catalog", f"/console/projects/{project['id']}/catalog", "A's project catalog"),
        ("a-instances", f"/console/projects/{project['id']}/instances", "A's instance list"),
        ("a-keys", f"/console/admin/keys?tenant={tenant['id']}", "the keys page for A's tenant"),
        ("a-audit", f"/console/admin/audit?tenant={tenant['id']}", "audit search for A's tenant"),
    ]
    if instance:
        targets.insert(0, ("a-instance", f"/console/projects/{project['id']}/instances/{instance}", "A's instance page"))
    for name, path, what in targets:
        console.driver.get(console.url(path))
        console.expect_refused(name, foreign, console.http_status(path), f"GET {what}")

    # Admin pages B may open for its own tenant: asked about A's, they show none of A's names.
    for name, path, what in (("a-projects", f"/console/admin/projects?tenant={tenant['id']}", "the projects page for A's tenant"),
                             ("a-quotas", f"/console/admin/quotas?tenant={tenant['id']}&project={project['id']}", "quotas for A's project"),
                             ("a-usage", f"/console/projects/{project['id']}/usage", "usage of A's project")):
        console.driver.get(console.url(path))
        status, code = console.error_status()
        if code:
            console.expect_refused(name, foreign, console.http_status(path), f"GET {what}")
        else:
            console.record(name)
            leaked = [n for n in foreign + ([instance] if instance else []) if n and n in console.driver.page_source]
            console.expect(not leaked, f"GET {what}: a page of B's own, none of A's names", str(leaked))

    if instance:
        stop = f"/console/projects/{project['id']}/instances/{instance}/stop"
        console.open("/console/", "home-for-csrf")
        token = console.csrf()
        for label, fields in (("without a CSRF token", {}), ("with B's CSRF token", {"csrf": token})):
            status = console.http_status(stop, method="POST", form=fields)
            # The same POST from the browser, to see the page it answers.
            console.driver.execute_script(
                "const f = document.createElement('form'); f.method = 'post'; f.action = arguments[0];"
                "for (const [k, v] of Object.entries(arguments[1])) { const i = document.createElement('input');"
                " i.type = 'hidden'; i.name = k; i.value = v; f.appendChild(i); }"
                "document.body.appendChild(f); f.submit();", stop, fields)
            WebDriverWait(console.driver, 20).until(lambda d: "/stop" in d.current_url or d.find_elements(By.CSS_SELECTOR, "#error-code"))
            console.expect_refused("a-stop-" + ("bare" if not fields else "csrf"), foreign, status, f"POST A's stop {label}")


# The developer's stop comes after the isolation journey, so tenant B's stop POSTs meet a running instance.
JOURNEYS = [("developer", developer_journey), ("admin", admin_journey), ("operator", operator_journey), ("isolation", isolation_journey),
            ("developer", developer_stop)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("out")
    parser.add_argument("--keys", required=True)
    parser.add_argument("--only", nargs="*", help="run only these journeys")
    args = parser.parse_args()
    keys = json.load(open(args.keys))
    os.makedirs(args.out, exist_ok=True)
    console = Console(args.base, args.out)
    outcome = {}
    try:
        for index, (name, journey) in enumerate(JOURNEYS):
            if args.only and name not in args.only:
                continue
            if outcome.get(name) == "FAIL":
                continue
            console.journey = name
            try:
                journey(console, keys)
                outcome[name] = "PASS"
            except StepFailed as failure:
                outcome[name] = "FAIL"
                print(f"journey {name}: step FAILED: {failure}", flush=True)
            except (WebDriverException, KeyError, OSError) as error:
                outcome[name] = "FAIL"
                print(f"journey {name}: step FAILED: {type(error).__name__}: {' '.join(str(error).splitlines()[:2])} "
                      f"(at {console.driver.current_url})", flush=True)
                traceback.print_exc(limit=3, file=sys.stdout)
            if all(later != name for later, _ in JOURNEYS[index + 1:]):
                print(f"journey {name}: {outcome[name]}", flush=True)
    finally:
        console.driver.quit()
    with open(os.path.join(args.out, "axe-results.json"), "w") as handle:
        json.dump({"engine": f"axe-core {console.engine} (axe-selenium-python)", "pages": console.pages}, handle, indent=2)
    checked = [p for p in console.pages if "axe" not in p]
    blocking = sum(len(p["violations"].get(i, [])) for p in checked for i in BLOCKING_IMPACTS)
    minor = sum(len(v) for p in checked for i, v in p["violations"].items() if i not in BLOCKING_IMPACTS)
    passed = sum(1 for v in outcome.values() if v == "PASS")
    print(f"summary: {passed}/{len(outcome)} journeys passed ({', '.join(f'{k} {v}' for k, v in outcome.items())}); "
          f"{len(console.pages)} pages, {len(checked)} checked by axe: {blocking} serious/critical, {minor} moderate/minor violations; "
          f"screenshots and axe-results.json in {args.out}", flush=True)
    return 0 if passed == len(outcome) and blocking == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
