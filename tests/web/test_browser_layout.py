"""Layout on phones, tablets and desktops, in headless Chromium (the server and browser of test_browser.py).

Every page the app serves (its GET routes without path parameters, outside /api), signed out and
signed in as an administrator, at 390 px (a phone) and 768 px (a tablet): the document must not be
wider than the viewport. At 1440 px in English the navigation must fit on one line. Screenshots of
every page at 1440 and 390 px in Chinese are written to SCREENSHOTS (git-ignored) for a person to look at
when CARBONPEAK_SCREENSHOTS=1 (a fifth of the test's time, and nobody looks at them in CI).
Skipped like test_browser.py when chromium is missing (unless CARBONPEAK_REQUIRE_BROWSER=1).
"""

from __future__ import annotations

import os
import time

import pytest
from fastapi.routing import APIRoute
from paths import TESTS
from test_browser import ADMIN_PW, browser, server  # noqa: F401  (fixtures: one server, one browser)

SCREENSHOTS = TESTS / "artifacts" / "screenshots"
SHOOT = os.environ.get("CARBONPEAK_SCREENSHOTS") == "1"
WIDTHS = (390, 768)
SHARDS = 2
SKIP_PREFIXES = ("/api", "/vendor", "/lang", "/static", "/docs-assets", "/openapi")
SHOT_MAX_HEIGHT = 3000  # px: a very long table is cut there, the top of the page is what a reader sees first

OVERFLOW_JS = """() => {
  const d = document.documentElement;
  const wide = [...document.querySelectorAll('body *')].filter((e) => {
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.right > d.clientWidth + 1 && !e.closest('.panel, .scroll');
  }).slice(0, 3).map((e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ').join('.') : ''));
  return { scroll: d.scrollWidth, client: d.clientWidth, wide };
}"""

NAV_JS = """() => {
  const links = [...document.querySelectorAll('header.top nav a')];
  const tops = links.map((a) => Math.round(a.getBoundingClientRect().top));
  const tall = links.filter((a) => a.getBoundingClientRect().height > 40).map((a) => a.textContent);
  const who = document.querySelector('header.top .who').getBoundingClientRect();
  const nav = document.querySelector('header.top nav').getBoundingClientRect();
  return { count: links.length, rows: new Set(tops).size, tall, whoTop: Math.round(who.top), navTop: Math.round(nav.top),
           headerHeight: Math.round(document.querySelector('header.top').getBoundingClientRect().height),
           menuShown: getComputedStyle(document.querySelector('#menu-toggle')).display !== 'none' };
}"""


# d3 marks an element with __transition__ while it is animated (set when the redraw starts, removed at its end);
# and the nodes must not have moved since the previous frame (holds even if that mark were renamed)
SANKEY_STILL_JS = """() => {
  const nodes = [...document.querySelectorAll('.chart .sankey .sankey-node')].map((n) => n.getAttribute('transform')).join('|');
  const moving = [...document.querySelectorAll('.chart .sankey, .chart .sankey *')].some((e) => e.__transition__);
  const still = !moving && nodes === window.__sankeyNodes;
  window.__sankeyNodes = nodes;
  return still;
}"""


def _routes(routes, prefix: str = ""):
    """(path, route) of every route, into included routers (FastAPI 0.165 includes them lazily)."""
    for r in routes:
        inner = getattr(r, "original_router", None)
        if inner is not None:
            yield from _routes(inner.routes, prefix + r.include_context.prefix)
        elif isinstance(r, APIRoute):
            yield prefix + r.path, r


def page_paths(app) -> list[str]:
    """The HTML pages: GET routes outside the API, static files and redirects, without path parameters."""
    return sorted({path for path, r in _routes(app.routes)
                   if "GET" in r.methods and "{" not in path and not path.startswith(SKIP_PREFIXES)})


@pytest.fixture(scope="module")
def paths(server):  # noqa: F811
    from carbonpeak.web.app import create_app

    _, platform = server
    found = page_paths(create_app(platform.settings, platform))  # the routes of the app the server runs
    assert {"/", "/accounting", "/login", "/tasks", "/audit", "/scenarios"} <= set(found)
    return found


def _settle(pg) -> None:
    if pg.locator(".chart").count():  # charts drawn (Plotly is deferred; the scenario page calls the API)
        pg.wait_for_function("() => [...document.querySelectorAll('.chart')].every((c) => c.closest('[hidden]') "
                             "|| c.querySelector('.main-svg'))", timeout=20_000)


def _charts_fit(pg) -> None:
    """After a resize: Plotly (responsive) has redrawn each chart to its box's new width."""
    pg.wait_for_function("() => [...document.querySelectorAll('.chart .main-svg')].every((s) => "
                         "Math.abs(s.getBoundingClientRect().width - s.closest('.chart').clientWidth) < 2)", timeout=5_000)
    if pg.locator(".chart .sankey").count():  # the Sankey moves its nodes to the new size in an animation (500 ms):
        pg.wait_for_function(SANKEY_STILL_JS, timeout=5_000)  # until it has ended, instead of a fixed 800 ms


def _visit(pg, base: str, path: str) -> tuple[str, int]:
    status = pg.goto(base + path).status
    if status < 400:
        _settle(pg)
    return pg.url.removeprefix(base), status


