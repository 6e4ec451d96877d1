"""Chapter 4.1 (makemore 1: bigrams): the page-only interactive pieces, one function per `{widget} name`
directive, one module per group of sections."""

from pages.makemore_bigrams.widgets.counting import *  # noqa: F401,F403
from pages.makemore_bigrams.widgets.neural import *  # noqa: F401,F403
