"""The console in a real browser (Debian's Chromium): each role signs in and sees its own pages; a
supervisor opens a flagged call, plays it, clicks a finding (the player jumps there) and submits a
review; an agent disputes and a supervisor resolves it; a trainer builds, reorders and exports a
coaching set; an auditor downloads the compliance CSV and reads the audit log; the dashboard draws."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

Login = Callable[[Page, str], None]
Shot = Callable[[Page, str], Path]

NAV = {
    "admin": {"queue", "live", "disputes", "calibration", "coaching", "stats", "compliance", "audit", "uploads"},
    "sup_a": {"queue", "live", "disputes", "calibration", "coaching", "stats", "compliance", "uploads"},
    "trainer_a": {"queue", "calibration", "coaching"},
    "auditor": {"queue", "disputes", "stats", "compliance", "audit"},
    "agent_a1": {"mine", "disputes"},
}


@pytest.mark.parametrize("username", sorted(NAV))
def test_each_role_sees_its_pages_only(page: Page, login: Login, shot: Shot, username: str,
                                       console_url: str) -> None:
    login(page, username)
    shown = {a.get_attribute("data-page") for a in page.locator("header nav a").all()}
    assert shown == NAV[username]
    shot(page, f"home-{username}")
    if username == "agent_a1":  # a page outside the role says so, and its data never loads
        page.goto(f"{console_url}/console/#/audit")
        expect(page.locator("main .error")).to_contain_text("Not allowed")


def test_supervisor_plays_a_call_jumps_to_a_finding_and_reviews(page: Page, login: Login, shot: Shot) -> None:
    login(page, "sup_a")
    row = page.locator("tbody tr", has_text="A-1")
    expect(row).to_contain_text("critical_failed")  # why it is flagged
    row.click()
    page.wait_for_selector("audio#player[data-ready='1']")
    expect(page.locator("#transcript li")).to_have_count(3)
    page.evaluate("document.getElementById('player').play()")
    page.wait_for_function("document.getElementById('player').currentTime > 0.2")
    page.locator("button.evidence", has_text="服务").click()  # closing's evidence at 4.0 s
    page.wait_for_function("Math.abs(document.getElementById('player').currentTime - 4.0) < 0.6")
    page.wait_for_function("document.querySelector('#transcript li.current')?.dataset.start === '4'")
    page.locator("#timeline .finding-mark[data-item='greeting']").click(force=True)  # greeting at 0.0 s
    page.wait_for_function("document.getElementById('player').currentTime < 1.0")
    shot(page, "call-review-sup_a")
    form = page.locator("#review-form")
    form.locator("select[name='item:verification']").select_option("pass")
    form.locator("select[name='item:closing']").select_option("pass")
    form.locator("textarea[name=comment]").fill("identity was checked at the start")
    form.locator("button[type=submit]").click()
    expect(page.locator("p.summary")).to_contain_text("Score 100 (Automatic 55)")
    expect(page.locator("tr.finding[data-item='verification'] td").nth(2)).to_have_text("pass")


def test_agent_disputes_and_supervisor_resolves(browser: object, page: Page, login: Login, shot: Shot,
                                                console_url: str) -> None:
    login(page, "agent_a1")
    page.locator("tbody tr", has_text="A-1").click()
    form = page.locator("#dispute-form")
    form.locator("textarea[name=reason]").fill("I checked the caller's identity")
    form.locator("input[value=verification]").check()
    with page.expect_response(lambda r: r.url.endswith("/calls/A-1/disputes") and r.request.method == "POST") as sent:
        form.locator("button[type=submit]").click()
    assert sent.value.status == 201
    page.goto(f"{console_url}/console/#/disputes")
    expect(page.locator("article.dispute.open")).to_contain_text("I checked the caller's identity")
    shot(page, "dispute-agent")
    login(page, "sup_a")
    page.goto(f"{console_url}/console/#/disputes")
    box = page.locator("article.dispute.open")
    box.locator("input[name=resolution]").fill("upheld: identity confirmed in the recording")
    with page.expect_response(lambda r: r.url.endswith("/resolution")) as resolved:
        box.locator("button.accept").click()
    assert resolved.value.status == 200
    expect(page.locator("article.dispute.accepted")).to_contain_text("→")
    shot(page, "dispute-resolved-sup_a")
    page.goto(f"{console_url}/console/#/call/A-1")
    expect(page.locator("tr.finding[data-item='verification'] td").nth(2)).to_have_text("pass")


def test_trainer_builds_reorders_and_exports_a_coaching_set(page: Page, login: Login, shot: Shot,
                                                            console_url: str) -> None:
    login(page, "trainer_a")
    page.goto(f"{console_url}/console/#/coaching")
    page.fill("#set-form input[name=name]", "Greetings 问候")
    page.click("#set-form button[type=submit]")
    expect(page.locator("tbody tr", has_text="Greetings")).to_be_visible()
    for call_id, title, example in (("A-2", "good greeting", "good"), ("A-1", "card number read out", "bad")):
        page.goto(f"{console_url}/console/#/call/{call_id}")
        form = page.locator("#clip-form")
        form.locator("input[name=start]").fill("0")
        form.locator("input[name=end]").fill("3")
        form.locator("input[name=title]").fill(title)
        form.locator("select[name=example]").select_option(example)
        form.locator("button[type=submit]").click()
        expect(form.locator(".status")).to_have_text("Saved")
    page.goto(f"{console_url}/console/#/coaching")
    page.locator("tbody tr", has_text="Greetings").click()
    expect(page.locator("#clips li")).to_have_count(2)
    page.locator("#clips li").nth(1).locator("button.up").click()
    expect(page.locator("#clips li").first).to_contain_text("card number read out")
    expect(page.locator("#set-detail")).not_to_contain_text("null")
    page.locator("#clips li").first.locator("button.play").click()
    page.wait_for_function("document.querySelector('#clips li audio').currentTime > 0")
    shot(page, "coaching-trainer_a")
    with page.expect_download() as info:
        page.click("#export")
    zipped = zipfile.ZipFile(Path(info.value.path()))
    index = list(csv.DictReader(io.StringIO(zipped.read("index.csv").decode("utf-8-sig"))))
    assert [x["title"] for x in index] == ["card number read out", "good greeting"]


def test_auditor_downloads_compliance_csv_and_reads_the_audit_log(page: Page, login: Login, shot: Shot,
                                                                  console_url: str) -> None:
    login(page, "auditor")
    page.goto(f"{console_url}/console/#/compliance")
    expect(page.locator("figure svg.chart")).to_be_visible()
    shown = page.locator("h2", has_text="Forbidden phrases").inner_text()
    with page.expect_download() as info:
        page.click("#forbidden-csv")
    rows = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8-sig"))))
    assert f"({len(rows)})" in shown and rows and all(r["phrase"] == "不管" for r in rows)
    shot(page, "compliance-auditor")
    page.goto(f"{console_url}/console/#/audit")
    expect(page.locator("tbody tr", has_text="compliance_forbidden").first).to_be_visible()
    shot(page, "audit-auditor")


def test_dashboard_draws_its_charts_in_both_languages(page: Page, login: Login, shot: Shot, console_url: str) -> None:
    login(page, "admin")
    page.goto(f"{console_url}/console/#/stats")
    expect(page.locator("figure")).to_have_count(7)  # six charts and the grade distribution
    expect(page.locator("figcaption", has_text="Calls per day")).to_be_visible()
    assert page.locator("figure").first.locator("rect.bar").count() >= 10  # ten days of calls
    shot(page, "dashboard-admin-en")
    page.click("#lang")
    expect(page.locator("figcaption", has_text="每日通话量")).to_be_visible()
    shot(page, "dashboard-admin-zh")
    page.click("#lang")


def test_calibration_rated_blind_and_reported(page: Page, login: Login, shot: Shot, console_url: str) -> None:
    login(page, "sup_a")
    page.goto(f"{console_url}/console/#/calibration")
    page.fill("#calibration-form input[name=name]", "week 49")
    page.fill("#calibration-form input[name=calls]", "A-1, A-2")
    page.fill("#calibration-form input[name=reviewers]", "sup_pii, trainer_a")
    page.click("#calibration-form button[type=submit]")
    expect(page.locator("tbody tr", has_text="week 49")).to_contain_text("trainer_a 0/2")
    for reviewer in ("trainer_a", "sup_pii"):
        login(page, reviewer)
        page.goto(f"{console_url}/console/#/calibration")
        page.locator("tbody tr", has_text="week 49").locator("button", has_text="Save rating").click()
        forms = page.locator("form.rating")
        expect(forms).to_have_count(2)
        for i in range(2):
            forms.nth(i).locator("select[name=closing]").select_option("fail" if reviewer == "trainer_a" else "pass")
            forms.nth(i).locator("input[name=score]").fill("70")
            forms.nth(i).locator("button[type=submit]").click()
            expect(forms.nth(i).locator(".status")).to_have_text("Saved")
        page.locator("tbody tr", has_text="week 49").locator("button", has_text="Report").click()
        expect(page.locator("#calibration-detail .error")).to_contain_text("blind")  # shut while open
    login(page, "sup_a")
    page.goto(f"{console_url}/console/#/calibration")
    page.locator("tbody tr", has_text="week 49").locator("button", has_text="Report").click()
    report = page.locator("#calibration-detail")
    expect(report.locator("tr", has_text="closing")).to_contain_text("0")  # the two disagree on closing
    expect(report.locator("tr", has_text="(machine)")).to_be_visible()
    shot(page, "calibration-report-sup_a")


def test_upload_shows_progress_and_result(page: Page, login: Login, tmp_path: Path) -> None:
    import wave

    path = tmp_path / "AGENT_A1_DT_20261201T093000.wav"
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(bytes(16000 * 2))
    login(page, "sup_a")
    page.goto(page.url.split("#")[0] + "#/uploads")
    page.set_input_files("#upload-form input[type=file]", str(path))
    page.fill("#upload-form textarea[name=metadata]", '{"team": "A"}')
    page.click("#upload-form button[type=submit]")
    expect(page.locator("#upload-form .status")).to_contain_text("accepted")


def test_live_board_shows_an_alert_and_a_growing_transcript(page: Page, login: Login, shot: Shot,
                                                            console_url: str) -> None:
    import asyncio
    import threading

    import numpy as np
    from live_support import LIVE_KEY, call_audio

    from qa_service.live.simulate import SimCall, stream_plain

    audio = call_audio()[:, ::-1]  # agent first
    audio = np.concatenate([audio, audio])  # about 14 s: long enough to open the board and listen in
    sim = SimCall("LIVE-UI", audio.astype(np.float32), "zh", agent_id="A1", team="A")
    url = console_url.replace("http://", "ws://")
    done: dict[str, object] = {}
    streaming = threading.Thread(target=lambda: done.update(r=asyncio.run(stream_plain(url, sim, api_key=LIVE_KEY))))
    login(page, "sup_a")
    page.goto(f"{console_url}/console/#/live")
    streaming.start()
    row = page.locator("#live-board tbody tr", has_text="LIVE-UI")
    expect(row).to_be_visible(timeout=10_000)
    row.click()
    expect(page.locator("#live-transcript li").first).to_be_visible(timeout=15_000)
    expect(page.locator("#live-alerts li", has_text="complaint")).to_be_visible(timeout=15_000)
    first = page.locator("#live-transcript li").count()
    expect(page.locator("#live-transcript li")).not_to_have_count(first, timeout=15_000)  # it grows
    shot(page, "live-board-sup_a")
    streaming.join(timeout=60)
    result = done["r"]
    assert result.error is None and result.stored_call_id == "LIVE-UI"  # type: ignore[attr-defined]
