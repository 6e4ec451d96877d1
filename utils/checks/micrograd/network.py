"""Checks for chapter 3's sections 5 (neurons, layers, an MLP) and 6 (training on two moons).

A learner's network and the reference are compared with shared weights: the checks copy numbers
into both models' parameters in the chapter's order (layer by layer, neuron by neuron, weights
then bias) and compare outputs and gradients. A model whose parameters() come in another order,
miss the bias or repeat a weight gives other outputs, and the message says which input.

The learner's classes are built from the names their own file sees (their `Value`, `Neuron`,
`Layer`, `MLP`, `moons_loss`, `train_step`), falling back to the reference: in the page's editor
those are the reference's anyway, in a local file or notebook they are the learner's own.
"""

from __future__ import annotations

import math
import random
from collections import ChainMap
from typing import Any, Callable

import numpy as np

from solutions import micrograd as reference
from utils.checks.assertions import call, passed
from utils.checks.learner_names import learner_env
from utils.checks import variants
from utils.experiments.micrograd.network import circles, moons

__all__ = ["test_Module", "test_Neuron", "test_Layer", "test_MLP", "test_moons_loss",
           "test_train_step", "test_train_moons"]

TOL = 1e-9


def _is_value(v: Any) -> bool:
    return hasattr(v, "data") and hasattr(v, "grad") and hasattr(v, "backward")


def _params(name: str, model: Any, what: str) -> list:
    params = call(model.parameters, context=f"calling {what}.parameters()")
    if not isinstance(params, list):
        raise AssertionError(f"{name}: {what}.parameters() should return a list of Values, got "
                             f"{type(params).__name__}.")
    for p in params:
        if not _is_value(p):
            raise AssertionError(f"{name}: {what}.parameters() should hold Values only (flat, "
                                 f"not a list of lists); it holds a {type(p).__name__}.")
    if len({id(p) for p in params}) != len(params):
        raise AssertionError(f"{name}: {what}.parameters() lists the same Value more than once. "
                             "Each weight must be its own Value: `[Value(...)] * n` or one list "
                             "shared by several neurons repeats one object.")
    return params


def _count(name: str, params: list, expected: int, what: str, why: str) -> None:
    if len(params) != expected:
        raise AssertionError(f"{name}: {what}.parameters() should have {expected} values "
                             f"({why}), got {len(params)}.")


def _numbers(n: int, seed: int, scale: float = 1.0) -> list[float]:
    return [float(v) for v in np.random.default_rng(seed).uniform(-scale, scale, n)]


def _load(params: list, numbers: list[float]) -> None:
    for p, v in zip(params, numbers):
        p.data = float(v)
        p.grad = 0.0


def _data(out: Any, name: str, what: str) -> Any:
    """The number(s) a model gave: a float for one Value, a list of floats for a list."""
    if _is_value(out):
        return float(out.data)
    if isinstance(out, (list, tuple)) and all(_is_value(v) for v in out):
        return [float(v.data) for v in out]
    raise AssertionError(f"{name}: {what} should give a Value (or a list of Values), got "
                         f"{type(out).__name__}.")


def _close(got: Any, expected: Any) -> bool:
    if isinstance(expected, list):
        return isinstance(got, list) and len(got) == len(expected) and \
            all(_close(g, e) for g, e in zip(got, expected))
    return isinstance(got, float) and math.isclose(got, expected, rel_tol=1e-9, abs_tol=TOL)


def _fmt(v: Any) -> str:
    if isinstance(v, list):
        return "[" + ", ".join(f"{x:.4g}" for x in v) + "]"
    return f"{v:.6g}"


# ---------------------------------------------------------------------------------------------
# Section 5


