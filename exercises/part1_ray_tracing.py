# %% [markdown]
# # Chapter 5.1: Ray tracing — exercises
#
# Batched tensor operations, learned by writing a renderer: from one ray and one segment to a lit, spinning 3-D mesh.
#
# Replace each `raise NotImplementedError()` with your answer. Then run every check:
#
#     python exercises/part1_ray_tracing.py
#
# or one test per exercise with `pytest exercises/part1_ray_tracing.py`, or call one check yourself, e.g. `tests.test_make_rays_1d(make_rays_1d)`.
#
# This file is generated from `solutions/part1_ray_tracing.py`; the lessons, plots and hints are on the site: https://grokking-the-fundamentals.streamlit.app/part1_ray_tracing_overview. Open in Colab: https://colab.research.google.com/github/grokking-the-fundamentals/grokking-the-fundamentals/blob/main/exercises/part1_ray_tracing.ipynb


# %%
import sys
from pathlib import Path

# The checks live in the repository's `utils` package: import it from the folder above this file.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
try:
    import utils  # noqa: F401
except ImportError:
    sys.exit("This file needs the course's code: put it in the exercises/ folder of a clone of "
             "https://github.com/grokking-the-fundamentals/grokking-the-fundamentals and run it from there.")


# %%
import einops
import torch as t
from jaxtyping import Bool, Float
from torch import Tensor

# Below this absolute determinant we treat a linear system as singular (ray parallel to the object).
SINGULAR_EPS = 1e-8

from utils.checks import part1_ray_tracing as tests


# %% [markdown]
# ## Rays and segments
#
# [Read this section on the site](https://grokking-the-fundamentals.streamlit.app/part1_ray_tracing_rays_and_segments)


# %% [markdown]
# ### Exercise: `make_rays_1d` — Make a fan of 1-D rays
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵⚪⚪ · 10–15 minutes
#
# Write `make_rays_1d(num_pixels, y_limit)` returning a tensor of shape `(num_pixels, 2, 3)`.
# Each pixel gives one ray, so there are `num_pixels` rays: `rays[i]` is pixel $i$'s ray,
# with its origin in row 0 (`rays[i, 0]`) and its direction in row 1 (`rays[i, 1]`). Every
# ray starts at the origin $(0, 0, 0)$; ray $i$ points along $(1, y_i, 0)$, where the $y_i$
# run evenly from $-y_\text{limit}$ (pixel 0) to $+y_\text{limit}$ (the last pixel), both
# ends included.
#
# Check it with `tests.test_make_rays_1d(make_rays_1d)`.


# %%
def make_rays_1d(num_pixels: int, y_limit: float) -> Float[Tensor, "num_pixels 2 3"]:
    """One ray per pixel: rays from the origin through `num_pixels` points spread evenly over
    the vertical line x = 1.

    Ray i (pixel i's ray) has origin (0, 0, 0) and direction (1, y_i, 0), where y_0 = -y_limit,
    the last y is +y_limit, and the y_i are evenly spaced in between (both ends included).
    Returns a tensor of shape (num_pixels, 2, 3): rays[i, 0] is the origin, rays[i, 1] the
    direction.
    """
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `intersect_ray_1d` — Does one ray meet one segment?
#
# Difficulty 🔴🔴🔴⚪⚪ · Importance 🔵🔵🔵🔵⚪ · 20–25 minutes
#
# Write `intersect_ray_1d(ray, segment) -> bool`. Use only the x and y coordinates. Solve $O + uD = L_1 + v(L_2 - L_1)$
# for $(u, v)$; the ray meets the segment when $u \ge 0$ and $0 \le v \le 1$. If the ray is
# parallel to the segment, return `False` (the system has no unique solution).
#
# Check it with `tests.test_intersect_ray_1d(intersect_ray_1d)`.


