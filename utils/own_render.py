"""Chapter 1's page piece: render the bunny with the learner's own code (their passed exercises,
the reference for the rest), run in the sandbox through utils.demo_widgets, and draw it."""

from __future__ import annotations

import streamlit as st

from utils.demos import part1_ray_tracing as demos
from utils.figures import part1_ray_tracing as figures
from utils.demo_widgets import describe_learner_code, learner_demo

STEM = "part1_ray_tracing"


def render_with_your_code(kind: str) -> None:
    """Sliders, a button, and the learner's last render of this kind (kept for the session)."""
    describe_learner_code(STEM)
    cols = st.columns(2)
    degrees = cols[0].slider("Your render: rotation about y (degrees)", -180, 180, 0, 15,
                             key=f"p1_own_{kind}_degrees")
    pixels = cols[1].select_slider("Your render: pixels per side", demos.PIXEL_CHOICES, 60,
                                   key=f"p1_own_{kind}_pixels")
    kept = f"p1_own_{kind}_render"
    if st.button("Render with my code", key=f"p1_own_{kind}_run", type="primary"):
        data = learner_demo(STEM, "render", kind=kind, degrees=float(degrees), pixels=pixels)
        if data is not None:
            try:
                st.session_state[kept] = (degrees, demos.validated_render(data, kind, pixels))
            except ValueError as err:
                st.error(f"Your render can't be drawn: {err}.")
    if kept in st.session_state:
        shown_degrees, image = st.session_state[kept]
        st.caption(f"Your render at {shown_degrees}°, {len(image)} x {len(image)} pixels.")
        st.plotly_chart(figures.own_render_figure(image, kind), width="stretch", theme=None)
