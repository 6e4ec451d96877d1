"""Chapter 1's figures, computed from the reference solutions and cached across sessions.

Functions take only plain, hashable arguments (ints, floats, strings) so that st.cache_data can
key on them; each returns a plotly figure.
"""

from __future__ import annotations

import math
from typing import Callable

import numpy as np
import plotly.express as px
import plotly.graph_objects as go
import streamlit as st
import torch as t
from jaxtyping import Float
from torch import Tensor

from solutions import part1_ray_tracing as sol
from utils.demos import part1_ray_tracing as demos
from utils.meshes import make_bunny
from utils.plotting import (OBJECT_COLOUR, RAY_COLOUR, depth_image, image_panels, lines_2d,
                            lines_3d, rays_as_segments)

CAMERA_X = -3.0  # the mesh figures' camera sits on the x axis, looking along +x
SCREEN_LIMIT = 0.5  # half-width of the screen at x = 1 in front of the camera
RENDER_CHUNK = 512  # rays per batch: keeps memory to ~100 MB for a 1000-triangle mesh

# Three segments used on the first page (each row: two end points).
EXAMPLE_SEGMENTS = t.tensor([
    [[1.0, -12.0, 0.0], [1.0, -6.0, 0.0]],
    [[0.5, 0.1, 0.0], [0.5, 1.15, 0.0]],
    [[2.0, 12.0, 0.0], [2.0, 21.0, 0.0]],
])


def render_in_chunks(
    fn: Callable[..., Tensor], rays: Float[Tensor, "nrays 2 3"], *args, chunk: int = RENDER_CHUNK
) -> Tensor:
    """Call a per-ray function on batches of rays, so that nrays x ntriangles stays small."""
    return t.cat([fn(part, *args) for part in rays.split(chunk)])


def camera_rays(pixels: int) -> Float[Tensor, "nrays 2 3"]:
    rays = sol.make_rays_2d(pixels, pixels, SCREEN_LIMIT, SCREEN_LIMIT)
    rays[:, 0] = t.tensor([CAMERA_X, 0.0, 0.0])
    return rays


@st.cache_resource
def bunny() -> Float[Tensor, "ntri 3 3"]:
    return make_bunny()


def _rotated_bunny(degrees: float) -> Tensor:
    rotation = sol.rotation_matrix(t.tensor(math.radians(degrees)))
    return bunny() @ rotation.T


def _blocked_at(rays: Float[Tensor, "nrays 2 3"], segments: Float[Tensor, "nseg 2 3"],
                beyond: float) -> Float[Tensor, "nrays"]:
    """For each ray, the u of the first segment it meets, or `beyond` if it meets none."""
    ends = t.full((len(rays),), beyond)
    for i, ray in enumerate(rays):
        for segment in segments:
            if sol.intersect_ray_1d(ray, segment):
                O, D = ray[:, :2]
                L1, L2 = segment[:, :2]
                u = t.linalg.solve(t.stack([D, L1 - L2], dim=-1), L1 - O)[0]
                ends[i] = min(ends[i].item(), u.item())
    return ends


@st.cache_data
def rays_1d_figure(num_pixels: int, y_limit: float, with_segments: bool) -> go.Figure:
    """The rays of make_rays_1d in the (x, y) plane, alone (each from O to O + D, through the
    screen x = 1) or against EXAMPLE_SEGMENTS (each drawn to where it is blocked)."""
    rays = sol.make_rays_1d(num_pixels, y_limit)
    if not with_segments:
        screen = t.tensor([[[1.0, -y_limit, 0.0], [1.0, y_limit, 0.0]]])
        return lines_2d([(rays_as_segments(rays), RAY_COLOUR, "rays"),
                         (screen, "#adb5bd", "the screen, x = 1")],
                        title=f"make_rays_1d({num_pixels}, {y_limit:g}): each ray drawn from O "
                              "to O + D")
    # Unblocked rays run on past the farthest segment.
    beyond = 1.1 * EXAMPLE_SEGMENTS[..., 0].max().item()
    ends = _blocked_at(rays, EXAMPLE_SEGMENTS, beyond)
    drawn = rays.clone()
    drawn[:, 1] *= ends[:, None]
    blocked = ends < beyond
    groups = [(rays_as_segments(drawn[~blocked]), "#adb5bd", "not blocked"),
              (rays_as_segments(drawn[blocked]), RAY_COLOUR, "blocked")]
    groups += [(segment[None], OBJECT_COLOUR, f"segment {i}")
               for i, segment in enumerate(EXAMPLE_SEGMENTS, start=1)]
    fig = lines_2d(groups, title="Which rays are blocked? (intersect_rays_1d)")
    for trace in fig.data[2:]:
        trace.line.width = 6
    return fig