# %%
def intersect_ray_1d(ray: Float[Tensor, "2 3"], segment: Float[Tensor, "2 3"]) -> bool:
    """Does the ray meet the segment? Only the x and y coordinates are used.

    Solve O + u * D = L1 + v * (L2 - L1) for (u, v). They meet if the ray goes forwards (u >= 0)
    and the point lies on the segment (0 <= v <= 1). A ray parallel to the segment never meets it.
    Returns a Python bool.
    """
    raise NotImplementedError()


# %% [markdown]
# ## Batched operations
#
# [Read this section on the site](https://grokking-the-fundamentals.streamlit.app/part1_ray_tracing_batched)


# %% [markdown]
# ### Exercise: `intersect_rays_1d` — Many rays against many segments, in one go
#
# Difficulty 🔴🔴🔴🔴⚪ · Importance 🔵🔵🔵🔵⚪ · 25–40 minutes
#
# Write `intersect_rays_1d(rays, segments)` returning a boolean tensor of shape `(nrays,)`:
# is ray $i$ blocked by any segment? No Python loops: build every (ray, segment) system at
# once with broadcasting, solve them in one batched call, and reduce over segments. Parallel
# pairs count as misses.
#
# Check it with `tests.test_intersect_rays_1d(intersect_rays_1d)`.


# %%
def intersect_rays_1d(
    rays: Float[Tensor, "nrays 2 3"], segments: Float[Tensor, "nsegments 2 3"]
) -> Bool[Tensor, "nrays"]:
    """For each ray, does it meet any of the segments? Batched version of `intersect_ray_1d`.

    Only x and y are used. Parallel ray/segment pairs count as "no intersection".
    Returns a boolean tensor of shape (nrays,).
    """
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `make_rays_2d` — A screen of rays
#
# Difficulty 🔴🔴🔴⚪⚪ · Importance 🔵🔵⚪⚪⚪ · 10–20 minutes
#
# Write `make_rays_2d(num_pixels_y, num_pixels_z, y_limit, z_limit)` returning a tensor of
# shape `(num_pixels_y * num_pixels_z, 2, 3)`. Each pixel $(i, j)$ of the screen gives one
# ray: origin $(0, 0, 0)$ (row 0), direction $(1, y_i, z_j)$ (row 1), where the
# `num_pixels_y` values $y_i$ run evenly from $-y_\text{limit}$ to $+y_\text{limit}$ and the
# `num_pixels_z` values $z_j$ from $-z_\text{limit}$ to $+z_\text{limit}$, both ends
# included. Order the rays y-major: pixel $(i, j)$'s ray is `rays[i * num_pixels_z + j]`.
#
# Check it with `tests.test_make_rays_2d(make_rays_2d)`.


# %%
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
    raise NotImplementedError()


# %% [markdown]
# ## Triangles
#
# [Read this section on the site](https://grokking-the-fundamentals.streamlit.app/part1_ray_tracing_triangles)


# %% [markdown]
# ### Exercise: `triangle_ray_intersects` — Does one ray meet one triangle?
#
# Difficulty 🔴🔴🔴⚪⚪ · Importance 🔵🔵🔵⚪⚪ · 15–20 minutes
#
# Write `triangle_ray_intersects(A, B, C, O, D) -> bool`. Solve $O + sD = A + u(B - A) + v(C - A)$
# for $(s, u, v)$. The ray meets the triangle when $s \ge 0$ (in front of the origin), $u \ge 0$,
# $v \ge 0$ and $u + v \le 1$. A ray parallel to the triangle's plane never meets it.
#
# Check it with `tests.test_triangle_ray_intersects(triangle_ray_intersects)`.


