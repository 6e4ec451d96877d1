"""Chapter 4.3 (makemore 3: activations, gradients and BatchNorm)'s figures (drawing only). A `{figure}` body names a submodule:
`figures.init.some_figure(...)`."""

from utils.figures.makemore_activations import init, batchnorm  # noqa: F401