def test_Module(Module: type) -> None:
    env = learner_env(Module, reference)
    Value = env["Value"]
    base = call(Module, context="creating Module()")
    own = call(base.parameters, context="calling Module().parameters()")
    if own != []:
        raise AssertionError(f"Module: the base class has no parameters: Module().parameters() "
                             f"should be [], got {own!r}.")

    class Pair(Module):  # a module with three parameters, the way Neuron will have them
        def __init__(self):
            self.a, self.b, self.c = Value(1.5), Value(-2.0), Value(0.25)

        def parameters(self):
            return [self.a, self.b, self.c]

    pair = Pair()
    for p, g in zip(pair.parameters(), (3.0, -1.0, 0.5)):
        p.grad = g
    result = call(pair.zero_grad, context="on a module with three parameters")
    grads = [p.grad for p in pair.parameters()]
    if grads != [0.0, 0.0, 0.0]:
        raise AssertionError("Module: zero_grad() on a subclass whose parameters() are three "
                             f"Values with gradients [3.0, -1.0, 0.5] should leave [0.0, 0.0, "
                             f"0.0], left {grads}. It must reset every value of "
                             "self.parameters().")
    if [p.data for p in pair.parameters()] != [1.5, -2.0, 0.25]:
        raise AssertionError("Module: zero_grad() changed the parameters' data; it must only "
                             "reset their .grad (the data is what the model has learned).")
    if result is not None:
        raise AssertionError(f"Module: zero_grad() should return nothing, got {result!r}.")
    passed("test_Module")


def _neuron_expected(numbers: list[float], x: list[float], nonlin: bool) -> float:
    act = sum(w * xi for w, xi in zip(numbers[:-1], x)) + numbers[-1]
    return max(act, 0.0) if nonlin else act


def test_Neuron(Neuron: type) -> None:
    env = learner_env(Neuron, reference)
    Value = env["Value"]
    random.seed(0)
    neuron = call(Neuron, 3, context="creating Neuron(3)")
    params = _params("Neuron", neuron, "Neuron(3)")
    _count("Neuron", params, 4, "Neuron(3)", "3 weights, then the bias")
    big = _params("Neuron", call(Neuron, 200, context="creating Neuron(200)"), "Neuron(200)")
    weights = [p.data for p in big[:-1]]
    if min(weights) < -1 or max(weights) > 1 or max(weights) - min(weights) < 1.5:
        raise AssertionError("Neuron: the weights of Neuron(200) should be drawn with "
                             f"random.uniform(-1, 1); they range from {min(weights):.3g} to "
                             f"{max(weights):.3g}.")
    other = _params("Neuron", call(Neuron, 3, context="creating a second Neuron(3)"),
                    "a second Neuron(3)")
    if {id(p) for p in other} & {id(p) for p in params}:
        raise AssertionError("Neuron: two Neuron(3)s share parameters. Create the weights and "
                             "the bias in __init__, on self, not in the class body.")

    # Shared weights: the same numbers in the learner's neuron and on paper.
    cases = [([0.5, -1.0, 2.0, 0.25], [1.0, 2.0, 3.0]),  # positive: 4.75
             ([0.5, -1.0, 2.0, 0.25], [1.0, 2.0, -3.0]),  # negative: -7.25
             (_numbers(4, 1), _numbers(3, 2, 2.0)),
             (_numbers(4, 3), _numbers(3, 4, 2.0))]
    for nonlin in (True, False):
        made = f"Neuron(3{'' if nonlin else ', nonlin=False'})"
        neuron = call(Neuron, 3, context=f"creating {made}", **({} if nonlin else
                                                                  {"nonlin": False}))
        params = _params("Neuron", neuron, made)
        for numbers, x in cases:
            _load(params, numbers)
            for kind, inputs in (("floats", x), ("Values", [Value(v) for v in x])):
                out = call(neuron, inputs, context=f"on {kind} {x}")
                got = _data(out, "Neuron", f"{made} on {kind}")
                if isinstance(got, list):
                    raise AssertionError(f"Neuron: a neuron returns one Value, got a list of "
                                         f"{len(got)}.")
                expected = _neuron_expected(numbers, x, nonlin)
                if not _close(got, expected):
                    raise AssertionError(
                        f"Neuron: {made} with weights {_fmt(numbers[:-1])} and bias "
                        f"{numbers[-1]:.4g} (set through parameters(), weights then bias) on "
                        f"x = {_fmt(x)} should give "
                        f"{'relu(w . x + b)' if nonlin else 'w . x + b (no ReLU)'} = "
                        f"{expected:.6g}, got {got:.6g}.")
            # Gradients reach the weights, the bias and the inputs.
            inputs = [Value(v) for v in x]
            out = call(neuron, inputs, context=f"on Values {_fmt(x)}")
            call(out.backward, context="calling backward() on the neuron's output")
            active = (not nonlin) or _neuron_expected(numbers, x, True) > 0
            expected_grads = [xi if active else 0.0 for xi in x] + [1.0 if active else 0.0]
            got_grads = [float(p.grad) for p in params]
            if not _close(got_grads, expected_grads):
                raise AssertionError(
                    f"Neuron: after backward() from {made}'s output on x = {_fmt(x)}, the "
                    f"gradients of (weights, bias) should be {_fmt(expected_grads)}, got "
                    f"{_fmt(got_grads)}. Build the output from Value operations on self.w and "
                    "self.b.")
    passed("test_Neuron")