# %%
def triangle_ray_intersects(
    A: Float[Tensor, "3"], B: Float[Tensor, "3"], C: Float[Tensor, "3"],
    O: Float[Tensor, "3"], D: Float[Tensor, "3"],
) -> bool:
    """Does the ray O + s * D (s >= 0) meet the triangle ABC (edges and corners included)?

    Solve O + s * D = A + u * (B - A) + v * (C - A) for (s, u, v). The point is in the triangle
    when u >= 0, v >= 0 and u + v <= 1; the ray reaches it when s >= 0. A ray parallel to the
    triangle's plane never meets it. Returns a Python bool.
    """
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `raytrace_triangle` — Render a triangle
#
# Difficulty 🔴🔴🔴🔴⚪ · Importance 🔵🔵🔵🔵⚪ · 15–20 minutes
#
# Write `raytrace_triangle(rays, triangle)` returning a boolean tensor of shape `(nrays,)`:
# which rays meet the triangle (its corners are the rows of `triangle`)? Batch it like
# `intersect_rays_1d`, with the same rules as `triangle_ray_intersects`.
#
# Check it with `tests.test_raytrace_triangle(raytrace_triangle)`.


# %%
def raytrace_triangle(
    rays: Float[Tensor, "nrays 2 3"], triangle: Float[Tensor, "3 3"]
) -> Bool[Tensor, "nrays"]:
    """For each ray, does it meet the triangle? Batched version of `triangle_ray_intersects`.

    `triangle` holds the corners A, B, C as rows. Returns a boolean tensor of shape (nrays,).
    """
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `raytrace_triangle_with_bug` — Debugging: find the three bugs
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵⚪⚪ · 10–20 minutes
#
# This function should do what `raytrace_triangle` does, but it has three bugs. It runs
# without errors, which makes them harder to find. Fix it. Try it on a single ray whose
# answer you know, and print the intermediate tensors.
#
# Check it with `tests.test_raytrace_triangle_with_bug(raytrace_triangle_with_bug)`.


# %%
def raytrace_triangle_with_bug(
    rays: Float[Tensor, "nrays 2 3"], triangle: Float[Tensor, "3 3"]
) -> Bool[Tensor, "nrays"]:
    """Same job as `raytrace_triangle`, but this version has three bugs. Find and fix them."""
    nrays = rays.shape[0]
    A, B, C = einops.repeat(triangle, "p d -> p nrays d", nrays=nrays)
    O, D = rays.unbind(dim=1)

    mat = t.stack([-D, B - A, C - A], dim=1)
    singular = t.linalg.det(mat).abs() < SINGULAR_EPS
    mat[singular] = t.eye(3)
    s, u, v = t.linalg.solve(mat, A - O).unbind(dim=-1)

    return (s >= 0) & (u >= 0) & (v >= 0) & (u + v <= 1) & singular


# %% [markdown]
# ### Exercise: `raytrace_sphere` — Bonus: render a sphere
#
# Difficulty 🔴🔴🔴⚪⚪ · Importance 🔵🔵⚪⚪⚪ · 15–25 minutes · bonus
#
# Write `raytrace_sphere(rays, center, radius)` returning a boolean tensor of shape
# `(nrays,)`: which rays meet the sphere of this `center` (shape `(3,)`) and `radius`? A
# point $P$ is on the sphere when $\lVert P - C \rVert^2 = r^2$. Put the ray's points
# $O + sD$ in for $P$ and you get a quadratic in $s$; the ray meets the sphere when it has
# a real root with $s \ge 0$. Grazing rays (one double root) count as hits, and so does a
# ray that starts inside the sphere. Directions need not have length 1. No Python loops.
#
# Check it with `tests.test_raytrace_sphere(raytrace_sphere)`.


# %%
def raytrace_sphere(
    rays: Float[Tensor, "nrays 2 3"], center: Float[Tensor, "3"], radius: float
) -> Bool[Tensor, "nrays"]:
    """For each ray O + s * D (s >= 0), does it meet the sphere |P - center| = radius?

    Substituting the ray into the sphere's equation gives a s^2 + b s + c = 0 with a = D.D,
    b = 2 D.(O - center), c = |O - center|^2 - radius^2. The ray meets the sphere when the
    discriminant is >= 0 and the larger root is >= 0 (a ray starting inside meets it going out).
    Returns a boolean tensor of shape (nrays,).
    """
    raise NotImplementedError()


