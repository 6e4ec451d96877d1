"""Plausible wrong answers to chapter 5.1's exercises: each must be rejected by its check.

Each entry is (exercise name, what the mistake is, the wrong function). They are the mistakes a
learner is likely to make (a missing condition, a strict inequality, the wrong axis, ...), not
random noise, so that a check that passes them would mislead somebody. Where a mistake is in how
the answer is read off the solved system, the system is solved by the chapter's float64 oracle
(utils/part1_oracle.py) and the mistake is made on its (u, v) or (s, u, v).
"""

import math

import einops
import torch as t

from solutions import part1_ray_tracing as ref
from utils import part1_oracle as oracle


def rays_1d_arange(num_pixels, y_limit):
    rays = t.zeros((num_pixels, 2, 3))
    rays[:, 1, 0] = 1
    rays[:, 1, 1] = t.arange(num_pixels) * (2 * y_limit / num_pixels) - y_limit  # misses the end
    return rays


def rays_1d_direction_x_zero(num_pixels, y_limit):
    rays = t.zeros((num_pixels, 2, 3))
    rays[:, 1, 1] = t.linspace(-y_limit, y_limit, num_pixels)
    return rays


def rays_1d_reversed(num_pixels, y_limit):
    return ref.make_rays_1d(num_pixels, y_limit).flip(0)


def _ray_1d_solution(ray, segment):
    found = oracle.ray_segment(ray, segment)
    return None if found.singular else (found.u, found.v)


def intersect_no_u_check(ray, segment):
    sol = _ray_1d_solution(ray, segment)
    return sol is not None and bool((sol[1] >= 0) & (sol[1] <= 1))


def intersect_no_upper_v(ray, segment):
    sol = _ray_1d_solution(ray, segment)
    return sol is not None and bool((sol[0] >= 0) & (sol[1] >= 0))


def intersect_strict(ray, segment):
    sol = _ray_1d_solution(ray, segment)
    return sol is not None and bool((sol[0] > 0) & (sol[1] > 0) & (sol[1] < 1))


def intersect_no_singular_guard(ray, segment):
    O, D = ray[:, :2]
    L1, L2 = segment[:, :2]
    u, v = t.linalg.solve(t.stack([D, L1 - L2], dim=-1), L1 - O)
    return bool((u >= 0) & (v >= 0) & (v <= 1))


def intersect_rows_not_columns(ray, segment):
    O, D = ray[:, :2]
    L1, L2 = segment[:, :2]
    mat = t.stack([D, L1 - L2], dim=0)  # rows instead of columns
    if t.linalg.det(mat).abs() < 1e-8:
        return False
    u, v = t.linalg.solve(mat, L1 - O)
    return bool((u >= 0) & (v >= 0) & (v <= 1))


def rays_1d_all_not_any(rays, segments):
    nr, ns = rays.shape[0], segments.shape[0]
    hits = t.stack([t.tensor([ref.intersect_ray_1d(r, s) for s in segments]) for r in rays])
    return hits.all(dim=-1) if nr and ns else hits


def rays_1d_per_segment(rays, segments):
    hits = t.stack([t.tensor([ref.intersect_ray_1d(r, s) for s in segments]) for r in rays])
    return hits.any(dim=0)  # reduced over the wrong axis


def rays_1d_no_singular_mask(rays, segments):
    # The identity stands in for each singular system, and its "answer" is kept.
    found = oracle.ray_segment(rays[:, None], segments[None])
    return ((found.u >= 0) & (found.v >= 0) & (found.v <= 1)).any(-1)  # forgot ~singular


def rays_2d_z_major(ny, nz, y_limit, z_limit):
    rays = t.zeros((ny * nz, 2, 3))
    rays[:, 1, 0] = 1
    rays[:, 1, 1] = einops.repeat(t.linspace(-y_limit, y_limit, ny), "y -> (z y)", z=nz)
    rays[:, 1, 2] = einops.repeat(t.linspace(-z_limit, z_limit, nz), "z -> (z y)", y=ny)
    return rays


def rays_2d_swapped_limits(ny, nz, y_limit, z_limit):
    return ref.make_rays_2d(ny, nz, z_limit, y_limit)


def _tri_solution(A, B, C, O, D):
    found = oracle.ray_triangle(t.stack([O, D]), t.stack([A, B, C]))
    return None if found.singular else (found.s, found.u, found.v)


def tri_no_s_check(A, B, C, O, D):
    sol = _tri_solution(A, B, C, O, D)
    return sol is not None and bool((sol[1] >= 0) & (sol[2] >= 0) & (sol[1] + sol[2] <= 1))


