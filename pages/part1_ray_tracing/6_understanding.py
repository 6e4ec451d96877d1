import streamlit as st

from utils.widgets import chapter_header, question

STEM = "part1_ray_tracing"
chapter_header(STEM, "understanding")

st.markdown("Try to answer each question before you open its answer.")

question(
    "Why do we replace singular matrices by the identity before calling `t.linalg.solve`, "
    "instead of solving and then discarding those answers?",
    "`t.linalg.solve` raises an error as soon as one matrix of the batch is singular, so a single "
    "parallel ray would stop the whole batch. Swapping in the identity makes every system "
    "solvable; the answers for those rows are meaningless, so the `~singular` mask removes them.",
)
question(
    "In `intersect_ray_1d`, what goes wrong if you drop the condition $u \\ge 0$?",
    "Segments *behind* the camera count as hits: the equation's solution then has the point on "
    "the ray's backwards extension. In a render, objects behind you would appear in the picture.",
)
question(
    "`rays[:, None]` has shape `(nrays, 1, 2, 3)` and `segments[None]` has shape "
    "`(1, nseg, 2, 3)`. How much memory does `rays[:, None] - segments[None]` use, compared with "
    "`rays[:, None].expand(-1, nseg, -1, -1)`?",
    "The subtraction allocates a new `(nrays, nseg, 2, 3)` tensor: nrays x nseg x 6 floats. The "
    "`expand` allocates nothing: it is a view whose stride along the new axis is 0, so all nseg "
    "copies read the same memory. Broadcasting inside an operation behaves like `expand` for its "
    "inputs, but its result is a full tensor.",
)
question(
    "After `m = mat[singular]`, does `m[:] = 0` change `mat`? And `mat[singular] = 0`?",
    "Indexing with a boolean mask returns a copy, so `m[:] = 0` changes only `m`. An assignment "
    "through the mask, `mat[singular] = 0`, is a different operation (`__setitem__`) and writes "
    "into `mat` itself.",
)
question(
    "Why is `.any(dim=-1)` the right reduction in `intersect_rays_1d`, and why would `.all` be "
    "wrong?",
    "A ray is blocked if it meets at least one segment: that is `any` over the segment axis. "
    "`all` would only mark rays that meet every segment at once.",
)
question(
    "What do barycentric coordinates $(u, v)$ with $u + v > 1$ describe?",
    "Points of the triangle's plane on the far side of the edge $BC$: still reachable as "
    "$A + u(B - A) + v(C - A)$, but outside the triangle.",
)
question(
    "In `raytrace_mesh`, why do misses get $\\infty$ rather than 0 or -1?",
    "Because we take the minimum over triangles: $\\infty$ never wins a minimum, so a miss cannot "
    "hide a real hit, and a ray that misses everything is left with $\\infty$, which plainly "
    "means 'nothing there'.",
)
question(
    "The reference renders 512 rays at a time. Why not all 14,400 at once, and why not one at a "
    "time?",
    "All at once, each intermediate tensor is nrays x ntriangles x 3 floats: 14,400 x 1,000 x "
    "3 x 4 bytes, about 170 MB, and a handful of them are alive together. One ray at a time, "
    "the Python overhead of each call dominates and the arithmetic units sit idle. A chunk of a "
    "few hundred rays keeps the vectorised kernels busy while each intermediate stays a few "
    "megabytes.",
)
question(
    "Why does Lambert shading clamp $\\hat n \\cdot \\hat l$ at 0, and what does the ambient "
    "term stand for?",
    "A negative dot product means the surface faces away from the light: it receives no direct "
    "light, not 'negative' light. The ambient term approximates light scattered by everything "
    "else in the scene, so that surfaces in shadow are dim but visible.",
)
