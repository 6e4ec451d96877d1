"""Chapter 5.1's figures show what their captions promise: every ray and segment whole, and the
buggy triangle render drawn in the same colours as the correct one."""

import math
import re

import numpy as np
import pytest

from solutions import part1_ray_tracing as sol
from tests.plotly_arrays import values
from utils.figures import part1_ray_tracing as figures


def _points(trace):
    return [(x, y) for x, y in zip(trace.x, trace.y) if x is not None]


def _assert_everything_in_view(fig):
    (x0, x1), (y0, y1) = fig.layout.xaxis.range, fig.layout.yaxis.range
    for trace in fig.data:
        for x, y in _points(trace):
            assert x0 < x < x1 and y0 < y < y1, f"{trace.name}: ({x}, {y}) is outside the axes"


@pytest.mark.parametrize("num_pixels", [2, 9, 30])
def test_the_ray_fan_is_drawn_whole(num_pixels):
    fig = figures.rays_1d_figure(num_pixels, 10.0, False)
    _assert_everything_in_view(fig)
    rays = [trace for trace in fig.data if trace.name == "rays"]
    assert len(_points(rays[0])) == 2 * num_pixels


def test_blocked_rays_figure_draws_three_segments_and_stops_rays_at_them():
    fig = figures.rays_1d_figure(9, 10.0, True)
    _assert_everything_in_view(fig)
    segments = [trace for trace in fig.data if trace.name.startswith("segment")]
    assert len(segments) == 3
    for trace, segment in zip(segments, figures.EXAMPLE_SEGMENTS):
        np.testing.assert_allclose(_points(trace), segment[:, :2].numpy())
    blocked = next(trace for trace in fig.data if trace.name == "blocked")
    hits = sol.intersect_rays_1d(sol.make_rays_1d(9, 10.0), figures.EXAMPLE_SEGMENTS)
    ends = _points(blocked)[1::2]
    assert len(ends) == int(hits.sum())
    # Each blocked ray ends on a segment: at the x of one of them, between its end points.
    for x, y in ends:
        assert any(math.isclose(x, a[0], abs_tol=1e-5) and
                   min(a[1], b[1]) - 1e-4 <= y <= max(a[1], b[1]) + 1e-4
                   for a, b in figures.EXAMPLE_SEGMENTS.tolist()), (x, y)


def test_the_buggy_triangle_render_is_black_not_grey():
    fig = figures.triangle_render_figure(15)
    good, buggy = fig.data
    assert not values(buggy.z).any() and values(good.z).any()
    # A fixed colour range: 0 is black on both panels even when a panel holds only zeros.
    for panel in (good, buggy):
        assert (panel.zmin, panel.zmax) == (0.0, 1.0)


def test_the_3d_bunny_is_seen_from_far_enough_to_fit():
    # Plotly's default eye, (1.25, 1.25, 1.25), shows the whole scene box; a nearer one crops it.
    eye = figures.mesh_3d_figure().layout.scene.camera.eye
    assert math.dist((eye.x, eye.y, eye.z), (0, 0, 0)) >= math.dist((1.25,) * 3, (0, 0, 0))


def test_depth_panels_avoid_the_colours_streamlit_replaces():
    # Streamlit's front end swaps "#000001"... for theme colours: Magma's black became purple.
    image = np.array([[math.inf, 2.0], [2.5, 3.0]])
    for trace in figures.own_render_figure(image, "depth").data:
        assert not any(re.fullmatch(r"#0000(?!00)\d\d", colour) for _, colour in trace.colorscale)
