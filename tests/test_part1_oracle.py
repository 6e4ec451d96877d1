"""Chapter 5.1's float64 oracle gives the answers the chapter teaches: the checks' hand-made cases,
and the reference solutions' renders wherever rounding cannot decide."""

import math

import pytest
import torch as t

from solutions import part1_ray_tracing as sol
from utils import part1_oracle as oracle
from utils.checks import part1_ray_tracing as checks
from utils.meshes import make_bunny


def test_ray_segment_answers_the_hand_made_cases():
    for description, ray, segment, expected in checks._RAY_SEGMENT_CASES:
        assert bool(oracle.ray_segment(ray, segment).hit) == expected, description


def test_ray_triangle_answers_the_hand_made_cases():
    for description, O, D, expected in checks._TRIANGLE_CASES:
        ray = t.tensor([O, D], dtype=t.float32)
        assert bool(oracle.ray_triangle(ray, checks._TRI).hit) == expected, description


def test_it_broadcasts_every_ray_against_every_object():
    rays, segments = sol.make_rays_1d(9, 10.0), checks._RAY_SEGMENT_CASES[0][2][None]
    assert oracle.ray_segment(rays[:, None], segments[None]).hit.shape == (9, 1)
    assert t.equal(oracle.ray_segment(rays[:, None], segments[None]).hit.any(-1),
                   sol.intersect_rays_1d(rays, segments))


def test_the_scene_is_the_one_the_reference_renders():
    rays = sol.make_rays_2d(24, 24, oracle.SCREEN_LIMIT, oracle.SCREEN_LIMIT)
    rays[:, 0] = t.tensor([oracle.CAMERA_X, 0.0, 0.0])
    assert t.allclose(oracle.camera_rays(24).float(), rays)
    for theta in (0.0, 0.7, -2.0):
        assert t.allclose(oracle.rotation_y(theta).float(), sol.rotation_matrix(t.tensor(theta)),
                          atol=1e-6)


@pytest.mark.parametrize("degrees", [0.0, 100.0])
def test_renders_agree_with_the_reference_solutions(degrees):
    rays = oracle.camera_rays(32)
    bunny = make_bunny() @ oracle.rotation_y(math.radians(degrees)).T.float()
    depth = oracle.mesh_depth(rays, bunny)
    reference = sol.raytrace_mesh(rays.float(), bunny).double()
    assert t.equal(t.isinf(depth), t.isinf(reference))
    assert t.allclose(depth, reference, atol=1e-5)
    light = t.tensor(oracle.LIGHT)
    shade = oracle.lambert(rays, bunny, light, oracle.AMBIENT)
    reference = sol.raytrace_mesh_lambert(rays.float(), bunny, light, oracle.AMBIENT).double()
    assert t.allclose(shade, reference, atol=1e-5)
