"""Chapter 4.2 (makemore 2: an MLP): the page-only interactive pieces, one function per `{widget} name`
directive, one module per group of sections."""

from pages.makemore_mlp.widgets.model import *  # noqa: F401,F403
from pages.makemore_mlp.widgets.tuning import *  # noqa: F401,F403
