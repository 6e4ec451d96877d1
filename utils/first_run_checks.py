"""Spare a freshly started server's first page two of Streamlit's once-per-process checks.

That page is the one a learner waking the app waits for, and each check costs it tens of
milliseconds, for nothing this site needs:
- The first element a process draws makes Streamlit ask whether it runs at an interactive prompt
  (to warn that an app is run with `streamlit run`). It takes the whole call stack with its source
  lines (inspect.stack maps every loaded module's file): 50 ms beside a browser here. This site
  is only run by `streamlit run` or its tests, so the check is marked as done.
- An emoji favicon is checked against Streamlit's catalogue of every emoji, whose import compiles
  a regular expression over all of them: 40 ms on an idle core, 85 ms beside a browser. (Any other
  favicon costs more: an image, even a data URL, imports NumPy and Pillow, 60 ms idle.) The
  site's own favicon is known to be an emoji, so it is passed on as Streamlit would pass it.
  Other icons are Material symbols (utils/page_icons.py), which need no catalogue.
Both reach into Streamlit's modules: tests/test_first_run_costs.py fails if Streamlit moves them
(and where they are gone, these do nothing: the page only pays the checks again).
"""

from collections.abc import Callable

from streamlit import delta_generator
from streamlit.commands import page_config

# Streamlit's once-per-process flag (streamlit/delta_generator.py, _maybe_print_use_warning).
REPL_FLAG = "_use_warning_has_been_displayed"
# What set_page_config calls to turn page_icon into what it sends the browser.
FAVICON_STRING = "_get_favicon_string"


def skip_repl_check() -> None:
    if hasattr(delta_generator, REPL_FLAG):
        setattr(delta_generator, REPL_FLAG, True)


def known_emoji_favicon(emoji: str) -> None:
    """set_page_config(page_icon=emoji) sends `emoji` as Streamlit sends an emoji it has looked
    up in its catalogue, without looking it up. Once per process; any other icon as before."""
    streamlits: Callable[..., str] | None = getattr(page_config, FAVICON_STRING, None)
    if streamlits is None or getattr(streamlits, "known_emoji", None) is not None:
        return

    def favicon_string(page_icon: object, *args: object, **kwargs: object) -> str:
        return f"emoji:{emoji}" if page_icon == emoji and not args and not kwargs \
            else streamlits(page_icon, *args, **kwargs)

    favicon_string.known_emoji = emoji  # type: ignore[attr-defined]
    setattr(page_config, FAVICON_STRING, favicon_string)
