"""Checks for chapter 5.3 (optimization). Use from a local file or notebook:

    from utils.checks import part3_optimization as tests
    tests.test_SGD(SGD)

Each optimizer trains a small MLP on a seeded two-moons data set side by side with the matching
torch.optim optimizer, from the same initial weights, for several hyperparameter settings; the
weights must agree to within 1e-5 after every step. The model has one parameter that never gets
a gradient (optimizers must skip it), and the parameters arrive as a generator, as
`model.parameters()` gives them.
"""

from __future__ import annotations

import copy
import math
from typing import Callable

import torch as t
from torch import Tensor, nn

from solutions import part3_optimization as ref
from utils.checks.assertions import (assert_close, assert_is_tensor, assert_raises, assert_shape,
                                     call, passed)
from utils.checks.distributed import real_processes_allowed, run_in_processes, run_in_threads
from utils.toy_datasets import two_moons

ATOL = 1e-5
STEPS = 12


class _Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.Sequential(nn.Linear(2, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(),
                                    nn.Linear(32, 2))
        self.unused = nn.Parameter(t.ones(3))  # never used in forward: its .grad stays None

    def forward(self, x: Tensor) -> Tensor:
        return self.layers(x)


def _moons() -> tuple[Tensor, Tensor]:
    x, y = two_moons(512, noise=0.05, seed=42)
    return t.tensor(x, dtype=t.float32), t.tensor(y)


def _describe(kwargs: dict) -> str:
    return ", ".join(f"{k}={v}" for k, v in kwargs.items()) or "the defaults"


def _compare_with_torch(name: str, mine_class: Callable, torch_class: type,
                        settings: list[dict]) -> None:
    x, y = _moons()
    for kwargs in settings:
        t.manual_seed(7)
        model_mine, model_torch = _Net(), _Net()
        model_torch.load_state_dict(model_mine.state_dict())
        what = f"{name}({_describe(kwargs)})"
        optimizer = call(mine_class, (p for p in model_mine.parameters()), context=f"building "
                         f"{what} from model.parameters()", **kwargs)
        reference = torch_class(model_torch.parameters(), **kwargs)
        initial = {k: v.detach().clone() for k, v in model_mine.named_parameters()}
        for step in range(1, STEPS + 1):
            batch = slice(((step - 1) * 64) % 512, ((step - 1) * 64) % 512 + 64)
            for model, opt in ((model_mine, optimizer), (model_torch, reference)):
                loss = nn.functional.cross_entropy(model(x[batch]), y[batch])
                if opt is optimizer:
                    call(opt.zero_grad, context=f"on {what}.zero_grad()")
                else:
                    opt.zero_grad()
                loss.backward()
                if opt is optimizer:
                    call(opt.step, context=f"on {what}.step(), step {step}")
                else:
                    opt.step()
            if step == 1 and all(t.equal(initial[k], v.detach())
                                 for k, v in model_mine.named_parameters()):
                raise AssertionError(
                    f"{what}: step() did not change any parameter. Update them in place "
                    "(`p -= ...`; `p = p - ...` only rebinds a local name), and keep "
                    "`self.params = list(params)`: model.parameters() is a generator, which is "
                    "empty after one pass.")
            if not t.equal(model_mine.unused.detach(), model_torch.unused.detach()):
                raise AssertionError(f"{what}: a parameter whose .grad is None changed at step "
                                     f"{step}. Skip parameters without a gradient (torch does: "
                                     "weight decay does not touch them either).")
            for (key, mine), (_, theirs) in zip(model_mine.named_parameters(),
                                                model_torch.named_parameters()):
                if not t.allclose(mine.detach(), theirs.detach(), atol=ATOL, rtol=0):
                    gap = (mine.detach() - theirs.detach()).abs().max().item()
                    raise AssertionError(
                        f"{what}: after step {step}, `{key}` differs from torch.optim."
                        f"{torch_class.__name__}'s by up to {gap:.3g} (tolerance {ATOL}). "
                        + ("The very first step already differs: check the update rule itself."
                           if step == 1 else "The first steps agreed, so check what carries "
                           "over between steps (buffers, step count)."))
        for p in model_mine.parameters():
            p.grad = t.ones_like(p)
        call(optimizer.zero_grad, context=f"on {what}.zero_grad()")
        left = [k for k, p in model_mine.named_parameters() if p.grad is not None]
        if left:
            raise AssertionError(f"{what}.zero_grad() left gradients on {left[:3]}: set every "
                                 "parameter's .grad to None, as torch does by default.")


def test_SGD(SGD: Callable) -> None:
    _compare_with_torch("SGD", SGD, t.optim.SGD, [
        dict(lr=0.1), dict(lr=0.05, momentum=0.9), dict(lr=0.1, weight_decay=0.05),
        dict(lr=0.05, momentum=0.8, weight_decay=0.1), dict(lr=0.2, momentum=0.5)])
    passed("test_SGD")


def test_RMSprop(RMSprop: Callable) -> None:
    _assert_defaults(RMSprop, "RMSprop", {"lr": 0.01, "alpha": 0.99, "eps": 1e-08,
                                          "weight_decay": 0.0, "momentum": 0.0})
    _compare_with_torch("RMSprop", RMSprop, t.optim.RMSprop, [
        dict(lr=0.01), dict(lr=0.01, alpha=0.9, eps=1e-3), dict(lr=0.005, momentum=0.8),
        dict(lr=0.01, weight_decay=0.1, momentum=0.5, eps=1e-4), dict(lr=0.02, alpha=0.5)])
    passed("test_RMSprop")


def _assert_defaults(cls: Callable, name: str, expected: dict) -> None:
    import inspect

    parameters = inspect.signature(cls).parameters
    for key, value in expected.items():
        if key not in parameters or parameters[key].default != value:
            got = parameters[key].default if key in parameters else "missing"
            raise AssertionError(f"{name}: the default of `{key}` should be {value!r} (as in "
                                 f"torch.optim.{name}), got {got!r}.")


def test_Adam(Adam: Callable) -> None:
    _assert_defaults(Adam, "Adam", {"lr": 0.001, "betas": (0.9, 0.999), "eps": 1e-08,
                                    "weight_decay": 0.0})
    _compare_with_torch("Adam", Adam, t.optim.Adam, [
        dict(), dict(lr=0.01), dict(lr=0.01, betas=(0.8, 0.95)), dict(lr=0.005, eps=1e-3),
        dict(lr=0.01, weight_decay=0.05), dict(lr=0.02, betas=(0.5, 0.9), eps=1e-4,
                                              weight_decay=0.1)])
    passed("test_Adam")


def test_AdamW(AdamW: Callable) -> None:
    _assert_defaults(AdamW, "AdamW", {"lr": 0.001, "betas": (0.9, 0.999), "eps": 1e-08,
                                      "weight_decay": 0.01})
    _compare_with_torch("AdamW", AdamW, t.optim.AdamW, [
        dict(), dict(lr=0.01), dict(lr=0.01, weight_decay=0.1), dict(lr=0.005, betas=(0.8, 0.9),
                                                                      eps=1e-3, weight_decay=0.5),
        dict(lr=0.05, weight_decay=0.5)])
    passed("test_AdamW")


def _trajectory_cases() -> list[tuple[str, Callable, tuple[float, float], dict]]:
    return [
        ("the pathological curve", ref.pathological_curve_loss, (2.5, 2.5),
         dict(lr=0.02, momentum=0.99, n_iters=60)),
        ("Rosenbrock's banana", ref.rosenbrocks_banana_func, (-1.5, 2.5),
         dict(lr=0.0002, momentum=0.9, n_iters=40)),
        ("the trimodal function", ref.neg_trimodal_func, (0.2, 0.5),
         dict(lr=0.1, momentum=0.0, n_iters=25)),
    ]


def _assert_trajectory(got, expected: Tensor, what: str) -> None:
    got = assert_is_tensor(got, what)
    assert_shape(got, tuple(expected.shape), what)
    if t.allclose(got[:-1], expected[1:], atol=1e-5):
        raise AssertionError(f"{what}: your positions are one step ahead. Record the position "
                             "*before* each step, so that row 0 is the starting point.")
    assert_close(got, expected, what, atol=1e-4)


def test_opt_fn_with_sgd(opt_fn_with_sgd: Callable) -> None:
    for description, fn, start, kwargs in _trajectory_cases():
        what = f"opt_fn_with_sgd on {description} from {start} ({_describe(kwargs)})"
        xy = t.tensor(start, requires_grad=True)
        got = call(opt_fn_with_sgd, fn, xy, context=f"on {description}", **kwargs)
        expected = ref.opt_fn_with_sgd(fn, t.tensor(start, requires_grad=True), **kwargs)
        _assert_trajectory(got, expected, what)
    passed("test_opt_fn_with_sgd")


def test_opt_fn(opt_fn: Callable) -> None:
    pathological, banana, _ = _trajectory_cases()
    cases = [  # (landscape, optimizer class, its hyperparameters)
        (pathological, t.optim.Adam, dict(lr=0.1)), (banana, t.optim.Adam, dict(lr=0.05)),
        (pathological, t.optim.RMSprop, dict(lr=0.02, momentum=0.5)),
        (banana, t.optim.RMSprop, dict(lr=0.005)),
        (pathological, ref.SGD, dict(lr=0.05, momentum=0.9)),
        (banana, ref.SGD, dict(lr=0.0005, momentum=0.9)),
    ]
    for (description, fn, start, _), optimizer_class, hyperparams in cases:
        what = (f"opt_fn on {description} with {optimizer_class.__name__}"
                f"({_describe(hyperparams)}), 30 iterations")
        got = call(opt_fn, fn, t.tensor(start, requires_grad=True), optimizer_class,
                   hyperparams, 30, context=f"on {description}")
        expected = ref.opt_fn(fn, t.tensor(start, requires_grad=True), optimizer_class,
                              hyperparams, 30)
        assert bool(t.isfinite(expected).all()), f"the reference diverged on {what}"
        _assert_trajectory(got, expected, what)
    passed("test_opt_fn")


# ---------------------------------------------------------------------------------------------
# Hyperparameter search


def test_make_sweep_config(make_sweep_config: Callable) -> None:
    config = call(make_sweep_config, context="")
    expected = ref.make_sweep_config()
    if not isinstance(config, dict):
        raise AssertionError(f"make_sweep_config() should return a dict, got "
                             f"{type(config).__name__}.")
    for key in ("method", "metric", "parameters"):
        if key not in config:
            raise AssertionError(f"make_sweep_config(): the config needs a `{key}` entry.")
    if config["method"] != "random":
        raise AssertionError(f"make_sweep_config(): method should be 'random', got "
                             f"{config['method']!r}.")
    if isinstance(config["metric"], dict) and "test" in str(config["metric"].get("name")):
        raise AssertionError(f"make_sweep_config(): the metric is {config['metric']}. A sweep "
                             "selects on the dev split's accuracy ('dev_accuracy'); the test "
                             "split is looked at once, for the winner, after the sweep.")
    if config["metric"] != expected["metric"]:
        raise AssertionError(f"make_sweep_config(): metric should be {expected['metric']}, got "
                             f"{config['metric']}.")
    got, want = config["parameters"], expected["parameters"]
    if set(got) != set(want):
        raise AssertionError(f"make_sweep_config(): parameters should be {sorted(want)}, got "
                             f"{sorted(got)}.")
    for name, spec in want.items():
        if "values" in spec:
            if sorted(got[name].get("values", []), key=repr) != sorted(spec["values"], key=repr):
                raise AssertionError(f"make_sweep_config(): `{name}` should take the values "
                                     f"{spec['values']}; got {got[name]}.")
        elif {k: got[name].get(k) for k in spec} != spec:
            raise AssertionError(f"make_sweep_config(): `{name}` should be {spec}; got "
                                 f"{got[name]}.")
    passed("test_make_sweep_config")


_SAMPLING_CONFIG = {"parameters": {
    "lr": {"distribution": "log_uniform_values", "min": 1e-4, "max": 1e-1},
    "width": {"distribution": "uniform", "min": 2.0, "max": 5.0},
    "epochs": {"distribution": "int_uniform", "min": 1, "max": 4},
    "optimizer": {"values": ["sgd", "adam", "adamw"]},
}}


def test_sample_parameters(sample_parameters: Callable) -> None:
    draws = []
    generator = t.Generator().manual_seed(0)
    for i in range(1200):
        draw = call(sample_parameters, _SAMPLING_CONFIG, generator, context=f"on draw {i}")
        if not isinstance(draw, dict) or set(draw) != set(_SAMPLING_CONFIG["parameters"]):
            raise AssertionError(f"sample_parameters should return a dict with one entry per "
                                 f"parameter {sorted(_SAMPLING_CONFIG['parameters'])}; got "
                                 f"{draw!r}.")
        draws.append(draw)
    kinds = {"lr": float, "width": float, "epochs": int, "optimizer": str}
    for name, kind in kinds.items():
        if not all(type(d[name]) is kind for d in draws):
            bad = next(d[name] for d in draws if type(d[name]) is not kind)
            raise AssertionError(f"sample_parameters: `{name}` should be a Python {kind.__name__}"
                                 f", got {type(bad).__name__} ({bad!r}). Use .item() on tensors.")
    lrs = [d["lr"] for d in draws]
    if min(lrs) < 1e-4 or max(lrs) > 1e-1:
        raise AssertionError(f"sample_parameters: `lr` left [1e-4, 1e-1]: {min(lrs)}..{max(lrs)}")
    below = sum(lr < math.sqrt(1e-4 * 1e-1) for lr in lrs) / len(lrs)
    if not 0.4 < below < 0.6:
        raise AssertionError(f"sample_parameters: a log-uniform `lr` should fall below the "
                             f"geometric mean of its bounds (about 3.2e-3) half of the time; "
                             f"yours does {below:.0%} of the time. Sample uniformly in log space.")
    widths = [d["width"] for d in draws]
    if min(widths) < 2.0 or max(widths) > 5.0 or not 3.3 < sum(widths) / len(widths) < 3.7:
        raise AssertionError("sample_parameters: `width` should be uniform on [2, 5] (mean 3.5); "
                             f"got values from {min(widths):.3g} to {max(widths):.3g}, mean "
                             f"{sum(widths) / len(widths):.3g}.")
    epochs = [d["epochs"] for d in draws]
    for value in (1, 2, 3, 4):
        share = epochs.count(value) / len(epochs)
        if not 0.19 < share < 0.31:
            raise AssertionError(f"sample_parameters: an int_uniform from 1 to 4 should give each "
                                 f"of 1, 2, 3, 4 (both ends included) about a quarter of the "
                                 f"time; {value} came up {share:.0%} of the time.")
    for value in ("sgd", "adam", "adamw"):
        share = sum(d["optimizer"] == value for d in draws) / len(draws)
        if not 0.27 < share < 0.4:
            raise AssertionError(f"sample_parameters: each of the 3 values should come up about "
                                 f"a third of the time; '{value}' came up {share:.0%}.")
    replay = t.Generator().manual_seed(0)
    again = [call(sample_parameters, _SAMPLING_CONFIG, replay, context="with a fresh generator "
                  "of the same seed") for _ in range(20)]
    if again != draws[:20]:
        raise AssertionError("sample_parameters: the same seed should give the same sample. Use "
                             "only the generator you are given for randomness.")
    passed("test_sample_parameters")


def test_update_args(update_args: Callable) -> None:
    args = ref.SweepArgs()
    before = repr(args)
    updated = call(update_args, args, {"learning_rate": 0.05, "batch_size": 32},
                   context="with learning_rate and batch_size")
    if repr(args) != before:
        raise AssertionError("update_args changed the args it was given; return a copy instead "
                             "(dataclasses.replace).")
    if not isinstance(updated, ref.SweepArgs):
        raise AssertionError(f"update_args should return a SweepArgs, got "
                             f"{type(updated).__name__}.")
    if (updated.learning_rate, updated.batch_size, updated.epochs) != (0.05, 32, args.epochs):
        raise AssertionError(f"update_args: expected learning_rate=0.05, batch_size=32 and the "
                             f"other fields unchanged; got {updated}.")
    assert_raises(lambda: update_args(args, {"learnig_rate": 0.1}), ValueError,
                  "update_args with a misspelt name ('learnig_rate')", must_mention="learnig_rate",
                  otherwise="Name the unknown field instead of silently ignoring it.")
    passed("test_update_args")


def _sweep_rows(metric: str) -> list[dict]:
    """Made-up sweep results: the sampled values and a dev metric for 6 runs."""
    rates = [0.03, 0.001, 0.2, 0.01, 0.0003, 0.05]
    dev = [0.91, 0.82, 0.40, 0.95, 0.70, 0.93]
    return [{"run": i, "learning_rate": lr, "batch_size": 32 * (1 + i % 3), metric: score}
            for i, (lr, score) in enumerate(zip(rates, dev))]


def _recording_test_fn(scores: dict[float, float]):
    """A test_fn that remembers every SweepArgs it is called with; its score depends on the
    learning rate (so evaluating every run on test would pick a different winner)."""
    calls: list = []

    def test_fn(args):
        calls.append(args)
        return scores.get(args.learning_rate, 0.5)
    return test_fn, calls


def test_select_and_test(select_and_test: Callable) -> None:
    base = ref.SweepArgs(optimizer="adamw", epochs=2, weight_decay=0.1, seed=5)
    test_scores = {0.03: 0.97, 0.01: 0.93, 0.05: 0.90}  # best on test: not the dev winner
    for metric, goal, winner in (("dev_accuracy", "maximize", 3), ("dev_loss", "minimize", 2)):
        config = {"method": "random", "metric": {"name": metric, "goal": goal},
                  "parameters": {"learning_rate": {"distribution": "log_uniform_values",
                                                   "min": 1e-4, "max": 1.0},
                                 "batch_size": {"values": [32, 64, 96]}}}
        rows = _sweep_rows(metric)
        test_fn, calls = _recording_test_fn(test_scores)
        what = f"select_and_test with goal {goal!r}"
        result = call(select_and_test, rows, config, base, test_fn, context=f"with goal {goal!r}")
        if len(calls) != 1:
            raise AssertionError(
                f"{what}: test_fn was called {len(calls)} times; call it exactly once, for the "
                "winner. The winner is chosen on the dev metric the rows already hold: a test "
                "score that helps choose is no longer an unbiased estimate.")
        if not isinstance(result, tuple) or len(result) != 2:
            raise AssertionError(f"{what} should return (the winning row, its test score); got "
                                 f"{result!r}.")
        best, score = result
        expected = rows[winner]
        if best != expected:
            raise AssertionError(f"{what}: the winner by `{metric}` ({goal}) is run "
                                 f"{expected['run']} ({metric}={expected[metric]}); got {best!r}.")
        sent = calls[0]
        want = ref.update_args(base, {"learning_rate": expected["learning_rate"],
                                      "batch_size": expected["batch_size"]})
        if sent != want:
            raise AssertionError(f"{what}: test_fn should get the winner's settings on top of "
                                 f"base_args (update_args), {want}; it got {sent}.")
        if score != test_scores.get(expected["learning_rate"], 0.5):
            raise AssertionError(f"{what}: the second value should be what test_fn returned for "
                                 f"the winner; got {score!r}.")
    passed("test_select_and_test")


# ---------------------------------------------------------------------------------------------
# Bonus: distributed training


def _namespaces(fn: Callable) -> list[dict]:
    """Where `dist` must be swapped: the learner's module, and the reference module (whose
    functions the learner's may call)."""
    spaces = [vars(ref)]
    if hasattr(fn, "__globals__"):
        spaces.append(fn.__globals__)
    return spaces


def _rank_tensor(rank: int) -> Tensor:
    return t.arange(6.0).reshape(2, 3) * (rank + 1) + rank


def _run_collective(fn: Callable, name: str, world_size: int, **kwargs) -> list[Tensor]:
    label = f"{name}(..., world_size={world_size}" + "".join(
        f", {k}={v!r}" for k, v in kwargs.items()) + ")"
    try:
        args, _ = run_in_threads(fn, world_size, lambda r: (_rank_tensor(r), r, world_size),
                                 _namespaces(fn), **kwargs)
    except NotImplementedError:
        raise
    except Exception as err:  # noqa: BLE001 - reported with the rank that failed
        rank = getattr(err, "rank", "?")
        raise AssertionError(f"{label} failed on rank {rank}: {type(err).__name__}: {err}") \
            from err
    return [a[0] for a in args]


def _real_processes(fn: Callable, case: str) -> list[Tensor] | None:
    """The same operation on 3 real processes (gloo), where processes are allowed."""
    if not real_processes_allowed():
        return None
    return [t.tensor(v) for v in run_in_processes(fn, 3, case)]


_CASE = '''
import torch
def make_tensor(rank):
    return torch.arange(6.0).reshape(2, 3) * (rank + 1) + rank
kwargs = {kwargs}
'''


def test_broadcast(broadcast: Callable) -> None:
    for world_size, src in ((2, 0), (3, 2), (4, 1)):
        got = _run_collective(broadcast, "broadcast", world_size, src=src)
        for rank, tensor in enumerate(got):
            assert_close(tensor, _rank_tensor(src), f"broadcast with world_size={world_size}, "
                         f"src={src}: rank {rank}'s tensor afterwards", atol=0, rtol=0)
    real = _real_processes(broadcast, _CASE.format(kwargs={"src": 1}))
    for rank, tensor in enumerate(real or []):
        assert_close(tensor, _rank_tensor(1), f"broadcast on 3 real processes (gloo), src=1: "
                     f"rank {rank}", atol=0, rtol=0)
    passed("test_broadcast")


def test_reduce(reduce: Callable) -> None:
    for world_size, dst, op in ((2, 0, "sum"), (3, 1, "sum"), (4, 3, "mean"), (3, 0, "mean")):
        got = _run_collective(reduce, "reduce", world_size, dst=dst, op=op)
        total = sum(_rank_tensor(r) for r in range(world_size))
        expected = total / world_size if op == "mean" else total
        what = f"reduce with world_size={world_size}, dst={dst}, op={op!r}"
        assert_close(got[dst], expected, f"{what}: rank {dst}'s tensor", atol=1e-6)
        for rank, tensor in enumerate(got):
            if rank != dst:
                assert_close(tensor, _rank_tensor(rank), f"{what}: rank {rank}'s tensor should "
                             "be left as it was", atol=0, rtol=0)
    real = _real_processes(reduce, _CASE.format(kwargs={"dst": 2, "op": "sum"}))
    if real:
        assert_close(real[2], sum(_rank_tensor(r) for r in range(3)),
                     "reduce on 3 real processes (gloo), dst=2: rank 2", atol=1e-6)
    passed("test_reduce")


def test_all_reduce(all_reduce: Callable) -> None:
    for world_size, op in ((2, "sum"), (3, "mean"), (4, "sum"), (4, "mean")):
        got = _run_collective(all_reduce, "all_reduce", world_size, op=op)
        total = sum(_rank_tensor(r) for r in range(world_size))
        expected = total / world_size if op == "mean" else total
        for rank, tensor in enumerate(got):
            assert_close(tensor, expected, f"all_reduce with world_size={world_size}, op={op!r}: "
                         f"rank {rank}'s tensor", atol=1e-6)
    real = _real_processes(all_reduce, _CASE.format(kwargs={"op": "mean"}))
    for rank, tensor in enumerate(real or []):
        assert_close(tensor, sum(_rank_tensor(r) for r in range(3)) / 3,
                     f"all_reduce on 3 real processes (gloo), op='mean': rank {rank}", atol=1e-6)
    passed("test_all_reduce")


def test_data_parallel_step(data_parallel_step: Callable) -> None:
    x, y = _moons()
    x, y = x[:64], y[:64]
    t.manual_seed(11)
    start = _Net()
    steps = 3  # with Adam: averaging weights instead of gradients, or a missing zero_grad, show
    single = copy.deepcopy(start)
    optimizer = t.optim.Adam(single.parameters(), lr=0.01)
    for _ in range(steps):
        optimizer.zero_grad()
        nn.functional.cross_entropy(single(x), y).backward()
        optimizer.step()
    for world_size in (2, 4):
        models = [copy.deepcopy(start) for _ in range(world_size)]
        optimizers = [t.optim.Adam(m.parameters(), lr=0.01) for m in models]
        label = f"data_parallel_step on {world_size} ranks, {steps} steps of Adam"
        for step in range(steps):
            try:
                _, losses = run_in_threads(
                    data_parallel_step, world_size,
                    lambda r: (models[r], optimizers[r], x, y, r, world_size),
                    _namespaces(data_parallel_step))
            except NotImplementedError:
                raise
            except Exception as err:  # noqa: BLE001
                raise AssertionError(f"{label} failed on rank {getattr(err, 'rank', '?')}: "
                                     f"{type(err).__name__}: {err}") from err
            if step == 0:
                for rank in range(world_size):
                    shard_loss = nn.functional.cross_entropy(start(x[rank::world_size]),
                                                             y[rank::world_size]).item()
                    if not isinstance(losses[rank], float) or \
                            abs(losses[rank] - shard_loss) > 1e-5:
                        raise AssertionError(
                            f"{label}: rank {rank} should return the loss on its shard "
                            f"x[{rank}::{world_size}] as a float ({shard_loss:.5f}); got "
                            f"{losses[rank]!r}.")
        for rank, model in enumerate(models):
            for (key, got), (_, expected) in zip(model.named_parameters(),
                                                 single.named_parameters()):
                if not t.allclose(got.detach(), expected.detach(), atol=1e-5):
                    raise AssertionError(
                        f"{label}: rank {rank}'s `{key}` differs from one process training on "
                        "the whole batch. Zero the gradients, average them (not the weights, "
                        "not a sum) over the ranks after backward, then step.")
    passed("test_data_parallel_step")


def test_SGDWithParamGroups(SGDWithParamGroups: Callable) -> None:
    x, y = _moons()
    configs = [  # (groups built from the model, keyword defaults)
        (lambda m: [{"params": m.layers[0].parameters()},
                    {"params": m.layers[2].parameters(), "lr": 0.01},
                    {"params": m.layers[4].parameters(), "momentum": 0.5}],
         dict(lr=0.1, momentum=0.9)),
        (lambda m: [{"params": m.layers[:3].parameters(), "weight_decay": 0.1, "lr": 0.05},
                    {"params": m.layers[4].parameters(), "lr": 0.2}], dict(momentum=0.8)),
        (lambda m: m.layers.parameters(), dict(lr=0.1, weight_decay=0.01)),
        # Explicit zeros must win over non-zero defaults (e.g. no weight decay on biases).
        (lambda m: [{"params": [m.layers[0].weight, m.layers[2].weight]},
                    {"params": [m.layers[0].bias, m.layers[2].bias, *m.layers[4].parameters()],
                     "weight_decay": 0.0, "momentum": 0.0}],
         dict(lr=0.1, momentum=0.9, weight_decay=0.1)),
    ]
    for index, (groups, defaults) in enumerate(configs):
        t.manual_seed(3)
        mine_model, torch_model = _Net(), _Net()
        torch_model.load_state_dict(mine_model.state_dict())
        what = f"SGDWithParamGroups, configuration {index + 1} (defaults {_describe(defaults)})"
        mine = call(SGDWithParamGroups, groups(mine_model), context=f"building {what}",
                    **defaults)
        theirs = t.optim.SGD(groups(torch_model), **defaults)
        for step in range(1, 6):
            for model, opt in ((mine_model, mine), (torch_model, theirs)):
                loss = nn.functional.cross_entropy(model(x[:128]), y[:128])
                opt.zero_grad()
                loss.backward()
                if opt is mine:
                    call(opt.step, context=f"on {what}.step()")
                else:
                    opt.step()
            for (key, a), (_, b) in zip(mine_model.named_parameters(),
                                        torch_model.named_parameters()):
                if not t.allclose(a.detach(), b.detach(), atol=ATOL, rtol=0):
                    raise AssertionError(f"{what}: after step {step}, `{key}` differs from "
                                         "torch.optim.SGD with the same groups. Does each group "
                                         "use its own hyperparameters, falling back to the "
                                         "defaults?")
    model = _Net()
    assert_raises(lambda: SGDWithParamGroups(
        [{"params": model.layers[0].parameters(), "lr": 0.1},
         {"params": model.layers[2].parameters()}], momentum=0.9),
        ValueError, "SGDWithParamGroups with a group that has no lr and no default lr")
    assert_raises(lambda: SGDWithParamGroups(
        [{"params": model.layers[0].parameters()},
         {"params": [model.layers[0].weight, model.layers[2].weight]}], lr=0.1),
        ValueError, "SGDWithParamGroups with a parameter in two groups")
    passed("test_SGDWithParamGroups")
