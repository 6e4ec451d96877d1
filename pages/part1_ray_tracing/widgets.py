"""Chapter 1's page-only pieces: one function per {widget} directive in its sections."""

import streamlit as st

from utils.figures import part1_ray_tracing as figures
from utils.own_render import render_with_your_code

STEM = "part1_ray_tracing"


def rays_and_segments_1() -> None:
    num_pixels = st.slider("Number of rays", 2, 30, 9, key="rays1d_n")
    st.plotly_chart(figures.rays_1d_figure(num_pixels, 10.0, False), width="stretch")


def rays_and_segments_2() -> None:
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


def batched_1() -> None:
    cols = st.columns(2)
    ny = cols[0].slider("Rays along y", 2, 12, 10, key="rays2d_ny")
    nz = cols[1].slider("Rays along z", 2, 12, 10, key="rays2d_nz")
    st.plotly_chart(figures.rays_2d_figure(ny, nz), width="stretch")


def triangles_1() -> None:
    left, right = st.columns([1, 2])
    with left:
        u = st.slider("u", -0.5, 1.5, 0.3, 0.05, key="bary_u")
        v = st.slider("v", -0.5, 1.5, 0.3, 0.05, key="bary_v")
        st.markdown(r"On the edge $BC$, $u + v = 1$; on $AB$, $v = 0$; on $AC$, $u = 0$.")
    with right:
        st.plotly_chart(figures.barycentric_figure(u, v), width="stretch")


def triangles_2() -> None:
    pixels = st.slider("Pixels per side", 5, 60, 15, key="triangle_pixels")
    st.plotly_chart(figures.triangle_render_figure(pixels), width="stretch", theme=None)


def mesh_1() -> None:
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


def mesh_2() -> None:
    render_with_your_code("depth")


def lighting_1() -> None:
    if st.toggle("Show the 24-frame animation", key="lighting_turntable"):
        st.plotly_chart(figures.lit_animation(), width="stretch", theme=None)
    else:
        st.plotly_chart(figures.lit_frame_figure(0), width="stretch", theme=None)


def lighting_2() -> None:
    render_with_your_code("light")
