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

    def __repr__(self):
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


def _finished_stub(ex: registry.Exercise) -> str:
    """What a learner hands in for a class exercise: the stub with every method it contains
    written (here: the reference's body), and nothing else added."""
    stub_methods = {node.name for node in ast.parse(sources.stub_source(ex)).body[0].body
                    if isinstance(node, ast.FunctionDef)}
    item = next(i for i in sources.top_level(ex.chapter) if i.name == ex.name)
    lines = sources.solution_text(ex.chapter).splitlines()
    drop = [(node.lineno, node.end_lineno) for node in item.node.body
            if isinstance(node, ast.FunctionDef) and node.name not in stub_methods]
    return "\n".join(line for number, line in enumerate(lines[item.start - 1:item.end],
                                                         start=item.start)
                     if not any(low <= number <= high for low, high in drop))


def test_a_model_built_from_finished_stubs_prints():
    # print(model) is not an exercise, so it must work once every exercise is done.
    import solutions.part2_cnns as reference

    namespace = dict(vars(reference))
    classes = [ex for ex in registry.chapter("part2_cnns").exercises
               if isinstance(getattr(reference, ex.name), type)]
    for ex in classes:
        exec(compile(_finished_stub(ex), f"<{ex.name}>", "exec"), namespace)
    printed = repr(namespace["ResNet34"](n_blocks_per_group=(1,), out_features_per_group=(8,),
                                         first_strides_per_group=(1,), n_classes=3))
    assert "Linear()" in printed and "BatchNorm2d()" in printed
    assert repr(namespace["ConvNet"]()).count("Conv2d()") == 2


@pytest.mark.parametrize("ex", list(registry.EXERCISES.values()), ids=list(registry.EXERCISES))
def test_no_stub_has_a_printing_method_to_write(ex):
    stub = ast.parse(sources.stub_source(ex))
    methods = {node.name for node in ast.walk(stub) if isinstance(node, ast.FunctionDef)}
    assert not methods & sources.LEFT_OUT_OF_STUBS


def test_printing_methods_are_left_out_of_stubs(tricky):
    stub = tricky("Printable")
    assert "__repr__" not in stub and stub.count("raise NotImplementedError()") == 1


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
    assert repr(learners)  # prints, and does not raise NotImplementedError
