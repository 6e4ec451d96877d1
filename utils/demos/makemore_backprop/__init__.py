"""Chapter 4.4 (makemore 4: becoming a backprop ninja): demos, runs of a learner's code in the sandbox, one module per group of sections."""

from utils.demos.makemore_backprop.manual import *  # noqa: F401,F403
from utils.demos.makemore_backprop.closed_form import *  # noqa: F401,F403