def tri_no_sum_check(A, B, C, O, D):
    sol = _tri_solution(A, B, C, O, D)
    return sol is not None and bool((sol[0] >= 0) & (sol[1] >= 0) & (sol[2] >= 0))


def tri_strict_edge(A, B, C, O, D):
    sol = _tri_solution(A, B, C, O, D)
    return sol is not None and bool((sol[0] >= 0) & (sol[1] >= 0) & (sol[2] >= 0)
                                    & (sol[1] + sol[2] < 1))


def tri_unit_cube_test(A, B, C, O, D):
    sol = _tri_solution(A, B, C, O, D)  # u, v in [0, 1] is a parallelogram, not a triangle
    return sol is not None and bool((sol[0] >= 0) & (sol[1] >= 0) & (sol[1] <= 1) & (sol[2] >= 0)
                                    & (sol[2] <= 1))


def raytrace_triangle_loop_no_s(rays, triangle):
    return t.tensor([tri_no_s_check(*triangle, O, D) for O, D in rays])


def raytrace_triangle_rows(rays, triangle):
    return ref._buggy_raytrace_triangle(rays, triangle)


def raytrace_triangle_float(rays, triangle):
    return ref.raytrace_triangle(rays, triangle).float()


def mesh_max_not_min(rays, triangles):
    d = oracle.mesh_distances(rays, triangles)
    d = d.masked_fill(t.isinf(d), -1).max(-1).values
    return d.masked_fill(d < 0, float("inf"))


def mesh_zero_for_miss(rays, triangles):
    d = ref.raytrace_mesh(rays, triangles)
    return d.masked_fill(t.isinf(d), 0.0)


def _nearest(rays, triangles, hit_rule):
    """The smallest s among the (ray, triangle) pairs that `hit_rule(found)` calls hits."""
    found = oracle.ray_triangle(rays[:, None], triangles[None])
    return t.where(hit_rule(found), found.s, math.inf).min(-1).values.to(rays.dtype)


def mesh_no_s_check(rays, triangles):
    return _nearest(rays, triangles,
                    lambda f: (f.u >= 0) & (f.v >= 0) & (f.u + f.v <= 1) & ~f.singular)


def mesh_euclidean_distance(rays, triangles):
    return ref.raytrace_mesh(rays, triangles) * rays[:, 1].norm(dim=-1)


def mesh_depth_along_x(rays, triangles):
    # The x distance from the origin to the hit: equal to s only when D_x = 1.
    return ref.raytrace_mesh(rays, triangles) * rays[:, 1, 0]


def rotation_transposed(theta):
    return ref.rotation_matrix(theta).T


def rotation_about_z(theta):
    c, s = t.cos(theta), t.sin(theta)
    return t.stack([t.stack([c, -s, t.zeros(())]), t.stack([s, c, t.zeros(())]),
                    t.tensor([0.0, 0.0, 1.0])])


def rotation_degrees(theta):
    return ref.rotation_matrix(t.deg2rad(theta))


def lambert_no_clamp(rays, triangles, light, ambient_intensity=0.0):
    full = ref.raytrace_mesh_lambert(rays, triangles, -light, 0.0)
    hit = t.isfinite(ref.raytrace_mesh(rays, triangles))
    return t.where(hit, ambient_intensity - full + ref.raytrace_mesh_lambert(
        rays, triangles, light, 0.0), t.zeros(()))


def lambert_no_ambient(rays, triangles, light, ambient_intensity=0.0):
    return ref.raytrace_mesh_lambert(rays, triangles, light, 0.0)


def lambert_no_flip(rays, triangles, light, ambient_intensity=0.0):
    # Normals as the corners' order gives them, never turned towards the camera.
    nearest = oracle.mesh_distances(rays, triangles).min(-1)
    n = oracle.unit_normals(triangles)[nearest.indices]
    light = light.double()
    b = ambient_intensity + (n @ (light / light.norm())).clamp(min=0)
    return t.where(t.isfinite(nearest.values), b, 0.0).to(rays.dtype)


def lambert_unnormalised_light(rays, triangles, light, ambient_intensity=0.0):
    return ref.raytrace_mesh_lambert(rays, triangles, light, ambient_intensity) * light.norm()


def tri_strict_u(A, B, C, O, D):
    sol = _tri_solution(A, B, C, O, D)
    return sol is not None and bool((sol[0] >= 0) & (sol[1] > 0) & (sol[2] >= 0)
                                    & (sol[1] + sol[2] <= 1))


