"""Checks for chapter 5.1 (ray tracing). Use from a local file or notebook:

    from utils.checks import part1_ray_tracing as tests
    tests.test_intersect_ray_1d(intersect_ray_1d)

Each check compares with the reference solution on hand-made edge cases (parallel rays, hits
behind the origin, rays through an edge or a corner, misses) and on seeded random cases. Random
cases are labelled by the chapter's float64 oracle (utils/part1_oracle.py), and those that sit
within a hair of a boundary are left out, so float rounding never decides a verdict.
"""

from __future__ import annotations

import math
from typing import Callable

import torch as t
from torch import Tensor

from solutions import part1_ray_tracing as ref
from utils import part1_oracle as oracle
from utils.checks.assertions import (
    assert_bool_like,
    assert_close,
    assert_is_tensor,
    assert_shape,
    assert_tensors_equal_bool,
    call,
    describe,
    passed,
)
from utils.meshes import make_bunny

MARGIN = 1e-3  # random cases closer than this to an inside/outside boundary are skipped
NEARLY_PARALLEL = 0.05  # ...and so are those whose system's |det| is below this


def _ray(origin: tuple[float, ...], direction: tuple[float, ...]) -> Tensor:
    """A (2, 3) float32 tensor, even from integer tuples (t.linalg.solve refuses integers)."""
    pad = lambda p: list(p) + [0.0] * (3 - len(p))  # noqa: E731 - 2-D points get z = 0
    return t.tensor([pad(origin), pad(direction)], dtype=t.float32)


# ---------------------------------------------------------------------------------------------
# Rays and segments


def test_make_rays_1d(make_rays_1d: Callable) -> None:
    for num_pixels, y_limit in [(9, 10.0), (2, 1.0), (5, 0.5), (1, 3.0)]:
        what = f"make_rays_1d({num_pixels}, {y_limit})"
        got = call(make_rays_1d, num_pixels, y_limit, context=f"on {what}")
        got = assert_is_tensor(got, what)
        assert_shape(got, (num_pixels, 2, 3), what)
        expected = ref.make_rays_1d(num_pixels, y_limit)
        if not t.allclose(got[:, 0].float(), t.zeros(num_pixels, 3)):
            raise AssertionError(f"{what}: every ray should start at the origin (0, 0, 0); got "
                                 f"origins {got[:3, 0].tolist()}...")
        assert_close(got, expected, what)
    passed("test_make_rays_1d")


def _segment(a: tuple[float, ...], b: tuple[float, ...]) -> Tensor:
    return _ray(a, b)  # same layout: two 3-D points


# (description, ray, segment, expected). All numbers are exact in binary floating point, so a
# correct solution lands exactly on the boundary (v = 0, v = 1, u = 0) where we test it.
_RAY_SEGMENT_CASES = [
    ("a ray straight through the middle of a segment",
     _ray((0, 0), (1, 0)), _segment((2, -1), (2, 1)), True),
    ("a segment behind the ray's origin (u < 0)",
     _ray((0, 0), (1, 0)), _segment((-2, -1), (-2, 1)), False),
    ("a ray passing above the segment's end (v > 1)",
     _ray((0, 0), (1, 1)), _segment((2, -1), (2, 1)), False),
    ("a ray passing below the segment's start (v < 0)",
     _ray((0, 0), (1, -0.75)), _segment((2, -1), (2, 1)), False),
    ("a ray through the segment's second end point (v = 1 exactly)",
     _ray((0, 0), (1, 0.5)), _segment((2, -1), (2, 1)), True),
    ("a ray through the segment's first end point (v = 0 exactly)",
     _ray((0, 0), (1, -0.5)), _segment((2, -1), (2, 1)), True),
    ("a ray parallel to the segment (the 2x2 system is singular)",
     _ray((0, 0), (0, 1)), _segment((2, -1), (2, 1)), False),
    ("a ray parallel to a segment just above it",
     _ray((0, 0), (1, 0)), _segment((0.5, 0.5), (1.5, 0.5)), False),
    ("a ray starting on the segment (u = 0 exactly)",
     _ray((2, 0), (1, 0)), _segment((2, -1), (2, 1)), True),
    ("a ray pointing in -x towards a segment",
     _ray((3, 0), (-1, 0)), _segment((2, -1), (2, 1)), True),
    ("a slanted segment and a ray from off the origin",
     _ray((-1, 1), (2, -1)), _segment((1, -2), (2, 2)), True),
    ("points with non-zero z (z must be ignored in 1-D)",
     t.tensor([[0.0, 0.0, 5.0], [1.0, 0.0, 3.0]]), t.tensor([[2.0, -1.0, -4.0], [2.0, 1.0, 7.0]]),
     True),
]


