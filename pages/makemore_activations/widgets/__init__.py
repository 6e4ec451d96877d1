"""Chapter 4.3 (makemore 3: activations, gradients and BatchNorm): the page-only interactive pieces, one function per `{widget} name`
directive, one module per group of sections."""

from pages.makemore_activations.widgets.init import *  # noqa: F401,F403
from pages.makemore_activations.widgets.batchnorm import *  # noqa: F401,F403
