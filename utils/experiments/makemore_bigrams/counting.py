"""Data and measurements for chapter 4.1's sections 1-3 (names, counting, sampling); no drawing.

Everything here is fast (counting 32 000 names is one `bincount`), so nothing is precomputed:
the pages compute it on first view and cache it. The names are `chapter_names()`: makemore's
names.txt when it is already on disk, else the offline SSA stand-in, never a download (a page
must not wait on the network, and the runner's sandbox has none). Each result carries the
`source` it was measured on, so a figure can say it.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import torch
from jaxtyping import Float, Int
from torch import Tensor

from solutions import makemore_bigrams as reference
from utils.demos.makemore_bigrams_settings import MAX_SAMPLES  # noqa: F401 - others import it here
from utils.data import NameList, get_names


@functools.lru_cache(maxsize=1)
def chapter_names() -> NameList:
    """The chapter's names: names.txt if it is on disk, else the 32 000 most common SSA names.
    Cached per process; the code runner calls it once before forking (chapter.toml preload), since
    a confined run cannot read the data directory."""
    return get_names(allow_download=False)


@dataclass(frozen=True)
class NameStats:
    """What section 1 shows about the names."""

    source: str
    count: int
    lengths: dict[int, int]  # name length -> how many names have it
    first_letters: dict[str, int]  # letter -> how many names start with it
    last_letters: dict[str, int]  # letter -> how many names end with it
    shortest: tuple[str, ...]  # a few of the shortest names
    longest: tuple[str, ...]  # a few of the longest names


def name_stats(names: NameList, examples: int = 5) -> NameStats:
    words = names.words
    lengths = Counter(len(w) for w in words)
    short, long_ = min(lengths), max(lengths)
    return NameStats(source=names.source, count=len(words),
                     lengths=dict(sorted(lengths.items())),
                     first_letters=dict(Counter(w[0] for w in words).most_common()),
                     last_letters=dict(Counter(w[-1] for w in words).most_common()),
                     shortest=tuple(w for w in words if len(w) == short)[:examples],
                     longest=tuple(w for w in words if len(w) == long_)[:examples])


@dataclass(frozen=True)
class CountModel:
    """The reference's vocabulary, counts and probabilities on some names."""

    source: str
    stoi: dict[str, int]
    itos: dict[int, str]
    N: Int[Tensor, "v v"]
    P: Float[Tensor, "v v"]


@functools.lru_cache(maxsize=1)
def reference_model() -> CountModel:
    """build_vocab, bigram_counts and bigram_probs (smoothing 1) of the reference, on the
    chapter's names."""
    names = chapter_names()
    words = list(names.words)
    stoi, itos = reference.build_vocab(words)
    N = reference.bigram_counts(words, stoi)
    return CountModel(names.source, stoi, itos, N, reference.bigram_probs(N, 1))


def uniform_model(v: int) -> Float[Tensor, "v v"]:
    """Every symbol equally likely after every symbol: the model that has learned nothing."""
    return torch.full((v, v), 1.0 / v)


def top_bigrams(N: Int[Tensor, "v v"], itos: Mapping[int, str], k: int = 10
                ) -> list[tuple[str, int]]:
    """The k most frequent bigrams as ('ab', count), most frequent first."""
    v = N.shape[0]
    values, flat = torch.topk(N.flatten(), k)
    return [(itos[i // v] + itos[i % v], int(c)) for i, c in zip(flat.tolist(), values.tolist())]


def samples(sample: Callable[..., list[str]], P: Float[Tensor, "v v"], itos: Mapping[int, str],
            n: int, seed: int) -> list[str]:
    """n names from `sample` (a sample_names) with a generator seeded with `seed`."""
    return sample(P, n, torch.Generator().manual_seed(seed), dict(itos))


def learner_samples(namespace: Mapping[str, Any], words: Sequence[str], n: int,
                    seed: int, smoothing: int = 1) -> dict:
    """n names from the model the learner's build_vocab, bigram_counts, bigram_probs and
    sample_names build on `words`, and n from the uniform model with the same seed and the
    learner's sample_names. Plain data (for the sandbox's JSON)."""
    stoi, itos = namespace["build_vocab"](list(words))
    N = namespace["bigram_counts"](list(words), stoi)
    P = namespace["bigram_probs"](N, smoothing)
    sample = namespace["sample_names"]
    return {"model": samples(sample, P, itos, n, seed),
            "uniform": samples(sample, uniform_model(len(stoi)), itos, n, seed),
            "seed": seed}
