"""The runs behind section 5, "A bigger line of best fit" (no drawing: the figures module draws).

Everything is seeded and small, so each run takes well under a second and gives the same numbers
every time: a noisy line fitted by gradient descent (and by least squares, the answer it should
reach), polynomials of every degree on a few points of a curve (under- and overfitting), a
polynomial and a small ReLU network asked about x values outside their training range
(extrapolation), and a line with two outliers fitted under squared and absolute error.
"""

from __future__ import annotations

import functools
from typing import Callable

import numpy as np
import torch as t
from jaxtyping import Float
from torch import Tensor

# (What the page offers, defined where the widgets can import it without torch.)
from utils.demos.neural_network_basics_settings import (  # noqa: F401 - others import them from here too
    CURVE_TRAIN, DEFAULT_RATE, FIT_STEPS, LEARNING_RATES, MAX_DEGREE, STEP_COUNTS)
from utils.torch_threads import one_thread

# --- a line by gradient descent -----------------------------------------------------------------

LINE_SLOPE, LINE_INTERCEPT, LINE_NOISE = 1.5, 0.5, 0.4
LINE_POINTS = 40


@functools.lru_cache(maxsize=1)
def line_data(n: int = LINE_POINTS, seed: int = 0) -> tuple[Float[Tensor, "n"], Float[Tensor, "n"]]:
    """n points x uniform in [0, 3], y = 1.5 x + 0.5 plus Gaussian noise of standard deviation
    0.4. The loss's Hessian 2 [[mean x^2, mean x], [mean x, 1]] has eigenvalues about 6.87 and
    0.43 here: gradient descent diverges for lr > 2 / 6.87 = 0.29."""
    gen = t.Generator().manual_seed(seed)
    x = t.rand(n, generator=gen) * 3
    y = LINE_SLOPE * x + LINE_INTERCEPT + LINE_NOISE * t.randn(n, generator=gen)
    return x, y


def least_squares(x: Float[Tensor, "n"], y: Float[Tensor, "n"]) -> tuple[float, float]:
    """The slope and intercept with the smallest mean squared error (in float64)."""
    design = t.stack([x, t.ones_like(x)], dim=1).double()
    slope, intercept = t.linalg.lstsq(design, y.double()[:, None]).solution.ravel().tolist()
    return slope, intercept


def mse(x: Tensor, y: Tensor, slope: float, intercept: float) -> float:
    return float(((slope * x.double() + intercept - y.double()) ** 2).mean())


def fit_path(fit_line: Callable, lr: float, x: Tensor | None = None, y: Tensor | None = None,
             counts: tuple[int, ...] = STEP_COUNTS) -> dict[str, list[float]]:
    """`fit_line` (a learner's or the reference) run for each number of steps in `counts`: since
    every run starts from slope 0 and intercept 0, run k is the k-th point of one descent. Also
    each line's mean squared error (inf once it has blown up)."""
    if x is None or y is None:
        x, y = line_data()
    slopes, intercepts, losses = [], [], []
    for steps in counts:
        with one_thread():
            slope, intercept = fit_line(x.clone(), y.clone(), lr, steps)
        slope, intercept = float(slope), float(intercept)
        loss = mse(x, y, slope, intercept)
        slopes.append(slope)
        intercepts.append(intercept)
        losses.append(loss if np.isfinite(loss) else float("inf"))
    return {"steps": list(counts), "slopes": slopes, "intercepts": intercepts, "losses": losses}


def saved_path(lr: float) -> dict[str, list[float]] | None:
    """The reference fit_line's path at `lr` as precompute saved it (the page's default rate
    only: the others are run when the learner picks them)."""
    from utils.experiments.neural_network_basics import precompute

    return precompute.load("fitting")["line_paths"].get(str(lr))


# --- polynomials of every degree ----------------------------------------------------------------

CURVE_HELD_OUT, CURVE_NOISE = 200, 0.25
CURVE_GRID = 400


def curve(x: Tensor) -> Tensor:
    """The curve the points are drawn from: one period of a sine."""
    return t.sin(2 * t.pi * x)


def _features(x: Tensor, degree: int) -> Tensor:
    """Legendre polynomials P_0 .. P_degree of 2x - 1 (a well-conditioned basis on [0, 1] that
    spans the same polynomials as 1, x, ..., x^degree), float64."""
    u = (2 * x.double() - 1)
    columns = [t.ones_like(u), u]
    for k in range(1, degree):  # Bonnet's recursion
        columns.append(((2 * k + 1) * u * columns[k] - k * columns[k - 1]) / (k + 1))
    return t.stack(columns[:degree + 1], dim=1)


@functools.lru_cache(maxsize=1)
def polynomial_fits(seed: int = 1) -> dict[str, Tensor]:
    """The training points, held-out points from the same curve and noise, and the least-squares
    polynomial of each degree 0..MAX_DEGREE: its curve on a grid over [0, 1], its train and
    held-out mean squared errors."""
    gen = t.Generator().manual_seed(seed)
    # One point in each twelfth of [0, 1], so no stretch of the curve goes unseen.
    x_train = (t.arange(CURVE_TRAIN) + t.rand(CURVE_TRAIN, generator=gen, dtype=t.float64)) \
        / CURVE_TRAIN
    y_train = curve(x_train) + CURVE_NOISE * t.randn(CURVE_TRAIN, generator=gen, dtype=t.float64)
    x_held = t.rand(CURVE_HELD_OUT, generator=gen, dtype=t.float64)
    y_held = curve(x_held) + CURVE_NOISE * t.randn(CURVE_HELD_OUT, generator=gen, dtype=t.float64)
    grid = t.linspace(0, 1, CURVE_GRID, dtype=t.float64)
    curves, train_err, held_err = [], [], []
    for degree in range(MAX_DEGREE + 1):
        coef = t.linalg.lstsq(_features(x_train, degree), y_train[:, None],
                              driver="gelsd").solution
        curves.append((_features(grid, degree) @ coef).ravel())
        for errors, x, y in ((train_err, x_train, y_train), (held_err, x_held, y_held)):
            errors.append(float(((_features(x, degree) @ coef).ravel() - y).pow(2).mean()))
    return {"x_train": x_train, "y_train": y_train, "x_held": x_held, "y_held": y_held,
            "grid": grid, "curves": t.stack(curves), "train_err": t.tensor(train_err),
            "held_err": t.tensor(held_err)}


