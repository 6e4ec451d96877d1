"""Chapter 5.1's renders that never change, kept in assets/ so that the pages show them at once.

The mesh page's depth maps (one per position of its rotation slider) and the lighting page's
turntable are rendered by the reference solutions from our own bunny; nothing about them depends
on the learner. `python -m utils.part1_renders` renders them again and saves them (a few seconds).
The file records a fingerprint of what it was rendered from (the solutions' code, docstrings and
comments left out; the code that builds the bunny; the camera); when the file is missing or its
fingerprint does not match, the renders are made at first use instead, so a page is never wrong,
only slower, and a test says the file is stale. The fingerprint hashes code, not numbers: the
bunny's corners come from sin and cos, whose last bits differ between CPUs (torch picks its
vector kernels by instruction set), and a fingerprint of those bits made every server on another
kind of CPU than ours render everything again on its first view of the mesh page.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import math
import time

import numpy as np
import torch as t

from solutions import part1_ray_tracing as sol
from utils.experiments.saved import source_code
from utils.part1_oracle import AMBIENT, CAMERA_X, LIGHT, SCREEN_LIMIT
from utils.site_config import ROOT

log = logging.getLogger("gtf.part1_renders")

PATH = ROOT / "assets" / "part1_ray_tracing" / "renders.npz"
MESH_PIXELS = 120
MESH_ANGLES = tuple(range(-180, 181, 15))  # the mesh page's slider: min, max, step
TURNTABLE_FRAMES, TURNTABLE_PIXELS = 24, 80

# Everything a render is computed from: if one of these changes, the saved renders are stale.
_SOLUTIONS = ("make_rays_2d", "_ray_triangle_distances", "raytrace_mesh", "rotation_matrix",
              "raytrace_mesh_lambert", "raytrace_mesh_video")


def fingerprint() -> str:
    from utils import meshes

    digest = hashlib.sha256()
    for name in _SOLUTIONS:
        digest.update(source_code(getattr(sol, name)).encode())
    for builds_the_bunny in (meshes.ellipsoid, meshes.make_bunny):
        digest.update(source_code(builds_the_bunny).encode())
    digest.update(repr((CAMERA_X, SCREEN_LIMIT, MESH_PIXELS, MESH_ANGLES, TURNTABLE_FRAMES,
                        TURNTABLE_PIXELS, LIGHT, AMBIENT, sol.SINGULAR_EPS)).encode())
    return digest.hexdigest()[:16]


def render_mesh_depth(degrees: float, pixels: int = MESH_PIXELS) -> np.ndarray:
    """`raytrace_mesh` of the bunny turned by `degrees` about y: (pixels, pixels) float32 depths,
    inf where a ray meets nothing."""
    from utils.figures.part1_ray_tracing import camera_rays, render_mesh
    from utils.meshes import make_bunny

    rotation = sol.rotation_matrix(t.tensor(math.radians(degrees)))
    depths = render_mesh(sol.raytrace_mesh, camera_rays(pixels), make_bunny() @ rotation.T)
    return depths.reshape(pixels, pixels).numpy()


def render_turntable(frames: int = TURNTABLE_FRAMES, pixels: int = TURNTABLE_PIXELS) -> np.ndarray:
    """`raytrace_mesh_video` with Lambert shading: (frames, pixels, pixels) float32 brightness."""
    from utils.figures.part1_ray_tracing import camera_rays, render_mesh
    from utils.meshes import make_bunny

    light = t.tensor(LIGHT)

    def shade(rays: t.Tensor, triangles: t.Tensor) -> t.Tensor:
        return render_mesh(sol.raytrace_mesh_lambert, rays, triangles, light, AMBIENT)

    video = sol.raytrace_mesh_video(camera_rays(pixels), make_bunny(), sol.rotation_matrix, shade,
                                    frames)
    return video.reshape(frames, pixels, pixels).numpy()


def render_all() -> dict[str, np.ndarray]:
    return {"fingerprint": np.array(fingerprint()),
            "mesh_angles": np.array(MESH_ANGLES, dtype=np.int16),
            "mesh_depths": np.stack([render_mesh_depth(d) for d in MESH_ANGLES]),
            "turntable": render_turntable()}


@functools.lru_cache(maxsize=1)
def renders() -> dict[str, np.ndarray]:
    """The saved renders, or, when the file is missing or stale, the same ones rendered now."""
    try:
        with np.load(PATH) as saved:
            if str(saved["fingerprint"]) == fingerprint():
                return {key: saved[key] for key in saved.files}
            log.warning("%s is stale (run `python -m utils.part1_renders`): rendering now", PATH)
    except FileNotFoundError:
        log.warning("%s is missing (run `python -m utils.part1_renders`): rendering now", PATH)
    return render_all()


def mesh_depth(degrees: float) -> np.ndarray:
    """The mesh page's depth map at `degrees`: saved for the slider's positions, else rendered."""
    saved = renders()
    matches = np.flatnonzero(saved["mesh_angles"] == degrees)
    return saved["mesh_depths"][matches[0]] if len(matches) else render_mesh_depth(degrees)


def turntable() -> np.ndarray:
    return renders()["turntable"]


def main() -> None:
    # The tiles are small: one thread is as fast, and much faster on a busy shared CPU.
    t.set_num_threads(1)
    started = time.perf_counter()
    PATH.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(PATH, **render_all())
    print(f"{PATH.relative_to(ROOT)}: {PATH.stat().st_size / 1024:.0f} KB in "
          f"{time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
