"""Chapter 4.1 (makemore 1: bigrams)'s figures (drawing only). A `{figure}` body names a submodule:
`figures.counting.some_figure(...)`."""

from utils.figures.makemore_bigrams import counting, neural  # noqa: F401
