"""Chapter 4.2 (makemore 2: an MLP)'s figures (drawing only). A `{figure}` body names a submodule:
`figures.model.some_figure(...)`."""

from utils.figures.makemore_mlp import model, tuning  # noqa: F401
