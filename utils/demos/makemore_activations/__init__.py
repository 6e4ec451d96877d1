"""Chapter 4.3 (makemore 3: activations, gradients and BatchNorm): demos, runs of a learner's code in the sandbox, one module per group of sections."""

from utils.demos.makemore_activations.init import *  # noqa: F401,F403
from utils.demos.makemore_activations.batchnorm import *  # noqa: F401,F403