def _random_ray_segment_cases(n: int, seed: int) -> list[tuple[Tensor, Tensor, bool]]:
    """Random 2-D ray/segment pairs with an unambiguous answer, labelled in float64."""
    gen = t.Generator().manual_seed(seed)
    cases = []
    while len(cases) < n:
        ray = t.randn(2, 3, generator=gen, dtype=t.float64)
        seg = t.randn(2, 3, generator=gen, dtype=t.float64) * 2
        found = oracle.ray_segment(ray, seg)
        if bool(_segment_ambiguous(found)):
            continue
        cases.append((ray.float(), seg.float(), bool(found.hit)))
    return cases


def _segment_ambiguous(found: oracle.SegmentHit) -> Tensor:
    """Nearly parallel, or nearly on a boundary (u = 0, v = 0 or v = 1): rounding could decide."""
    near = t.minimum(t.minimum(found.u.abs(), found.v.abs()), (found.v - 1).abs()) < MARGIN
    return (found.det.abs() < NEARLY_PARALLEL) | near


def test_intersect_ray_1d(intersect_ray_1d: Callable) -> None:
    for description, ray, segment, expected in _RAY_SEGMENT_CASES:
        got = call(intersect_ray_1d, ray, segment, context=f"on {description}")
        got = assert_bool_like(got, f"intersect_ray_1d on {description}")
        if got != expected:
            raise AssertionError(
                f"intersect_ray_1d on {description}: expected {expected}, got {got}.\n"
                f"  ray = {ray.tolist()}\n  segment = {segment.tolist()}")
    for i, (ray, segment, expected) in enumerate(_random_ray_segment_cases(300, seed=1)):
        got = assert_bool_like(call(intersect_ray_1d, ray, segment, context=f"on random case {i}"),
                               f"intersect_ray_1d on random case {i}")
        if got != expected:
            raise AssertionError(
                f"intersect_ray_1d on random case {i}: expected {expected}, got {got}.\n"
                f"  ray = {ray.tolist()}\n  segment = {segment.tolist()}")
    passed("test_intersect_ray_1d")


# ---------------------------------------------------------------------------------------------
# Batched operations


