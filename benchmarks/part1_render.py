"""How long chapter 5.1's renders take: the reference renderer against a textbook baseline.

    python benchmarks/part1_render.py

Renders the bunny (1000 triangles) at 120 x 120 pixels with two threads (a Streamlit Community
Cloud app gets at most 2 cores): tile by tile with `render_mesh` (the site's path; it renders on
one thread, as on a busy shared CPU two threads' waits on each other cost more than they gain),
and in chunks of 512 rays against every triangle with `render_in_chunks` (one batch's work). The
baseline solves the same systems with t.linalg.solve, as a learner's first raytrace_mesh usually
does.
"""

from _common import summary, timings

import os
import statistics

import torch as t

from solutions import part1_ray_tracing as sol
# The t.linalg.solve-based answer the chapter's checks accept: the baseline to beat.
from tests.wrong_answers.part1_ray_tracing import _solve_mesh as solve_based_raytrace_mesh
from utils.figures.part1_ray_tracing import camera_rays, render_in_chunks, render_mesh
from utils.meshes import make_bunny


def main() -> None:
    t.set_num_threads(2)
    rays, bunny = camera_rays(120), make_bunny()
    print(f"bunny: {len(bunny)} triangles; {len(rays)} rays; torch threads: {t.get_num_threads()}; "
          f"load average {os.getloadavg()[0]:.1f}")
    tiled = timings(lambda: render_mesh(sol.raytrace_mesh, rays, bunny), repeats=9)
    assert t.get_num_threads() == 2
    ours = timings(lambda: render_in_chunks(sol.raytrace_mesh, rays, bunny), repeats=5)
    base = timings(lambda: render_in_chunks(solve_based_raytrace_mesh, rays, bunny), repeats=3)
    light = t.tensor([-1.0, 1.0, -1.0])
    lit = timings(lambda: render_in_chunks(sol.raytrace_mesh_lambert, rays, bunny, light, 0.15),
                  repeats=5)
    print(summary("render_mesh (tiles), 120x120", tiled))
    print(summary("render_in_chunks, 120x120", ours))
    print(summary("baseline (t.linalg.solve), 120x120", base))
    print(summary("reference raytrace_mesh_lambert, 120x120", lit))
    print(f"tiles over chunks: {statistics.median(ours) / statistics.median(tiled):.1f}x; chunks over "
          f"the baseline: {statistics.median(base) / statistics.median(ours):.1f}x")
    print(f"tiles give exactly the chunks' image: "
          f"{t.equal(render_mesh(sol.raytrace_mesh, rays, bunny), render_in_chunks(sol.raytrace_mesh, rays, bunny))}")
    same = t.allclose(render_in_chunks(sol.raytrace_mesh, rays, bunny),
                      render_in_chunks(solve_based_raytrace_mesh, rays, bunny), atol=1e-4)
    print(f"both give the same image: {same}")


if __name__ == "__main__":
    main()
