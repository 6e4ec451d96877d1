"""Chapter 4.4 (makemore 4: becoming a backprop ninja): checks, one module per group of sections."""

from utils.checks.makemore_backprop.manual import *  # noqa: F401,F403
from utils.checks.makemore_backprop.closed_form import *  # noqa: F401,F403
