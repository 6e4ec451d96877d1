"""Chapter 3 (micrograd): the page-only interactive pieces, one function per `{widget} name`
directive, one module per group of sections."""

from pages.micrograd.widgets.engine import *  # noqa: F401,F403
from pages.micrograd.widgets.network import *  # noqa: F401,F403
