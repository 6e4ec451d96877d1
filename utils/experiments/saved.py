"""The one pattern every saved run follows: read the committed file, and compute and write it
first when it is missing (a fresh clone without assets, or a deleted file)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

import torch


def saved_json(path: Path, compute: Callable[[], Any], indent: int | None = 1) -> Any:
    """`path`'s JSON, computed by `compute()` and written first if the file is missing."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(compute(), indent=indent) + "\n")
    return json.loads(path.read_text())


def saved_torch(path: Path, compute: Callable[[], Any]) -> Any:
    """`path`'s tensors (torch.save of plain data), computed and saved first if missing."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        torch.save(compute(), path)
    return torch.load(path, weights_only=True)
