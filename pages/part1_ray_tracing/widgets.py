"""Chapter 5.1's interactive pieces: one function per `{widget} name` directive in the section
sources beside this file, drawn on the page in the directive's place.

Each one is the controls (sliders, a toggle, a button) around a figure from
utils/figures/part1_ray_tracing.py, which does the computing. The notebook cannot run these; it
runs the directive's body instead, the same figure at fixed arguments. The session-state keys
(`key=`) keep a learner's settings across reruns and page switches, and the tests find the
controls by them: keep them when changing a widget.
"""

import streamlit as st

from utils import charts
from utils.demo_widgets import describe_learner_code, validated_learner_demo
from utils.first_view_charts import chart  # a widget's kept (default state) or computed chart
from utils.demos.part1_settings import PIXEL_CHOICES

# The chapter's demos and figures import torch: they are imported only when a widget computes.
# A widget in its default state, on a fresh server's first page, draws the chart kept for it
# (utils/first_view_charts.py), so that page imports no torch (chapter.toml says so).


def _figures():
    from utils.figures import part1_ray_tracing as figures

    return figures


def ray_fan() -> None:
    num_pixels = st.slider("Number of rays", 2, 30, 9, key="rays1d_n")
    chart(num_pixels == 9, lambda: _figures().rays_1d_figure(num_pixels, 10.0, False))


def segment_explorer() -> None:
    left, right = st.columns([1, 2])
    with left:
        seed = st.slider("Which segment (random seed)", 0, 10, 0, key="explorer_seed")
        v = st.slider("v", -2.0, 2.0, 0.5, 0.05, key="explorer_v")
    with right:
        chart((seed, v) == (0, 0.5), lambda: _figures().ray_segment_explorer(seed, v)[0])


def screen_of_rays() -> None:
    cols = st.columns(2)
    ny = cols[0].slider("Rays along y", 2, 12, 10, key="rays2d_ny")
    nz = cols[1].slider("Rays along z", 2, 12, 10, key="rays2d_nz")
    chart((ny, nz) == (10, 10), lambda: _figures().rays_2d_figure(ny, nz))


def barycentric_explorer() -> None:
    left, right = st.columns([1, 2])
    with left:
        u = st.slider("u", -0.5, 1.5, 0.3, 0.05, key="bary_u")
        v = st.slider("v", -0.5, 1.5, 0.3, 0.05, key="bary_v")
    with right:
        chart((u, v) == (0.3, 0.3), lambda: _figures().barycentric_figure(u, v))


def triangle_render() -> None:
    pixels = st.slider("Pixels per side", 5, 60, 15, key="triangle_pixels")
    chart(pixels == 15, lambda: _figures().triangle_render_figure(pixels), theme=None)


def mesh_render() -> None:
    degrees = st.slider("Rotation about the y axis (degrees)", -180, 180, 0, 15, key="mesh_degrees")
    chart(degrees == 0, lambda: _figures().mesh_render_figure(float(degrees)), theme=None)


def turntable() -> None:
    # The frames are precomputed (utils/part1_renders.py); the animation, about 1 MB, is sent
    # only when asked for.
    animated = st.toggle("Show the 24-frame animation", key="lighting_turntable")
    chart(not animated, lambda: _figures().lit_animation() if animated
          else _figures().lit_frame_figure(0), theme=None)


def your_depth_render() -> None:
    _render_with_your_code("depth")


def your_lit_render() -> None:
    _render_with_your_code("light")


def _render_with_your_code(kind: str) -> None:
    """Sliders, a button, and the learner's last render of this kind (kept for the session),
    made in the sandbox by utils/demos/part1_ray_tracing.py: their passed exercises, the
    reference for the rest."""
    stem = "part1_ray_tracing"
    describe_learner_code(stem)
    cols = st.columns(2)
    degrees = cols[0].slider("Your render: rotation about y (degrees)", -180, 180, 0, 15,
                             key=f"p1_own_{kind}_degrees")
    pixels = cols[1].select_slider("Your render: pixels per side", PIXEL_CHOICES, 60,
                                   key=f"p1_own_{kind}_pixels")
    kept = f"p1_own_{kind}_render"
    if st.button("Render with my code", key=f"p1_own_{kind}_run", type="primary"):
        from utils.demos import part1_ray_tracing as demos

        shown = validated_learner_demo(stem, "render",
                                       lambda data: demos.validated_render(data, kind, pixels),
                                       failure="Your render can't be drawn", kind=kind,
                                       degrees=float(degrees), pixels=pixels)
        if shown is not None:
            st.session_state[kept] = (degrees, shown)
    if kept in st.session_state:
        shown_degrees, image = st.session_state[kept]
        st.caption(f"Your render at {shown_degrees}°, {len(image)} x {len(image)} pixels.")
        charts.plotly_chart(_figures().own_render_figure(image, kind), width="stretch",
                            theme=None)
