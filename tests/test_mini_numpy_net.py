"""Chapter 6, sections 1-3: what the pages say about the digits run and the Jacobian costs holds,
the learner's-network demo trains what the learner wrote, and the notebook stand-in says when it
shows the reference."""

from __future__ import annotations

import numpy as np
import pytest

from solutions import mini_projects as reference
from utils.demos.mini_projects.numpy_net import train_my_network, validated_run
from utils.experiments.mini_projects import numpy_net as experiments
from utils.experiments.mini_projects.jacobians import SHAPES, jacobian_costs
from utils.figures.mini_projects import numpy_net as figures


def test_the_digits_split_is_the_one_the_page_describes() -> None:
    data = experiments.digits_split()
    assert len(data.X_train) + len(data.X_test) == 1797
    assert len(data.X_train) == int(0.8 * 1797)
    assert data.X_train.shape[1] == 64 and 0.0 <= data.X_train.min() and data.X_train.max() <= 1.0
    assert set(np.unique(data.y_test)) == set(range(10))


def test_the_reference_network_gets_about_98_percent_of_the_test_digits() -> None:
    run = experiments.reference_run()
    assert run["test_accuracy"] == pytest.approx(0.98, abs=0.01)  # the overview: "about 98 %"
    assert run["losses"][-1] < run["losses"][0] / 5
    assert np.asarray(run["confusion"]).sum() == len(experiments.digits_split().X_test)


def test_the_demo_trains_the_learners_classes() -> None:
    names = dict(vars(reference))
    run = validated_run(train_my_network(names), experiments.EPOCHS)
    assert run["losses"] == pytest.approx(experiments.reference_run()["losses"], rel=1e-12)

    class BrokenNetwork(reference.Network):
        def step(self, lr: float) -> None:
            super().step(-lr)  # climbs the loss

    names["Network"] = BrokenNetwork
    with pytest.raises(ValueError, match="not all finite|epoch"):
        with np.errstate(all="ignore"):
            validated_run(train_my_network(names, epochs=60), 60)
    with pytest.raises(ValueError, match="epochs must be"):
        train_my_network(dict(vars(reference)), epochs=10_000)


def test_the_notebook_stand_in_says_when_it_shows_the_reference() -> None:
    class Stub:
        def __init__(self, *args, **kwargs) -> None:
            raise NotImplementedError()

    fig = figures.your_digits_run({"Dense": Stub})
    assert fig.layout.title.text.startswith("Not written yet")
    fig = figures.your_digits_run(vars(reference))
    assert fig.layout.title.text.startswith("Your network: ")


def test_the_jacobian_costs_say_what_the_page_says() -> None:
    costs = {(row["n"], row["m"]): row for row in jacobian_costs()["rows"]}
    assert set(costs) == set(SHAPES)
    for (n, m), row in costs.items():
        assert (row["forward_passes"], row["reverse_passes"]) == (n, m)
    # "the times follow the pass counts"
    assert costs[(400, 1)]["reverse_seconds"] < costs[(400, 1)]["forward_seconds"]
    assert costs[(1, 400)]["forward_seconds"] < costs[(1, 400)]["reverse_seconds"]
    # "in this measurement torch's reverse passes were the cheaper ones"
    assert costs[(400, 400)]["reverse_seconds"] < costs[(400, 400)]["forward_seconds"]

