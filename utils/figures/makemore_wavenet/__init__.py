"""Chapter 4.5 (makemore 5: a WaveNet)'s figures (drawing only). A `{figure}` body names a submodule:
`figures.layers.some_figure(...)`."""

from utils.figures.makemore_wavenet import layers, model  # noqa: F401