def tri_strict_s(A, B, C, O, D):
    sol = _tri_solution(A, B, C, O, D)
    return sol is not None and bool((sol[0] > 0) & (sol[1] >= 0) & (sol[2] >= 0)
                                    & (sol[1] + sol[2] <= 1))


def _hit_rule(keep_singular_mask=True, strict=False):
    def rule(f):
        hit = ((f.s > 0) & (f.u > 0) & (f.v > 0) & (f.u + f.v < 1)) if strict else \
            ((f.s >= 0) & (f.u >= 0) & (f.v >= 0) & (f.u + f.v <= 1))
        return hit & ~f.singular if keep_singular_mask else hit
    return rule


def _batched_triangle(rays, triangle, keep_singular_mask=True, strict=False):
    return _hit_rule(keep_singular_mask, strict)(oracle.ray_triangle(rays, triangle))


def raytrace_triangle_no_singular_mask(rays, triangle):
    return _batched_triangle(rays, triangle, keep_singular_mask=False)


def raytrace_triangle_strict(rays, triangle):
    return _batched_triangle(rays, triangle, strict=True)


def mesh_strict(rays, triangles):
    return _nearest(rays, triangles, _hit_rule(strict=True))


def mesh_no_singular_mask(rays, triangles):
    return _nearest(rays, triangles, _hit_rule(keep_singular_mask=False))


def _sphere_quadratic(rays, center, radius):
    O, D = rays.unbind(dim=1)
    m = O - center
    return (D * D).sum(-1), 2 * (D * m).sum(-1), (m * m).sum(-1) - radius**2


def sphere_unit_directions(rays, center, radius):
    _, b, c = _sphere_quadratic(rays, center, radius)  # a = 1: true only for unit directions
    disc = b**2 - 4 * c
    return (disc >= 0) & ((-b + disc.clamp(min=0).sqrt()) / 2 >= 0)


def sphere_behind_counts(rays, center, radius):
    a, b, c = _sphere_quadratic(rays, center, radius)
    return b**2 - 4 * a * c >= 0  # any real root, even behind the origin


def sphere_smaller_root(rays, center, radius):
    a, b, c = _sphere_quadratic(rays, center, radius)
    disc = b**2 - 4 * a * c
    return (disc >= 0) & ((-b - disc.clamp(min=0).sqrt()) / (2 * a) >= 0)  # misses from inside


def sphere_strict_discriminant(rays, center, radius):
    a, b, c = _sphere_quadratic(rays, center, radius)
    disc = b**2 - 4 * a * c
    return (disc > 0) & ((-b + disc.clamp(min=0).sqrt()) / (2 * a) >= 0)