def test_intersect_rays_1d(intersect_rays_1d: Callable) -> None:
    # Nine rays fanning out over y in [-10, 10]; segments chosen so that some rays hit several
    # segments, some hit exactly one of them, and one segment is parallel to a ray.
    rays = ref.make_rays_1d(9, 10.0)
    segments = t.tensor([
        [[1.0, -12.0, 0.0], [1.0, -6.0, 0.0]],
        [[0.5, 7.0, 0.0], [0.5, 3.0, 0.0]],
        [[2.0, 12.0, 0.0], [2.0, 21.0, 0.0]],
        [[1.0, 3.5, 0.0], [2.0, 6.0, 0.0]],  # parallel to the ray with y = 2.5
        [[-1.0, -1.0, 0.0], [-1.0, 1.0, 0.0]],  # behind every ray
        # Parallel to the ray with y = 0, just above it: if a singular system is replaced by
        # the identity and not masked out, its "solution" (u, v) = (0.5, 0.5) looks like a hit.
        [[0.5, 0.5, 0.0], [1.5, 0.5, 0.0]],
    ])
    fixed = [("nine rays against six segments", rays, segments)]
    # Each ray against the single segments of the 1-D cases, as a batch of size 1 segment.
    single_rays = t.stack([ray for _, ray, _, _ in _RAY_SEGMENT_CASES])
    for _, _, segment, _ in _RAY_SEGMENT_CASES[:1]:
        fixed.append(("the 1-D edge-case rays against one segment", single_rays, segment[None]))

    for description, rays_in, segs_in in fixed:
        what = f"intersect_rays_1d on {description}"
        got = call(intersect_rays_1d, rays_in.clone(), segs_in.clone(), context=f"on {description}")
        assert_tensors_equal_bool(got, ref.intersect_rays_1d(rays_in, segs_in), what, "ray")

    gen = t.Generator().manual_seed(2)
    rays_r = t.randn(60, 2, 3, generator=gen)
    segs_r = t.randn(7, 2, 3, generator=gen) * 2
    got = call(intersect_rays_1d, rays_r.clone(), segs_r.clone(), context="on random rays")
    got = assert_is_tensor(got, "intersect_rays_1d on random rays")
    assert_shape(got, (60,), "intersect_rays_1d on 60 random rays and 7 segments")
    # Compare only the rays whose answer no rounding can change.
    expected, ambiguous = _batched_1d_labels(rays_r, segs_r)
    keep = ~ambiguous
    assert_tensors_equal_bool(got[keep], expected[keep],
                              "intersect_rays_1d on 60 random rays and 7 segments "
                              "(showing positions among the unambiguous rays)", "ray")
    passed("test_intersect_rays_1d")


def _batched_1d_labels(rays: Tensor, segments: Tensor) -> tuple[Tensor, Tensor]:
    """Per ray: is it blocked, and could rounding change that (a pair near a boundary)?"""
    found = oracle.ray_segment(rays[:, None], segments[None])
    unclear = _segment_ambiguous(found)
    nearly_parallel = found.det.abs() < NEARLY_PARALLEL
    return (found.hit & ~nearly_parallel).any(-1), unclear.any(-1)


def test_make_rays_2d(make_rays_2d: Callable) -> None:
    for args in [(3, 4, 0.3, 0.5), (5, 2, 1.0, 2.0), (1, 3, 0.7, 0.2)]:
        what = f"make_rays_2d{args}"
        got = assert_is_tensor(call(make_rays_2d, *args, context=f"on {what}"), what)
        ny, nz = args[0], args[1]
        assert_shape(got, (ny * nz, 2, 3), what)
        expected = ref.make_rays_2d(*args)
        if not t.allclose(got.double(), expected.double(), atol=1e-6):
            z_major = expected.reshape(ny, nz, 2, 3).transpose(0, 1).reshape(-1, 2, 3)
            if t.allclose(got.double(), z_major.double(), atol=1e-6):
                raise AssertionError(f"{what}: the rays are in z-major order. We need y-major "
                                     "order: ray i * num_pixels_z + j has the i-th y and j-th z.")
        assert_close(got, expected, what, atol=1e-6)
    passed("test_make_rays_2d")


# ---------------------------------------------------------------------------------------------
# Triangles

_TRI = t.tensor([[2.0, 0.0, 0.0], [2.0, 1.0, 0.0], [2.0, 0.0, 1.0]])  # in the plane x = 2

# (description, O, D, expected) against _TRI.
_TRIANGLE_CASES = [
    ("a ray through the inside", (0, 0, 0), (1, 0.2, 0.2), True),
    ("a ray past the slanted edge (u + v > 1)", (0, 0, 0), (1, 0.6, 0.6), False),
    ("a ray past the edge AC (u < 0)", (0, 0, 0), (1, -0.1, 0.2), False),
    ("a ray past the edge AB (v < 0)", (0, 0, 0), (1, 0.2, -0.1), False),
    ("a ray through the middle of edge BC (u + v = 1 exactly)", (0, 0, 0), (1, 0.25, 0.25), True),
    ("a ray through the corner B (u = 1, v = 0)", (0, 0, 0), (1, 0.5, 0.0), True),
    ("a triangle behind the ray's origin (s < 0)", (4, 0, 0), (1, 0.2, 0.2), False),
    ("a ray parallel to the triangle's plane", (0, 0, 0), (0, 1, 0), False),
    # Replacing the singular matrix by the identity gives (s, u, v) = (0.5, 0.2, 0.2) here: a
    # "hit" unless the singular systems are masked out.
    ("a ray parallel to the triangle's plane, just beside it", (2.5, 0.2, 0.2), (0, 1, 0), False),
    ("a ray through the middle of edge AC (u = 0 exactly)", (0, 0, 0), (1, 0, 0.25), True),
    ("a ray starting on the triangle (s = 0 exactly)", (2, 0.2, 0.2), (1, 0, 0), True),
    ("a ray from off the origin, straight along x", (0, 0.3, 0.3), (1, 0, 0), True),
    ("a ray coming from the far side, going -x", (5, 0.2, 0.2), (-1, 0, 0), True),
]


