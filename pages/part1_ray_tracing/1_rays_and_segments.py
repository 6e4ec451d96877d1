import streamlit as st

from utils.figures import part1_ray_tracing as figures
from utils.widgets import chapter_header, exercise

STEM = "part1_ray_tracing"
chapter_header(STEM, "rays_and_segments")

st.markdown(
    r"""
A camera sees the world along **rays**: one per pixel, all starting at the camera. A ray is a
point $O$ (its origin) and a direction $D$, and the points on it are

$$
R(u) = O + u\,D, \qquad u \ge 0 .
$$

To decide what a pixel shows, follow its ray and find the first object it meets. We store a ray
as a tensor of shape `(2, 3)`: row 0 is $O$, row 1 is $D$. A batch of rays is `(nrays, 2, 3)`.

We start in a flat world: the camera sits at the origin, looks along $+x$, and its "screen" is
the vertical line $x = 1$. Pixel $i$ looks through the point $(1, y_i)$ on that line, so its
direction is $(1, y_i, 0)$ (we keep a $z$ coordinate of 0 now, so that the same code works in 3-D
later).
"""
)

num_pixels = st.slider("Number of rays", 2, 30, 9, key="rays1d_n")
st.plotly_chart(figures.rays_1d_figure(num_pixels, 10.0, False), width="stretch")

exercise(f"{STEM}.make_rays_1d")

st.header("Where does a ray meet a segment?")
st.markdown(
    r"""
The objects of our flat world are line segments. A segment from $L_1$ to $L_2$ is the set of
points

$$
L_1 + v\,(L_2 - L_1), \qquad 0 \le v \le 1 .
$$

A ray meets the segment where a point of one is a point of the other:

$$
O + u\,D = L_1 + v\,(L_2 - L_1).
$$

That is two equations (x and y) in two unknowns. Move the unknowns to the left:

$$
\begin{pmatrix} D_x & (L_1 - L_2)_x \\ D_y & (L_1 - L_2)_y \end{pmatrix}
\begin{pmatrix} u \\ v \end{pmatrix} = L_1 - O .
$$

Solve it (`t.linalg.solve`) and read the answer: the ray meets the segment if $u \ge 0$ (the
point is in front of the camera, not behind it) and $0 \le v \le 1$ (the point is between the
end points). When $D$ is parallel to the segment the matrix is singular: there is no single
meeting point, and we count it as a miss.

Move the point along the segment's line with the slider below. $v$ is the position on the line;
only for $v \in [0, 1]$ does the ray meet the segment itself.
"""
)
left, right = st.columns([1, 2])
with left:
    seed = st.slider("Which segment (random seed)", 0, 10, 0, key="explorer_seed")
    v = st.slider("v", -2.0, 2.0, 0.5, 0.05, key="explorer_v")
    st.markdown(
        "The green dot means the ray through it meets the segment; grey means it meets only "
        "the segment's line, beyond an end point."
    )
with right:
    fig, _ = figures.ray_segment_explorer(seed, v)
    st.plotly_chart(fig, width="stretch")

exercise(f"{STEM}.intersect_ray_1d")
