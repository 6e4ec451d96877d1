"""Chapter 4.1 (makemore 1: bigrams): demos, runs of a learner's code in the sandbox, one module per group of sections."""

from utils.demos.makemore_bigrams.counting import *  # noqa: F401,F403
from utils.demos.makemore_bigrams.neural import *  # noqa: F401,F403
