"""Chapter 2's figures (drawing only; the runs are in utils/experiments/neural_network_basics).
A `{figure}` body names them by module: `figures.digits.mean_images(...)`."""

from utils.figures.neural_network_basics import digits, fitting, training  # noqa: F401
