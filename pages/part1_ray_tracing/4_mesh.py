import streamlit as st

from utils.figures import part1_ray_tracing as figures
from utils.own_render import render_with_your_code
from utils.widgets import chapter_header, exercise

STEM = "part1_ray_tracing"
chapter_header(STEM, "mesh")

st.markdown(
    r"""
A **mesh** is a list of triangles, a tensor of shape `(ntriangles, 3, 3)`. Ours is a bunny made
of ellipsoids by `utils/meshes.py` (no downloaded files): 1000 triangles. Drag it around.
"""
)
st.plotly_chart(figures.mesh_3d_figure(), width="stretch")

st.markdown(
    r"""
To render it, each ray must find the **nearest** triangle it meets: the one with the smallest
$s \ge 0$. That is one more batch axis: solve every (ray, triangle) system, set $s = \infty$ for
the misses, and take the minimum over triangles. A ray that meets nothing keeps $s = \infty$,
which makes the background easy to spot.

For rays from `make_rays_2d`, $D$ has $x = 1$, so $s$ is the depth of the hit along the camera's
axis.
"""
)
exercise(f"{STEM}.raytrace_mesh")

st.header("Turning the model")
st.markdown(
    r"""
To see the bunny from another side, rotate its corners. A rotation by $\theta$ about the
vertical ($y$) axis leaves $y$ alone and turns the $(x, z)$ plane:

$$
R(\theta) = \begin{pmatrix} \cos\theta & 0 & \sin\theta \\ 0 & 1 & 0 \\
-\sin\theta & 0 & \cos\theta \end{pmatrix}.
$$

For a batch of points stored as rows, `points @ R.T` rotates them all at once.
"""
)
exercise(f"{STEM}.rotation_matrix")

st.markdown(
    "The render below comes from the reference `raytrace_mesh` at 120 x 120 pixels, with the "
    "camera at $x = -3$. The left panel is the hit mask; the right one the depth."
)
degrees = st.slider("Rotation about the y axis (degrees)", -180, 180, 0, 15, key="mesh_degrees")
st.plotly_chart(figures.mesh_render_figure(float(degrees)), width="stretch", theme=None)

st.info(
    "Memory: 120 x 120 rays against 1000 triangles is 14.4 million systems. Solving them all in "
    "one batch needs several gigabytes, so the renders above were made tile by tile, each tile of "
    "about 16 x 16 rays against only the triangles that can appear in it (`render_mesh` in "
    "`utils/figures/part1_ray_tracing.py`: the same image from 50 times fewer systems), and saved, so "
    "the slider shows them at once. The reference solution also "
    "solves the systems with cross and dot products (Cramer's rule) instead of `t.linalg.solve`: "
    "the same numbers, about ten times faster. Open the solution above to see how.",
    icon="💡",
)

st.header("Render it with your code")
st.markdown(
    r"""
The renders above come from the reference solutions. This one uses yours: the same camera and
bunny, with rays from your `make_rays_2d`, the bunny turned by your `rotation_matrix`, and the
distances from your `raytrace_mesh`, run in the sandbox in chunks of rays.
"""
)
render_with_your_code("depth")
