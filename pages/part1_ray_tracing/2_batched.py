import streamlit as st

from utils.figures import part1_ray_tracing as figures
from utils.widgets import chapter_header, exercise

STEM = "part1_ray_tracing"
chapter_header(STEM, "batched")

st.markdown(
    r"""
`intersect_ray_1d` answers one question at a time. A picture needs millions of them, and a Python
loop over rays and segments would run one small tensor operation per pair: each costs microseconds
of overhead before any arithmetic happens. The fix is to ask all the questions **at once**: build
one tensor holding every (ray, segment) pair, and let each operation work on all of them.

Four tools do most of the work.
"""
)

st.subheader("Broadcasting")
st.markdown(
    r"""
When two tensors of different shapes meet in an elementwise operation, PyTorch lines their
shapes up from the right; a dimension of size 1 (or a missing one) is stretched to match the
other. So `rays[:, None]` of shape `(nrays, 1, 2, 3)` and `segments[None]` of shape
`(1, nsegments, 2, 3)` combine into `(nrays, nsegments, 2, 3)`: every ray paired with every
segment, without copying either. Stretching is free: it is a view with stride 0.
"""
)
st.code(
    "x = t.arange(3)[:, None]   # shape (3, 1)\n"
    "y = t.arange(4)[None, :]   # shape (1, 4)\n"
    "(x * 10 + y).shape         # torch.Size([3, 4]): every x with every y",
    language="python",
)

st.subheader("einops")
st.markdown(
    r"""
`einops.repeat(tensor, "nrays p d -> nrays nseg p d", nseg=nsegments)` says the same thing with
names, which is easier to read and to check. `einops.rearrange` reorders and merges axes
(`"(y z) -> y z"` turns a list of pixels back into an image), and `einops.reduce` sums or takes
a maximum over named axes.
"""
)

st.subheader("Logical operations and reductions")
st.markdown(
    r"""
Comparisons give boolean tensors, combined elementwise with `&` (and), `|` (or) and `~` (not);
Python's `and`/`or` do not work on tensors. Reductions then collapse an axis: `.any(dim=-1)` is
"true for some segment", `.all(dim=-1)` "true for every segment", `.min(dim=-1)` the smallest
value and where it is.
"""
)

st.subheader("Views and copies")
st.markdown(
    r"""
Indexing with slices (`x[:, 0]`), `.view`, `.transpose`, `.expand` and `einops.rearrange` (when it
can) give **views**: new shapes over the same memory. Writing into a view writes into the original.
Indexing with a boolean mask or a list of indices (`x[mask]`) gives a **copy**. That matters
below: `mat[singular] = t.eye(2)` writes into `mat` (an assignment through a mask is an in-place
write), but `m = mat[singular]; m[:] = 0` changes only the copy `m`. When in doubt, compare
`a.untyped_storage().data_ptr()` with `b.untyped_storage().data_ptr()`.
"""
)

st.header("Batched ray-segment intersection")
st.markdown(
    r"""
Now put them together: every ray against every segment, as one batch of $2 \times 2$ systems of
shape `(nrays, nsegments, 2, 2)`. `t.linalg.solve` solves a whole batch in one call, but it
raises an error if **any** matrix in the batch is singular. So find the singular ones first
(their determinant is about 0), swap in the identity matrix so the solve succeeds, and mask their
answers out afterwards.
"""
)
exercise(f"{STEM}.intersect_rays_1d")
st.markdown(
    "Here are nine rays and three segments, computed with the reference solution. A blocked ray "
    "is drawn up to the segment that stops it; the others run on past the last segment."
)
st.plotly_chart(figures.rays_1d_figure(9, 10.0, True), width="stretch")

st.header("From a line to a screen")
st.markdown(
    r"""
A real camera has a 2-D screen. Put it on the plane $x = 1$ and give pixel $(i, j)$ the direction
$(1, y_i, z_j)$, with $y$ and $z$ on evenly spaced grids. Each ray's result (hit or not, distance)
then lives at a position in the list of rays; with y-major order, `result.reshape(ny, nz)` is the
image.
"""
)
exercise(f"{STEM}.make_rays_2d")
cols = st.columns(2)
ny = cols[0].slider("Rays along y", 2, 12, 10, key="rays2d_ny")
nz = cols[1].slider("Rays along z", 2, 12, 10, key="rays2d_nz")
st.plotly_chart(figures.rays_2d_figure(ny, nz), width="stretch")
