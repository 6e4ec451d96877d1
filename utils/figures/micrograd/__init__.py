"""Chapter 3's figures (drawing only). A `{figure}` body names a submodule:
`figures.engine.expression_graph(...)`."""

from utils.figures.micrograd import engine, network  # noqa: F401

# What this chapter's pages compute on a first view, as they call it: the server computes these
# in the background once it has started (utils/registry's compute_first_views).
FIRST_VIEWS = (network.reference_boundary,)  # 21 frames of a boundary: 0.4 s
