"""Chapter 6 (Mini-projects: build it without a lesson): demos, runs of a learner's code in the sandbox, one module per group of sections."""

from utils.demos.mini_projects.numpy_net import *  # noqa: F401,F403
from utils.demos.mini_projects.autodiff import *  # noqa: F401,F403
