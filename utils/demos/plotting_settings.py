"""Chapter 1's demo settings: how long the 3-vs-7 classifier trains, what each page control
offers and its default. No torch here: the chapter's widgets draw their first view from these
and the charts kept for it (utils/first_view_charts.py) before torch is imported."""

from __future__ import annotations

from typing import Any

TRAIN_STEPS = 60
RECORD_EVERY = 2  # losses every 2 steps: the x values are 0, 2, 4, ...
SNAPSHOT_EVERY = 5  # weights every 5 steps: the animation's frames
LEARNING_RATES = (0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
DEFAULT_RATE = 1.0
GAINS = (0.5, 1.0, 5 / 3, 3.0)
COLUMNS = (2, 3, 4, 6)
POINT_COUNTS = (50, 150, 400)
HEATMAP_STEPS = tuple(range(SNAPSHOT_EVERY, TRAIN_STEPS + 1, SNAPSHOT_EVERY))
GRID_IMAGES = 12

# For each exercise: the settings a page control offers, and its default.
SETTINGS: dict[str, tuple[tuple, Any]] = {
    "line_plot": (LEARNING_RATES, DEFAULT_RATE),
    "labelled_scatter": (POINT_COUNTS, 150),
    "signed_heatmap": (HEATMAP_STEPS, 30),
    "image_grid": (COLUMNS, 4),
    "histograms_by_layer": (GAINS, 1.0),
    "animate": (LEARNING_RATES, DEFAULT_RATE),
}
