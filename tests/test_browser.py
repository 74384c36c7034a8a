"""A cadre's walk through the site in Chromium: home, a unit, an entry;
on a phone and a desktop; nothing may leave 127.0.0.1."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import ROOT

pytestmark = pytest.mark.browser
SHOTS = Path(os.environ.get("CASEBOOK_SCREENSHOTS", ROOT / "build" / "screenshots"))
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


def walk_home_unit_entry(page, site_url, shots_prefix=None):
    page.goto(site_url + "/")
    assert page.locator("h1").first.inner_text() == "清廉机关建设案例库"
    totals = page.locator(".cb-totals li")
    assert totals.count() == 3
    if shots_prefix:
        page.screenshot(path=str(SHOTS / f"{shots_prefix}-home.png"), full_page=False)

    unit_link = page.locator(".cb-chips a[href*='units/']").first
    unit_name = unit_link.locator(".cb-chip__name").inner_text()
    unit_link.click()
    page.wait_for_url("**/units/**")
    assert page.locator("h1").inner_text() == unit_name
    assert "按单位" in page.locator(".cb-crumbs").inner_text()

    entry_link = page.locator(".cb-card__title").first
    title = entry_link.inner_text()
    entry_link.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == title
    panel = page.locator(".cb-panel")
    assert panel.is_visible()
    assert unit_name in panel.locator(".cb-panel__row--unit").inner_text()
    assert panel.locator(".cb-panel__row--date dd").inner_text()[:4].isdigit()
    assert panel.locator(".cb-panel__row--themes a").count() >= 1
    if shots_prefix:
        page.screenshot(path=str(SHOTS / f"{shots_prefix}-entry.png"), full_page=True)
    return page


def test_home_to_unit_to_entry_on_desktop(page_factory, site_url):
    SHOTS.mkdir(parents=True, exist_ok=True)
    walk_home_unit_entry(page_factory(**DESKTOP), site_url, "desktop")
    assert not page_factory.outside


def test_home_to_unit_to_entry_on_a_phone(page_factory, site_url):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = walk_home_unit_entry(page_factory(**PHONE), site_url, "phone")
    # no sideways scrolling on a phone, and the content fits the screen
    assert page.evaluate("() => { window.scrollTo(500, 0); return window.scrollX; }") == 0
    widest = page.evaluate("""() => Math.max(...[...document.querySelectorAll('.md-content *')]
        .map(e => e.getBoundingClientRect().right))""")
    assert widest <= 390
    assert not page_factory.outside


def test_warning_case_shows_its_case_fields(page_factory, site_url):
    page = page_factory(**DESKTOP)
    page.goto(site_url + "/warnings/")
    page.locator(".cb-card__title").first.click()
    page.wait_for_load_state()
    for row in ("violations", "outcomes", "person"):
        assert page.locator(f".cb-panel__row--{row} dd").inner_text().strip()
    assert page.locator(".cb-lessons").is_visible()


def test_entry_page_prints_without_navigation(page_factory, site_url):
    page = page_factory(**DESKTOP)
    page.goto(site_url + "/practices/")
    page.locator(".cb-card__title").first.click()
    page.wait_for_load_state()
    page.emulate_media(media="print")
    assert not page.locator(".md-header").is_visible()
    assert not page.locator(".md-sidebar--primary").is_visible()
    assert page.locator(".cb-panel").is_visible() and page.locator(".cb-body").is_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
