"""What the server computes in the background after it starts (each figures module's FIRST_VIEWS,
utils/registry's compute_first_views) is what the pages then ask for: opening every page of those
chapters afterwards computes none of it again."""

from __future__ import annotations

import functools

import pytest
import streamlit as st
from streamlit.runtime.caching import cache_utils

from tests.browser_site import open_page
from utils import registry
from utils.site_config import ROOT

CHAPTERS = [ch for ch in registry.CHAPTERS if ch.available
            and getattr(registry.chapter_module(ch.stem, "figures"), "FIRST_VIEWS", ())]


@pytest.fixture
def computed(monkeypatch) -> list[tuple[str, str, tuple]]:
    """Every st.cache_data miss from now on, as (module, function, arguments)."""
    misses: list[tuple[str, str, tuple]] = []
    handle_miss = cache_utils.CachedFunc._handle_cache_miss

    def recorded(self, cache, value_key, func_args, func_kwargs):
        func = self._info.func
        misses.append((func.__module__, func.__qualname__, tuple(func_args)))
        return handle_miss(self, cache, value_key, func_args, func_kwargs)

    monkeypatch.setattr(cache_utils.CachedFunc, "_handle_cache_miss", recorded)
    st.cache_data.clear()
    return misses


def test_some_chapters_compute_first_views():
    assert {ch.stem for ch in CHAPTERS} >= {"part2_cnns", "micrograd", "part5_vaes_gans"}


def _name(compute) -> tuple[str, str]:
    """(module, name) of a FIRST_VIEWS entry's cached function (itself, or a partial of it)."""
    cached = compute.func if isinstance(compute, functools.partial) else compute
    func = cached._info.func  # st.cache_data's wrapper keeps what it wraps
    return func.__module__, func.__qualname__


def test_the_pages_ask_for_what_the_server_computed_first(computed):
    first_views = {_name(compute) for ch in CHAPTERS
                   for compute in registry.chapter_module(ch.stem, "figures").FIRST_VIEWS}
    registry.compute_first_views()
    assert first_views <= {miss[:2] for miss in computed}  # each one computed there
    computed.clear()
    for ch in CHAPTERS:
        for source in ch.section_sources():
            app = open_page(str(source.path.relative_to(ROOT)))
            assert not app.exception, [e.value for e in app.exception]
    again = [miss for miss in computed if miss[:2] in first_views]
    assert not again, f"computed at first view with other arguments than FIRST_VIEWS: {again}"
