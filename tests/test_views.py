"""Templates receive typed, frozen view objects from the site plan, never
dicts: a misspelt name fails in Python, not silently in a template."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from casebook.core.library import load_library
from casebook.core.site import plan_site

REPO = Path(__file__).resolve().parents[1]


def _frozen_view(value) -> bool:
    return dataclasses.is_dataclass(value) and type(value).__dataclass_params__.frozen


def test_every_page_of_the_sample_site_gets_a_frozen_view():
    plan = plan_site(load_library(REPO))
    views = [page.data for page in plan.pages] + list(plan.entries.values()) + [plan.home]
    assert {type(v).__name__ for v in views} >= {"ListingView", "TermView", "EntryView", "HomeView", "StatsView"}
    for view in views:
        assert _frozen_view(view), type(view)
    for entry_view in plan.entries.values():
        for row in entry_view.panel:
            assert _frozen_view(row) and all(_frozen_view(v) for v in row.links)
    with pytest.raises(dataclasses.FrozenInstanceError):
        plan.home.total = 0
