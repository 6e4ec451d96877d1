"""Chapter 4.3 (makemore 3: activations, gradients and BatchNorm): checks, one module per group of sections."""

from utils.checks.makemore_activations.init import *  # noqa: F401,F403
from utils.checks.makemore_activations.batchnorm import *  # noqa: F401,F403
