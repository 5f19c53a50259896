"""End to end in a real browser: the Streamlit explorer, served by `streamlit run` against the
session's built store, driven by Playwright in Debian's chromium.

search 教育局 → click 白银市教育局 → the agency page (an evidence quote, the neighbourhood graph)
→ a "原文 ↗" link → the source viewer with the quoted span highlighted; then who-owns-what,
compare and indicators; and the English interface once. With PSKG_SCREENSHOTS=1 the screenshots it
takes become the README's (docs/screenshots/*.png); otherwise they go to a temporary folder.

Needs /usr/bin/chromium (Debian `chromium`, with `fonts-wqy-microhei` for the Chinese text;
.ci/run installs both) and the `playwright` package (the `test` extra); no browser download.
Skipped, saying which is missing, without them.
"""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT, stop_server

CHROMIUM = os.environ.get("PSKG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
# the README's screenshots are rewritten only on request (PSKG_SCREENSHOTS=1); otherwise they go to a
# temporary folder, so a test run leaves the working tree as it was
SHOTS = ROOT / "docs" / "screenshots" if os.environ.get("PSKG_SCREENSHOTS") else \
    Path(tempfile.gettempdir()) / "pskg-screenshots"
WIDTH, HEIGHT = 1400, 900
MAX_HEIGHT = 6000  # full-page screenshots are cut here
TIMEOUT_MS = 30_000

if not Path(CHROMIUM).exists():
    pytest.skip(f"{CHROMIUM} not found (apt-get install chromium fonts-wqy-microhei)", allow_module_level=True)
try:
    from playwright.sync_api import Page, expect, sync_playwright
except ImportError:
    pytest.skip("the playwright package is not installed (pip install -e '.[test]')", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def app_url(built_store, tmp_path_factory):
    """`streamlit run app.py -- --store STORE` on a free port; its URL once /_stcore/health says ok.
    The test process keeps its read-write handle on the store; the app opens it read-only."""
    store, _ = built_store
    store.flush()
    port = _free_port()
    log = tmp_path_factory.mktemp("app") / "streamlit.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
             "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none", "--client.toolbarMode", "viewer", "--", "--store", str(store.path)],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, "PSKG_STORE": str(store.path)})
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"streamlit exited ({proc.returncode}):\n{log.read_text()}")
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                    if r.read().strip() == b"ok":
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"streamlit did not answer /_stcore/health within 60 s:\n{log.read_text()}")
            time.sleep(0.3)
        yield url
    finally:
        stop_server(proc)
    text = log.read_text()
    assert "Traceback" not in text, text


@pytest.fixture(scope="module")
def page(app_url):
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        pg = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT}, locale="zh-CN")
        pg.set_default_timeout(TIMEOUT_MS)
        expect.set_options(timeout=TIMEOUT_MS)
        errors: list[str] = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        pg.errors = errors
        try:
            yield pg
        finally:
            browser.close()


def settle(pg: Page) -> None:
    """Wait until the script run is over (no "running" status widget) and nothing is stale."""
    pg.wait_for_load_state("networkidle")
    expect(pg.locator('[data-testid="stStatusWidget"]')).to_have_count(0)
    expect(pg.locator('[data-stale="true"]')).to_have_count(0)
    expect(pg.locator('[data-testid="stException"]')).to_have_count(0)
    pg.wait_for_timeout(300)


