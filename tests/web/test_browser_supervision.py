"""A supervision case in headless Chromium, on both databases: batch → inspection with two
findings → decision → publication → enterprise evidence → one accepted, one rejected → closure,
and the public page's violators list and T18/T19 change. Fixtures as in tests/web/test_browser.py."""

from __future__ import annotations

import pytest
from supervision_fixtures import CEMENT, PDF, PNG, TEA  # sup_platform: a fixture (conftest plugins)
from test_browser import browser, live_server, new_page  # noqa: F401  (the module-scoped Chromium; skips without chromium)

from carbonpeak.services.users import create_user
from carbonpeak.web.app import create_app

PASSWORD = "Anhua-supervise-2031"


@pytest.fixture
def live(sup_platform, settings):
    create_user(sup_platform, "fgj", PASSWORD, "dept_editor", "test", department="县发展和改革局")
    create_user(sup_platform, "hailuo", PASSWORD, "enterprise", "test", enterprise=CEMENT)
    with live_server(create_app(settings, sup_platform)) as base:
        yield base


def _sign_in(page, base: str, user: str) -> None:
    page.goto(f"{base}/login?next=/supervision")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(f"{base}/supervision")


def _submit(page, selector: str) -> None:
    """Click and wait for the reload that follows a change (a refusal would show under its form)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        with page.expect_navigation(timeout=10_000, wait_until="domcontentloaded"):
            page.click(selector)
    except PlaywrightTimeout:
        shown = page.locator(".error:not([hidden])").all_inner_texts()
        raise AssertionError(f"no reload after {selector}: {shown}") from None


def _indicator(page, target: str) -> str:
    return page.get_attribute(f"#sup-indicators tr[data-target='{target}'] td[data-value]", "data-value")


def _finding(page, n: int, item: str, severity: str, text: str, deadline: str) -> None:
    row = f"#new-case .finding-row[data-n='{n}']"
    page.select_option(f"{row} select[name=item]", item)
    page.fill(f"{row} input[name=description]", text)
    page.select_option(f"{row} select[name=severity]", severity)
    page.fill(f"{row} input[name=rectification]", "限期整改：" + text)
    page.fill(f"{row} input[name=deadline]", deadline)


def test_a_case_runs_from_batch_to_closure_and_the_public_page_changes(new_page, live, tmp_path):  # noqa: F811 (a fixture of test_browser)
    base = live
    public = new_page()
    public.goto(f"{base}/supervision/public?year=2025")
    assert public.locator("#violators tbody tr[data-case]").count() == 0
    assert _indicator(public, "T18") == "" and _indicator(public, "T19") == ""

    staff = new_page()
    _sign_in(staff, base, "fgj")
    staff.fill("#new-batch input[name=code]", "2025-1")
    staff.fill("#new-batch input[name=year]", "2025")
    staff.fill("#new-batch input[name=name]", "2025年第一批节能监察")
    staff.fill("#new-batch input[name=starts_on]", "2025-03-01")
    staff.fill("#new-batch input[name=ends_on]", "2025-06-30")
    staff.fill("#new-batch input[name=units]", f"{CEMENT}, {TEA}")
    _submit(staff, "#new-batch button[type=submit]")
    assert staff.locator("#sup-batches tr[data-batch='2025-1']").count() == 1

    staff.select_option("#new-case select[name=uscc]", CEMENT)
    staff.fill("#new-case input[name=inspected_on]", "2025-03-12")
    staff.select_option("#new-case select[name=batch]", "2025-1")
    _finding(staff, 1, "metering", "general", "未按 GB 17167 配备二级计量器具", "2025-03-01")  # before the inspection
    staff.click("#new-case button[type=submit]")
    staff.wait_for_selector("#new-case .error:not([hidden])")
    assert "早于检查日期" in staff.inner_text("#new-case .error")
    staff.fill("#new-case .finding-row[data-n='1'] input[name=deadline]", "2025-06-30")
    _finding(staff, 2, "unit_product_energy", "serious", "熟料单位产品能耗超过限定值", "2025-12-31")
    _submit(staff, "#new-case button[type=submit]")
    case = "details[data-case='JC-2025-001']"
    assert staff.locator(f"{case} tr[data-finding]").count() == 2

    staff.fill(f"{case} form.decide input[name=decided_on]", "2025-04-10")
    staff.fill(f"{case} form.decide input[name=decision]", "责令限期整改，罚款三万元")
    staff.fill(f"{case} form.decide input[name=penalty_yuan]", "30000")
    staff.check(f"{case} form.decide input[name=credit_record]")
    staff.select_option(f"{case} form.decide select[name=price_proposal]", "punitive")
    _submit(staff, f"{case} form.decide button[type=submit]")
    assert staff.get_attribute(case, "data-status") == "decided"
    staff.fill(f"{case} form.publish input[name=published_on]", "2025-04-12")
    _submit(staff, f"{case} form.publish button[type=submit]")

    firm = new_page()
    _sign_in(firm, base, "hailuo")
    bad = tmp_path / "整改说明.txt"
    bad.write_text("not a pdf", encoding="utf-8")
    firm.set_input_files(f"{case} tr[data-finding='1'] input[type=file]", str(bad))
    firm.click(f"{case} tr[data-finding='1'] form.sup-upload button[type=submit]")
    firm.wait_for_selector(f"{case} tr[data-finding='1'] .error:not([hidden])")
    assert "不是 PDF" in firm.inner_text(f"{case} tr[data-finding='1'] .error")
    for n, name, body in ((1, "计量器具检定证书.pdf", PDF), (2, "改造现场.png", PNG)):
        path = tmp_path / name
        path.write_bytes(body)
        firm.set_input_files(f"{case} tr[data-finding='{n}'] input[type=file]", str(path))
        _submit(firm, f"{case} tr[data-finding='{n}'] form.sup-upload button[type=submit]")
    assert firm.locator(f"{case} a.evidence-link").count() == 2

    staff.reload()
    for n, verdict in ((1, "true"), (2, "false")):
        row = f"{case} tr[data-finding='{n}']"
        staff.fill(f"{row} input[name=reviewed_on]", "2025-07-01")
        staff.fill(f"{row} input[name=note]", "" if verdict == "true" else "改造方案未实施")
        _submit(staff, f"{row} button[value='{verdict}']")
    assert [staff.get_attribute(f"{case} tr[data-finding='{n}']", "data-status") for n in (1, 2)] == \
        ["accepted", "rejected"]

    public.reload()
    assert _indicator(public, "T18") == "100.0" and _indicator(public, "T19") == "0.0"
    staff.fill(f"{case} form.close input[name=closed_on]", "2025-08-01")
    staff.fill(f"{case} form.close input[name=note]", "第2项未整改，已移送处罚并记入信用记录")
    _submit(staff, f"{case} form.close button[type=submit]")
    assert staff.get_attribute(case, "data-status") == "closed"

    public.reload()
    assert public.locator("#violators tbody tr[data-case='JC-2025-001']").count() == 1
    assert _indicator(public, "T18") == "100.0" and _indicator(public, "T19") == "100.0"
    assert "2025-08-01" in public.inner_text("#violators")
