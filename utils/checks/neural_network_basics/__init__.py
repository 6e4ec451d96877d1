"""Checks for chapter 2 (neural-network basics). Use from a local file or notebook:

    from utils.checks import neural_network_basics as tests
    tests.test_mean_image(mean_image)

One module per pair of sections: `digits` (the baseline and the linear model), `training` (the
training loop and tabular data), `fitting` (lines of best fit and warped space).
"""

from utils.checks.neural_network_basics.digits import *  # noqa: F401,F403
from utils.checks.neural_network_basics.training import *  # noqa: F401,F403
from utils.checks.neural_network_basics.fitting import *  # noqa: F401,F403
