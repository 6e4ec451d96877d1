"""Reference solutions for chapter 1: ray tracing with batched tensor operations.

This file is the source of truth: `exercises/part1_ray_tracing.py` and its notebook are generated
from it (`python -m utils.codegen`). Every function named in the chapter's registry becomes a stub
there; everything else (imports, given helpers) is copied as is.

Conventions used throughout the chapter:
- A ray is a (2, 3) tensor: its origin O and its direction D. A point on it is O + s * D, s >= 0.
- A segment is a (2, 3) tensor of its two end points; a triangle is a (3, 3) tensor of its corners.
- The camera looks along +x; y is up and z is to the side. Images are indexed [y, z].
"""

import einops
import torch as t
from jaxtyping import Bool, Float
from torch import Tensor

# Below this absolute determinant we treat a linear system as singular (ray parallel to the object).
SINGULAR_EPS = 1e-8


def make_rays_1d(num_pixels: int, y_limit: float) -> Float[Tensor, "num_pixels 2 3"]:
    """One ray per pixel: rays from the origin through `num_pixels` points spread evenly over
    the vertical line x = 1.

    Ray i (pixel i's ray) has origin (0, 0, 0) and direction (1, y_i, 0), where y_0 = -y_limit,
    the last y is +y_limit, and the y_i are evenly spaced in between (both ends included).
    Returns a tensor of shape (num_pixels, 2, 3): rays[i, 0] is the origin, rays[i, 1] the
    direction.
    """
    rays = t.zeros((num_pixels, 2, 3))
    rays[:, 1, 0] = 1.0
    rays[:, 1, 1] = t.linspace(-y_limit, y_limit, num_pixels)
    return rays


def intersect_ray_1d(ray: Float[Tensor, "2 3"], segment: Float[Tensor, "2 3"]) -> bool:
    """Does the ray meet the segment? Only the x and y coordinates are used.

    Solve O + u * D = L1 + v * (L2 - L1) for (u, v). They meet if the ray goes forwards (u >= 0)
    and the point lies on the segment (0 <= v <= 1). A ray parallel to the segment never meets it.
    Returns a Python bool.
    """
    O, D = ray[:, :2]
    L1, L2 = segment[:, :2]
    # Columns D and L1 - L2: the system [D, L1 - L2] @ (u, v) = L1 - O.
    mat = t.stack([D, L1 - L2], dim=-1)
    if t.linalg.det(mat).abs() < SINGULAR_EPS:
        return False
    u, v = t.linalg.solve(mat, L1 - O)
    return bool((u >= 0) & (v >= 0) & (v <= 1))


def intersect_rays_1d(
    rays: Float[Tensor, "nrays 2 3"], segments: Float[Tensor, "nsegments 2 3"]
) -> Bool[Tensor, "nrays"]:
    """For each ray, does it meet any of the segments? Batched version of `intersect_ray_1d`.

    Only x and y are used. Parallel ray/segment pairs count as "no intersection".
    Returns a boolean tensor of shape (nrays,).
    """
    nrays, nsegments = rays.shape[0], segments.shape[0]
    # Every ray against every segment: broadcast both to (nrays, nsegments, 2, 2).
    rays = einops.repeat(rays[..., :2], "nrays p d -> nrays nseg p d", nseg=nsegments)
    segments = einops.repeat(segments[..., :2], "nseg p d -> nrays nseg p d", nrays=nrays)
    O, D = rays.unbind(dim=2)
    L1, L2 = segments.unbind(dim=2)

    mat = t.stack([D, L1 - L2], dim=-1)  # (nrays, nseg, 2, 2)
    singular = t.linalg.det(mat).abs() < SINGULAR_EPS
    # Replace singular systems by the identity so solve succeeds; their answers are masked below.
    mat[singular] = t.eye(2)
    u, v = t.linalg.solve(mat, L1 - O).unbind(dim=-1)

    hits = (u >= 0) & (v >= 0) & (v <= 1) & ~singular
    return hits.any(dim=-1)


