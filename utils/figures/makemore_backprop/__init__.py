"""Chapter 4.4 (makemore 4: becoming a backprop ninja)'s figures (drawing only). A `{figure}` body names a submodule:
`figures.manual.some_figure(...)`."""

from utils.figures.makemore_backprop import manual, closed_form  # noqa: F401