def _triangle_label(tri: Tensor, O: Tensor, D: Tensor) -> bool | None:
    """The true answer in float64, or None when the case is too close to a boundary."""
    found = oracle.ray_triangle(t.stack([O, D]), tri)
    if found.det.abs() < NEARLY_PARALLEL:
        return None
    if min(abs(found.s), abs(found.u), abs(found.v), abs(1 - found.u - found.v)) < MARGIN:
        return None
    return bool(found.hit)


def test_triangle_ray_intersects(triangle_ray_intersects: Callable) -> None:
    A, B, C = _TRI
    for description, O, D, expected in _TRIANGLE_CASES:
        O, D = t.tensor(O, dtype=t.float32), t.tensor(D, dtype=t.float32)
        got = assert_bool_like(
            call(triangle_ray_intersects, A, B, C, O, D, context=f"on {description}"),
            f"triangle_ray_intersects on {description}")
        if got != expected:
            raise AssertionError(
                f"triangle_ray_intersects on {description}: expected {expected}, got {got}.\n"
                f"  A, B, C = {_TRI.tolist()}\n  O = {O.tolist()}, D = {D.tolist()}")
    gen = t.Generator().manual_seed(3)
    checked = 0
    while checked < 200:
        tri = t.randn(3, 3, generator=gen)
        O, D = t.randn(3, generator=gen), t.randn(3, generator=gen)
        expected = _triangle_label(tri, O, D)
        if expected is None:
            continue
        checked += 1
        got = assert_bool_like(call(triangle_ray_intersects, *tri, O, D,
                                    context=f"on random case {checked}"),
                               f"triangle_ray_intersects on random case {checked}")
        if got != expected:
            raise AssertionError(
                f"triangle_ray_intersects on random case {checked}: expected {expected}, got "
                f"{got}.\n  A, B, C = {tri.tolist()}\n  O = {O.tolist()}, D = {D.tolist()}")
    passed("test_triangle_ray_intersects")


def _check_raytrace_triangle(fn: Callable, name: str) -> None:
    # The edge cases, as one batch of rays against _TRI.
    rays = t.stack([t.tensor([O, D], dtype=t.float32) for _, O, D, _ in _TRIANGLE_CASES])
    expected = t.tensor([e for *_, e in _TRIANGLE_CASES])
    got = call(fn, rays.clone(), _TRI.clone(), context="on the edge-case rays")
    what = f"{name} on a batch of edge-case rays"
    assert_tensors_equal_bool(got, expected, what, "ray")

    # The 15 x 15 picture of a triangle that the page shows (the classic first render).
    screen = ref.make_rays_2d(15, 15, 1.0, 1.0)
    screen[:, 0] = t.tensor([oracle.TRIANGLE_CAMERA_X, 0.0, 0.0])
    picture_tri = t.tensor(oracle.TRIANGLE)
    got = call(fn, screen.clone(), picture_tri.clone(), context="on a 15x15 screen of rays")
    assert_tensors_equal_bool(got, ref.raytrace_triangle(screen, picture_tri),
                              f"{name} on a 15x15 screen (camera at x=-2)", "ray")

    # Random rays and triangles, comparing the rays with an unambiguous answer.
    gen = t.Generator().manual_seed(4)
    for trial in range(5):
        tri = t.randn(3, 3, generator=gen)
        rays = t.randn(200, 2, 3, generator=gen)
        labels = [_triangle_label(tri, O, D) for O, D in rays]
        keep = t.tensor([lab is not None for lab in labels])
        expected = t.tensor([bool(lab) for lab in labels])
        got = call(fn, rays.clone(), tri.clone(), context=f"on random batch {trial}")
        got = assert_is_tensor(got, f"{name} on random batch {trial}")
        assert_shape(got, (200,), f"{name} on 200 random rays")
        assert_tensors_equal_bool(got[keep], expected[keep],
                                  f"{name} on random batch {trial} (positions among the "
                                  "unambiguous rays)", "ray")


