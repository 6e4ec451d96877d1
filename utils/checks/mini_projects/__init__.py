"""Chapter 6 (Mini-projects: build it without a lesson): checks, one module per group of sections."""

from utils.checks.mini_projects.numpy_net import *  # noqa: F401,F403
from utils.checks.mini_projects.autodiff import *  # noqa: F401,F403
