"""Chapter 5.1's demos on a learner's own code: render the bunny with their `make_rays_2d`,
`rotation_matrix` and `raytrace_mesh` (depth), or their `raytrace_mesh_lambert` (light). Runs in
the sandbox through `utils.runner.run_demo`; returns plain data, checked by `validated_render`
before utils/figures/part1_ray_tracing.py draws it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import torch as t

from utils.meshes import make_bunny
from utils.part1_oracle import AMBIENT, CAMERA_X, LIGHT, SCREEN_LIMIT  # the pages' scene
from utils.demos.part1_settings import PIXEL_CHOICES
CHUNK = 256  # rays per call: 256 x 1000 triangles x 3 x 3 floats stays near 10 MB a tensor
KINDS = ("depth", "light")


def render(engine: Mapping[str, Any], kind: str, degrees: float, pixels: int) -> dict:
    """The bunny turned by `degrees` about the y axis, rendered with the engine's functions:
    per pixel, the distance s of the nearest hit (None for a miss) for "depth", or the Lambert
    brightness for "light". Depth turns the bunny about the origin, as the mesh page does; light
    about its centre, as the turntable does."""
    if kind not in KINDS or pixels not in PIXEL_CHOICES:
        raise ValueError(f"no such render: {kind}, {pixels} pixels")
    rays = engine["make_rays_2d"](pixels, pixels, SCREEN_LIMIT, SCREEN_LIMIT).float()
    rays[:, 0] = t.tensor([CAMERA_X, 0.0, 0.0])
    rotation = engine["rotation_matrix"](t.tensor(math.radians(degrees))).float()
    bunny = make_bunny()
    centre = bunny.reshape(-1, 3).mean(0) if kind == "light" else t.zeros(3)
    triangles = (bunny - centre) @ rotation.T + centre
    if kind == "depth":
        parts = [engine["raytrace_mesh"](chunk, triangles) for chunk in rays.split(CHUNK)]
    else:
        parts = [engine["raytrace_mesh_lambert"](chunk, triangles, t.tensor(LIGHT), AMBIENT)
                 for chunk in rays.split(CHUNK)]
    values = t.cat([t.as_tensor(p).detach().double().flatten() for p in parts])
    return {"kind": kind, "pixels": pixels,
            "values": [v if math.isfinite(v) else None for v in values.tolist()]}


def validated_render(data: object, kind: str, pixels: int) -> np.ndarray:
    """A render that came back from the sandbox, checked before it is drawn: a (pixels, pixels)
    image indexed [y, z] (inf where a depth ray missed)."""
    if not isinstance(data, dict) or data.get("kind") != kind or data.get("pixels") != pixels:
        raise ValueError("the run returned no render")
    values = data.get("values")
    if not isinstance(values, list) or len(values) != pixels * pixels:
        raise ValueError(f"expected one value per ray ({pixels * pixels}), got "
                         f"{len(values) if isinstance(values, list) else 'none'}")
    try:
        image = np.array([math.inf if v is None else v for v in values], dtype=float)
    except (TypeError, ValueError):
        raise ValueError("some values are not numbers") from None
    if np.isnan(image).any() or (image < 0).any():
        raise ValueError("some values are negative or NaN")
    if kind == "light" and np.isinf(image).any():
        raise ValueError("some brightnesses are infinite (misses should get 0)")
    return image.reshape(pixels, pixels)
