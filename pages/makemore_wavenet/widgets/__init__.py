"""Chapter 4.5 (makemore 5: a WaveNet): the page-only interactive pieces, one function per `{widget} name`
directive, one module per group of sections."""

from pages.makemore_wavenet.widgets.layers import *  # noqa: F401,F403
from pages.makemore_wavenet.widgets.model import *  # noqa: F401,F403
