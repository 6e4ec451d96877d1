"""Chapter 5.1's precomputed renders: current, equal (up to how this CPU rounds) to what the
reference renders now, and what the pages show; the tiled renderer gives exactly the image of one
big batch."""

import json
import math

import numpy as np
import pytest
import torch as t

from solutions import part1_ray_tracing as sol
from tests.browser_site import open_page
from utils import part1_renders
from utils.experiments.saved import source_code
from utils.figures.part1_ray_tracing import camera_rays, render_in_chunks, render_mesh
from utils.meshes import make_bunny
from tests.app_charts import chart_specs


def test_saved_renders_are_current():
    assert part1_renders.PATH.exists(), "run `python -m utils.part1_renders`"
    with np.load(part1_renders.PATH) as saved:
        assert str(saved["fingerprint"]) == part1_renders.fingerprint(), (
            "the solutions, the bunny or the camera changed since the renders were saved: "
            "run `python -m utils.part1_renders` and commit assets/part1_ray_tracing/renders.npz")
        assert tuple(saved["mesh_angles"]) == part1_renders.MESH_ANGLES


# On another kind of CPU than the one that saved them, the renders differ in their last bits
# (sin, cos and sums take other vector kernels): seen up to 2.6e-6 on depths of 2-4 units and
# brightness in [0, 1]. A stale render (another bunny, camera or solution) differs by far more.
RENDER_ROUNDING = 1e-5


def test_saved_renders_equal_a_render_now():
    with np.load(part1_renders.PATH) as saved:
        depths, frames = saved["mesh_depths"], saved["turntable"]
    for degrees in (0, 135):
        index = part1_renders.MESH_ANGLES.index(degrees)
        now = part1_renders.render_mesh_depth(degrees)
        # The same rays miss (inf), and the rest meet the bunny at the same depth.
        np.testing.assert_allclose(depths[index], now, rtol=0, atol=RENDER_ROUNDING)
    np.testing.assert_allclose(frames[:3], part1_renders.render_turntable()[:3], rtol=0,
                               atol=RENDER_ROUNDING)


@pytest.mark.parametrize("degrees", [0, -105, 160])
def test_tiled_render_is_exactly_one_batch(degrees):
    rotation = sol.rotation_matrix(t.tensor(math.radians(degrees)))
    bunny, rays = make_bunny() @ rotation.T, camera_rays(48)
    assert t.equal(render_mesh(sol.raytrace_mesh, rays, bunny),
                   render_in_chunks(sol.raytrace_mesh, rays, bunny))
    light = t.tensor([-1.0, 1.0, -1.0])
    assert t.equal(render_mesh(sol.raytrace_mesh_lambert, rays, bunny, light, 0.15),
                   render_in_chunks(sol.raytrace_mesh_lambert, rays, bunny, light, 0.15))


def test_tiled_render_falls_back_for_rays_from_many_origins():
    rays = camera_rays(16)
    rays[::2, 0, 1] += 0.05  # every other ray starts elsewhere: no single camera to cull for
    bunny = make_bunny()
    assert t.equal(render_mesh(sol.raytrace_mesh, rays, bunny),
                   render_in_chunks(sol.raytrace_mesh, rays, bunny))


def test_missing_or_stale_file_is_rendered_instead(tmp_path, monkeypatch):
    monkeypatch.setattr(part1_renders, "render_all", lambda: {"made": "now"})
    for path in (tmp_path / "missing.npz", tmp_path / "stale.npz"):
        if path.name == "stale.npz":
            np.savez(path, fingerprint=np.array("something else"))
        monkeypatch.setattr(part1_renders, "PATH", path)
        part1_renders.renders.cache_clear()
        assert part1_renders.renders() == {"made": "now"}
    part1_renders.renders.cache_clear()


def test_lighting_page_shows_a_still_and_the_animation_on_demand():
    app = open_page("pages/part1_ray_tracing/5_lighting.md")
    still = json.loads(chart_specs(app)[-1])
    assert not still.get("frames")
    app.toggle(key="lighting_turntable").set_value(True).run()
    assert not app.exception, [e.value for e in app.exception]
    animation = json.loads(chart_specs(app)[-1])
    assert len(animation["frames"]) == part1_renders.TURNTABLE_FRAMES


def _worded_one_way(x):
    """Doubles x."""
    return 2 * x  # twice


def _worded_another_way(x):
    """Twice x, reworded."""
    return 2 * x


def _computed_otherwise(x):
    """Doubles x."""
    return x + x


def test_fingerprint_follows_code_not_wording():
    code = source_code  # what part1_renders.fingerprint hashes of each solution
    assert code(_worded_one_way).replace("_worded_one_way", "f") == \
        code(_worded_another_way).replace("_worded_another_way", "f")
    assert code(_worded_one_way).replace("_worded_one_way", "f") != \
        code(_computed_otherwise).replace("_computed_otherwise", "f")
