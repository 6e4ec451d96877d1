"""Chapter 2's interactive pieces: one function per `{widget} name` directive in its sections,
one module per pair of sections."""

from pages.neural_network_basics.widgets.digits import *  # noqa: F401,F403
from pages.neural_network_basics.widgets.training import *  # noqa: F401,F403
from pages.neural_network_basics.widgets.fitting import *  # noqa: F401,F403
