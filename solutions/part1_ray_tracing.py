"""Reference solutions for chapter 5.1: ray tracing with batched tensor operations.

This file is the source of truth for the chapter's code: `exercises/part1_ray_tracing.py` and the
two notebooks are generated from it and from the section sources (`python -m utils.codegen`). An
exercise is a function marked `@exercise(...)`, which holds its metadata (title, difficulty,
importance, time, task and hints) beside its solution; define them in the order a learner meets
them. Each becomes a stub in the generated files; everything else (imports, given code) is copied
as is, except names starting with "_", which are solution-only helpers. The prose around the
exercises, and where each one appears, is in `pages/part1_ray_tracing/<n>_<key>.md`.

Conventions used throughout the chapter:
- A ray is a (2, 3) tensor: its origin O and its direction D. A point on it is O + s * D, s >= 0.
- A segment is a (2, 3) tensor of its two end points; a triangle is a (3, 3) tensor of its corners.
- The camera looks along +x; y is up and z is to the side. Images are indexed [y, z].
"""

import einops
import torch as t
from jaxtyping import Bool, Float
from torch import Tensor

from utils.exercise_meta import exercise

# Below this absolute determinant we treat a linear system as singular (ray parallel to the object).
SINGULAR_EPS = 1e-8


@exercise(
    title="Make a fan of 1-D rays",
    difficulty=2, importance=3, minutes=(10, 15),
    task=r"""
        Write `make_rays_1d(num_pixels, y_limit)` returning a tensor of shape `(num_pixels, 2, 3)`.
        Each pixel gives one ray, so there are `num_pixels` rays: `rays[i]` is pixel $i$'s ray,
        with its origin in row 0 (`rays[i, 0]`) and its direction in row 1 (`rays[i, 1]`). Every
        ray starts at the origin $(0, 0, 0)$; ray $i$ points along $(1, y_i, 0)$, where the $y_i$
        run evenly from $-y_\text{limit}$ (pixel 0) to $+y_\text{limit}$ (the last pixel), both
        ends included.
    """,
    hints=(
        "Start from `t.zeros((num_pixels, 2, 3))`: the origins are already right.",
        r"""
            `t.linspace(start, end, steps)` includes both ends. Assign it to `rays[:, 1, 1]` and
            set `rays[:, 1, 0] = 1`.
        """,
    ),
)
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


@exercise(
    title="Does one ray meet one segment?",
    difficulty=3, importance=4, minutes=(20, 25),
    task=r"""
        Write `intersect_ray_1d(ray, segment) -> bool`. Use only the x and y coordinates. Solve $O + uD = L_1 + v(L_2 - L_1)$
        for $(u, v)$; the ray meets the segment when $u \ge 0$ and $0 \le v \le 1$. If the ray is
        parallel to the segment, return `False` (the system has no unique solution).
    """,
    hints=(
        r"""
            Rearranged, the equation is $\begin{pmatrix} D & L_1 - L_2 \end{pmatrix} \begin{pmatrix} u \\ v \end{pmatrix} = L_1 - O$:
            a 2x2 linear system. `t.stack([D, L1 - L2], dim=-1)` builds the matrix with those
            columns.
        """,
        r"""
            `t.linalg.solve(mat, vec)` solves it, but raises on a singular matrix. Check
            `t.linalg.det(mat).abs() < 1e-8` first and return False in that case.
        """,
        r"""
            Keep the boundary cases: a ray through an end point ($v = 0$ or $v = 1$) or starting on
            the segment ($u = 0$) does meet it. Use `>=` and `<=`.
        """,
    ),
)
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


@exercise(
    title="Many rays against many segments, in one go",
    difficulty=4, importance=4, minutes=(25, 40),
    task=r"""
        Write `intersect_rays_1d(rays, segments)` returning a boolean tensor of shape `(nrays,)`:
        is ray $i$ blocked by any segment? No Python loops: build every (ray, segment) system at
        once with broadcasting, solve them in one batched call, and reduce over segments. Parallel
        pairs count as misses.
    """,
    hints=(
        r"""
            Repeat rays to `(nrays, nsegments, 2, 2)` and segments to the same shape with
            `einops.repeat` (keeping only x and y), then unbind into O, D, L1, L2.
        """,
        r"""
            `t.linalg.solve` works on batches of matrices: `(..., 2, 2)` with `(..., 2)`. It raises
            if any matrix is singular, so find them with `det.abs() < 1e-8`, overwrite them with
            the identity (`mat[singular] = t.eye(2)`), and mask their results out.
        """,
        "Combine conditions with `&` and `~`, then `.any(dim=-1)` over segments.",
    ),
)
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


