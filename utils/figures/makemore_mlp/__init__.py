"""Chapter 4.2 (makemore 2: an MLP)'s figures (drawing only). A `{figure}` body names a submodule:
`figures.model.some_figure(...)`."""

from utils.figures.makemore_mlp import model, tuning  # noqa: F401

# What this chapter's pages compute on a first view, as they call it: the server computes these
# in the background once it has started (utils/registry's compute_first_views).
FIRST_VIEWS = (model.split_table,)  # three models' losses on three splits: 0.25 s
