"""Chapter 6 (Mini-projects: build it without a lesson): the page-only interactive pieces, one function per `{widget} name`
directive, one module per group of sections."""

from pages.mini_projects.widgets.numpy_net import *  # noqa: F401,F403
from pages.mini_projects.widgets.autodiff import *  # noqa: F401,F403
