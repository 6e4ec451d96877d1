"""Section 4's tabular tasks, turned into numbers a linear model can use (no drawing, no scaling:
scaling is the learner's `standardize`, applied by whoever trains).

Two datasets, one format (`TabularTask`):
- `breast_cancer`: scikit-learn's Wisconsin breast-cancer table (569 tumours, 30 measurements of
  cell nuclei; 1.0 = malignant). It ships inside scikit-learn, so it is the offline default. Its
  columns differ in scale by five orders of magnitude and several are strongly right-skewed,
  which is what scaling and logs are for; it has no categorical column.
- `titanic`: the Titanic passenger list (1309 passengers; 1.0 = survived), downloaded from
  OpenML by utils.data.load_titanic. The Kaggle notebook's features: sex, class and port of
  embarkation one-hot encoded, age (missing ones filled), siblings/spouses, parents/children,
  and the log of the fare.

Both are split 80/20 into train and validation with a fixed seed; every statistic used to build
features (medians, the most common port, which columns are skewed) is measured on train only.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass

import numpy as np
import torch as t
from jaxtyping import Float
from torch import Tensor

from solutions import neural_network_basics as solutions
from utils.demos.neural_network_basics_settings import DATASETS  # noqa: F401 - named here too
from utils import data
from utils.caching import cache_resource

VALID_FRACTION = 0.2
SKEW_LIMIT = 1.0  # a column whose train skewness is above this gets log(1 + x)


@dataclass(frozen=True)
class TabularTask:
    name: str  # a key of DATASETS
    source: str  # the dataset, as a page names it
    target: str  # what a target of 1.0 means
    feature_names: tuple[str, ...]
    train_x: Float[Tensor, "n d"]  # unscaled features
    train_y: Float[Tensor, "n 1"]
    valid_x: Float[Tensor, "m d"]
    valid_y: Float[Tensor, "m 1"]
    logged: tuple[str, ...] = ()  # the features that are log(1 + x) of a raw column


def _split(n: int, seed: int) -> tuple[Tensor, Tensor]:
    order = t.randperm(n, generator=t.Generator().manual_seed(seed))
    n_valid = int(round(n * VALID_FRACTION))
    return order[n_valid:], order[:n_valid]


def skewness(column: Float[Tensor, "n"]) -> float:
    """The sample skewness, E[(x - mean)^3] / std^3: 0 for a symmetric column, large and positive
    for one with a long right tail."""
    centred = column - column.mean()
    spread = float(centred.pow(2).mean().sqrt())
    return float(centred.pow(3).mean()) / spread ** 3 if spread else 0.0


# The columns of scikit-learn's table, as `load_breast_cancer().feature_names` names them (the
# file it ships has none): each of ten measurements, as a mean, its standard error and the worst.
_MEASUREMENTS = ("radius", "texture", "perimeter", "area", "smoothness", "compactness",
                 "concavity", "concave points", "symmetry", "fractal dimension")
BREAST_CANCER_COLUMNS = tuple([f"mean {m}" for m in _MEASUREMENTS]
                              + [f"{m} error" for m in _MEASUREMENTS]
                              + [f"worst {m}" for m in _MEASUREMENTS])


def breast_cancer_table() -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's breast-cancer table as (features (569, 30), targets: 0 malignant, 1
    benign), read straight from the file the package ships, as `load_breast_cancer` reads it:
    importing sklearn.datasets takes over a second on a cold server."""
    path = data.scikit_learn_file("data", "breast_cancer.csv")
    try:
        rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))[1:]
    except OSError:  # a scikit-learn that keeps it elsewhere: let it find its own file
        from sklearn.datasets import load_breast_cancer

        raw = load_breast_cancer()
        return raw.data, raw.target
    return (np.array([row[:-1] for row in rows], dtype=np.float64),
            np.array([row[-1] for row in rows], dtype=np.int64))


@cache_resource(show_spinner=False)
def breast_cancer(seed: int = 0) -> TabularTask:
    """scikit-learn's breast-cancer table; columns skewed on train get log(1 + x)."""
    features, targets = breast_cancer_table()
    x = t.tensor(features, dtype=t.float32)
    y = t.tensor(targets == 0, dtype=t.float32)[:, None]  # sklearn's 0 is malignant
    train, valid = _split(len(x), seed)
    names = list(BREAST_CANCER_COLUMNS)
    logged = []
    for j, name in enumerate(names):
        if skewness(x[train, j]) > SKEW_LIMIT:
            x[:, j] = t.log1p(x[:, j])
            names[j] = f"log(1 + {name})"
            logged.append(names[j])
    return TabularTask("breast_cancer", "scikit-learn's breast-cancer table (Wisconsin, 569 "
                       "tumours)", "malignant", tuple(names), x[train], y[train], x[valid],
                       y[valid], tuple(logged))


def titanic_features(table: data.Table, seed: int = 0) -> TabularTask:
    """The Titanic table as numbers: one-hot sex, class and port; age with missing ages set to
    the training median; sibsp, parch; log(1 + fare) with a missing fare set to the median."""
    cols = table.columns
    n = len(table)
    train, valid = _split(n, seed)
    train_rows = set(train.tolist())

    def train_median(name: str) -> float:
        return float(np.median([v for i, v in enumerate(cols[name])
                                if i in train_rows and v is not None]))

    age_fill, fare_fill = train_median("age"), train_median("fare")
    ports = [v for i, v in enumerate(cols["embarked"]) if i in train_rows and v is not None]
    port_fill = max(sorted(set(ports)), key=ports.count)
    features = {
        "age": [age_fill if v is None else v for v in cols["age"]],
        "sibsp": [v or 0.0 for v in cols["sibsp"]],
        "parch": [v or 0.0 for v in cols["parch"]],
        "log(1 + fare)": [math.log1p(fare_fill if v is None else v) for v in cols["fare"]],
    }
    x = np.column_stack(list(features.values()))
    names = list(features)
    for column, levels in (("sex", ["female", "male"]), ("pclass", [1.0, 2.0, 3.0]),
                           ("embarked", ["C", "Q", "S"])):
        values = [port_fill if (column == "embarked" and v is None) else v for v in cols[column]]
        x = np.column_stack([x, solutions.one_hot(values, levels).numpy()])
        names += [f"{column}={level:g}" if isinstance(level, float) else f"{column}={level}"
                  for level in levels]
    features_t = t.tensor(x, dtype=t.float32)
    y = t.tensor([float(v == "1") for v in cols["survived"]])[:, None]
    return TabularTask("titanic", table.source, "survived", tuple(names), features_t[train],
                       y[train], features_t[valid], y[valid], ("log(1 + fare)",))


@cache_resource(show_spinner="Loading the Titanic passenger list…")
def titanic(seed: int = 0) -> TabularTask:
    """The Titanic task from OpenML's file (downloaded once, then cached); DataUnavailable
    offline."""
    return titanic_features(data.load_titanic(), seed)


def tabular_task(name: str) -> TabularTask:
    """A task by its DATASETS key (the Titanic raises DataUnavailable when it can't be had)."""
    if name == "titanic":
        return titanic()
    if name == "breast_cancer":
        return breast_cancer()
    raise ValueError(f"unknown dataset {name!r}; expected one of {list(DATASETS)}")