@st.cache_data
def ray_segment_explorer(segment_seed: int, v: float) -> tuple[go.Figure, dict[str, float]]:
    """A random segment and the ray from the origin through the point L1 + v (L2 - L1)."""
    gen = t.Generator().manual_seed(segment_seed)
    L1, L2 = (t.rand(2, 2, generator=gen) * t.tensor([2.0, 4.0]) + t.tensor([0.5, -2.0]))
    point = L1 + v * (L2 - L1)
    ray = t.tensor([[0.0, 0.0, 0.0], [*point.tolist(), 0.0]])
    segment = t.tensor([[*L1.tolist(), 0.0], [*L2.tolist(), 0.0]])
    hit = sol.intersect_ray_1d(ray, segment)
    line = t.stack([L1 + s * (L2 - L1) for s in (-2.5, 3.5)])

    fig = go.Figure()
    fig.add_trace(go.Scatter(x=line[:, 0], y=line[:, 1], mode="lines", name="the segment's line",
                             line={"color": OBJECT_COLOUR, "dash": "dot", "width": 1}))
    fig.add_trace(go.Scatter(x=[L1[0], L2[0]], y=[L1[1], L2[1]], mode="lines+markers+text",
                             text=["L1", "L2"], textposition="top center", name="segment",
                             line={"color": OBJECT_COLOUR, "width": 4}))
    far = point * (4.0 / max(point.norm().item(), 1e-6))
    fig.add_trace(go.Scatter(x=[0, far[0]], y=[0, far[1]], mode="lines", name="ray",
                             line={"color": RAY_COLOUR, "width": 3}))
    fig.add_trace(go.Scatter(x=[point[0]], y=[point[1]], mode="markers", name="L1 + v (L2 − L1)",
                             marker={"size": 12, "color": "#2b8a3e" if hit else "#868e96"}))
    fig.update_layout(height=420, xaxis={"range": [-0.5, 4], "title": "x"},
                      yaxis={"range": [-3, 3], "title": "y", "scaleanchor": "x"},
                      margin={"l": 10, "r": 10, "t": 30, "b": 10},
                      title=f"v = {v:.2f}: {'the ray meets the segment' if hit else 'no hit'}")
    return fig, {"v": v, "hit": hit}


@st.cache_data
def rays_2d_figure(ny: int, nz: int) -> go.Figure:
    rays = sol.make_rays_2d(ny, nz, 0.3, 0.3)
    fig = lines_3d([(rays_as_segments(rays), RAY_COLOUR, "rays")],
                   title=f"make_rays_2d({ny}, {nz}, 0.3, 0.3)", height=420)
    return fig


@st.cache_data
def barycentric_figure(u: float, v: float) -> go.Figure:
    A, B, C = t.tensor([0.0, 0.0]), t.tensor([3.0, 0.5]), t.tensor([1.0, 2.5])
    P = A + u * (B - A) + v * (C - A)
    inside = u >= 0 and v >= 0 and u + v <= 1
    fig = go.Figure()
    corners = t.stack([A, B, C, A])
    fig.add_trace(go.Scatter(x=corners[:, 0], y=corners[:, 1], fill="toself", mode="lines+text",
                             text=["A", "B", "C", ""], textposition="top left",
                             line={"color": OBJECT_COLOUR}, name="triangle ABC"))
    for start, end, name in ((A, B, "u (B − A)"), (A, C, "v (C − A)")):
        fig.add_annotation(x=end[0], y=end[1], ax=start[0], ay=start[1], xref="x", yref="y",
                           axref="x", ayref="y", showarrow=True, arrowhead=2, arrowcolor="#495057")
    fig.add_trace(go.Scatter(x=[P[0]], y=[P[1]], mode="markers+text", text=["P"],
                             textposition="bottom right", name="P = A + u(B−A) + v(C−A)",
                             marker={"size": 14, "color": "#2b8a3e" if inside else "#c92a2a"}))
    fig.update_layout(height=420, xaxis={"range": [-3, 6]}, yaxis={"range": [-3, 5],
                                                                    "scaleanchor": "x"},
                      margin={"l": 10, "r": 10, "t": 40, "b": 10},
                      title=f"u = {u:.2f}, v = {v:.2f}, u + v = {u + v:.2f}: "
                            f"{'inside' if inside else 'outside'}")
    return fig


