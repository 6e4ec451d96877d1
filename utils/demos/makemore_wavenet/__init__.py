"""Chapter 4.5 (makemore 5: a WaveNet): demos, runs of a learner's code in the sandbox, one module per group of sections."""

from utils.demos.makemore_wavenet.layers import *  # noqa: F401,F403
from utils.demos.makemore_wavenet.model import *  # noqa: F401,F403