def best_degree() -> int:
    """The degree with the smallest held-out error."""
    return int(polynomial_fits()["held_err"].argmin())


# --- outside the training range -----------------------------------------------------------------

EXTRA_TRAIN = (-1.0, 1.0)
EXTRA_SHOWN = (-2.5, 2.5)
EXTRA_POINTS, EXTRA_DEGREE, EXTRA_WIDTH, EXTRA_STEPS = 40, 7, 16, 600


def extrapolation_target(x: Tensor) -> Tensor:
    """A parabola: simple, and it goes on the same way outside [-1, 1]."""
    return x ** 2


@functools.lru_cache(maxsize=1)
def extrapolation() -> dict[str, Tensor]:
    """`fit_extrapolation()`, as precompute saved it (600 Adam steps are too slow for a cold
    server's first view)."""
    from utils.experiments.neural_network_basics import precompute

    saved = precompute.load("fitting")["extrapolation"]
    return {key: t.tensor(values, dtype=t.float32) for key, values in saved.items()}


def fit_extrapolation(seed: int = 0) -> dict[str, Tensor]:
    """A polynomial of degree EXTRA_DEGREE and a 1-16-16-1 ReLU network (Adam, full batch), both
    fitted to noisy points with x in [-1, 1], then evaluated on [-2.5, 2.5]."""
    with one_thread():
        return _fit_extrapolation(seed)


def _fit_extrapolation(seed: int) -> dict[str, Tensor]:
    gen = t.Generator().manual_seed(seed)
    x = t.rand(EXTRA_POINTS, generator=gen) * 2 - 1
    y = extrapolation_target(x) + 0.1 * t.randn(EXTRA_POINTS, generator=gen)
    grid = t.linspace(*EXTRA_SHOWN, 301)
    powers = t.arange(EXTRA_DEGREE + 1, dtype=t.float64)
    coef = t.linalg.lstsq(x.double()[:, None] ** powers, y.double()[:, None]).solution
    poly = (grid.double()[:, None] ** powers @ coef).ravel().float()

    t.manual_seed(seed)
    net = t.nn.Sequential(t.nn.Linear(1, EXTRA_WIDTH), t.nn.ReLU(),
                          t.nn.Linear(EXTRA_WIDTH, EXTRA_WIDTH), t.nn.ReLU(),
                          t.nn.Linear(EXTRA_WIDTH, 1))
    opt = t.optim.Adam(net.parameters(), lr=0.01)
    for _ in range(EXTRA_STEPS):
        opt.zero_grad()
        loss = ((net(x[:, None]).ravel() - y) ** 2).mean()
        loss.backward()
        opt.step()
    with t.no_grad():
        relu = net(grid[:, None]).ravel()
    return {"x": x, "y": y, "grid": grid, "truth": extrapolation_target(grid), "poly": poly,
            "relu": relu}


# --- outliers under squared and absolute error --------------------------------------------------

@functools.lru_cache(maxsize=1)
def outlier_data(n: int = 20, seed: int = 3) -> tuple[Tensor, Tensor, Tensor]:
    """n points on a noisy line, x in [0, 3]; the two with the largest x are then moved 6 units
    down (say, values typed in the wrong units). Returns x, y and a mask of the outliers."""
    gen = t.Generator().manual_seed(seed)
    x = t.rand(n, generator=gen) * 3
    y = LINE_SLOPE * x + LINE_INTERCEPT + 0.3 * t.randn(n, generator=gen)
    outlier = t.zeros(n, dtype=t.bool)
    outlier[x.topk(2).indices] = True
    return x, t.where(outlier, y - 6.0, y), outlier


def least_absolute(x: Tensor, y: Tensor) -> tuple[float, float]:
    """The slope and intercept with the smallest mean absolute error (a linear program, solved
    exactly by scikit-learn's median regression)."""
    # Imported here: only the page's figure needs it, and the code runner, which imports this
    # module for its demos, should not load scikit-learn's linear models and their solvers.
    from sklearn.linear_model import QuantileRegressor

    model = QuantileRegressor(quantile=0.5, alpha=0.0, solver="highs")
    model.fit(x.double().numpy()[:, None], y.double().numpy())
    return float(model.coef_[0]), float(model.intercept_)


@functools.lru_cache(maxsize=1)
def outlier_fits() -> dict[str, object]:
    """The MSE and MAE lines with and without the outliers, and each point's pull on the MSE
    line: the derivative of each loss with respect to that point's prediction, there."""
    from utils.experiments.neural_network_basics import precompute

    x, y, outlier = outlier_data()
    # The MAE line is saved: solving it imports scikit-learn's solvers, over a second on a cold
    # server.
    lines = {"MSE": least_squares(x, y), "MAE": tuple(precompute.load("fitting")["mae_line"]),
             "MSE without the outliers": least_squares(x[~outlier], y[~outlier])}
    slope, intercept = lines["MSE"]
    residual = slope * x + intercept - y
    n = len(x)
    return {"x": x, "y": y, "outlier": outlier, "lines": lines,
            "pull_mse": 2 * residual / n, "pull_mae": t.sign(residual) / n}
