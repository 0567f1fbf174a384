"""The reporting cycle in headless Chromium, on both databases: an administrator's new obligation
with a past deadline refused → the department's entry with a bad value refused → submit → the
reviewer returns it with a comment → resubmit → another reviewer approves → the barometer light and
the targets page change → the audit chain shows every step. Fixtures as in tests/web/test_browser.py."""

from __future__ import annotations

import pytest
from test_browser import browser, live_server, new_page  # noqa: F401  (the module-scoped Chromium; skips without chromium)

from carbonpeak.services.users import create_user
from carbonpeak.web.app import create_app

PW = "Anhua-report-2031"


@pytest.fixture
def live(demo_platform, settings):
    for name, role, dept in (("boss", "admin", None), ("tjj", "dept_editor", "县统计局"),
                             ("fgj", "dept_editor", "县发展和改革局"), ("fgj2", "dept_editor", "县发展和改革局")):
        create_user(demo_platform, name, PW, role, "test", department=dept)
    with live_server(create_app(settings, demo_platform)) as base:
        yield base


def _sign_in(page, base: str, user: str, then: str) -> None:
    page.goto(f"{base}/login?next={then}")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PW)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(f"{base}{then}")


def _reloaded(page, click) -> None:
    with page.expect_navigation():
        click()


ROW = "#rep-periods tr[data-obligation='OBL-T08'][data-period='2024']"


def test_the_reporting_cycle_in_the_browser(live, new_page):  # noqa: F811 (a fixture of test_browser)
    base = live
    admin = new_page()
    _sign_in(admin, base, "boss", "/reporting")
    form = admin.locator("#new-obligation")
    form.locator("input[name=code]").fill("B-T29")
    form.locator("select[name=subject]").select_option("T29")
    form.locator("select[name=department]").select_option("县农业农村局")
    form.locator("input[name=first_period]").fill("2020")
    form.locator("button[type=submit]").click()
    admin.wait_for_selector("#new-obligation .error:not([hidden])")
    assert "首个报告期" in form.locator(".error").inner_text() and "first_period" not in form.locator(".error").inner_text()
    form.locator("input[name=first_period]").fill("")
    _reloaded(admin, lambda: form.locator("button[type=submit]").click())
    assert admin.locator("#rep-periods tr[data-obligation='B-T29']").count() >= 1
    admin.goto(base + "/")
    assert admin.locator("#barometer tr[data-target='T08']").get_attribute("data-light") == "grey"

    dept = new_page()
    _sign_in(dept, base, "tjj", "/reporting")
    row = dept.locator(ROW)
    assert row.get_attribute("data-status") == "open" and "逾期" in row.inner_text()  # the demo's overdue period
    row.locator("input.rep-value").fill("-5")
    row.locator("button[value=true]").click()
    dept.wait_for_selector(f"{ROW} .rep-entry .error:not([hidden])")
    assert "超出允许范围" in row.locator(".rep-entry .error").inner_text()
    row.locator("input.rep-value").fill("60")
    _reloaded(dept, lambda: row.locator("button[value=true]").click())
    assert dept.locator(ROW).get_attribute("data-status") == "submitted"

    reviewer = new_page()
    _sign_in(reviewer, base, "fgj", "/reporting/review")
    q = reviewer.locator("#rep-queue tr[data-obligation='OBL-T08'][data-period='2024']")
    assert "60" in q.inner_text()
    q.locator("input[name=comment]").fill("与工信局口径不一致，请核对")
    _reloaded(reviewer, lambda: q.locator("button[value=false]").click())
    assert reviewer.locator("#rep-queue tr[data-obligation='OBL-T08']").count() == 0

    dept.reload()
    row = dept.locator(ROW)
    assert row.get_attribute("data-status") == "returned" and "与工信局口径不一致" in row.inner_text()
    row.locator("input.rep-value").fill("120")
    _reloaded(dept, lambda: row.locator("button[value=true]").click())
    dept.goto(base + "/notifications")
    assert "被退回" in dept.inner_text("#rep-notices")

    second = new_page()
    _sign_in(second, base, "fgj2", "/reporting/review")
    q = second.locator("#rep-queue tr[data-obligation='OBL-T08'][data-period='2024']")
    _reloaded(second, lambda: q.locator("button[value=true]").click())
    done = second.locator("#rep-approved tr[data-obligation='OBL-T08'][data-period='2024']")
    assert done.count() == 1
    steps = done.locator(".rep-history li")
    assert [steps.nth(i).get_attribute("data-action") for i in range(steps.count())] == \
        ["submit", "return", "submit", "approve"]
    done.locator(".rep-history summary").click()
    assert "fgj2" in steps.nth(3).inner_text() and "与工信局口径不一致" in steps.nth(1).inner_text()

    admin.goto(base + "/")
    assert admin.locator("#barometer tr[data-target='T08']").get_attribute("data-light") == "green"
    admin.goto(base + "/targets?year=2024")
    assert "120" in admin.locator("tr#T08").inner_text()

    # freeze 2024, correct the value, see what changed between the two versions
    admin.goto(base + "/reporting/freezes")
    admin.locator("#freeze-form input[name=year]").fill("2024")
    admin.locator("#freeze-form input[name=reason]").fill("2024年度评估封存")
    _reloaded(admin, lambda: admin.locator("#freeze-form button[type=submit]").click())
    assert admin.locator("#freeze-versions tr[data-version]").count() == 1
    done = second.locator("#rep-approved tr[data-obligation='OBL-T08'][data-period='2024']")
    done.locator("input[name=comment]").fill("统计局更正口径")
    _reloaded(second, lambda: done.locator("button[type=submit]").click())
    dept.goto(base + "/reporting")
    row = dept.locator(ROW)
    row.locator("input.rep-value").fill("90")
    _reloaded(dept, lambda: row.locator("button[value=true]").click())
    reviewer.goto(base + "/reporting/review")
    q = reviewer.locator("#rep-queue tr[data-obligation='OBL-T08'][data-period='2024']")
    _reloaded(reviewer, lambda: q.locator("button[value=true]").click())
    admin.goto(base + "/reporting/freezes?year=2024")
    assert admin.locator("#freeze-versions tr[data-version]").count() == 2
    change = admin.locator("#freeze-diff tr[data-target='T08'][data-field='actual']").inner_text()
    assert "120" in change and "90" in change and "实际值" in change
