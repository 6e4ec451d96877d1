"""Chapter 2's settings that both its widgets and its runs use: the learning rates, step counts,
degrees and snapshots the fitting widgets offer, the models and tables, the exercises each demo
calls (choices only the widgets offer stay in pages/neural_network_basics/widgets/).

Importing this module imports no torch and no NumPy, so that the chapter's widgets can draw their
controls, and their default state from the charts kept for it (utils/first_view_charts.py), on a
fresh server's first page before the chapter's code is imported.
"""

from __future__ import annotations

# --- the digits sections (1, 2): the exercises each "draw it with my code" demo calls ---------
BASELINE_NAMES = ("mean_image", "mnist_distance", "is_three")
SWEEP_NAMES = ("init_params", "linear1", "mnist_loss", "batch_accuracy")

# --- the training loop and tabular data (3, 4) ---------------------------------------------------
KINDS = {"linear": "linear model", "net": "two-layer net"}
DATASETS = {"breast_cancer": "Breast cancer (ships with scikit-learn)",
            "titanic": "Titanic (downloaded from OpenML)"}
TABULAR_EPOCHS = 30

# --- a line by gradient descent (5) -------------------------------------------------------------
FIT_STEPS = 300  # the longest run the page draws
# Rates the page offers: the data's x lie in [0, 3], so the mean squared error's curvature lets
# plain gradient descent converge below lr = 0.29 and makes it blow up above (see line_data).
LEARNING_RATES = (0.01, 0.03, 0.1, 0.2, 0.28, 0.3)
DEFAULT_RATE = 0.1
# The step counts at which a run is drawn: every step early on, where the line moves most, then
# 25 counts spaced evenly on a log scale from 10 to FIT_STEPS.
STEP_COUNTS = tuple(sorted({*range(11),
                            *(round(10 * (FIT_STEPS / 10) ** (i / 24)) for i in range(25))}))

# --- polynomials of every degree (5) -------------------------------------------------------------
CURVE_TRAIN = 12  # training points
MAX_DEGREE = CURVE_TRAIN - 1  # a polynomial of degree n - 1 goes through any n points

# --- weights transform space (6) -----------------------------------------------------------------
TRAIN_STEPS, SNAPSHOT_EVERY = 600, 50  # the moons network's training, and its saved snapshots
SNAPSHOT_STEPS = tuple(range(0, TRAIN_STEPS + 1, SNAPSHOT_EVERY))
# A Linear(2, 2) layer's weights (W11, W12, W21, W22) to start from.
MATRIX_PRESETS: dict[str, tuple[float, float, float, float]] = {
    "identity": (1.0, 0.0, 0.0, 1.0),
    "scale x by 2, y by 0.5": (2.0, 0.0, 0.0, 0.5),
    "rotate by 90°": (0.0, -1.0, 1.0, 0.0),
    "shear": (1.0, 1.0, 0.0, 1.0),
    "reflect in the y axis": (-1.0, 0.0, 0.0, 1.0),
    "squash onto a line": (1.0, 0.5, 2.0, 1.0),
}
FIRST_PRESET = "shear"  # the matrix the sliders start at, as the notebook's stand-in draws it
