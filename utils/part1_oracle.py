"""Chapter 5.1's math once, in float64: the answers everything else is compared with.

The checks label their random cases with it, the figures measure where a ray is blocked with it,
the wrong-answer corpus builds its mistakes from its pieces, and the tests compare the site's
renders with it. It is written for clarity, not speed (`t.linalg.solve` on every system, no
culling), and kept apart from the reference solutions, which are what learners read and what the
pages draw with; the two agree wherever rounding cannot decide the answer.

Every function takes tensors of any float dtype and broadcasts over leading dimensions: a ray or
segment is (..., 2, 3), a triangle (..., 3, 3), as in the chapter. A system counts as singular
(the ray parallel to the object) by the solutions' rule, |det| < SINGULAR_EPS; its answers are
then meaningless and its `singular` flag is set.

The scene the pages, the demos and the checks share (camera, light) is here too, so that a
reference render and a learner's render are of the same picture.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import torch as t
from torch import Tensor

from solutions.part1_ray_tracing import SINGULAR_EPS

# The scene of the mesh pages: a camera on the x axis looking along +x through a screen of
# half-width SCREEN_LIMIT at distance 1, and a light above and to the left of the camera.
CAMERA_X, SCREEN_LIMIT = -3.0, 0.5
LIGHT, AMBIENT = (-1.0, 1.0, -1.0), 0.15
# The first triangle render (section "triangles"): its camera and its triangle's corners.
TRIANGLE_CAMERA_X = -2.0
TRIANGLE = ((0.0, -0.6, -0.7), (0.0, 0.9, 0.1), (0.0, -0.2, 0.8))


class SegmentHit(NamedTuple):
    u: Tensor  # the hit point is O + u D ...
    v: Tensor  # ... = L1 + v (L2 - L1)
    det: Tensor  # of the 2x2 system; small means nearly parallel
    singular: Tensor  # |det| < SINGULAR_EPS: u and v are meaningless

    @property
    def hit(self) -> Tensor:
        return (self.u >= 0) & (self.v >= 0) & (self.v <= 1) & ~self.singular


class TriangleHit(NamedTuple):
    s: Tensor  # the hit point is O + s D ...
    u: Tensor  # ... = A + u (B - A) + v (C - A)
    v: Tensor
    det: Tensor  # of the 3x3 system; small means nearly parallel to the triangle's plane
    singular: Tensor  # |det| < SINGULAR_EPS: s, u and v are meaningless

    @property
    def hit(self) -> Tensor:
        return ((self.s >= 0) & (self.u >= 0) & (self.v >= 0) & (self.u + self.v <= 1)
                & ~self.singular)


def _solve(mat: Tensor, rhs: Tensor) -> tuple[Tensor, Tensor, Tensor]:
    """Solve each system, with the identity in place of the singular ones (whose answers are
    then flagged, not used): (solution, det, singular)."""
    det = t.linalg.det(mat)
    singular = det.abs() < SINGULAR_EPS
    eye = t.eye(mat.shape[-1], dtype=mat.dtype)
    solution = t.linalg.solve(t.where(singular[..., None, None], eye, mat), rhs)
    return solution, det, singular


def ray_segment(rays: Tensor, segments: Tensor) -> SegmentHit:
    """Where each ray's line meets each segment's line, in x and y only (z is ignored):
    O + u D = L1 + v (L2 - L1), solved as [D, L1 - L2] (u, v) = L1 - O."""
    rays, segments = rays.double(), segments.double()
    O, D = rays[..., 0, :2], rays[..., 1, :2]
    L1, L2 = segments[..., 0, :2], segments[..., 1, :2]
    mat = t.stack(t.broadcast_tensors(D, L1 - L2), dim=-1)
    (u, v), det, singular = _unstack(*_solve(mat, t.broadcast_to(L1 - O, mat.shape[:-1])))
    return SegmentHit(u, v, det, singular)


def ray_triangle(rays: Tensor, triangles: Tensor) -> TriangleHit:
    """Where each ray meets each triangle's plane: O + s D = A + u (B - A) + v (C - A), solved as
    [-D, B - A, C - A] (s, u, v) = O - A."""
    rays, triangles = rays.double(), triangles.double()
    O, D = rays[..., 0, :], rays[..., 1, :]
    A, B, C = triangles[..., 0, :], triangles[..., 1, :], triangles[..., 2, :]
    mat = t.stack(t.broadcast_tensors(-D, B - A, C - A), dim=-1)
    (s, u, v), det, singular = _unstack(*_solve(mat, t.broadcast_to(O - A, mat.shape[:-1])))
    return TriangleHit(s, u, v, det, singular)


def _unstack(solution: Tensor, det: Tensor, singular: Tensor):
    return solution.unbind(-1), det, singular


def mesh_distances(rays: Tensor, triangles: Tensor, chunk: int = 256) -> Tensor:
    """(nrays, ntriangles): the s at which each ray meets each triangle, inf where it misses."""
    parts = []
    for part in rays.split(chunk):
        found = ray_triangle(part[:, None], triangles[None])
        parts.append(t.where(found.hit, found.s, math.inf))
    return t.cat(parts)


def mesh_depth(rays: Tensor, triangles: Tensor) -> Tensor:
    """(nrays,): the s of the nearest triangle each ray meets, inf if none (raytrace_mesh)."""
    return mesh_distances(rays, triangles).min(-1).values


def unit_normals(triangles: Tensor) -> Tensor:
    """(ntriangles, 3): (B - A) x (C - A), of length 1; which side it points to follows the
    corners' order."""
    triangles = triangles.double()
    normals = t.linalg.cross(triangles[:, 1] - triangles[:, 0], triangles[:, 2] - triangles[:, 0])
    return normals / normals.norm(dim=-1, keepdim=True)


