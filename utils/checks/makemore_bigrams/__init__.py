"""Chapter 4.1 (makemore 1: bigrams): checks, one module per group of sections."""

from utils.checks.makemore_bigrams.counting import *  # noqa: F401,F403
from utils.checks.makemore_bigrams.neural import *  # noqa: F401,F403