def test_raytrace_triangle(raytrace_triangle: Callable) -> None:
    _check_raytrace_triangle(raytrace_triangle, "raytrace_triangle")
    passed("test_raytrace_triangle")


def test_raytrace_triangle_with_bug(raytrace_triangle_with_bug: Callable) -> None:
    _check_raytrace_triangle(raytrace_triangle_with_bug, "raytrace_triangle_with_bug")
    passed("test_raytrace_triangle_with_bug")


# ---------------------------------------------------------------------------------------------
# A sphere (bonus)

# (description, origin, direction, center, radius, expected): each exact in float32.
_SPHERE_CASES = [
    ("a ray through the centre", (0, 0, 0), (1, 0, 0), (5, 0, 0), 1.0, True),
    ("a sphere behind the ray's origin", (0, 0, 0), (1, 0, 0), (-5, 0, 0), 1.0, False),
    ("a ray starting inside the sphere", (5, 0, 0), (1, 0, 0), (5, 0, 0), 1.0, True),
    ("a grazing ray (one double root, at s = 2)", (0, 0, 0), (1, 0, 0), (2, 1, 0), 1.0, True),
    ("a ray passing beside the sphere", (0, 0, 0), (1, 0, 0), (5, 2, 0), 1.0, False),
    ("a long direction (D = (10, 0, 0)) passing beside the sphere", (0, 0, 0), (10, 0, 0),
     (5, 1.5, 0), 1.0, False),
    ("a short direction (D = (0.1, 0, 0)) through the sphere", (0, 0, 0), (0.1, 0, 0),
     (5, 0.5, 0), 1.0, True),
]


def _sphere_labels(rays: Tensor, center: Tensor, radius: float) -> tuple[Tensor, Tensor]:
    """The float64 answer for each ray, and whether it is clear of a boundary (not grazing, not
    starting on the surface), so rounding cannot decide it."""
    O, D = rays.double().unbind(dim=1)
    m = O - center.double()
    a, b = (D * D).sum(-1), 2 * (D * m).sum(-1)
    c = (m * m).sum(-1) - radius**2
    discriminant = b**2 - 4 * a * c
    larger_root = (-b + discriminant.clamp(min=0).sqrt()) / (2 * a)
    hit = (discriminant >= 0) & (larger_root >= 0)
    clear = (discriminant.abs() > MARGIN * b**2 + MARGIN) & (larger_root.abs() > MARGIN)
    return hit, clear


def test_raytrace_sphere(raytrace_sphere: Callable) -> None:
    for description, O, D, center, radius, expected in _SPHERE_CASES:
        rays = _ray(O, D)[None]
        center_t = t.tensor(center, dtype=t.float32)
        got = call(raytrace_sphere, rays.clone(), center_t, radius, context=f"on {description}")
        what = f"raytrace_sphere on {description}"
        got = assert_is_tensor(got, what)
        assert_shape(got, (1,), f"{what} (one ray)")
        if got.dtype != t.bool or bool(got[0]) != expected:
            raise AssertionError(
                f"{what}: expected tensor([{expected}]), got {got}.\n  O = {list(O)}, "
                f"D = {list(D)}, center = {list(center)}, radius = {radius}")
    gen = t.Generator().manual_seed(5)
    for trial in range(5):
        center = t.randn(3, generator=gen)
        radius = float(t.rand(1, generator=gen)) * 1.5 + 0.3
        # Rays from around the sphere (some inside) aimed near it, with directions of any length
        # and some pointing away: hits and misses of every kind.
        origins = center + 3 * radius * t.randn(300, 3, generator=gen)
        aims = center + 1.5 * radius * t.randn(300, 3, generator=gen) - origins
        lengths = t.rand(300, 1, generator=gen) * 4 - 1  # negative: pointing away
        rays = t.stack([origins, aims * lengths], dim=1)
        expected, clear = _sphere_labels(rays, center, radius)
        got = call(raytrace_sphere, rays.clone(), center.clone(), radius,
                   context=f"on random batch {trial}")
        what = f"raytrace_sphere on random batch {trial} (positions among the clear-cut rays)"
        got = assert_is_tensor(got, what)
        assert_shape(got, (300,), f"raytrace_sphere on 300 random rays")
        assert_tensors_equal_bool(got[clear], expected[clear], what, "ray")
    passed("test_raytrace_sphere")


