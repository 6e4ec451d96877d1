"""Chapter 2's sections 3 (the training loop) and 4 (tabular data): the training runs, the
tabular features, the learner's models trained in the sandbox, and the pages' widgets."""

from __future__ import annotations

import math

import pytest
import torch as t

from tests.browser_site import open_page
from utils import data, registry, sources
from utils.answers import reference_file
from utils.demos.neural_network_basics.training import validated_curves
from utils.experiments.neural_network_basics import tabular
from utils.experiments.neural_network_basics.training import (Settings, reference_functions,
                                                              train_and_measure)
from utils.runner import run_demo
from tests.app_charts import chart_specs

STEM = "neural_network_basics"


@pytest.fixture(autouse=True)
def _offline(monkeypatch, tmp_path):
    """No network and an empty cache: the pages' offline path (the breast-cancer table, the
    offline digits)."""
    monkeypatch.setenv("GTF_OFFLINE", "1")
    monkeypatch.setenv("GTF_DATA_DIR", str(tmp_path / "cache"))


def _fixture_table() -> data.Table:
    """Ten passengers with every kind of gap: a missing age, fare and port."""
    cols = {
        "pclass": [1.0, 3.0, 2.0, 3.0, 1.0, 2.0, 3.0, 3.0, 1.0, 2.0],
        "survived": ["1", "0", "0", "1", "0", "1", "0", "0", "1", "1"],
        "sex": ["female", "male", "female", "male", "male", "female", "male", "male", "female",
                "male"],
        "age": [29.0, None, 41.0, 2.0, 62.0, 30.0, 19.0, None, 45.0, 8.0],
        "sibsp": [0.0, 1.0, 0.0, 3.0, 0.0, 1.0, 0.0, 0.0, 1.0, 2.0],
        "parch": [0.0, 0.0, 2.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0],
        "fare": [211.3, 7.25, None, 21.1, 26.6, 13.0, 8.05, 7.9, 90.0, 26.0],
        "embarked": ["S", "S", "C", None, "Q", "S", "S", "Q", "C", "S"],
    }
    return data.Table(cols, "fixture")


def test_titanic_features_one_hot_fill_and_log_with_train_statistics_only():
    table = _fixture_table()
    task = tabular.titanic_features(table, seed=0)
    names = list(task.feature_names)
    assert names[:4] == ["age", "sibsp", "parch", "log(1 + fare)"]
    assert {"sex=female", "sex=male", "pclass=1", "pclass=2", "pclass=3", "embarked=C",
            "embarked=Q", "embarked=S"} <= set(names)
    x = t.cat([task.train_x, task.valid_x])
    groups = [[n for n in names if n.startswith(prefix)] for prefix in ("sex=", "pclass=",
                                                                           "embarked=")]
    for group in groups:  # each row has exactly one level of each category
        assert t.equal(x[:, [names.index(n) for n in group]].sum(1), t.ones(len(x)))
    # The gaps are filled from the training rows (8 of 10) only: passenger 1 has no age.
    train_rows, valid_rows = tabular._split(10, 0)
    order = t.cat([train_rows, valid_rows]).tolist()
    ages = sorted(table.columns["age"][i] for i in train_rows.tolist()
                  if table.columns["age"][i] is not None)
    middle = len(ages) // 2
    median = ages[middle] if len(ages) % 2 else (ages[middle - 1] + ages[middle]) / 2
    assert float(x[order.index(1), 0]) == pytest.approx(median)
    assert float(x[order.index(0), 3]) == pytest.approx(math.log1p(211.3))
    assert t.equal(t.cat([task.train_y, task.valid_y])[:, 0],
                   t.tensor([float(table.columns["survived"][i] == "1") for i in order]))


def test_breast_cancer_task_is_the_offline_default():
    task = tabular.tabular_task("breast_cancer")
    assert task.train_x.shape == (455, 30) and task.valid_x.shape == (114, 30)
    assert set(t.cat([task.train_y, task.valid_y]).flatten().tolist()) == {0.0, 1.0}
    assert 0.3 < float(task.train_y.mean()) < 0.45  # 212 of 569 tumours are malignant
    for name in task.logged:  # logged because the raw training column was skewed
        j = task.feature_names.index(name)
        assert float(task.train_x[:, j].min()) >= 0
    with pytest.raises(data.DataUnavailable):
        tabular.tabular_task("titanic")