@exercise(
    title="A screen of rays",
    difficulty=3, importance=2, minutes=(10, 20),
    task=r"""
        Write `make_rays_2d(num_pixels_y, num_pixels_z, y_limit, z_limit)` returning a tensor of
        shape `(num_pixels_y * num_pixels_z, 2, 3)`. Each pixel $(i, j)$ of the screen gives one
        ray: origin $(0, 0, 0)$ (row 0), direction $(1, y_i, z_j)$ (row 1), where the
        `num_pixels_y` values $y_i$ run evenly from $-y_\text{limit}$ to $+y_\text{limit}$ and the
        `num_pixels_z` values $z_j$ from $-z_\text{limit}$ to $+z_\text{limit}$, both ends
        included. Order the rays y-major: pixel $(i, j)$'s ray is `rays[i * num_pixels_z + j]`.
    """,
    hints=(
        r"""
            Make the y values and the z values with `t.linspace`, then spread each over the grid:
            `einops.repeat(ys, 'y -> (y z)', z=num_pixels_z)` and `einops.repeat(zs, 'z -> (y z)', y=num_pixels_y)`.
        """,
    ),
)
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


@exercise(
    title="Does one ray meet one triangle?",
    difficulty=3, importance=3, minutes=(15, 20),
    task=r"""
        Write `triangle_ray_intersects(A, B, C, O, D) -> bool`. Solve $O + sD = A + u(B - A) + v(C - A)$
        for $(s, u, v)$. The ray meets the triangle when $s \ge 0$ (in front of the origin), $u \ge 0$,
        $v \ge 0$ and $u + v \le 1$. A ray parallel to the triangle's plane never meets it.
    """,
    hints=(
        r"""
            As a linear system: $\begin{pmatrix} -D & B - A & C - A \end{pmatrix} \begin{pmatrix} s \\ u \\ v \end{pmatrix} = O - A$.
        """,
        "Same singular-matrix guard as in 1-D, now with a 3x3 matrix.",
    ),
)
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


@exercise(
    title="Render a triangle",
    difficulty=4, importance=4, minutes=(15, 20),
    task=r"""
        Write `raytrace_triangle(rays, triangle)` returning a boolean tensor of shape `(nrays,)`:
        which rays meet the triangle (its corners are the rows of `triangle`)? Batch it like
        `intersect_rays_1d`, with the same rules as `triangle_ray_intersects`.
    """,
    hints=(
        r"""
            `einops.repeat(triangle, 'p d -> p nrays d', nrays=nrays)` then unpack into A, B, C of
            shape `(nrays, 3)`; `rays.unbind(dim=1)` gives O and D.
        """,
        r"""
            `t.stack([-D, B - A, C - A], dim=-1)` gives `(nrays, 3, 3)` with the vectors as
            columns.
        """,
    ),
)
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


@exercise(
    title="Debugging: find the three bugs",
    difficulty=2, importance=3, minutes=(10, 20),
    task=r"""
        This function should do what `raytrace_triangle` does, but it has three bugs. It runs
        without errors, which makes them harder to find. Fix it. Try it on a single ray whose
        answer you know, and print the intermediate tensors.
    """,
    hints=(
        r"""
            Start from the smallest input that goes wrong, one whose answer you can work out by
            hand: one ray from the origin along $x$, `t.tensor([[[0., 0, 0], [1, 0, 0]]])`, and a
            triangle it clearly meets, `t.tensor([[2., -1, -1], [2, 2, -1], [2, -1, 2]])` (at $s = 2$,
            $u = v = \tfrac13$). Print each intermediate tensor and compare it with your own
            numbers; the hints after this one name the bugs.
        """,
        "Check how the matrix is stacked: are $-D$, $B - A$, $C - A$ its columns?",
        "Check the right-hand side of the system: is it $O - A$?",
        "Check the final mask: which rays should the singular ones be removed from?",
    ),
    stub_from='_buggy_raytrace_triangle', withhold=('raytrace_triangle',),
)
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


@exercise(
    title="Bonus: render a sphere",
    difficulty=3, importance=2, minutes=(15, 25), bonus=True,
    task=r"""
        Write `raytrace_sphere(rays, center, radius)` returning a boolean tensor of shape
        `(nrays,)`: which rays meet the sphere of this `center` (shape `(3,)`) and `radius`? A
        point $P$ is on the sphere when $\lVert P - C \rVert^2 = r^2$. Put the ray's points
        $O + sD$ in for $P$ and you get a quadratic in $s$; the ray meets the sphere when it has
        a real root with $s \ge 0$. Grazing rays (one double root) count as hits, and so does a
        ray that starts inside the sphere. Directions need not have length 1. No Python loops.
    """,
    hints=(
        r"""
            With $m = O - C$: $(D \cdot D)\,s^2 + 2 (D \cdot m)\,s + (m \cdot m - r^2) = 0$.
            Batched dot products over the last axis: `(D * m).sum(-1)`.
        """,
        r"""
            No real root when the discriminant $b^2 - 4ac$ is negative. Otherwise the larger root
            $s_+ = (-b + \sqrt{b^2 - 4ac}) / 2a$ decides: the ray meets the sphere exactly when
            $s_+ \ge 0$ (if the smaller root is negative but $s_+$ is not, the ray starts
            inside). Clamp the discriminant at 0 before the square root so misses don't give NaN.
        """,
    ),
)
def raytrace_sphere(
    rays: Float[Tensor, "nrays 2 3"], center: Float[Tensor, "3"], radius: float
) -> Bool[Tensor, "nrays"]:
    """For each ray O + s * D (s >= 0), does it meet the sphere |P - center| = radius?

    Substituting the ray into the sphere's equation gives a s^2 + b s + c = 0 with a = D.D,
    b = 2 D.(O - center), c = |O - center|^2 - radius^2. The ray meets the sphere when the
    discriminant is >= 0 and the larger root is >= 0 (a ray starting inside meets it going out).
    Returns a boolean tensor of shape (nrays,).
    """
    O, D = rays.unbind(dim=1)
    m = O - center
    a = (D * D).sum(-1)
    b = 2 * (D * m).sum(-1)
    c = (m * m).sum(-1) - radius**2
    discriminant = b**2 - 4 * a * c
    larger_root = (-b + discriminant.clamp(min=0).sqrt()) / (2 * a)
    return (discriminant >= 0) & (larger_root >= 0)


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