def _twin(name: str, cls: type, ref_cls: type, args: tuple, kwargs: dict, what: str,
          seed: int) -> tuple[Any, Any, list]:
    """(the learner's model, the reference model, the learner's parameters) with the same
    numbers in their parameters, in order."""
    model = call(cls, *args, context=f"creating {what}", **kwargs)
    ref = ref_cls(*args, **kwargs)
    ref_params = ref.parameters()
    params = _params(name, model, what)
    _count(name, params, len(ref_params), what,
           "per neuron its weights and its bias")
    numbers = _numbers(len(ref_params), seed)
    _load(params, numbers)
    _load(ref_params, numbers)
    return model, ref, params


def test_Layer(Layer: type) -> None:
    random.seed(0)
    for nin, nout, kwargs in ((3, 4, {}), (3, 2, {"nonlin": False}), (2, 1, {}),
                              (4, 1, {"nonlin": False})):
        what = f"Layer({nin}, {nout}{''.join(f', {k}={v}' for k, v in kwargs.items())})"
        layer, ref, params = _twin("Layer", Layer, reference.Layer, (nin, nout), kwargs, what,
                                   seed=nin * 10 + nout)
        for seed in range(4):
            x = _numbers(nin, 100 + seed, 2.0)
            got = _data(call(layer, x, context=f"on x = {_fmt(x)}"), "Layer", what)
            expected = _data(ref(x), "Layer", what)
            if nout == 1 and isinstance(got, list):
                raise AssertionError(f"Layer: {what} has one neuron, so it should return that "
                                     "neuron's Value itself, not a list of one (the convention "
                                     "that makes an MLP ending in one neuron give a score).")
            if nout > 1 and not isinstance(got, list):
                raise AssertionError(f"Layer: {what} should return a list of {nout} Values, got "
                                     "one Value.")
            if not _close(got, expected):
                raise AssertionError(
                    f"Layer: {what} with its parameters set in order (per neuron, weights then "
                    f"bias) on x = {_fmt(x)} should give {_fmt(expected)}, got {_fmt(got)}. "
                    "Does every neuron see the whole input, and do parameters() come neuron by "
                    "neuron, weights then bias?")
    passed("test_Layer")


def test_MLP(MLP: type) -> None:
    random.seed(0)
    model = call(MLP, 2, [16, 16, 1], context="creating MLP(2, [16, 16, 1])")
    params = _params("MLP", model, "MLP(2, [16, 16, 1])")
    _count("MLP", params, 337, "MLP(2, [16, 16, 1])",
           "16 * (2 + 1) + 16 * (16 + 1) + 1 * (16 + 1)")
    for nin, nouts in ((3, [4, 4, 1]), (2, [3]), (3, [5, 2])):
        what = f"MLP({nin}, {nouts})"
        model, ref, params = _twin("MLP", MLP, reference.MLP, (nin, nouts), {}, what,
                                   seed=nin + 7 * len(nouts))
        for seed in range(6):
            x = _numbers(nin, 200 + seed, 2.0)
            got = _data(call(model, x, context=f"on x = {_fmt(x)}"), "MLP", what)
            expected = _data(ref(x), "MLP", what)
            if nouts[-1] == 1 and isinstance(got, list):
                raise AssertionError(f"MLP: {what} ends in one neuron, so it should return one "
                                     "Value, not a list.")
            if not _close(got, expected):
                last_relu = any(e < 0 for e in (expected if isinstance(expected, list)
                                                else [expected])) and \
                    all(g >= 0 for g in (got if isinstance(got, list) else [got]))
                hint = (" The last layer must be linear (nonlin=False): a ReLU there makes "
                        "every score >= 0." if last_relu else
                        " Is every layer but the last a ReLU layer, each fed the previous "
                        "one's output, and are parameters() listed layer by layer?")
                raise AssertionError(f"MLP: {what} with its parameters set in order on x = "
                                     f"{_fmt(x)} should give {_fmt(expected)}, got "
                                     f"{_fmt(got)}.{hint}")
        # Gradients through the whole network, then zero_grad resets every one of them.
        x = _numbers(nin, 300, 2.0)
        out, ref_out = call(model, x, context=f"on x = {_fmt(x)}"), ref(x)
        total = out if not isinstance(out, list) else sum(out)
        ref_total = ref_out if not isinstance(ref_out, list) else sum(ref_out)
        call(total.backward, context="calling backward() on the MLP's output")
        ref_total.backward()
        got_grads = [float(p.grad) for p in params]
        expected_grads = [p.grad for p in ref.parameters()]
        if not _close(got_grads, expected_grads):
            raise AssertionError(f"MLP: after backward() from {what}'s output (summed) the "
                                 "parameters' gradients differ from the reference's with the "
                                 "same weights.")
        if not any(g != 0 for g in got_grads):
            raise AssertionError(f"MLP: after backward() every gradient of {what} is 0.")
        call(model.zero_grad, context="calling zero_grad()")
        left = [i for i, p in enumerate(params) if p.grad != 0]
        if left:
            raise AssertionError(f"MLP: after zero_grad() on {what}, {len(left)} of its "
                                 f"{len(params)} parameters still have a gradient (the first "
                                 f"is parameter {left[0]}). zero_grad must reset every "
                                 "parameter of every layer: inherit it from Module.")
    passed("test_MLP")