def lambert(rays: Tensor, triangles: Tensor, light: Tensor, ambient: float = 0.0) -> Tensor:
    """(nrays,): ambient + max(n . l, 0) for the nearest triangle each ray meets, with n its unit
    normal turned towards the camera (n . D <= 0) and l the unit vector towards the light; 0 for
    a ray that meets nothing (raytrace_mesh_lambert)."""
    rays = rays.double()
    nearest = mesh_distances(rays, triangles).min(-1)
    n = unit_normals(triangles)[nearest.indices]
    n = t.where((n * rays[:, 1]).sum(-1, keepdim=True) > 0, -n, n)
    light = light.double()
    brightness = ambient + (n @ (light / light.norm())).clamp(min=0)
    return t.where(t.isfinite(nearest.values), brightness, 0.0)


def rotation_y(theta: float) -> Tensor:
    """(3, 3): the rotation by `theta` radians about the y axis that turns +z towards +x."""
    c, s = math.cos(theta), math.sin(theta)
    return t.tensor([[c, 0.0, s], [0.0, 1.0, 0.0], [-s, 0.0, c]], dtype=t.float64)


def camera_rays(pixels: int, camera_x: float = CAMERA_X, limit: float = SCREEN_LIMIT) -> Tensor:
    """(pixels * pixels, 2, 3): the scene camera's rays, y-major (make_rays_2d's order)."""
    ys = t.linspace(-limit, limit, pixels, dtype=t.float64)
    y, z = t.meshgrid(ys, ys, indexing="ij")
    rays = t.zeros(pixels * pixels, 2, 3, dtype=t.float64)
    rays[:, 0, 0] = camera_x
    rays[:, 1, 0], rays[:, 1, 1], rays[:, 1, 2] = 1.0, y.flatten(), z.flatten()
    return rays


def render(triangles: Tensor, kind: str, degrees: float, pixels: int) -> Tensor:
    """The scene's render of `triangles` turned by `degrees` about y, (pixels, pixels) indexed
    [y, z]: the depth (inf for a miss) for kind "depth", turned about the origin as on the mesh
    page; the Lambert brightness under LIGHT and AMBIENT for "light", turned about the mesh's
    centre as on the turntable."""
    triangles = triangles.double()
    rotation = rotation_y(math.radians(degrees))
    rays = camera_rays(pixels)
    if kind == "depth":
        values = mesh_depth(rays, triangles @ rotation.T)
    else:
        centre = triangles.reshape(-1, 3).mean(0)
        turned = (triangles - centre) @ rotation.T + centre
        values = lambert(rays, turned, t.tensor(LIGHT), AMBIENT)
    return values.reshape(pixels, pixels)
