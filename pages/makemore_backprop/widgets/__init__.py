"""Chapter 4.4 (makemore 4: becoming a backprop ninja): the page-only interactive pieces, one function per `{widget} name`
directive, one module per group of sections."""

from pages.makemore_backprop.widgets.manual import *  # noqa: F401,F403
from pages.makemore_backprop.widgets.closed_form import *  # noqa: F401,F403
