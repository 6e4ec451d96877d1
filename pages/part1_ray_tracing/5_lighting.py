import streamlit as st

from utils.figures import part1_ray_tracing as figures
from utils.own_render import render_with_your_code
from utils.widgets import chapter_header, exercise

STEM = "part1_ray_tracing"
chapter_header(STEM, "lighting")

st.markdown(
    r"""
A depth map tells you the shape; light tells you the form. The simplest model of a matte surface
is **Lambert's law**: a surface is as bright as the cosine of the angle between its normal
$\hat n$ and the direction to the light $\hat l$,

$$
\text{brightness} = \text{ambient} + \max(\hat n \cdot \hat l,\ 0).
$$

A surface facing the light is fully lit, one edge-on to it gets nothing, and one facing away
gets no direct light (hence the clamp at 0). The ambient term stands in for light bounced around
the room, so shadows are not pitch black.

The normal of triangle $ABC$ is the cross product $(B - A) \times (C - A)$, divided by its
length. Which of the two sides it points to depends on the order of the corners, which meshes do
not always keep consistent; we turn it towards the camera ($\hat n \cdot D \le 0$).
"""
)
exercise(f"{STEM}.raytrace_mesh_lambert")

st.header("A turntable")
st.markdown(
    r"""
Rotate the mesh a little, render, repeat: the frames make a video. The given function
`raytrace_mesh_video` does exactly that with your `rotation_matrix`; here it runs with the
reference solutions, with the light above and to the left of the camera. Its first frame is
below; switch on the animation and press play.
"""
)
# The frames are precomputed (utils/part1_renders.py); the animation is sent only when asked for.
if st.toggle("Show the 24-frame animation", key="lighting_turntable"):
    st.plotly_chart(figures.lit_animation(), width="stretch", theme=None)
else:
    st.plotly_chart(figures.lit_frame_figure(0), width="stretch", theme=None)

st.header("Light it with your code")
st.markdown(
    r"""
The turntable's view at the angle you pick, drawn by your code: your `make_rays_2d`, your
`rotation_matrix` turning the bunny about its centre, and your `raytrace_mesh_lambert` with the
same light and an ambient intensity of 0.15.
"""
)
render_with_your_code("light")