def shot(pg: Page, name: str, full: bool = True) -> None:
    """A screenshot into docs/screenshots/NAME.png, WIDTH wide. Streamlit scrolls inside its
    main element, so for the full page the viewport is stretched to that element's height."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    if full:
        h = pg.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
        pg.set_viewport_size({"width": WIDTH, "height": max(HEIGHT, min(int(h), MAX_HEIGHT))})
        pg.wait_for_timeout(800)  # relayout, charts and grids redraw
    pg.screenshot(path=str(SHOTS / f"{name}.png"))
    pg.set_viewport_size({"width": WIDTH, "height": HEIGHT})


def main_links(pg: Page):
    """The page links of the main area (the sidebar's menu left out)."""
    return pg.locator('[data-testid="stMain"] [data-testid="stPageLink"] a')


def run_query(pg: Page, sparql: str) -> None:
    """Write SPARQL into the console's text area, commit it (Ctrl+Enter) and press Run."""
    area = pg.locator('[data-testid="stMain"] [data-testid="stTextArea"] textarea').first
    area.fill(sparql)
    area.press("Control+Enter")
    settle(pg)
    pg.get_by_role("button", name="运行", exact=True).click()
    settle(pg)


def test_explorer_in_browser(app_url, page):
    t0 = time.monotonic()
    pg = page

    # the landing page: what the graph holds and example questions; one opens its answer in the console
    pg.goto(app_url + "/")
    expect(pg.get_by_role("heading", name="示例问题（点击查看答案）")).to_be_visible()
    expect(pg.get_by_role("heading", name="规划覆盖的地区")).to_be_visible()  # the coverage map
    expect(pg.locator('[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg').first
           ).to_be_visible()
    settle(pg)
    shot(pg, "landing")
    example = main_links(pg).filter(has_text="白银市教育局负责哪些事项？").first
    expect(example).to_be_visible()
    example.click()
    pg.wait_for_url("**/sparql?*query=agency-portfolio*")
    expect(pg.get_by_role("heading", name="SPARQL 查询")).to_be_visible()
    expect(pg.get_by_text(re.compile(r"^[1-9]\d* 行$"))).to_be_visible()
    expect(pg.locator('[data-testid="stMain"] table.pskg-table').first).to_be_visible()  # IRIs link: an HTML table
    settle(pg)
    shot(pg, "example")

    # search by an English place name: 白银市 is the first hit, and it opens
    pg.goto(app_url + "/")
    box = pg.locator(".st-key-q input")
    box.fill("Baiyin")
    box.press("Enter")
    expect(pg.get_by_text(re.compile(r"^\d+ 个结果"))).to_be_visible()
    settle(pg)
    first = main_links(pg).first
    expect(first).to_have_text(re.compile(r"^白银市(\s|·)"))
    first.click()
    pg.wait_for_url("**/entity?iri=*")
    expect(pg.get_by_role("heading", name="白银市", exact=True)).to_be_visible()
    settle(pg)

    # search
    pg.goto(app_url + "/")
    box = pg.locator(".st-key-q input")
    box.fill("教育局")
    box.press("Enter")
    result = pg.get_by_role("link", name="白银市教育局").first
    expect(result).to_be_visible()
    expect(result).to_contain_text("机构")
    settle(pg)
    shot(pg, "search", full=False)  # the first hits; the full list of 50 is a long strip

    # the agency page: heading, an evidence quote, the graph
    result.click()
    pg.wait_for_url("**/entity?iri=*")
    expect(pg.get_by_role("heading", name="白银市教育局", exact=True)).to_be_visible()
    quote = pg.locator(".pskg-evidence mark").filter(has_text="教育").first
    expect(quote).to_be_visible()
    expect(pg.get_by_role("heading", name="关系图")).to_be_attached()
    graph = pg.locator(".st-key-graph")
    frame = pg.frame_locator(".st-key-graph iframe").first
    expect(frame.locator("canvas, svg").first).to_be_visible()
    settle(pg)
    pg.wait_for_timeout(1500)  # the force layout settles
    shot(pg, "agency")
    graph.scroll_into_view_if_needed()
    pg.wait_for_timeout(500)
    graph.screenshot(path=str(SHOTS / "graph.png"))

    # an evidence link opens the source viewer at the quote
    pg.get_by_role("link", name="原文 ↗").first.click()
    pg.wait_for_url("**/source?*")
    hit = pg.locator("#pskg-hit")
    expect(hit).to_be_visible()
    assert hit.inner_text().strip(), "the highlighted span is empty"
    settle(pg)
    # the text scrolls inside its own box (70% of the window high), already at the quote; the page
    # itself went along with scrollIntoView(), so bring its header back into view
    pg.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollTo(0, 0)")
    expect(hit).to_be_in_viewport()
    shot(pg, "source", full=False)

    # who owns what, compare, indicators: a table each, charts where there are some
    for path, heading, charts in (("owners", "谁负责什么", 0), ("compare", "规划对比", 1), ("indicators", "指标", 1)):
        pg.goto(f"{app_url}/{path}")
        expect(pg.get_by_role("heading", name=heading).first).to_be_visible()
        expect(pg.locator('[data-testid="stDataFrame"]').first).to_be_visible()
        if charts:
            expect(pg.locator('[data-testid="stVegaLiteChart"]').first).to_be_visible()
        if path == "compare":  # an item found in one plan only shows its quote and a link to the source
            mark = pg.locator('[data-testid="stMain"] .pskg-evidence mark').first
            expect(mark).to_be_visible()
            assert mark.inner_text().strip(), "an empty quote"
            row = mark.locator('xpath=ancestor::div[@data-testid="stHorizontalBlock"][1]')
            expect(row.get_by_role("link", name="原文 ↗")).to_be_visible()
        settle(pg)
        shot(pg, path)

    # the English interface, kept by a link to another page and by an entity link there
    pg.goto(app_url + "/")
    pg.locator(".st-key-lang").get_by_text("English", exact=True).click()
    expect(pg.get_by_role("heading", name="Search", exact=True)).to_be_visible()
    settle(pg)
    pg.locator('[data-testid="stSidebar"]').get_by_role("link", name="⚖ Compare plans").click()
    pg.wait_for_url("**/compare?*lang=en*")
    expect(pg.get_by_role("heading", name="Compare plans", exact=True)).to_be_visible()
    expect(pg.get_by_text("What was found in one plan only")).to_be_visible()
    settle(pg)
    main_links(pg).filter(has_not_text="↗").first.click()
    pg.wait_for_url("**/entity?*lang=en*")
    expect(pg.locator('[data-testid="stSidebar"]').get_by_role("link", name="🔎 Search")).to_be_visible()
    expect(pg.get_by_role("heading", name="Neighbourhood graph")).to_be_attached()

    # a table's entity link opens its page in the same tab, in the same language
    pg.goto(app_url + "/entity?iri=https%3A%2F%2Fw3id.org%2Fpskg%2Fid%2Fservice%2Fcompulsory-education&lang=en")
    link = pg.locator('[data-testid="stMain"] table.pskg-table a').first
    expect(link).to_be_visible()
    href, tabs = link.get_attribute("href"), len(pg.context.pages)
    assert link.get_attribute("target") != "_blank" and href.endswith("&lang=en"), href
    link.click()
    pg.wait_for_url(lambda url: url.endswith(href))
    expect(pg.get_by_role("heading", name="Neighbourhood graph")).to_be_attached()
    assert len(pg.context.pages) == tabs

    # the console: an ASK query answers true, a CONSTRUCT query shows its triples
    pg.goto(app_url + "/sparql")
    expect(pg.get_by_role("heading", name="SPARQL 查询")).to_be_visible()
    settle(pg)
    run_query(pg, "PREFIX pskg: <https://w3id.org/pskg/ontology#>\nASK { ?plan a pskg:Plan }")
    expect(pg.get_by_text("ASK 的结果：是（true）")).to_be_visible()
    run_query(pg, "CONSTRUCT { ?s a ?c } WHERE { ?s a ?c } LIMIT 60")
    expect(pg.get_by_text("60 个三元组", exact=True)).to_be_visible()
    table = pg.locator('[data-testid="stMain"] table.pskg-table').first
    expect(table).to_be_visible()
    # a table longer than a page shows 50 rows and turns pages in the browser
    nav = pg.locator('[data-testid="stMain"] .pskg-nav').first
    expect(nav.locator(".pskg-range")).to_have_text("1–50 / 60")
    assert table.locator("tbody tr:visible").count() == 50
    nav.locator(".pskg-next").click()
    expect(nav.locator(".pskg-range")).to_have_text("51–60 / 60")
    assert table.locator("tbody tr:visible").count() == 10 and nav.locator(".pskg-next").is_disabled()
    nav.locator(".pskg-prev").click()
    expect(nav.locator(".pskg-range")).to_have_text("1–50 / 60")
    settle(pg)
    shot(pg, "console")

    assert not pg.errors, pg.errors
    assert time.monotonic() - t0 < 150