def _sign_in(pg, base: str) -> None:
    pg.goto(f"{base}/login?next=/account")
    pg.fill("input[name=username]", "admin")
    pg.fill("input[name=password]", ADMIN_PW)
    pg.click("#login-form button[type=submit]")
    pg.wait_for_url(f"{base}/account")


def _overflow(pg, label: str, width: int) -> str | None:
    m = pg.evaluate(OVERFLOW_JS)
    if m["scroll"] > m["client"] + 1:
        return f"{label} at {width}px: document {m['scroll']}px wide in a {m['client']}px viewport ({', '.join(m['wide'])})"
    return None


def _shoot(pg, name: str) -> None:
    """The top SHOT_MAX_HEIGHT px of the page: the viewport made that tall (widths, so the layout, unchanged)."""
    w = pg.viewport_size["width"]
    h = min(pg.evaluate("() => document.documentElement.scrollHeight"), SHOT_MAX_HEIGHT)
    pg.set_viewport_size({"width": w, "height": h})
    pg.screenshot(path=str(SCREENSHOTS / name))
    pg.set_viewport_size({"width": w, "height": 900})


def _slug(path: str) -> str:
    return path.strip("/").replace("/", "_") or "overview"


def _check_widths(pg, label: str, shoot: bool, slug: str, problems: list[str]) -> None:
    """The page loaded at phone width, then widened as a tablet turned would be, and to a desktop."""
    for width in (*WIDTHS, 1440):
        if width != 390:
            pg.set_viewport_size({"width": width, "height": 900})
            _charts_fit(pg)
        if width in WIDTHS:
            problems.append(_overflow(pg, label, width))
        if width in (390, 1440) and shoot:
            _shoot(pg, f"{slug}-{width}.png")


@pytest.mark.parametrize("shard", range(SHARDS))  # the pages in SHARDS parts, so the test workers share them
@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "admin"])
def test_no_page_is_wider_than_a_phone_or_a_tablet(browser, server, paths, signed_in, shard):  # noqa: F811
    base, _ = server
    if SHOOT:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        print(f"\nscreenshots: {SCREENSHOTS}")
    mine, who = paths[shard::SHARDS], "admin" if signed_in else "anonymous"
    problems: list[str] = []
    errors: list[str] = []
    timings: list[tuple[float, str]] = []
    ctx = browser.new_context(viewport={"width": 390, "height": 900}, locale="zh-CN")
    pg = ctx.new_page()
    pg.on("pageerror", lambda e: errors.append(str(e)))
    if signed_in:
        _sign_in(pg, base)
    seen: set[str] = set()
    for path in mine:
        pg.set_viewport_size({"width": 390, "height": 900})
        t0 = time.monotonic()
        landed, status = _visit(pg, base, path)
        if status >= 400:
            problems.append(f"{path} ({who}): HTTP {status}")
            continue
        timings.append((time.monotonic() - t0, f"{path} {who}"))
        if not signed_in and landed.split("?")[0] != path:
            continue  # a page that asks to sign in first: the sign-in page, checked as /login
        seen.add(path)
        _check_widths(pg, f"{path} ({who})", SHOOT and (signed_in or path == "/login"), f"{_slug(path)}-{who}", problems)
    ctx.close()
    print("slowest pages (s):", [(round(t, 1), p) for t, p in sorted(timings, reverse=True)[:3]])
    assert seen == set(mine) if signed_in else {"/", "/login"} & set(mine) <= seen, (mine, seen)
    problems = [p for p in problems if p]
    assert problems == [], "\n".join(problems)
    assert errors == [], errors


@pytest.mark.parametrize("signed_in", [False, True])
def test_english_navigation_fits_one_line_at_1440(browser, server, signed_in):  # noqa: F811
    base, _ = server
    ctx = browser.new_context(viewport={"width": 1440, "height": 900})
    ctx.add_cookies([{"name": "lang", "value": "en", "url": base}])
    pg = ctx.new_page()
    if signed_in:
        _sign_in(pg, base)
    pg.goto(base + "/")
    m = pg.evaluate(NAV_JS)
    ctx.close()
    assert m["count"] >= 14 and not m["menuShown"]
    assert m["rows"] == 1 and m["tall"] == [], m
    assert m["whoTop"] < m["navTop"] + 20 and m["headerHeight"] < 70, m  # the account block on the same line


def test_phone_menu_button_opens_and_closes_the_navigation(browser, server):  # noqa: F811
    base, _ = server
    ctx = browser.new_context(viewport={"width": 390, "height": 844})
    pg = ctx.new_page()
    pg.goto(base + "/")
    button = pg.locator("#menu-toggle")
    assert button.is_visible() and button.get_attribute("aria-expanded") == "false"
    assert not pg.locator("header.top nav").is_visible()
    assert pg.locator("#login-link").is_visible()  # signing in is reachable without opening the menu
    button.focus()
    pg.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true"
    nav = pg.locator("header.top nav")
    assert nav.is_visible() and nav.locator("a").nth(13).is_visible()
    box = nav.locator("a").first.bounding_box()
    assert box["width"] > 300  # one link a row, full width: not one character a line
    pg.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false" and not nav.is_visible()
    ctx.close()
