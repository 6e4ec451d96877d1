"""Stub generation on the shapes of code solutions take (decorators, one-liners, classes)."""

import ast

import pytest

from utils import registry, sources

TRICKY = '''\
import torch


def one_liner(x): return x + 1


@staticmethod_like(
    "a decorator over several lines",
)
def decorated(x):
    return x


def nested(x):
    @decorator
    def inner(y):
        return y
    return inner(x)


class NoDocstring:
    @property
    def value(self):
        return 42

    class Inner:
        """Nested."""

        size = 3  # class attributes are given code and stay

        def method(self):
            return "solution detail"


class WithAttributes:
    """Doc."""

    size: int = 3

    def forward(self, x):
        """Forward doc."""
        return x * self.size


class Printable:
    def forward(self, x):
        return x

    def __repr__(self):  # given
        return "Printable()"
'''


@pytest.fixture
def tricky(monkeypatch):
    sources.solution_text.cache_clear()
    sources.top_level.cache_clear()
    monkeypatch.setattr(sources, "solution_text", lambda stem: TRICKY)
    yield lambda name: sources.stub_source(registry.Exercise(
        "tricky", name, name, "s", 1, 1, (1, 2), "task"))
    sources.top_level.cache_clear()


@pytest.mark.parametrize("name", ["one_liner", "decorated", "nested", "NoDocstring",
                                  "WithAttributes"])
def test_stubs_are_valid_python_without_the_solution(tricky, name):
    stub = tricky(name)
    tree = ast.parse(stub)
    assert stub.count("raise NotImplementedError()") >= 1
    assert "return" not in stub and "solution detail" not in stub
    assert tree.body[0].name == name


def test_decorators_are_kept_once(tricky):
    assert tricky("NoDocstring").count("@property") == 1
    assert tricky("decorated").count('"a decorator over several lines"') == 1


def test_class_attributes_and_docstrings_are_kept(tricky):
    stub = tricky("WithAttributes")
    assert "size: int = 3" in stub and '"""Forward doc."""' in stub


def test_methods_marked_given_keep_their_body(tricky):
    stub = tricky("Printable")
    assert 'return "Printable()"' in stub and "return x" not in stub
    assert stub.count("raise NotImplementedError()") == 1  # forward only


@pytest.mark.parametrize("name", ["SGD", "RMSprop", "Adam", "AdamW"])
def test_an_optimizer_from_its_stub_prints(name):
    """No task asks for __repr__, so a learner's optimizer prints as soon as its state is set."""
    import torch

    from solutions import part3_optimization as solution
    from utils.runner.namespace import namespace_for

    ex = registry.get(f"part3_optimization.{name}")
    namespace = namespace_for(ex)
    exec(sources.stub_source(ex), namespace)
    reference = getattr(solution, name)([torch.nn.Parameter(torch.zeros(2))], lr=0.1)
    learners = object.__new__(namespace[name])
    learners.__dict__.update(vars(reference))
    assert repr(learners) == repr(reference)
