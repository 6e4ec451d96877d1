"""The path the course follows: six stages in the order the seed curriculum sets, each with its
chapters (numbered "<stage>" or "<stage>.<part>", chapter.toml), their time, and where a learner
should go next."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from utils import registry
from utils.status import Status


@dataclass(frozen=True)
class Stage:
    number: int
    name: str
    about: str


STAGES = (
    Stage(1, "Plotting", "Plotly figures from tensors: the plots every later chapter draws."),
    Stage(2, "Neural-network basics", "A baseline without learning, SGD, a linear model and a "
          "small net from scratch, fitting and overfitting, layers as maps of space."),
    Stage(3, "Backpropagation: micrograd", "A scalar autograd engine and a tiny MLP on it."),
    Stage(4, "Language models: makemore", "Names, one letter at a time: bigrams, an MLP, "
          "activations and batch norm, backprop by hand, a WaveNet."),
    Stage(5, "ARENA's fundamentals", "Ray tracing, CNNs and ResNets, optimizers, a backprop "
          "engine on NumPy, VAEs and GANs."),
    Stage(6, "Mini-projects", "Build it again with the lesson closed."),
)


def stage_chapters(stage: int) -> list[registry.Chapter]:
    """The stage's available chapters, in the path's order."""
    return [ch for ch in registry.CHAPTERS if ch.available and ch.stage == stage]


def chapter_minutes(chapter: registry.Chapter, bonus: bool = False) -> tuple[int, int]:
    """The exercises' suggested time, (low, high) minutes, bonus exercises left out by default."""
    chosen = [ex for ex in chapter.exercises if bonus or not ex.bonus]
    return sum(ex.minutes[0] for ex in chosen), sum(ex.minutes[1] for ex in chosen)


def describe_minutes(low: int, high: int) -> str:
    """'40-60 min' or 'about 3-5 h'."""
    if high < 90:
        return f"{low}-{high} min"
    return f"about {round(low / 60)}-{round(high / 60)} h"


@dataclass(frozen=True)
class NextStep:
    chapter: registry.Chapter
    exercise: registry.Exercise


def next_step(status_of: Callable[[registry.Exercise], Status | None]) -> NextStep | None:
    """The first exercise along the path (bonus ones aside) that is not passed yet; None when
    every one is."""
    for stage in STAGES:
        for chapter in stage_chapters(stage.number):
            for ex in chapter.exercises:
                if not ex.bonus and status_of(ex) != Status.PASSED:
                    return NextStep(chapter, ex)
    return None
