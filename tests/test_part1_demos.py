"""Chapter 5.1's own-code renders: the learner's make_rays_2d, rotation_matrix and raytrace_mesh
(or raytrace_mesh_lambert) render the bunny in the sandbox, and what comes back is checked
before it is drawn."""

import numpy as np
import pytest

from tests.browser_site import open_page
from utils import part1_oracle as oracle
from utils import registry, sources
from utils.answers import reference_file
from utils.demos import part1_ray_tracing as demos
from utils.figures import part1_ray_tracing as figures
from utils.meshes import make_bunny
from utils.runner import run_demo
from tests.app_charts import chart_specs

STEM = "part1_ray_tracing"


@pytest.mark.parametrize("kind", demos.KINDS)
def test_the_learners_render_runs_in_the_sandbox_and_matches_the_oracle(kind):
    result = run_demo(f"{STEM}.render", reference_file(STEM),
                      {"kind": kind, "degrees": 45.0, "pixels": 40})
    assert result.status == "passed", result.message
    image = demos.validated_render(result.data, kind, 40)
    expected = oracle.render(make_bunny(), kind, 45.0, 40).numpy()
    assert (np.isinf(image) == np.isinf(expected)).all()
    hit = np.isfinite(expected)
    np.testing.assert_allclose(image[hit], expected[hit], atol=1e-5)
    assert figures.own_render_figure(image, kind).data


def test_a_renderer_that_raises_shows_its_error():
    broken = "def raytrace_mesh(rays, triangles):\n    return rays[:, :, 5]\n"
    result = run_demo(f"{STEM}.render", reference_file(STEM, {"raytrace_mesh": broken}),
                      {"kind": "depth", "degrees": 0.0, "pixels": 40})
    assert result.status == "error" and "IndexError" in result.message


def test_an_unfinished_renderer_says_so():
    stub = sources.stub_source(registry.get(f"{STEM}.raytrace_mesh_lambert"))
    result = run_demo(f"{STEM}.render", reference_file(STEM, {"raytrace_mesh_lambert": stub}),
                      {"kind": "light", "degrees": 0.0, "pixels": 40})
    assert result.status == "not_implemented", result.message


@pytest.mark.parametrize("data, problem", [
    (None, "no render"),
    ({"kind": "depth", "pixels": 40, "values": [1.0] * 100}, "one value per ray"),
    ({"kind": "depth", "pixels": 40, "values": [-1.0] * 1600}, "negative"),
    ({"kind": "depth", "pixels": 40, "values": [{"x": 1}] * 1600}, "not numbers"),
    ({"kind": "light", "pixels": 40, "values": [None] * 1600}, "infinite"),
    ({"kind": "light", "pixels": 60, "values": [0.5] * 3600}, "no render"),
])
def test_a_bad_render_is_refused_with_a_reason(data, problem):
    with pytest.raises(ValueError, match=problem):
        demos.validated_render(data, "depth" if problem != "infinite" else "light", 40)


def test_mesh_page_renders_with_the_learners_code():
    app = open_page(f"pages/{STEM}/4_mesh.md")
    assert not app.exception, [e.value for e in app.exception]
    charts = len(chart_specs(app))
    app.select_slider(key="p1_own_depth_pixels").set_value(40).run()
    app.slider(key="p1_own_depth_degrees").set_value(90).run()
    app.button(key="p1_own_depth_run").click().run()
    assert not app.exception and not app.error, [e.value for e in app.exception or app.error]
    assert len(chart_specs(app)) == charts + 1
    assert any("90°, 40 x 40" in c.value for c in app.caption)