# %% [markdown]
# ## Rendering a mesh
#
# [Read this section on the site](https://grokking-the-fundamentals.streamlit.app/part1_ray_tracing_mesh)


# %% [markdown]
# ### Exercise: `raytrace_mesh` — Render a mesh
#
# Difficulty 🔴🔴🔴⚪⚪ · Importance 🔵🔵🔵🔵⚪ · 20–25 minutes
#
# Write `raytrace_mesh(rays, triangles)` returning a float tensor of shape `(nrays,)`: for
# each ray, the $s$ of the nearest triangle it meets (with $s \ge 0$), or `inf` if it meets
# none. $s$ is the multiple of $D$ that reaches the hit point $O + sD$; it equals the depth
# along $x$ only when $D_x = 1$, and the checks also use other directions. `triangles` has
# shape `(ntriangles, 3, 3)`.
#
# Check it with `tests.test_raytrace_mesh(raytrace_mesh)`.


# %%
def raytrace_mesh(
    rays: Float[Tensor, "nrays 2 3"], triangles: Float[Tensor, "ntriangles 3 3"]
) -> Float[Tensor, "nrays"]:
    """For each ray, the distance s to the nearest triangle it meets (s >= 0), or inf if none.

    "Distance" is the ray parameter s of the hit point O + s * D; for rays from `make_rays_2d`
    (D has x = 1) that is the depth along the camera axis. Returns a float tensor of shape (nrays,).
    """
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `rotation_matrix` — A rotation about the vertical axis
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵⚪⚪ · 10–15 minutes
#
# Write `rotation_matrix(theta)` returning the `(3, 3)` matrix that rotates points by `theta`
# radians about the y axis, so that a positive angle turns $+z$ towards $+x$:
# `rotation_matrix(t.tensor(t.pi / 2)) @ (0, 0, 1) = (1, 0, 0)`.
#
# Check it with `tests.test_rotation_matrix(rotation_matrix)`.


# %%
def rotation_matrix(theta: Float[Tensor, ""]) -> Float[Tensor, "3 3"]:
    """The matrix that rotates points by angle `theta` (radians) about the y axis (up).

    With x towards the scene and z to the side, a positive angle turns +z towards +x:
    rotation_matrix(t.pi / 2) @ (0, 0, 1) = (1, 0, 0). Returns a float tensor of shape (3, 3).
    """
    raise NotImplementedError()


# %%
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


# %% [markdown]
# ## Bonus: video and lighting
#
# [Read this section on the site](https://grokking-the-fundamentals.streamlit.app/part1_ray_tracing_lighting)


# %% [markdown]
# ### Exercise: `raytrace_mesh_lambert` — Bonus: shading with Lambert's law
#
# Difficulty 🔴🔴🔴🔴🔴 · Importance 🔵🔵⚪⚪⚪ · 20–40 minutes · bonus
#
# Write `raytrace_mesh_lambert(rays, triangles, light, ambient_intensity=0.0)`. For each ray
# that hits, take the nearest triangle's unit normal $\hat n$, turned to face the camera
# ($\hat n \cdot D \le 0$), and return $\text{ambient} + \max(\hat n \cdot \hat l, 0)$ with
# $\hat l = \text{light}/\lVert \text{light} \rVert$. Misses get 0.
#
# Check it with `tests.test_raytrace_mesh_lambert(raytrace_mesh_lambert)`.


# %%
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
    raise NotImplementedError()


# %%
# `pytest exercises/part1_ray_tracing.py`: one test per exercise (those not done yet are skipped).
from utils.local import pytest_tests

globals().update(pytest_tests("part1_ray_tracing", globals()))

if __name__ == "__main__":
    from utils.local import check_all

    check_all(globals(), "part1_ray_tracing")