def test_reference_models_learn_the_digits_and_the_table():
    from utils.experiments.neural_network_basics.digits import threes_and_sevens

    fns = reference_functions()
    digits = threes_and_sevens()
    for kind in ("linear", "net"):
        run = train_and_measure(fns, digits.flat("train"), digits.flat("valid"),
                                Settings(kind=kind, epochs=10))
        assert len(run["loss"]) == 11 and run["loss"][-1] < 0.5 * run["loss"][0]
        assert run["accuracy"][-1] >= 0.95
    task = tabular.breast_cancer()
    train_x, valid_x = fns["standardize"](task.train_x, task.valid_x)
    run = train_and_measure(fns, (train_x, task.train_y), (valid_x, task.valid_y),
                            Settings(epochs=10))
    majority = 1 - float(task.valid_y.mean())
    assert run["accuracy"][-1] > majority + 0.2


def test_the_learners_models_train_in_the_sandbox():
    result = run_demo(f"{STEM}.train_digits", reference_file(STEM),
                      {"kind": "net", "epochs": 3, "lr": 1.0, "std": 0.1})
    assert result.status == "passed", result.message
    curves = validated_curves(result.data, 3)
    assert curves["loss"][-1] < curves["loss"][0]
    task = tabular.breast_cancer()
    args = {"train_x": task.train_x.tolist(), "train_y": task.train_y.flatten().tolist(),
            "valid_x": task.valid_x.tolist(), "valid_y": task.valid_y.flatten().tolist(),
            "kind": "linear", "epochs": 4, "lr": 1.0, "std": 0.1, "scale": True}
    result = run_demo(f"{STEM}.train_tabular", reference_file(STEM), args)
    assert result.status == "passed", result.message
    assert validated_curves(result.data, 4)["accuracy"][-1] > 0.8


def test_an_unfinished_training_loop_says_so_in_the_sandbox():
    stub = sources.stub_source(registry.get(f"{STEM}.train_epoch"))
    result = run_demo(f"{STEM}.train_digits", reference_file(STEM, {"train_epoch": stub}),
                      {"kind": "linear", "epochs": 2})
    assert result.status == "not_implemented", result.message


def test_curves_from_the_sandbox_are_checked_before_drawing():
    good = {"loss": [0.5, 0.4, 0.3], "accuracy": [0.5, 0.7, 0.9]}
    assert validated_curves(good, 2) == good
    for bad in (None, {"loss": [0.5], "accuracy": [0.5]},
                {"loss": [0.5, 0.4, 0.3], "accuracy": [0.5, 7.0, 0.9]}):
        with pytest.raises(ValueError):
            validated_curves(bad, 2)


def test_training_page_draws_and_trains_the_learners_model():
    app = open_page(f"pages/{STEM}/3_training.md")
    assert not app.exception, [e.value for e in app.exception]
    charts = len(chart_specs(app))
    app.select_slider(key="nnb_tr_lr").set_value(10.0).run()
    app.radio(key="nnb_tr_kind").set_value("net").run()
    assert not app.exception and len(chart_specs(app)) == charts
    app.button(key="nnb_tr_own_digits_button").click().run()
    assert not app.exception and not app.error, [e.value for e in app.exception or app.error]
    chart = chart_specs(app)[-1]
    assert "your two-layer net" in chart


def test_tabular_page_works_offline_and_says_which_table_it_shows():
    app = open_page(f"pages/{STEM}/4_tabular.md")
    assert not app.exception, [e.value for e in app.exception]
    assert any("breast-cancer" in c.value for c in app.caption)
    app.radio(key="nnb_tr_dataset").set_value("titanic").run()
    assert not app.exception
    # It says what happened and what to do, not a server path the learner can't reach.
    assert any("Titanic could not be downloaded" in w.value and "/" not in w.value
               for w in app.warning)
    app.toggle(key="nnb_tr_tab_scale").set_value(False).run()
    app.button(key="nnb_tr_own_tabular_button").click().run()
    assert not app.exception and not app.error, [e.value for e in app.exception or app.error]
    assert "your linear model" in chart_specs(app)[-1]


def test_calc_grad_and_train_epoch_are_checked_with_the_reference_loss():
    """In a notebook, calc_grad calls the learner's own mnist_loss: an unsolved one must not make
    calc_grad fail, and the learner's names are back afterwards."""
    from utils.checks.neural_network_basics import training as checks

    namespace = {"t": t}
    exec(sources.stub_source(registry.get(f"{STEM}.mnist_loss")) if any(
        ex.name == "mnist_loss" for ex in registry.chapter(STEM).exercises) else
        "def mnist_loss(predictions, targets):\n    raise NotImplementedError()\n", namespace)
    exec(sources.solution_source(registry.get(f"{STEM}.calc_grad")), namespace)
    exec(sources.solution_source(registry.get(f"{STEM}.train_epoch")), namespace)
    stub = namespace["mnist_loss"]
    checks.test_calc_grad(namespace["calc_grad"])
    checks.test_train_epoch(namespace["train_epoch"])
    assert namespace["mnist_loss"] is stub and "linear1" not in namespace
