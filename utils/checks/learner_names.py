"""What a learner's code looks up by name, for checks that run it with the rest of a chapter.

In a local file or a notebook, a learner's class or function sees their own module's globals
(their Value, Tensor, mnist_loss...); in the page's editor those are the reference's. Checks use
`learner_env` to build objects the way the learner's code would, and `reference_names` to judge
one exercise without depending on another the learner has not solved yet.
"""

from __future__ import annotations

import contextlib
import inspect
from collections import ChainMap
from collections.abc import Iterator
from types import ModuleType
from typing import Any


def learner_env(obj: Any, reference: ModuleType) -> ChainMap:
    """The names `obj` sees (the globals of its module: of a function, or of the first method
    found in a class or the classes it extends), falling back to the reference module's."""
    if inspect.isfunction(obj):
        functions = [obj]
    elif inspect.isclass(obj):
        functions = [v for cls in inspect.getmro(obj)[:-1] for v in vars(cls).values()
                     if inspect.isfunction(v)]
    else:
        functions = []
    own = functions[0].__globals__ if functions else {}
    return ChainMap(own, vars(reference))


@contextlib.contextmanager
def reference_names(namespace: dict | None, reference: ModuleType,
                    names: tuple[str, ...]) -> Iterator[None]:
    """While inside, `names` in the learner's module namespace are the reference's; afterwards,
    what was there before (or nothing, if nothing was). No-op for the reference's own module."""
    if namespace is None or namespace is vars(reference):
        yield
        return
    missing = object()
    saved = {name: namespace.get(name, missing) for name in names}
    namespace.update({name: getattr(reference, name) for name in names})
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is missing:
                namespace.pop(name, None)
            else:
                namespace[name] = value