def make_rays_2d(
    num_pixels_y: int, num_pixels_z: int, y_limit: float, z_limit: float
) -> Float[Tensor, "nrays 2 3"]:
    """One ray per pixel of a num_pixels_y x num_pixels_z screen: rays from the origin through a
    grid of points on the plane x = 1.

    Directions are (1, y, z) with y evenly spaced over [-y_limit, y_limit] (num_pixels_y values)
    and z over [-z_limit, z_limit] (num_pixels_z values). Rays are ordered y-major: ray
    i * num_pixels_z + j has the i-th y and the j-th z, so `.reshape(num_pixels_y, num_pixels_z)`
    of a per-ray result gives an image indexed [y, z].
    Returns shape (num_pixels_y * num_pixels_z, 2, 3).
    """
    nrays = num_pixels_y * num_pixels_z
    rays = t.zeros((nrays, 2, 3))
    ys = t.linspace(-y_limit, y_limit, num_pixels_y)
    zs = t.linspace(-z_limit, z_limit, num_pixels_z)
    rays[:, 1, 0] = 1.0
    rays[:, 1, 1] = einops.repeat(ys, "y -> (y z)", z=num_pixels_z)
    rays[:, 1, 2] = einops.repeat(zs, "z -> (y z)", y=num_pixels_y)
    return rays


def triangle_ray_intersects(
    A: Float[Tensor, "3"], B: Float[Tensor, "3"], C: Float[Tensor, "3"],
    O: Float[Tensor, "3"], D: Float[Tensor, "3"],
) -> bool:
    """Does the ray O + s * D (s >= 0) meet the triangle ABC (edges and corners included)?

    Solve O + s * D = A + u * (B - A) + v * (C - A) for (s, u, v). The point is in the triangle
    when u >= 0, v >= 0 and u + v <= 1; the ray reaches it when s >= 0. A ray parallel to the
    triangle's plane never meets it. Returns a Python bool.
    """
    mat = t.stack([-D, B - A, C - A], dim=-1)
    if t.linalg.det(mat).abs() < SINGULAR_EPS:
        return False
    s, u, v = t.linalg.solve(mat, O - A)
    return bool((s >= 0) & (u >= 0) & (v >= 0) & (u + v <= 1))


def raytrace_triangle(
    rays: Float[Tensor, "nrays 2 3"], triangle: Float[Tensor, "3 3"]
) -> Bool[Tensor, "nrays"]:
    """For each ray, does it meet the triangle? Batched version of `triangle_ray_intersects`.

    `triangle` holds the corners A, B, C as rows. Returns a boolean tensor of shape (nrays,).
    """
    nrays = rays.shape[0]
    A, B, C = einops.repeat(triangle, "p d -> p nrays d", nrays=nrays)
    O, D = rays.unbind(dim=1)

    mat = t.stack([-D, B - A, C - A], dim=-1)  # (nrays, 3, 3)
    singular = t.linalg.det(mat).abs() < SINGULAR_EPS
    mat[singular] = t.eye(3)
    s, u, v = t.linalg.solve(mat, O - A).unbind(dim=-1)

    return (s >= 0) & (u >= 0) & (v >= 0) & (u + v <= 1) & ~singular


def _buggy_raytrace_triangle(
    rays: Float[Tensor, "nrays 2 3"], triangle: Float[Tensor, "3 3"]
) -> Bool[Tensor, "nrays"]:
    nrays = rays.shape[0]
    A, B, C = einops.repeat(triangle, "p d -> p nrays d", nrays=nrays)
    O, D = rays.unbind(dim=1)

    mat = t.stack([-D, B - A, C - A], dim=1)
    singular = t.linalg.det(mat).abs() < SINGULAR_EPS
    mat[singular] = t.eye(3)
    s, u, v = t.linalg.solve(mat, A - O).unbind(dim=-1)

    return (s >= 0) & (u >= 0) & (v >= 0) & (u + v <= 1) & singular


def raytrace_triangle_with_bug(
    rays: Float[Tensor, "nrays 2 3"], triangle: Float[Tensor, "3 3"]
) -> Bool[Tensor, "nrays"]:
    """Same job as `raytrace_triangle`, but this version has three bugs. Find and fix them."""
    nrays = rays.shape[0]
    A, B, C = einops.repeat(triangle, "p d -> p nrays d", nrays=nrays)
    O, D = rays.unbind(dim=1)

    mat = t.stack([-D, B - A, C - A], dim=-1)
    singular = t.linalg.det(mat).abs() < SINGULAR_EPS
    mat[singular] = t.eye(3)
    s, u, v = t.linalg.solve(mat, O - A).unbind(dim=-1)

    return (s >= 0) & (u >= 0) & (v >= 0) & (u + v <= 1) & ~singular


