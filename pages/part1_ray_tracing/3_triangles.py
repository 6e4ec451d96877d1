import streamlit as st

from utils.figures import part1_ray_tracing as figures
from utils.widgets import chapter_header, exercise

STEM = "part1_ray_tracing"
chapter_header(STEM, "triangles")

st.markdown(
    r"""
In 3-D the objects are triangles: any surface can be approximated by enough of them. A triangle
with corners $A$, $B$, $C$ is the set of points

$$
P(u, v) = A + u\,(B - A) + v\,(C - A), \qquad u \ge 0,\; v \ge 0,\; u + v \le 1 .
$$

$(u, v)$ are the point's **barycentric coordinates**: how far to walk from $A$ along each edge.
Without the three conditions, $(u, v)$ would reach every point of the triangle's plane; the
conditions cut out the triangle. Try it: the point is green while it is inside.
"""
)
left, right = st.columns([1, 2])
with left:
    u = st.slider("u", -0.5, 1.5, 0.3, 0.05, key="bary_u")
    v = st.slider("v", -0.5, 1.5, 0.3, 0.05, key="bary_v")
    st.markdown(r"On the edge $BC$, $u + v = 1$; on $AB$, $v = 0$; on $AC$, $u = 0$.")
with right:
    st.plotly_chart(figures.barycentric_figure(u, v), width="stretch")

st.header("Ray meets triangle")
st.markdown(
    r"""
A ray meets the triangle where $O + s\,D = A + u\,(B - A) + v\,(C - A)$: three equations (x, y,
z) in three unknowns $(s, u, v)$, so

$$
\begin{pmatrix} -D & B - A & C - A \end{pmatrix}
\begin{pmatrix} s \\ u \\ v \end{pmatrix} = O - A ,
$$

where the matrix has $-D$, $B - A$ and $C - A$ as its **columns**. It is a hit when the point is
in the triangle ($u, v \ge 0$, $u + v \le 1$) and in front of the camera ($s \ge 0$).
"""
)
exercise(f"{STEM}.triangle_ray_intersects")

st.header("Rendering a triangle")
st.markdown(
    "Batch it over rays, exactly as in 1-D. Here is a 15 x 15 picture from the reference solution, "
    "with the camera at $x = -2$; the right panel is what the buggy version below draws: "
    "nothing at all."
)
pixels = st.slider("Pixels per side", 5, 60, 15, key="triangle_pixels")
st.plotly_chart(figures.triangle_render_figure(pixels), width="stretch", theme=None)
exercise(f"{STEM}.raytrace_triangle")

st.header("Debugging")
st.markdown(
    r"""
Bugs in tensor code rarely crash. A wrong `dim` gives a tensor of the right shape with the wrong
numbers; a sign error on one side of an equation can flip every answer. The picture above shows
what three such bugs do to the triangle: it vanishes, and no error says why. A useful routine:

1. Make the smallest input with a known answer: one ray straight through the middle of the
   triangle, one that clearly misses.
2. Print the shapes *and* the values of each intermediate tensor, and check them by hand.
3. Read each line against the equation it claims to implement, term by term, before trusting it.
"""
)
exercise(f"{STEM}.raytrace_triangle_with_bug")
