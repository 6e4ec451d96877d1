"""Chapter 3's exercises, in the order a learner meets them."""

from functools import partial

from utils.registry import Chapter, Exercise

_ex = partial(Exercise, "part3_optimization")

_STEP_HINT = ("Decorate `step` with `@t.inference_mode()` (or update `p.data`): the update itself "
              "must not be recorded by autograd. Update in place (`p -= ...`) so the model's "
              "parameters change, not a copy.")

EXERCISES = (
    _ex(
        "opt_fn_with_sgd", "Follow SGD across a landscape", section="optimizers", difficulty=2,
        importance=4, minutes=(15, 20),
        task=(
            "Write `opt_fn_with_sgd(fn, xy, lr, momentum, n_iters)`: minimise `fn(x, y)` starting "
            "from `xy` with `torch.optim.SGD`, and return the `(n_iters, 2)` tensor of positions "
            "*before* each step."
        ),
        hints=(
            "Build the optimizer over `[xy]`. Each iteration: record `xy.detach()`, compute "
            "`fn(xy[0], xy[1])`, call `backward()`, `step()`, `zero_grad()`.",
            "Record with `.detach()` (or under `t.no_grad()`): the positions are data, not part "
            "of the graph.",
        ),
    ),
    _ex(
        "SGD", "SGD with momentum and weight decay", section="optimizers", difficulty=3,
        importance=4, minutes=(20, 30),
        task=(
            "Write the `SGD` optimizer: `zero_grad()` and `step()` following its docstring, which "
            "is PyTorch's update rule. Your weights must match `torch.optim.SGD`'s to within "
            "$10^{-5}$ after training a small network."
        ),
        hints=(
            "Keep `self.params = list(params)`: `params` may be a generator, which can only be "
            "read once.",
            "One momentum buffer per parameter, stored between steps. The weight decay term goes "
            "into the gradient *before* the momentum update.",
            _STEP_HINT,
        ),
    ),
    _ex(
        "RMSprop", "RMSprop", section="optimizers", difficulty=3, importance=3, minutes=(15, 25),
        task=("Write the `RMSprop` optimizer following its docstring (PyTorch's rule, not "
              "centered). Match `torch.optim.RMSprop`, including with momentum, weight decay and "
              "a non-default `eps`."),
        hints=(
            "`eps` goes *outside* the square root: `g / (v.sqrt() + eps)`.",
            "With momentum, the buffer accumulates the already-scaled step "
            "`g / (sqrt(v) + eps)`, not the raw gradient.",
            _STEP_HINT,
        ),
    ),
    _ex(
        "Adam", "Adam", section="optimizers", difficulty=3, importance=4, minutes=(20, 30),
        task=("Write the `Adam` optimizer following its docstring: moving averages of the "
              "gradient and its square, with bias correction. Match `torch.optim.Adam`."),
        hints=(
            "Count steps from 1 (increment before using it): with s = 0 the bias correction "
            "divides by zero.",
            "Bias-correct copies (`m_hat`, `v_hat`); keep the stored `m` and `v` uncorrected.",
            _STEP_HINT,
        ),
    ),
    _ex(
        "AdamW", "AdamW", section="optimizers", difficulty=2, importance=3, minutes=(10, 15),
        task=("Write `AdamW`: Adam with decoupled weight decay, as its docstring says, matching "
              "`torch.optim.AdamW` (whose default `weight_decay` is 0.01)."),
        hints=(
            "Subclass your `Adam` with no L2 term, and before its update shrink each parameter: "
            "`p -= lr * weight_decay * p`.",
        ),
    ),
    _ex(
        "opt_fn", "Any optimizer across a landscape", section="optimizers", difficulty=2,
        importance=3, minutes=(10, 15),
        task=("Write `opt_fn(fn, xy, optimizer_class, optimizer_hyperparams, n_iters)`: "
              "`opt_fn_with_sgd` for any optimizer class, built as "
              "`optimizer_class([xy], **optimizer_hyperparams)`."),
        hints=("The same loop as `opt_fn_with_sgd`; only the construction of the optimizer "
               "changes.",),
    ),
    _ex(
        "SGDWithParamGroups", "Bonus: parameter groups", section="optimizers", difficulty=4,
        importance=1, minutes=(30, 40), bonus=True,
        task=("Write `SGDWithParamGroups`: SGD where parameters can be split into groups with "
              "their own learning rate, momentum and weight decay, as `torch.optim.SGD` allows, "
              "with the two errors its docstring asks for."),
        hints=(
            "Normalise first: a plain iterable of parameters becomes `[{'params': [...]}]`; "
            "then fill each group's missing keys from the keyword-argument defaults.",
            "Keep one momentum buffer per parameter (a dict keyed by `id(p)` works), and track "
            "the ids you have seen to catch a parameter in two groups.",
        ),
    ),
    _ex(
        "make_sweep_config", "A sweep's search space", section="sweeps", difficulty=1,
        importance=3, minutes=(10, 15),
        task=("Return the search space that `make_sweep_config`'s docstring describes, as a dict "
              "in Weights & Biases' sweep format: `method`, `metric` (name and goal) and "
              "`parameters`."),
        hints=(
            "A parameter is either `{'values': [...]}` or `{'distribution': ..., 'min': ..., "
            "'max': ...}`; the distributions here are `log_uniform_values` and `int_uniform`.",
        ),
    ),
    _ex(
        "sample_parameters", "Sampling from a search space", section="sweeps", difficulty=2,
        importance=3, minutes=(15, 20),
        task=("Write `sample_parameters(config, generator)`: one value for each parameter, drawn "
              "as its spec says, using only `generator` (so a sweep can be replayed), returned "
              "as plain Python numbers and strings."),
        hints=(
            "`u = t.rand((), generator=generator).item()` is uniform in [0, 1); build every "
            "distribution from it.",
            "Log-uniform: uniform in log space, `exp(log a + u (log b - log a))`, so that 1e-4 to "
            "1e-3 is as likely as 1e-2 to 1e-1.",
            "int_uniform includes both ends: there are `max - min + 1` possible values.",
        ),
    ),
    _ex(
        "update_args", "Applying a sample", section="sweeps", difficulty=1, importance=3,
        minutes=(5, 10),
        task=("Write `update_args(args, sampled_parameters)`: a copy of the dataclass `args` "
              "with the sampled values, leaving `args` unchanged, and a `ValueError` naming any "
              "sampled name that is not one of its fields."),
        hints=("`dataclasses.replace(args, **changes)` copies a dataclass with some fields "
               "changed; `dataclasses.fields(args)` lists the field names.",),
    ),
    _ex(
        "select_and_test", "Choose on dev, report on test", section="sweeps", difficulty=1,
        importance=4, minutes=(5, 10),
        task=("Write `select_and_test(rows, config, base_args, test_fn)`: pick the run with the "
              "best dev metric (the one the config names, highest for goal `maximize`, lowest "
              "for `minimize`), rebuild its settings with `update_args`, and evaluate them on "
              "the test split by calling `test_fn` **once**. Return `(winning row, test score)`."),
        hints=(
            "`max(rows, key=lambda row: row[name])` finds the best row; the sampled values are "
            "the row's entries whose names are in `config['parameters']`.",
            "Do not evaluate other runs on the test split, not even to compare: only the dev "
            "metric may choose.",
        ),
    ),
    _ex(
        "broadcast", "Broadcast from point-to-point messages", section="distributed",
        difficulty=2, importance=3, minutes=(10, 20), bonus=True,
        task=("Write `broadcast(tensor, rank, world_size, src=0)` with point-to-point messages "
              "only (`dist.send` and `dist.recv`, or `isend`/`irecv`): afterwards every rank's "
              "`tensor` holds what rank `src`'s held."),
        hints=("The same function runs on every rank: branch on `rank == src`. The source sends "
               "to every other rank; every other rank receives from the source into its own "
               "tensor (recv writes in place).",),
    ),
    _ex(
        "reduce", "Reduce", section="distributed", difficulty=2, importance=3, minutes=(10, 20),
        bonus=True,
        task=("Write `reduce(tensor, rank, world_size, dst=0, op='sum')`: rank `dst` ends with "
              "the sum (or mean) of all ranks' tensors; the others' tensors are unchanged."),
        hints=("Every rank but `dst` sends its tensor. `dst` receives each into a fresh buffer "
               "(`t.zeros_like`) and adds it to its own; divide by world_size at the end for "
               "the mean.",),
    ),
    _ex(
        "all_reduce", "All-reduce", section="distributed", difficulty=2, importance=3,
        minutes=(5, 10), bonus=True,
        task=("Write `all_reduce(tensor, rank, world_size, op='sum')`: every rank ends with the "
              "sum (or mean) over all ranks."),
        hints=("Reduce to one rank, then broadcast from it. (Real libraries use a ring instead: "
               "each rank sends and receives 2(n-1)/n of the data, whatever the number of "
               "ranks.)",),
    ),
    _ex(
        "data_parallel_step", "A data-parallel training step", section="distributed",
        difficulty=3, importance=4, minutes=(15, 25), bonus=True,
        task=("Write `data_parallel_step(model, optimizer, x, y, rank, world_size)`: each rank "
              "trains on its shard `x[rank::world_size]`, averages every gradient over the ranks "
              "with `all_reduce`, and steps, so that all ranks match one process training on the "
              "whole batch. Return this rank's loss."),
        hints=(
            "With equal shards and a mean loss, the full batch's gradient is the mean of the "
            "shards' gradients: all_reduce with op='mean' after `backward()`, before `step()`.",
            "Skip parameters whose `.grad` is None.",
        ),
    ),
)

CHAPTER = Chapter(
    stem="part3_optimization",
    number=3,
    title="Optimization",
    blurb="SGD, RMSprop, Adam and AdamW written from their update rules and matched against "
          "PyTorch's, then raced across loss landscapes you can steer with sliders.",
    sections=(
        ("overview", "Overview"),
        ("optimizers", "Optimizers"),
        ("sweeps", "Hyperparameter search"),
        ("distributed", "Bonus: distributed training on CPU"),
        ("understanding", "Check your understanding"),
    ),
    exercises=EXERCISES,

)
