"""Chapter 3's figures (drawing only). A `{figure}` body names a submodule:
`figures.engine.expression_graph(...)`."""

from utils.figures.micrograd import engine, network  # noqa: F401
