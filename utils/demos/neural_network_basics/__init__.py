"""Chapter 2's demos: runs of a learner's own code in the sandbox, whose data the page draws
(utils/demo_widgets.learner_demo). One module per pair of sections."""

from utils.demos.neural_network_basics.digits import *  # noqa: F401,F403
from utils.demos.neural_network_basics.training import *  # noqa: F401,F403
from utils.demos.neural_network_basics.fitting import *  # noqa: F401,F403