# ---------------------------------------------------------------------------------------------
# Section 6


def _model_pair(env: ChainMap, sizes: list[int], seed: int, scale: float = 1.0
                ) -> tuple[Any, Any]:
    """Two MLPs of the learner's file (the reference's in the editor) with equal numbers
    (the first's initial weights times `scale`)."""
    random.seed(seed)
    mine = call(env["MLP"], 2, sizes, context=f"creating MLP(2, {sizes})")
    twin = env["MLP"](2, sizes)
    numbers = [p.data * scale for p in mine.parameters()]
    _load(mine.parameters(), numbers)
    _load(twin.parameters(), numbers)
    return mine, twin


# The chapter's data and its new specification's (chapter.toml [variants.circles]): the same
# checks on two circles, an inner ring inside an outer one, as the learner's second dataset.
DATASETS = {None: ("two moons", moons), "circles": ("two circles", circles)}


def _points_name() -> str:
    return DATASETS[variants.current()][0]


def _loss_case(seed: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    """`n` seeded points of the dataset the checks run on (two moons, or the variant's)."""
    return DATASETS[variants.current()][1](n, seed)


def test_moons_loss(moons_loss: Callable) -> None:
    env = learner_env(moons_loss, reference)
    # Weights scaled up in the last cases, so that some points are beyond their margin.
    for seed, n, alpha, scale in ((0, 10, 1e-4, 1.0), (1, 12, 0.05, 1.0), (2, 8, 0.0, 3.0),
                                  (4, 12, 1e-3, 3.0)):
        X, y = _loss_case(seed, n)
        mine, twin = _model_pair(env, [4, 4, 1], seed, scale)
        what = (f"on {n} points of {_points_name()} (seed {seed}) with alpha={alpha} and an "
                f"MLP(2, [4, 4, 1]) whose "
                f"initial weights are multiplied by {scale:g}")
        got = call(moons_loss, mine, X, y, alpha, context=what)
        loss, accuracy = reference.moons_loss(twin, X, y, alpha)
        if not isinstance(got, tuple) or len(got) != 2:
            raise AssertionError(f"moons_loss: should return a pair (loss, accuracy), got "
                                 f"{type(got).__name__}.")
        got_loss, got_acc = got
        if not _is_value(got_loss):
            raise AssertionError(f"moons_loss: the loss should be a Value (so that backward() "
                                 f"can run from it), got {type(got_loss).__name__}.")
        if isinstance(got_acc, bool) or not isinstance(got_acc, (float, int, np.floating)):
            raise AssertionError(f"moons_loss: the accuracy should be a Python float, got "
                                 f"{type(got_acc).__name__}.")
        if not math.isclose(float(got_acc), accuracy, abs_tol=1e-12):
            raise AssertionError(f"moons_loss {what}: the accuracy should be {accuracy:.4g} (the "
                                 f"fraction of points with score > 0 where y = +1 and score <= 0 "
                                 f"where y = -1), got {float(got_acc):.4g}.")
        if not math.isclose(float(got_loss.data), loss.data, rel_tol=1e-9, abs_tol=1e-12):
            data_loss, _ = reference.moons_loss(twin, X, y, 0.0)
            hint = ""
            if math.isclose(float(got_loss.data), data_loss.data, rel_tol=1e-9) and alpha:
                hint = " That is the hinge alone: add alpha * (sum of p * p over parameters)."
            raise AssertionError(f"moons_loss {what}: the loss should be {loss.data:.6g} (mean "
                                 f"of relu(1 - y * score), plus alpha * sum of squared "
                                 f"parameters), got {float(got_loss.data):.6g}.{hint}")
        call(got_loss.backward, context="calling backward() on the loss")
        loss.backward()
        got_grads = [float(p.grad) for p in mine.parameters()]
        expected = [p.grad for p in twin.parameters()]
        if not _close(got_grads, expected):
            raise AssertionError(f"moons_loss {what}: after loss.backward() the parameters' "
                                 "gradients differ from the reference's. Build the whole loss "
                                 "from Value operations on the model's scores and parameters.")
    passed("test_moons_loss")


def test_train_step(train_step: Callable) -> None:
    env = learner_env(train_step, reference)
    for seed, n, lr in ((0, 10, 0.5), (3, 12, 1.0)):
        X, y = _loss_case(seed, n)
        mine, twin = _model_pair(env, [4, 4, 1], seed)
        for p, q in zip(mine.parameters(), twin.parameters()):
            p.grad = q.grad = 5.0  # left over from an earlier step
        what = (f"on {n} points of {_points_name()} with lr={lr}, an MLP(2, [4, 4, 1]) holding old "
                "gradients of 5.0")
        got = call(train_step, mine, X, y, lr, 1e-4, context=what)
        expected = reference.train_step(twin, X, y, lr, 1e-4)
        if not isinstance(got, tuple) or len(got) != 2 or \
                not all(isinstance(v, (float, int, np.floating)) for v in got):
            raise AssertionError(f"train_step: should return (loss, accuracy) as two Python "
                                 f"floats, got {got!r:.80}.")
        if not math.isclose(float(got[0]), expected[0], rel_tol=1e-9):
            raise AssertionError(f"train_step {what}: the loss before the update should be "
                                 f"{expected[0]:.6g}, got {float(got[0]):.6g}.")
        got_params = [float(p.data) for p in mine.parameters()]
        expected_params = [p.data for p in twin.parameters()]
        if not _close(got_params, expected_params):
            before = [p for p in _model_pair(env, [4, 4, 1], seed)[0].parameters()]
            moved = [a - b.data for a, b in zip(got_params, before)]
            wanted = [a - b.data for a, b in zip(expected_params, before)]
            hint = ""
            if all(m == 0 for m in moved):
                hint = (" No parameter moved: change each p.data in place (p.data -= lr * "
                        "p.grad), not a new Value.")
            elif _close([-m for m in moved], wanted):
                hint = " Every step went the wrong way: subtract lr * p.grad."
            elif _close([m + lr * 5.0 for m in moved], wanted):
                hint = (" Each step included the old gradient of 5.0: call model.zero_grad() "
                        "before loss.backward().")
            raise AssertionError(f"train_step {what}: after the step the parameters differ from "
                                 f"p.data - lr * p.grad (the first by "
                                 f"{abs(got_params[0] - expected_params[0]):.3g}).{hint}")
    passed("test_train_step")


# A short seeded run that fits the sandbox: the reference reaches 87.5 % (21 of 24; 67 % before
# training) in about 3 s on an idle core; on the circles, 100 % (42 % before training).
CHECK_RUN = {"n": 24, "sizes": [8, 8, 1], "steps": 25, "seed": 1, "min_accuracy": 0.8}

# The 6-step comparison with the reference. Every parameter, biases too, gets a seeded number
# rather than its initial one. With the initial numbers (zero biases), a second-layer neuron's
# bias had a gradient of +c three times and -c three times, exactly 0 but ±1e-17 in some
# summation orders, and on a point where no first-layer neuron fired its ReLU input was that bias
# alone: on or off depending on the order. Two correct engines (or the same one twice: a `_prev`
# set iterates in memory-address order) then reported losses 1e-3 apart from step 2 on. Along
# the reference's run on these numbers every ReLU input, the hidden neurons' and the hinge's,
# stays over 0.01 away from 0 (tests/test_micrograd_checks.py), so the order of a sum changes
# the losses by rounding only.
TRAIN_CASE = {"n": 12, "points_seed": 5, "sizes": [4, 4, 1], "numbers_seed": 54, "steps": 6,
              "lr_start": 0.8, "lr_end": 0.2, "alpha": 0.01}
# On the circles (the new specification), numbers seeded 54 put a ReLU input 0.001 from 0; with
# 116, every one stays over 0.02 away and the run still learns (tests/test_micrograd_checks.py).
TRAIN_CASES = {None: TRAIN_CASE, "circles": {**TRAIN_CASE, "numbers_seed": 116}}


def train_case_spec() -> dict:
    """The step-by-step case for the data the checks run on."""
    return TRAIN_CASES[variants.current()]


def train_case(env: ChainMap) -> tuple[Any, Any, np.ndarray, np.ndarray]:
    """TRAIN_CASE's two equal models (the learner's MLP, the reference's in the editor) and its
    points."""
    c = train_case_spec()
    X, y = _loss_case(c["points_seed"], c["n"])
    mine, twin = _model_pair(env, c["sizes"], c["numbers_seed"])
    params = _params("train_moons", mine, f"MLP(2, {c['sizes']})")
    numbers = _numbers(len(params), c["numbers_seed"])
    _load(params, numbers)
    _load(twin.parameters(), numbers)
    return mine, twin, X, y


def test_train_moons(train_moons: Callable) -> None:
    env = learner_env(train_moons, reference)
    c = train_case_spec()
    mine, twin, X, y = train_case(env)
    args = (c["steps"], c["lr_start"], c["lr_end"], c["alpha"])
    what = (f"{c['steps']} steps on {c['n']} points of {_points_name()}, MLP(2, {c['sizes']}), "
            f"lr_start={c['lr_start']:g}, lr_end={c['lr_end']:g}, alpha={c['alpha']:g}")
    got = call(train_moons, mine, X, y, *args, context=what)
    expected = reference.train_moons(twin, X, y, *args)
    if not isinstance(got, list) or len(got) != c["steps"]:
        raise AssertionError(f"train_moons ({what}): should return a list of {c['steps']} "
                             f"(loss, accuracy) pairs, one per step; got {type(got).__name__} "
                             f"of length {len(got) if hasattr(got, '__len__') else '?'}.")
    for k, (g, e) in enumerate(zip(got, expected)):
        if not isinstance(g, (tuple, list)) or len(g) != 2 or \
                not math.isclose(float(g[0]), e[0], rel_tol=1e-9):
            rates = [c["lr_start"] + (c["lr_end"] - c["lr_start"]) * i / c["steps"]
                     for i in range(c["steps"])]
            shown = (f"loss {float(g[0]):.6g}" if isinstance(g, (tuple, list)) and len(g) == 2
                     and isinstance(g[0], (int, float)) else f"{g!r:.60}")
            raise AssertionError(f"train_moons ({what}): step k={k} (counting from 0) should "
                                 f"report loss {e[0]:.6g}, got {shown}. The learning rates "
                                 f"should be "
                                 f"{_fmt(rates)}: lr_start + (lr_end - lr_start) * k / steps, "
                                 "and alpha passed on to train_step.")
    # A short seeded run must learn the points.
    c = CHECK_RUN
    X, y = _loss_case(c["seed"], c["n"])
    random.seed(c["seed"])
    model = env["MLP"](2, c["sizes"])
    points = f"{c['n']} points of {_points_name()}"
    call(train_moons, model, X, y, c["steps"], context=f"training on {points}")
    _, accuracy = reference.moons_loss(model, X, y)
    if accuracy < c["min_accuracy"]:
        raise AssertionError(f"train_moons: after {c['steps']} steps on {points} an "
                             f"MLP(2, {c['sizes']}) should classify at least "
                             f"{c['min_accuracy']:.0%} of them; yours gets {accuracy:.0%}.")
    passed("test_train_moons")
