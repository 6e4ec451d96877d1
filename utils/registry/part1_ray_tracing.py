"""Chapter 1's exercises, in the order a learner meets them."""

from functools import partial

from utils.registry import Chapter, Exercise

_ex = partial(Exercise, "part1_ray_tracing")

EXERCISES = (
    _ex(
        "make_rays_1d", "Make a fan of 1-D rays", section="rays_and_segments",
        difficulty=2, importance=3, minutes=(10, 15),
        task=(
            "Write `make_rays_1d(num_pixels, y_limit)` returning a tensor of shape "
            "`(num_pixels, 2, 3)`. Each pixel gives one ray, so there are `num_pixels` rays: "
            "`rays[i]` is pixel $i$'s ray, with its origin in row 0 (`rays[i, 0]`) and its "
            "direction in row 1 (`rays[i, 1]`). Every ray starts at the origin $(0, 0, 0)$; "
            "ray $i$ points along $(1, y_i, 0)$, where the $y_i$ run evenly from "
            "$-y_\\text{limit}$ (pixel 0) to $+y_\\text{limit}$ (the last pixel), both ends "
            "included."
        ),
        hints=(
            "Start from `t.zeros((num_pixels, 2, 3))`: the origins are already right.",
            "`t.linspace(start, end, steps)` includes both ends. Assign it to `rays[:, 1, 1]` and "
            "set `rays[:, 1, 0] = 1`.",
        ),
    ),
    _ex(
        "intersect_ray_1d", "Does one ray meet one segment?", section="rays_and_segments",
        difficulty=3, importance=4, minutes=(20, 25),
        task=(
            "Write `intersect_ray_1d(ray, segment) -> bool`. Use only the x and y coordinates. "
            "Solve $O + uD = L_1 + v(L_2 - L_1)$ for $(u, v)$; the ray meets the segment when "
            "$u \\ge 0$ and $0 \\le v \\le 1$. If the ray is parallel to the segment, return "
            "`False` (the system has no unique solution)."
        ),
        hints=(
            "Rearranged, the equation is $\\begin{pmatrix} D & L_1 - L_2 \\end{pmatrix} "
            "\\begin{pmatrix} u \\\\ v \\end{pmatrix} = L_1 - O$: a 2x2 linear system. "
            "`t.stack([D, L1 - L2], dim=-1)` builds the matrix with those columns.",
            "`t.linalg.solve(mat, vec)` solves it, but raises on a singular matrix. Check "
            "`t.linalg.det(mat).abs() < 1e-8` first and return False in that case.",
            "Keep the boundary cases: a ray through an end point ($v = 0$ or $v = 1$) or starting "
            "on the segment ($u = 0$) does meet it. Use `>=` and `<=`.",
        ),
    ),
    _ex(
        "intersect_rays_1d", "Many rays against many segments, in one go", section="batched",
        difficulty=4, importance=4, minutes=(25, 40),
        task=(
            "Write `intersect_rays_1d(rays, segments)` returning a boolean tensor of shape "
            "`(nrays,)`: is ray $i$ blocked by any segment? No Python loops: build every "
            "(ray, segment) system at once with broadcasting, solve them in one batched call, "
            "and reduce over segments. Parallel pairs count as misses."
        ),
        hints=(
            "Repeat rays to `(nrays, nsegments, 2, 2)` and segments to the same shape with "
            "`einops.repeat` (keeping only x and y), then unbind into O, D, L1, L2.",
            "`t.linalg.solve` works on batches of matrices: `(..., 2, 2)` with `(..., 2)`. "
            "It raises if any matrix is singular, so find them with `det.abs() < 1e-8`, overwrite "
            "them with the identity (`mat[singular] = t.eye(2)`), and mask their results out.",
            "Combine conditions with `&` and `~`, then `.any(dim=-1)` over segments.",
        ),
    ),
    _ex(
        "make_rays_2d", "A screen of rays", section="batched",
        difficulty=3, importance=2, minutes=(10, 20),
        task=(
            "Write `make_rays_2d(num_pixels_y, num_pixels_z, y_limit, z_limit)` returning a "
            "tensor of shape `(num_pixels_y * num_pixels_z, 2, 3)`. Each pixel $(i, j)$ of the "
            "screen gives one ray: origin $(0, 0, 0)$ (row 0), direction $(1, y_i, z_j)$ "
            "(row 1), where the `num_pixels_y` values $y_i$ run evenly from "
            "$-y_\\text{limit}$ to $+y_\\text{limit}$ and the `num_pixels_z` values $z_j$ from "
            "$-z_\\text{limit}$ to $+z_\\text{limit}$, both ends included. Order the rays "
            "y-major: pixel $(i, j)$'s ray is `rays[i * num_pixels_z + j]`."
        ),
        hints=(
            "Make the y values and the z values with `t.linspace`, then spread each over the "
            "grid: `einops.repeat(ys, 'y -> (y z)', z=num_pixels_z)` and "
            "`einops.repeat(zs, 'z -> (y z)', y=num_pixels_y)`.",
        ),
    ),
    _ex(
        "triangle_ray_intersects", "Does one ray meet one triangle?", section="triangles",
        difficulty=3, importance=3, minutes=(15, 20),
        task=(
            "Write `triangle_ray_intersects(A, B, C, O, D) -> bool`. Solve "
            "$O + sD = A + u(B - A) + v(C - A)$ for $(s, u, v)$. The ray meets the triangle "
            "when $s \\ge 0$ (in front of the origin), $u \\ge 0$, $v \\ge 0$ and "
            "$u + v \\le 1$. A ray parallel to the triangle's plane never meets it."
        ),
        hints=(
            "As a linear system: $\\begin{pmatrix} -D & B - A & C - A \\end{pmatrix} "
            "\\begin{pmatrix} s \\\\ u \\\\ v \\end{pmatrix} = O - A$.",
            "Same singular-matrix guard as in 1-D, now with a 3x3 matrix.",
        ),
    ),
    _ex(
        "raytrace_triangle", "Render a triangle", section="triangles",
        difficulty=4, importance=4, minutes=(15, 20),
        task=(
            "Write `raytrace_triangle(rays, triangle)` returning a boolean tensor of shape "
            "`(nrays,)`: which rays meet the triangle (its corners are the rows of `triangle`)? "
            "Batch it like `intersect_rays_1d`, with the same rules as "
            "`triangle_ray_intersects`."
        ),
        hints=(
            "`einops.repeat(triangle, 'p d -> p nrays d', nrays=nrays)` then unpack into A, B, C "
            "of shape `(nrays, 3)`; `rays.unbind(dim=1)` gives O and D.",
            "`t.stack([-D, B - A, C - A], dim=-1)` gives `(nrays, 3, 3)` with the vectors as "
            "columns.",
        ),
    ),
    _ex(
        "raytrace_triangle_with_bug", "Debugging: find the three bugs", section="triangles",
        difficulty=2, importance=3, minutes=(10, 20), stub_from="_buggy_raytrace_triangle",
        withhold=("raytrace_triangle",),
        task=(
            "This function should do what `raytrace_triangle` does, but it has three bugs. It "
            "runs without errors, which makes them harder to find. Fix it. Try it on a single "
            "ray whose answer you know, and print the intermediate tensors."
        ),
        hints=(
            "Start from the smallest input that goes wrong, one whose answer you can work out "
            "by hand: one ray from the origin along $x$, `t.tensor([[[0., 0, 0], [1, 0, 0]]])`, "
            "and a triangle it clearly meets, `t.tensor([[2., -1, -1], [2, 2, -1], [2, -1, "
            "2]])` (at $s = 2$, $u = v = \\tfrac13$). Print each intermediate tensor and "
            "compare it with your own numbers; the hints after this one name the bugs.",
            "Check how the matrix is stacked: are $-D$, $B - A$, $C - A$ its columns?",
            "Check the right-hand side of the system: is it $O - A$?",
            "Check the final mask: which rays should the singular ones be removed from?",
        ),
    ),
    _ex(
        "raytrace_mesh", "Render a mesh", section="mesh",
        difficulty=3, importance=4, minutes=(20, 25),
        task=(
            "Write `raytrace_mesh(rays, triangles)` returning a float tensor of shape `(nrays,)`: "
            "for each ray, the $s$ of the nearest triangle it meets (with $s \\ge 0$), or "
            "`inf` if it meets none. $s$ is the multiple of $D$ that reaches the hit point "
            "$O + sD$; it equals the depth along $x$ only when $D_x = 1$, and the checks also "
            "use other directions. `triangles` has shape `(ntriangles, 3, 3)`."
        ),
        hints=(
            "Broadcast rays against triangles: shape `(nrays, ntriangles, ...)`.",
            "Set $s$ to `float('inf')` wherever the ray misses (`t.where`), then take `.min` over "
            "triangles. `.min(dim=-1)` returns values and indices; you want `.values`.",
            "Memory: nrays x ntriangles x 3 x 3 floats is large. The checks use small inputs; the "
            "page renders in chunks of rays.",
        ),
    ),
    _ex(
        "rotation_matrix", "A rotation about the vertical axis", section="mesh",
        difficulty=2, importance=3, minutes=(10, 15),
        task=(
            "Write `rotation_matrix(theta)` returning the `(3, 3)` matrix that rotates points by "
            "`theta` radians about the y axis, so that a positive angle turns $+z$ towards $+x$: "
            "`rotation_matrix(t.tensor(pi / 2)) @ (0, 0, 1) = (1, 0, 0)`."
        ),
        hints=(
            "The y coordinate is unchanged: the middle row and column are $(0, 1, 0)$.",
            "In the (x, z) plane it is a 2-D rotation: $x' = x\\cos\\theta + z\\sin\\theta$, "
            "$z' = -x\\sin\\theta + z\\cos\\theta$.",
        ),
    ),
    _ex(
        "raytrace_mesh_lambert", "Bonus: shading with Lambert's law", section="lighting",
        difficulty=5, importance=2, minutes=(20, 40), bonus=True,
        task=(
            "Write `raytrace_mesh_lambert(rays, triangles, light, ambient_intensity=0.0)`. For "
            "each ray that hits, take the nearest triangle's unit normal $\\hat n$, turned to "
            "face the camera ($\\hat n \\cdot D \\le 0$), and return "
            "$\\text{ambient} + \\max(\\hat n \\cdot \\hat l, 0)$ with "
            "$\\hat l = \\text{light}/\\lVert \\text{light} \\rVert$. Misses get 0."
        ),
        hints=(
            "Start from your `raytrace_mesh`, but keep the index of the nearest triangle: "
            "`s.min(dim=-1)` returns `(values, indices)`.",
            "A triangle's normal is `t.linalg.cross(B - A, C - A)`; divide by its norm. Which way "
            "it points depends on the order of the corners, so flip it where `n . D > 0`.",
        ),
    ),
)

CHAPTER = Chapter(
    stem="part1_ray_tracing",
    number=1,
    title="Ray tracing",
    blurb="Batched tensor operations, learned by writing a renderer: from one ray and one "
          "segment to a lit, spinning 3-D mesh.",
    sections=(
        ("overview", "Overview"),
        ("rays_and_segments", "Rays and segments"),
        ("batched", "Batched operations"),
        ("triangles", "Triangles"),
        ("mesh", "Rendering a mesh"),
        ("lighting", "Bonus: video and lighting"),
        ("understanding", "Check your understanding"),
    ),
    exercises=EXERCISES,
)
