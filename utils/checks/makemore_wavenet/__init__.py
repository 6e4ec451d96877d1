"""Chapter 4.5 (makemore 5: a WaveNet): checks, one module per group of sections."""

from utils.checks.makemore_wavenet.layers import *  # noqa: F401,F403
from utils.checks.makemore_wavenet.model import *  # noqa: F401,F403