@st.cache_data
def triangle_render_figure(pixels: int) -> go.Figure:
    rays = sol.make_rays_2d(pixels, pixels, 1.0, 1.0)
    rays[:, 0] = t.tensor([-2.0, 0.0, 0.0])
    triangle = t.tensor([[0.0, -0.6, -0.7], [0.0, 0.9, 0.1], [0.0, -0.2, 0.8]])
    good = sol.raytrace_triangle(rays, triangle).reshape(pixels, pixels).float().numpy()
    buggy = sol._buggy_raytrace_triangle(rays, triangle).reshape(pixels, pixels).float().numpy()
    return image_panels([good, buggy],
                        ["raytrace_triangle", "the buggy version (it finds no hits)"],
                        ["gray", "gray"], height=340, value_range=(0.0, 1.0))


def own_render_figure(image: np.ndarray, kind: str) -> go.Figure:
    """A render of the learner's (utils/demos/part1_ray_tracing.py), indexed [y, z]: hit mask
    and depth for "depth", the brightness for "light"."""
    if kind == "depth":
        return image_panels([np.isfinite(image).astype(float), depth_image(t.from_numpy(image))],
                            ["your hit mask", "your depth (near is bright)"], ["gray", "Magma"])
    return image_panels([image], ["your Lambert shading"], ["gray"],
                        value_range=(0.0, 1.0 + demos.AMBIENT))


@st.cache_data
def mesh_3d_figure() -> go.Figure:
    tris = bunny().reshape(-1, 3).numpy()
    n = len(tris) // 3
    idx = np.arange(3 * n).reshape(n, 3)
    fig = go.Figure(go.Mesh3d(x=tris[:, 0], y=tris[:, 1], z=tris[:, 2], i=idx[:, 0],
                              j=idx[:, 1], k=idx[:, 2], color="#f4a261", flatshading=True,
                              opacity=1.0))
    fig.update_layout(height=480, margin={"l": 0, "r": 0, "t": 30, "b": 0},
                      title=f"The bunny: {n} triangles, generated by utils/meshes.py",
                      scene={"aspectmode": "data",
                             "camera": {"up": {"x": 0, "y": 1, "z": 0},
                                        "eye": {"x": -2.6, "y": 0.85, "z": 1.2}}})
    return fig


@st.cache_data
def mesh_render_figure(degrees: float, pixels: int = 120) -> go.Figure:
    distances = render_in_chunks(sol.raytrace_mesh, camera_rays(pixels), _rotated_bunny(degrees))
    image = distances.reshape(pixels, pixels)
    return image_panels([t.isfinite(image).float().numpy(), depth_image(image)],
                        ["hit mask", "depth (near is bright)"], ["gray", "Magma"])


@st.cache_data
def lit_animation(frames: int = 24, pixels: int = 80) -> go.Figure:
    light = t.tensor([-1.0, 1.0, -1.0])

    def shade(rays: Tensor, triangles: Tensor) -> Tensor:
        return render_in_chunks(sol.raytrace_mesh_lambert, rays, triangles, light, 0.15)

    video = sol.raytrace_mesh_video(camera_rays(pixels), bunny(), sol.rotation_matrix, shade,
                                    frames)
    images = video.reshape(frames, pixels, pixels).flip(1).numpy()  # flip: y up on screen
    fig = px.imshow(images, animation_frame=0, color_continuous_scale="gray",
                    zmin=0, zmax=1.15, labels={"animation_frame": "frame"})
    fig.update_layout(height=460, coloraxis_showscale=False,
                      margin={"l": 10, "r": 10, "t": 30, "b": 10})
    fig.update_xaxes(showticklabels=False)
    fig.update_yaxes(showticklabels=False)
    return fig
