"""Chapter 3 (micrograd): checks, one module per group of sections."""

from utils.checks.micrograd.engine import *  # noqa: F401,F403
from utils.checks.micrograd.network import *  # noqa: F401,F403
