"""Browser tests: Playwright drives Debian's chromium (/usr/bin/chromium) against a real
``liftsafe serve`` process on 127.0.0.1 (SQLite in a temporary folder).

Skipped when /usr/bin/chromium or playwright is missing, except under CI=true (failure).
Set LIFTSAFE_WEB_SCREENSHOTS=docs/img to refresh the screenshots in the documentation.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from webkit import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _need(condition: bool, why: str) -> None:
    if not condition:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true but {why}")
        pytest.skip(why)


@pytest.fixture(scope="module")
def browser():
    _need(CHROMIUM.exists(), f"{CHROMIUM} is missing (apt-get install -y chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _need(False, "the playwright package is not installed (pip install -e '.[test]')")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A real server process: ``liftsafe serve`` on a free port."""
    folder = tmp_path_factory.mktemp("server")
    port = _free_port()
    env = {
        **os.environ,
        "LIFTSAFE_DATABASE_URL": f"sqlite:///{folder / 'web.db'}",
        "LIFTSAFE_DATA_DIR": str(folder / "data"),
    }
    log = (folder / "server.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "liftsafe", "serve", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if proc.poll() is not None:
                raise AssertionError((folder / "server.log").read_text()) from None
            time.sleep(0.1)
    else:
        proc.kill()
        raise AssertionError("the server did not start in 30 s")
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(10)
    log.close()


def _shot(page, name: str, tmp_path: Path) -> None:
    folder = Path(os.environ.get("LIFTSAFE_WEB_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"web-{name}.png"
    page.screenshot(path=str(path))
    assert path.stat().st_size < 300_000


def _sign_up(browser, server, email: str, role: str = "lifter", **context):
    ctx = browser.new_context(**context)
    page = ctx.new_page()
    page.goto(server + "/signup")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.select_option("select[name=role]", role)
    page.click("form.stack button")
    return ctx, page


def test_sign_up_upload_and_see_the_report(browser, server, keypoint_json, tmp_path):
    ctx = browser.new_context(viewport={"width": 1100, "height": 800})
    requested = []
    ctx.on("request", lambda req: requested.append(req.url))
    page = ctx.new_page()
    console = []
    page.on("console", lambda msg: console.append(msg.text))
    page.goto(server + "/signup")
    page.fill("input[name=email]", "ann@example.com")
    page.fill("input[name=password]", PASSWORD)
    page.click("form.stack button")
    assert page.url.endswith("/analyses")
    page.set_input_files("input[name=video]", str(keypoint_json))
    page.select_option("select[name=exercise]", "deadlift")
    page.click("#upload-form button")
    page.wait_for_url(re.compile(r"/analyses/\d+$"))
    page.wait_for_selector("#verdict", timeout=60_000)  # the page polls the API, then reloads with the report
    assert page.inner_text("#verdict") in ("Good", "Needs work", "Unsafe")  # the lifter's words
    assert page.locator("#coaching #summary").inner_text().strip()  # the set's summary sentence
    assert page.locator("#top-faults li").count() <= 3  # the rest go under a details element
    assert page.locator("table.reps tbody tr").count() == 3
    assert page.evaluate("document.querySelector('video.player').src").endswith("/annotated.mp4")
    page.wait_for_function(
        "document.querySelector('video.player').readyState >= 1", timeout=20_000
    )  # the MP4 plays
    _shot(page, "analysis", tmp_path)
    page.goto(server + "/analyses")
    assert page.locator("table.list tbody tr").count() == 1
    _shot(page, "history", tmp_path)
    page.goto(server + "/api/docs")
    assert "POST /api/analyses" in page.inner_text("main")
    outside = [u for u in requested if not u.startswith(server) and not u.startswith(("data:", "blob:"))]
    assert outside == []  # no CDN, nothing loaded from elsewhere
    assert not [m for m in console if "Content Security Policy" in m]  # the page works under the CSP
    # the permission boundary: another person gets a 404 page for the same analysis
    job_url = server + "/analyses/1"
    ctx2, page2 = _sign_up(browser, server, "bob@example.com")
    response = page2.goto(job_url)
    assert response.status == 404 and "not found" in page2.inner_text("main")
    assert page2.request.get(server + "/api/analyses/1").status == 404
    ctx2.close()
    ctx.close()


def test_log_a_session_on_a_phone(browser, server, tmp_path):
    ctx, page = _sign_up(
        browser,
        server,
        "carl@example.com",
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
    )
    page.goto(server + "/train")
    page.select_option("select[name=sessions_per_week]", "2")
    page.fill("input[name=weeks]", "8")
    page.click("form.card button")
    assert "cleared to train" in page.inner_text("h1")
    page.goto(server + "/train/today")
    _shot(page, "today", tmp_path)
    boxes = page.locator("input[type=checkbox][name$='-done']")
    n = boxes.count()
    assert n >= 4
    box = boxes.nth(0).bounding_box()
    assert box["width"] >= 30 and box["height"] >= 30  # a big touch target
    boxes.nth(0).check()
    page.wait_for_timeout(1100)
    assert page.inner_text("#rest-left") not in ("0:00", "")  # ticking a set starts the rest timer
    for i in range(1, n):
        boxes.nth(i).check()
    page.fill("input[name=pain_after]", "1")
    # the sign-in is lost before saving: nothing typed is lost
    ctx.clear_cookies(name="liftsafe_session")
    page.click("#log-form button")
    page.wait_for_url(re.compile(r"/signin\?next=/train/today"))
    page.fill("input[name=email]", "carl@example.com")
    page.fill("input[name=password]", PASSWORD)
    page.click("form.stack button")
    page.wait_for_url(re.compile(r"/train/today$"))
    assert page.input_value("input[name=pain_after]") == "1"
    assert all(boxes.nth(i).is_checked() for i in range(n))
    page.click("#log-form button")
    page.wait_for_url(re.compile(r"/train"))
    assert page.locator(".calendar .done").count() == 1
    assert page.locator(".decision").count() >= 1
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('liftsafe-log-')).length") == 0
    page.set_viewport_size({"width": 1100, "height": 900})
    page.goto(server + "/train")
    _shot(page, "train", tmp_path)
    ctx.close()


def test_workplace_report_is_printable(browser, server, tmp_path):
    ctx, page = _sign_up(
        browser, server, "boss@example.com", role="workplace_admin", viewport={"width": 1100, "height": 900}
    )
    assert page.url.endswith("/workplace")
    page.fill("input[name=name]", "Packing line 2")
    for field, value in {
        "t1-name": "tote to shelf",
        "t1-load": "15",
        "t1-oh": "40",
        "t1-ov": "20",
        "t1-dh": "35",
        "t1-dv": "120",
        "t1-frequency": "2",
        "t1-reps_per_day": "600",
    }.items():
        page.fill(f"input[name='{field}']", value)
    page.click("form.card > p > button")
    page.wait_for_url(re.compile(r"/workplace/jobs/\d+$"))
    assert "What would bring it down" in page.inner_text("main")
    _shot(page, "workplace-job", tmp_path)
    page.on("dialog", lambda d: d.dismiss())
    page.evaluate("window.print = () => { window.__printed = true; }")
    page.click("[data-print]")
    assert page.evaluate("window.__printed === true")  # the print button is wired (no inline handler)
    page.emulate_media(media="print")
    assert not page.locator("header.top").is_visible()  # the print view hides navigation
    page.emulate_media(media="screen")
    page.goto(server + "/workplace")
    assert "1 raised" in page.inner_text("main")
    _shot(page, "workplace", tmp_path)
    ctx.close()


def test_local_drafts_belong_to_one_user_and_go_at_sign_out(browser, server):
    """Pain and notes typed on the today page stay in this browser only under the user's key,
    and signing out removes them (a shared phone shows nothing to the next person)."""
    ctx, page = _sign_up(browser, server, "dora@example.com")
    page.goto(server + "/train")
    page.click("form.card button")
    page.goto(server + "/train/today")
    page.fill("input[name=pain_after]", "3")
    user_id = page.evaluate("document.body.getAttribute('data-user')")
    keys = page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('liftsafe-log-'))")
    assert user_id and keys and all(k.startswith(f"liftsafe-log-{user_id}-") for k in keys)
    page.click("form[action='/signout'] button")
    page.wait_for_url(re.compile(r"/signin"))
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('liftsafe-log-')).length") == 0
    ctx.close()