# ---------------------------------------------------------------------------------------------
# Meshes

def _camera_rays(n: int, origin_x: float = oracle.CAMERA_X,
                 limit: float = oracle.SCREEN_LIMIT) -> Tensor:
    rays = ref.make_rays_2d(n, n, limit, limit)
    rays[:, 0] = t.tensor([origin_x, 0.0, 0.0])
    return rays


def _square(x: float, half: float = 1.0) -> Tensor:
    """Two triangles covering the square [-half, half]^2 in the plane at this x."""
    a, b, c, d = [(x, -half, -half), (x, half, -half), (x, half, half), (x, -half, half)]
    return t.tensor([[a, b, c], [a, c, d]])


def _scaled(rays: Tensor, factor: float) -> Tensor:
    """The same rays with every direction multiplied by `factor`."""
    rays = rays.clone()
    rays[:, 1] *= factor
    return rays


def _same(a: Tensor, b: Tensor, atol: float = 1e-4) -> bool:
    a, b = a.detach().double(), b.double()
    return bool((t.isclose(a, b, atol=atol) | (t.isinf(a) & t.isinf(b))).all())


def test_raytrace_mesh(raytrace_mesh: Callable) -> None:
    bunny = make_bunny()
    rays = _camera_rays(24)
    cases = [
        ("a 24x24 render of the bunny (camera at x=-3)", rays, bunny),
        ("the bunny turned 90 degrees", rays, bunny @ ref.rotation_matrix(t.tensor(math.pi / 2)).T),
        ("two squares at x=1 and x=2 (the nearest one must win)",
         _camera_rays(6, 0.0, 0.4), t.cat([_square(2.0), _square(1.0)])),
        ("a square behind the camera (nothing should be hit)", _camera_rays(6, 0.0, 0.4),
         _square(-1.0)),
        ("a camera between two squares", _camera_rays(6, 0.0, 0.4),
         t.cat([_square(-1.5), _square(1.5)])),
        ("rays through a triangle's edge and corner, and one starting on it",
         t.tensor([[[0.0, 0.0, 0.0], [1.0, 0.25, 0.25]], [[0.0, 0.0, 0.0], [1.0, 0.0, 0.25]],
                   [[0.0, 0.0, 0.0], [1.0, 0.5, 0.0]], [[2.0, 0.2, 0.2], [1.0, 0.0, 0.0]]]),
         _TRI[None]),
        # s counts lengths of D, so it is not the depth when D_x != 1.
        ("the bunny with every direction 2.5 times longer (D_x = 2.5)", _scaled(rays, 2.5), bunny),
        ("the bunny seen from x=+3, looking back along -x (D_x = -0.5)",
         _scaled(_camera_rays(24, 3.0), -0.5), bunny),
        ("a triangle parallel to the rays (a singular system for every ray)",
         t.tensor([[[0.0, 0.0, 0.0], [1.0, 0.0, 0.0]], [[0.0, 0.1, 0.0], [1.0, 0.0, 0.0]]]),
         t.tensor([[[-0.5, -0.2, -0.3], [0.5, -0.2, -0.3], [-0.5, 0.8, -0.3]]])),
    ]
    for description, rays_in, tris in cases:
        what = f"raytrace_mesh on {description}"
        got = call(raytrace_mesh, rays_in.clone(), tris.clone(), context=f"on {description}")
        got = assert_is_tensor(got, what)
        expected = ref.raytrace_mesh(rays_in, tris)
        assert_shape(got, tuple(expected.shape), what)
        if got.is_floating_point() and got.shape == expected.shape:
            distances = oracle.mesh_distances(rays_in, tris)
            farthest = distances.masked_fill(t.isinf(distances), -math.inf).max(-1).values
            farthest = farthest.masked_fill(t.isinf(farthest), math.inf)
            if not _same(got, expected) and _same(got, farthest):
                raise AssertionError(f"{what}: you returned the distance to the farthest "
                                     "triangle each ray hits; we want the nearest (use min).")
            if not _same(got, expected) and _same(got, expected * rays_in[:, 1, 0]):
                raise AssertionError(f"{what}: you returned s * D_x, the depth along x; we want "
                                     "s itself, the multiple of D that reaches the hit point "
                                     "(the two agree only when D_x = 1).")
        assert_close(got, expected, what, atol=1e-4, rtol=1e-4)
    passed("test_raytrace_mesh")


