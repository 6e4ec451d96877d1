"""Sandbox runs of the learner's code for chapter 4.1's sections 2-3: their count matrix on the
chapter's names ("Draw my counts"), and names sampled from their model ("Sample from my model").
Run through `utils.runner.run_demo` on the learner's chapter (their passed exercises, the
reference for the rest); each returns plain data for utils/figures/makemore_bigrams/counting.py,
which the widget validates before drawing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import torch

from utils.demos.makemore_bigrams_settings import MAX_SEED
from utils.experiments.makemore_bigrams.counting import (MAX_SAMPLES, chapter_names,
                                                         learner_samples)

__all__ = ["draw_counts", "sample_my_model"]


def draw_counts(namespace: Mapping[str, Any]) -> dict:
    """The learner's build_vocab and bigram_counts on the chapter's names."""
    names = chapter_names()
    words = list(names.words)
    stoi, itos = namespace["build_vocab"](words)
    N = namespace["bigram_counts"](words, stoi)
    if not isinstance(N, torch.Tensor) or N.dim() != 2 or N.shape[0] != N.shape[1] or \
            N.shape[0] != len(itos):
        raise ValueError(f"bigram_counts should return a ({len(itos)}, {len(itos)}) tensor")
    return {"N": N.to(torch.int64).tolist(), "itos": [itos[i] for i in range(len(itos))],
            "source": names.source}


def sample_my_model(namespace: Mapping[str, Any], n: int = 15, seed: int = 2147483647) -> dict:
    """n names from the learner's model of the chapter's names, and n from the uniform model
    through their sample_names, both with a generator seeded with `seed`."""
    if not 1 <= int(n) <= MAX_SAMPLES or not 0 <= int(seed) <= MAX_SEED:
        raise ValueError(f"n must be 1 to {MAX_SAMPLES} and the seed 0 to {MAX_SEED}")
    data = learner_samples(namespace, chapter_names().words, int(n), int(seed))
    data["source"] = chapter_names().source
    return data


def validated_counts(data: object) -> tuple[list[list[int]], dict[int, str], str]:
    """A count matrix that came back from the sandbox, checked before it is drawn."""
    if not isinstance(data, dict) or not isinstance(data.get("N"), list) or \
            not isinstance(data.get("itos"), list):
        raise ValueError("the run returned no count matrix")
    N, symbols = data["N"], data["itos"]
    v = len(symbols)
    if len(N) != v or any(not isinstance(row, list) or len(row) != v for row in N):
        raise ValueError(f"expected a {v} x {v} matrix of counts")
    if any(not isinstance(c, int) or c < 0 for row in N for c in row):
        raise ValueError("the counts should be whole numbers, 0 or more")
    return N, dict(enumerate(str(s) for s in symbols)), str(data.get("source", ""))


def validated_samples(data: object, n: int) -> dict:
    """Sampled names that came back from the sandbox, checked before they are shown."""
    if not isinstance(data, dict):
        raise ValueError("the run returned no names")
    for key in ("model", "uniform"):
        names = data.get(key)
        if not isinstance(names, list) or len(names) != n or \
                not all(isinstance(w, str) for w in names):
            raise ValueError(f"expected {n} names (strings) from sample_names")
    return data
