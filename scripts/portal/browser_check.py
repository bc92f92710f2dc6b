#!/usr/bin/env python3
"""browser_check.py PORTAL_URL OUT_DIR --apps FILE...: the portal preview in a real browser.

Loads PORTAL_URL (platformd's /portal/) in headless Chromium through Selenium, follows every
link under /portal/ from the home page (each must load a portal page, and answer 200), checks
that the matrix table has exactly one row per supported app (the names of the manifests
given with --apps), and saves screenshots of the onboarding overview and the matrix as PNGs
in OUT_DIR. Prints one line per problem; exits 1 when there is any, 0 otherwise."""
import argparse
import os
import shutil
import sys
import urllib.error
import urllib.parse
import urllib.request

import yaml
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By


def browser():
    options = Options()
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1400,1000"):
        options.add_argument(argument)
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    service = Service(shutil.which("chromedriver") or "/usr/bin/chromedriver")
    driver = webdriver.Chrome(service=service, options=options)
    driver.set_page_load_timeout(30)
    return driver


def status(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("out")
    parser.add_argument("--apps", nargs="+", required=True)
    args = parser.parse_args()
    start = args.url if args.url.endswith("/") else args.url + "/"
    apps = sorted(yaml.safe_load(open(path))["metadata"]["name"] for path in args.apps)
    os.makedirs(args.out, exist_ok=True)
    problems = []
    driver = browser()
    try:
        queue, seen, links = [start], set(), 0
        while queue:
            url = queue.pop(0)
            if url in seen:
                continue
            seen.add(url)
            driver.get(url)
            if not driver.find_elements(By.CSS_SELECTOR, "main[data-page]"):
                problems.append(f"{url}: not a portal page (title {driver.title!r})")
                continue
            for anchor in driver.find_elements(By.CSS_SELECTOR, "a[href]"):
                target = urllib.parse.urldefrag(anchor.get_attribute("href"))[0]
                if target.startswith(start):
                    links += 1
                    if target not in seen:
                        queue.append(target)
        for url in sorted(seen):
            code = status(url)
            if code != 200:
                problems.append(f"{url}: HTTP {code}")
        print(f"{len(seen)} pages reached, {links} internal links followed")

        driver.get(start + "onboarding/overview.html")
        gates = driver.find_elements(By.CSS_SELECTOR, "main table tbody tr")
        if len(gates) != 6:
            problems.append(f"onboarding overview: {len(gates)} gate rows, expected 6")
        driver.save_screenshot(os.path.join(args.out, "onboarding.png"))

        driver.get(start + "matrix.html")
        tables = [table for table in driver.find_elements(By.CSS_SELECTOR, "main table")
                  if table.find_elements(By.CSS_SELECTOR, "thead th") and table.find_element(By.CSS_SELECTOR, "thead th").text == "App"]
        if len(tables) != 1:
            problems.append(f"matrix: {len(tables)} tables headed App, expected 1")
        else:
            rows = [row.find_element(By.CSS_SELECTOR, "td").text for row in tables[0].find_elements(By.CSS_SELECTOR, "tbody tr")]
            if sorted(rows) != apps:
                problems.append(f"matrix rows {rows} are not one per supported app {apps}")
            print(f"matrix: {len(rows)} rows for {len(apps)} supported apps")
        driver.save_screenshot(os.path.join(args.out, "matrix.png"))
    finally:
        driver.quit()
    for problem in problems:
        print(problem)
    print(f"screenshots in {args.out}: onboarding.png, matrix.png")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
