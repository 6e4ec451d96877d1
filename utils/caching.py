"""Caching decorators for code that runs both on the site and in a notebook.

`cache_run` is for a long run that reports its progress (a training run behind a button): cached
once per process, by its positional arguments, never by its progress callback.

On the site (Streamlit installed) these are st.cache_data (returning on a miss the same pickled
copy a hit returns, see `_as_from_the_cache`) and st.cache_resource, spinner text and all. In
Colab, which has no Streamlit, figure functions still run: there they are cached in memory for
the notebook's kernel and the spinner text is ignored. So a chapter's figures module imports
`from utils.caching import cache_data, cache_resource` instead of streamlit.
"""

from __future__ import annotations

import functools
import logging
import pickle
import threading
from typing import Any, Callable

try:
    import streamlit as _st
except ImportError:  # a notebook without Streamlit
    _st = None


def _memoise(func: Callable | None = None, **_streamlit_options: Any) -> Callable:
    """functools.cache with st.cache_*'s call forms: `@cache`, `@cache()`,
    `@cache(show_spinner=...)`. Arguments named with a leading underscore are left out of the
    key, as Streamlit does."""
    def decorate(f: Callable) -> Callable:
        cached: dict = {}

        @functools.wraps(f)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            key = (args, tuple(sorted((k, v) for k, v in kwargs.items() if not k.startswith("_"))))
            try:
                if key not in cached:
                    cached[key] = f(*args, **kwargs)
                return cached[key]
            except TypeError:  # an unhashable argument: compute, don't keep
                return f(*args, **kwargs)

        return wrapper

    return decorate(func) if func is not None else decorate


def _as_from_the_cache(func: Callable) -> Callable:
    """`func`, returning on a miss what st.cache_data's later hits return: a pickled copy.

    A Plotly figure's pickled copy writes its properties in another order than the figure it was
    made from, so st.plotly_chart computes another element id from it. On a page whose figures
    were just computed (its first visit since the server started), the next rerun (the browser
    store's restore, which follows every session's first run) then drew each such chart as a new
    element beside the old one, left on screen greyed until the rerun ended: chapter 5.5's
    autoencoder page showed 10 or 11 charts for its 6 for a second or two, then remounted them."""
    @functools.wraps(func)
    def computed(*args: Any, **kwargs: Any) -> Any:
        return pickle.loads(pickle.dumps(func(*args, **kwargs)))

    return computed


def _st_cache_data(func: Callable | None = None, **options: Any) -> Callable:
    """st.cache_data, with `_as_from_the_cache`; the same call forms."""
    if func is not None:
        return _st.cache_data(_as_from_the_cache(func), **options)
    return lambda f: _st.cache_data(_as_from_the_cache(f), **options)


def _quiet_outside_a_streamlit_server() -> None:
    """Where Streamlit is installed but no server runs (a local notebook, `python` or pytest),
    st.cache_data caches in memory and logs two warnings at every cached call ("No runtime
    found", "missing ScriptRunContext"), printed under a notebook's figure cells: nothing is
    wrong, so they are dropped there. A server (which exists before any page imports this
    module) keeps them."""
    from streamlit import runtime

    if runtime.exists():
        return
    for name in ("streamlit.runtime.caching.cache_data_api",
                 "streamlit.runtime.scriptrunner_utils.script_run_context"):
        # (A filter, not a level: Streamlit resets its loggers' levels when its config loads.)
        logger = logging.getLogger(name)
        if _errors_only not in logger.filters:
            logger.addFilter(_errors_only)


class _ErrorsOnly(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.ERROR

    def __eq__(self, other: object) -> bool:  # one per logger, however often this is imported
        return type(other).__name__ == type(self).__name__

    def __hash__(self) -> int:
        return hash(type(self).__name__)


_errors_only = _ErrorsOnly()


if _st is not None:
    _quiet_outside_a_streamlit_server()
cache_data = _st_cache_data if _st is not None else _memoise
cache_resource = _st.cache_resource if _st is not None else _memoise


def cache_run(run: Callable[..., Any]) -> Callable[..., Any]:
    """Cache a run that reports progress, per process and per positional arguments; its keyword
    arguments (the progress callback) are passed to the first run and are not part of the key.
    Not st.cache_resource: that records the progress bar's updates made during the first run and
    replays them on every later hit, onto a bar the later script run does not have
    (CacheReplayClosureError). A second caller waits for a run in progress instead of starting
    another."""
    results: dict[tuple, Any] = {}
    lock = threading.Lock()

    @functools.wraps(run)
    def cached(*args: Any, **progress: Any) -> Any:
        with lock:
            if args not in results:
                results[args] = run(*args, **progress)
            return results[args]

    return cached
