"""Real-process checks of chapter 5.3's collectives (utils/checks/distributed.py): a gloo group
that could not be set up, for the machine's reasons, is set up again on a new port, and never
reported as the learner's fault."""

from __future__ import annotations

import socket

import pytest
import torch.distributed as dist

from utils.checks import distributed

CASE = '''
import torch
def make_tensor(rank):
    return torch.full((2,), float(rank + 1))
kwargs = {}
'''


def summed(tensor, rank, world_size):
    dist.all_reduce(tensor)


@pytest.fixture
def taken_port():
    """A port something else listens on: a group set up there fails."""
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        yield held.getsockname()[1]


def test_a_group_whose_port_was_taken_is_set_up_again(monkeypatch, taken_port):
    ports = iter([taken_port])
    real = distributed._free_port
    monkeypatch.setattr(distributed, "_free_port", lambda: next(ports, None) or real())
    assert distributed.run_in_processes(summed, 2, CASE, timeout_s=60) == [[3.0, 3.0]] * 2


def test_a_group_that_never_sets_up_says_so_not_that_the_code_is_wrong(monkeypatch, taken_port):
    monkeypatch.setattr(distributed, "_free_port", lambda: taken_port)
    with pytest.raises(AssertionError, match="could not be set up on this machine"):
        distributed.run_in_processes(summed, 2, CASE, timeout_s=30)
