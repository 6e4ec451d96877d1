"""Chapter 3 (micrograd): demos, runs of a learner's code in the sandbox, one module per group of sections."""

from utils.demos.micrograd.engine import *  # noqa: F401,F403
from utils.demos.micrograd.network import *  # noqa: F401,F403