WRONG_ANSWERS = [
    ("raytrace_sphere", "assumes unit directions (a = 1)", sphere_unit_directions),
    ("raytrace_sphere", "counts spheres behind the origin", sphere_behind_counts),
    ("raytrace_sphere", "needs the smaller root >= 0 (misses from inside)", sphere_smaller_root),
    ("raytrace_sphere", "strict discriminant > 0 (grazing rays miss)", sphere_strict_discriminant),
    ("make_rays_1d", "arange that misses the last point", rays_1d_arange),
    ("make_rays_1d", "direction x left at 0", rays_1d_direction_x_zero),
    ("make_rays_1d", "rays in reverse order", rays_1d_reversed),
    ("intersect_ray_1d", "no u >= 0 (hits behind the origin)", intersect_no_u_check),
    ("intersect_ray_1d", "no v <= 1", intersect_no_upper_v),
    ("intersect_ray_1d", "strict inequalities", intersect_strict),
    ("intersect_ray_1d", "no guard for parallel rays", intersect_no_singular_guard),
    ("intersect_ray_1d", "vectors stacked as rows", intersect_rows_not_columns),
    ("intersect_rays_1d", "all() instead of any()", rays_1d_all_not_any),
    ("intersect_rays_1d", "reduced over rays instead of segments", rays_1d_per_segment),
    ("intersect_rays_1d", "singular systems not masked out", rays_1d_no_singular_mask),
    ("make_rays_2d", "z-major order", rays_2d_z_major),
    ("make_rays_2d", "y and z limits swapped", rays_2d_swapped_limits),
    ("triangle_ray_intersects", "no s >= 0", tri_no_s_check),
    ("triangle_ray_intersects", "no u + v <= 1", tri_no_sum_check),
    ("triangle_ray_intersects", "strict u + v < 1", tri_strict_edge),
    ("triangle_ray_intersects", "u, v in [0, 1] (a parallelogram)", tri_unit_cube_test),
    ("raytrace_triangle", "no s >= 0", raytrace_triangle_loop_no_s),
    ("raytrace_triangle", "the given bugs", raytrace_triangle_rows),
    ("raytrace_triangle", "float instead of bool", raytrace_triangle_float),
    ("raytrace_triangle", "singular systems not masked out", raytrace_triangle_no_singular_mask),
    ("raytrace_triangle", "strict inequalities", raytrace_triangle_strict),
    ("raytrace_triangle_with_bug", "the `& singular` deleted instead of fixed",
     raytrace_triangle_no_singular_mask),
    ("triangle_ray_intersects", "strict u > 0", tri_strict_u),
    ("triangle_ray_intersects", "strict s > 0", tri_strict_s),
    ("raytrace_mesh", "strict inequalities", mesh_strict),
    ("raytrace_mesh", "singular systems not masked out", mesh_no_singular_mask),
    ("raytrace_mesh", "farthest instead of nearest", mesh_max_not_min),
    ("raytrace_mesh", "0 instead of inf for misses", mesh_zero_for_miss),
    ("raytrace_mesh", "no s >= 0", mesh_no_s_check),
    ("raytrace_mesh", "Euclidean distance instead of s", mesh_euclidean_distance),
    ("raytrace_mesh", "depth along x (s * D_x) instead of s", mesh_depth_along_x),
    ("rotation_matrix", "rotates the other way", rotation_transposed),
    ("rotation_matrix", "about the z axis", rotation_about_z),
    ("rotation_matrix", "treats theta as degrees", rotation_degrees),
    ("raytrace_mesh_lambert", "no clamp at 0", lambert_no_clamp),
    ("raytrace_mesh_lambert", "ambient light ignored", lambert_no_ambient),
    ("raytrace_mesh_lambert", "normals not turned to the camera", lambert_no_flip),
    ("raytrace_mesh_lambert", "light not normalised", lambert_unnormalised_light),
]


# Correct answers written differently: each must pass.
def rays_2d_float64(ny, nz, y_limit, z_limit):
    return ref.make_rays_2d(ny, nz, y_limit, z_limit).double()


def intersect_numpy_bool(ray, segment):
    import numpy as np
    return np.bool_(ref.intersect_ray_1d(ray, segment))


def intersect_with_inverse(ray, segment):
    O, D = ray[:, :2]
    L1, L2 = segment[:, :2]
    mat = t.stack([D, L1 - L2], dim=-1)
    if t.linalg.det(mat).abs() < 1e-8:
        return False
    u, v = t.linalg.inv(mat) @ (L1 - O)
    return bool((u >= 0) & (v >= 0) & (v <= 1))


def triangle_0d_tensor(A, B, C, O, D):
    return t.tensor(ref.triangle_ray_intersects(A, B, C, O, D))


def raytrace_triangle_in_place(rays, triangle):
    rays[:, 1] *= 1.0  # writes into its input; the checks pass copies
    return ref.raytrace_triangle(rays, triangle)


RIGHT_ANSWERS = [
    ("make_rays_2d", "float64 rays", rays_2d_float64),
    ("intersect_ray_1d", "a numpy bool", intersect_numpy_bool),
    ("intersect_ray_1d", "matrix inverse instead of solve", intersect_with_inverse),
    ("triangle_ray_intersects", "a 0-d bool tensor", triangle_0d_tensor),
    ("raytrace_triangle", "writes into its input", raytrace_triangle_in_place),
    ("raytrace_mesh", "t.linalg.solve, as the page teaches", lambda r, tr: _solve_mesh(r, tr)),
]


def _solve_mesh(rays, triangles):
    O, D = rays[:, None, 0], rays[:, None, 1]
    A, B, C = triangles[None, :, 0], triangles[None, :, 1], triangles[None, :, 2]
    mat = t.stack([-D.expand(-1, A.shape[1], -1), (B - A).expand(O.shape[0], -1, -1),
                   (C - A).expand(O.shape[0], -1, -1)], dim=-1)
    singular = t.linalg.det(mat).abs() < 1e-8
    mat[singular] = t.eye(3)
    s, u, v = t.linalg.solve(mat, O - A).unbind(-1)
    hit = (s >= 0) & (u >= 0) & (v >= 0) & (u + v <= 1) & ~singular
    return t.where(hit, s, t.tensor(float("inf"))).min(-1).values
