"""Chapter 4.2 (makemore 2: an MLP): checks, one module per group of sections."""

from utils.checks.makemore_mlp.model import *  # noqa: F401,F403
from utils.checks.makemore_mlp.tuning import *  # noqa: F401,F403
