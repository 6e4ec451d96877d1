"""The notebooks' live figures run the learner's own functions where they are written and the
reference's where they are still stubs. One helper does that wrapping for every chapter."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from types import ModuleType
from typing import Any


def yours_or_reference(namespace: Mapping[str, Any], names: Sequence[str], reference: ModuleType,
                       always_yours: Sequence[str] = ()) -> tuple[dict[str, Callable], list[str]]:
    """Each of `names` from `namespace` (e.g. a notebook's globals()), falling back to the
    `reference` module's while it is still a stub (a stub raises NotImplementedError before it
    changes anything), and the list that records, call by call, which fell back. The names in
    `always_yours` never fall back: their stub's NotImplementedError reaches the caller (a
    figure of the learner's own function, which has nothing to show until it is written)."""
    stood_in: list[str] = []

    def pick(name: str) -> Callable:
        own = namespace.get(name, getattr(reference, name))

        def run(*args: Any, **kwargs: Any) -> Any:
            try:
                return own(*args, **kwargs)
            except NotImplementedError:
                if name in always_yours:
                    raise
                stood_in.append(name)
                return getattr(reference, name)(*args, **kwargs)
        return run

    return {name: pick(name) for name in names}, stood_in