@exercise(
    title="Render a mesh",
    difficulty=3, importance=4, minutes=(20, 25),
    task=r"""
        Write `raytrace_mesh(rays, triangles)` returning a float tensor of shape `(nrays,)`: for
        each ray, the $s$ of the nearest triangle it meets (with $s \ge 0$), or `inf` if it meets
        none. $s$ is the multiple of $D$ that reaches the hit point $O + sD$; it equals the depth
        along $x$ only when $D_x = 1$, and the checks also use other directions. `triangles` has
        shape `(ntriangles, 3, 3)`.
    """,
    hints=(
        "Broadcast rays against triangles: shape `(nrays, ntriangles, ...)`.",
        r"""
            Set $s$ to `float('inf')` wherever the ray misses (`t.where`), then take `.min` over
            triangles. `.min(dim=-1)` returns values and indices; you want `.values`.
        """,
        r"""
            Memory: nrays x ntriangles x 3 x 3 floats is large. The checks use small inputs; a
            whole picture is rendered a few hundred rays at a time.
        """,
    ),
)
def raytrace_mesh(
    rays: Float[Tensor, "nrays 2 3"], triangles: Float[Tensor, "ntriangles 3 3"]
) -> Float[Tensor, "nrays"]:
    """For each ray, the distance s to the nearest triangle it meets (s >= 0), or inf if none.

    "Distance" is the ray parameter s of the hit point O + s * D; for rays from `make_rays_2d`
    (D has x = 1) that is the depth along the camera axis. Returns a float tensor of shape (nrays,).
    """
    return _ray_triangle_distances(rays, triangles).min(dim=-1).values


@exercise(
    title="A rotation about the vertical axis",
    difficulty=2, importance=3, minutes=(10, 15),
    task=r"""
        Write `rotation_matrix(theta)` returning the `(3, 3)` matrix that rotates points by `theta`
        radians about the y axis, so that a positive angle turns $+z$ towards $+x$:
        `rotation_matrix(t.tensor(t.pi / 2)) @ (0, 0, 1) = (1, 0, 0)`.
    """,
    hints=(
        "The y coordinate is unchanged: the middle row and column are $(0, 1, 0)$.",
        r"""
            In the (x, z) plane it is a 2-D rotation: $x' = x\cos\theta + z\sin\theta$, $z' = -x\sin\theta + z\cos\theta$.
        """,
    ),
)
def rotation_matrix(theta: Float[Tensor, ""]) -> Float[Tensor, "3 3"]:
    """The matrix that rotates points by angle `theta` (radians) about the y axis (up).

    With x towards the scene and z to the side, a positive angle turns +z towards +x:
    rotation_matrix(t.pi / 2) @ (0, 0, 1) = (1, 0, 0). Returns a float tensor of shape (3, 3).
    """
    theta = t.as_tensor(theta, dtype=t.float32)
    c, s = t.cos(theta), t.sin(theta)
    return t.stack([
        t.stack([c, t.zeros(()), s]),
        t.tensor([0.0, 1.0, 0.0]),
        t.stack([-s, t.zeros(()), c]),
    ])


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


@exercise(
    title="Bonus: shading with Lambert's law",
    difficulty=5, importance=2, minutes=(20, 40),
    task=r"""
        Write `raytrace_mesh_lambert(rays, triangles, light, ambient_intensity=0.0)`. For each ray
        that hits, take the nearest triangle's unit normal $\hat n$, turned to face the camera
        ($\hat n \cdot D \le 0$), and return $\text{ambient} + \max(\hat n \cdot \hat l, 0)$ with
        $\hat l = \text{light}/\lVert \text{light} \rVert$. Misses get 0.
    """,
    hints=(
        r"""
            Start from your `raytrace_mesh`, but keep the index of the nearest triangle:
            `s.min(dim=-1)` returns `(values, indices)`.
        """,
        r"""
            A triangle's normal is `t.linalg.cross(B - A, C - A)`; divide by its norm. Which way it
            points depends on the order of the corners, so flip it where `n . D > 0`.
        """,
    ),
    bonus=True,
)
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
