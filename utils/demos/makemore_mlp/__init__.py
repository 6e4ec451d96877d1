"""Chapter 4.2 (makemore 2: an MLP): demos, runs of a learner's code in the sandbox, one module per group of sections."""

from utils.demos.makemore_mlp.model import *  # noqa: F401,F403
from utils.demos.makemore_mlp.tuning import *  # noqa: F401,F403