def _ray_triangle_distances(
    rays: Float[Tensor, "nrays 2 3"], triangles: Float[Tensor, "ntriangles 3 3"]
) -> Float[Tensor, "nrays ntriangles"]:
    """The s at which each ray meets each triangle (s >= 0), or inf where it misses.

    We solve all (ray, triangle) systems at once with Cramer's rule, written with cross and dot
    products (Möller–Trumbore). It gives the same (s, u, v) as `t.linalg.solve` but is about ten
    times faster, because it is plain elementwise arithmetic rather than one small LU per system.
    """
    O, D = rays[:, None, 0], rays[:, None, 1]  # (nrays, 1, 3)
    A, B, C = triangles[None, :, 0], triangles[None, :, 1], triangles[None, :, 2]  # (1, ntri, 3)
    edge1, edge2, to_origin = B - A, C - A, O - A

    # det[-D, e1, e2] = e1 . (D x e2); the other determinants follow the same pattern.
    p = t.linalg.cross(D.expand(-1, edge2.shape[1], -1), edge2.expand(D.shape[0], -1, -1))
    det = (edge1 * p).sum(-1)  # (nrays, ntri)
    singular = det.abs() < SINGULAR_EPS
    det = t.where(singular, t.ones_like(det), det)
    q = t.linalg.cross(to_origin, edge1.expand_as(to_origin))
    u = (to_origin * p).sum(-1) / det
    v = (D * q).sum(-1) / det
    s = (edge2 * q).sum(-1) / det

    hit = (s >= 0) & (u >= 0) & (v >= 0) & (u + v <= 1) & ~singular
    return t.where(hit, s, t.tensor(float("inf")))


def raytrace_mesh(
    rays: Float[Tensor, "nrays 2 3"], triangles: Float[Tensor, "ntriangles 3 3"]
) -> Float[Tensor, "nrays"]:
    """For each ray, the distance s to the nearest triangle it meets (s >= 0), or inf if none.

    "Distance" is the ray parameter s of the hit point O + s * D; for rays from `make_rays_2d`
    (D has x = 1) that is the depth along the camera axis. Returns a float tensor of shape (nrays,).
    """
    return _ray_triangle_distances(rays, triangles).min(dim=-1).values


def rotation_matrix(theta: Float[Tensor, ""]) -> Float[Tensor, "3 3"]:
    """The matrix that rotates points by angle `theta` (radians) about the y axis (up).

    With x towards the scene and z to the side, a positive angle turns +z towards +x:
    rotation_matrix(pi / 2) @ (0, 0, 1) = (1, 0, 0). Returns a float tensor of shape (3, 3).
    """
    theta = t.as_tensor(theta, dtype=t.float32)
    c, s = t.cos(theta), t.sin(theta)
    return t.stack([
        t.stack([c, t.zeros(()), s]),
        t.tensor([0.0, 1.0, 0.0]),
        t.stack([-s, t.zeros(()), c]),
    ])


def raytrace_mesh_lambert(
    rays: Float[Tensor, "nrays 2 3"],
    triangles: Float[Tensor, "ntriangles 3 3"],
    light: Float[Tensor, "3"],
    ambient_intensity: float = 0.0,
) -> Float[Tensor, "nrays"]:
    """Brightness of the nearest surface each ray sees, with Lambert (diffuse) shading.

    For a ray that hits, let n be the unit normal of the nearest triangle it meets, turned to face
    the camera (n . D <= 0), and l = light / |light| the unit direction towards the light. The
    brightness is ambient_intensity + max(n . l, 0). Rays that hit nothing get 0.
    """
    s = _ray_triangle_distances(rays, triangles)
    nearest_s, nearest = s.min(dim=-1)

    normals = t.linalg.cross(triangles[:, 1] - triangles[:, 0], triangles[:, 2] - triangles[:, 0])
    normals = normals / normals.norm(dim=-1, keepdim=True)
    n = normals[nearest]  # (nrays, 3)
    # A triangle's winding decides which way its normal points; we want the side the camera sees.
    n = t.where(((n * rays[:, 1]).sum(-1, keepdim=True) > 0), -n, n)
    brightness = ambient_intensity + (n @ (light / light.norm())).clamp(min=0)
    return t.where(t.isfinite(nearest_s), brightness, t.zeros(()))


def raytrace_mesh_video(
    rays: Float[Tensor, "nrays 2 3"],
    triangles: Float[Tensor, "ntriangles 3 3"],
    rotation_matrix,
    raytrace_function,
    num_frames: int,
) -> Float[Tensor, "num_frames nrays"]:
    """Given: render `num_frames` frames of the mesh turning once around the y axis.

    The mesh is rotated about its own centre (the mean of its corners), so it spins in place.
    `raytrace_function(rays, triangles)` renders one frame.
    """
    centre = triangles.reshape(-1, 3).mean(0)
    frames = []
    for theta in t.linspace(0, 2 * t.pi, num_frames + 1)[:-1]:
        rotated = (triangles - centre) @ rotation_matrix(theta).T + centre
        frames.append(raytrace_function(rays, rotated))
    return t.stack(frames)