def test_rotation_matrix(rotation_matrix: Callable) -> None:
    cases = [
        (0.0, t.eye(3)),
        (math.pi / 2, t.tensor([[0.0, 0.0, 1.0], [0.0, 1.0, 0.0], [-1.0, 0.0, 0.0]])),
        (0.1, None), (-1.3, None), (math.pi, None),
    ]
    for theta, expected in cases:
        what = f"rotation_matrix(t.tensor({theta!r}))"
        got = assert_is_tensor(call(rotation_matrix, t.tensor(theta), context=f"on {what}"), what)
        assert_shape(got, (3, 3), what)
        if expected is None:
            expected = ref.rotation_matrix(t.tensor(theta))
        got = got.float()
        if theta == math.pi / 2 and not t.allclose(got, expected, atol=1e-5):
            if abs(float(got[1, 1]) - 1) > 1e-5:
                raise AssertionError(f"{what}: the y axis should stay fixed (row/column 1 equal "
                                     f"to (0, 1, 0)); you rotate about another axis. Got\n{got}")
            if t.allclose(got.T, expected, atol=1e-5):
                raise AssertionError(f"{what}: you rotate the wrong way (your matrix is the "
                                     "transpose of the expected one). A positive angle turns +z "
                                     "towards +x.")
        assert_close(got, expected, what, atol=1e-5)
    passed("test_rotation_matrix")


def test_raytrace_mesh_lambert(raytrace_mesh_lambert: Callable) -> None:
    bunny = make_bunny()
    rays = _camera_rays(24)
    light = t.tensor(oracle.LIGHT)
    flipped = bunny[:, [0, 2, 1]]  # the same surface with every triangle wound the other way
    cases = [
        ("the bunny, light from the upper front, ambient 0.1", bunny, light, 0.1),
        ("the bunny, light from the side, no ambient light", bunny, t.tensor([0.0, 0.0, 1.0]), 0.0),
        ("the bunny with every triangle's corners in the opposite order", flipped, light, 0.1),
        ("a light vector that is not of unit length", bunny, light * 5, 0.2),
    ]
    for description, tris, light_in, ambient in cases:
        what = f"raytrace_mesh_lambert on {description}"
        got = call(raytrace_mesh_lambert, rays.clone(), tris.clone(), light_in.clone(), ambient,
                   context=f"on {description}")
        got = assert_is_tensor(got, what)
        expected = ref.raytrace_mesh_lambert(rays, tris, light_in, ambient)
        assert_shape(got, tuple(expected.shape), what)
        if got.is_floating_point() and (got < -1e-6).any():
            raise AssertionError(f"{what}: some brightnesses are negative ({describe(got.min())}); "
                                 "surfaces facing away from the light should get 0 diffuse light "
                                 "(clamp n . l at 0).")
        assert_close(got, expected, what, atol=1e-4, rtol=1e-3)
    passed("test_raytrace_mesh_lambert")
