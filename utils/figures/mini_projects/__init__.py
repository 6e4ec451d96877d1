"""Chapter 6 (Mini-projects: build it without a lesson)'s figures (drawing only). A `{figure}` body names a submodule:
`figures.numpy_net.some_figure(...)`."""

from utils.figures.mini_projects import numpy_net, autodiff  # noqa: F401
