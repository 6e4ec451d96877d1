"""Plausible wrong answers to chapter 5.3's exercises: each must be rejected by its check."""

import math

import torch as t
import torch.distributed as dist

from solutions import part3_optimization as ref


def sgd_positions_after_step(fn, xy, lr=0.001, momentum=0.98, n_iters=100):
    positions = t.zeros((n_iters, 2))
    optimizer = t.optim.SGD([xy], lr=lr, momentum=momentum)
    for i in range(n_iters):
        fn(xy[0], xy[1]).backward()
        optimizer.step()
        optimizer.zero_grad()
        positions[i] = xy.detach()
    return positions


def sgd_no_zero_grad(fn, xy, lr=0.001, momentum=0.98, n_iters=100):
    positions = t.zeros((n_iters, 2))
    optimizer = t.optim.SGD([xy], lr=lr, momentum=momentum)
    for i in range(n_iters):
        positions[i] = xy.detach()
        fn(xy[0], xy[1]).backward()
        optimizer.step()
    return positions


class SGDDecayAfterMomentum(ref.SGD):
    @t.inference_mode()
    def step(self):
        for i, p in enumerate(self.params):
            if p.grad is None:
                continue
            self.buffers[i] = self.momentum * self.buffers[i] + p.grad
            step = self.buffers[i] if self.momentum else p.grad
            p -= self.lr * (step + self.weight_decay * p)


class SGDDampened(ref.SGD):
    @t.inference_mode()
    def step(self):
        for i, p in enumerate(self.params):
            if p.grad is None:
                continue
            g = p.grad + self.weight_decay * p
            if self.momentum:
                self.buffers[i] = self.momentum * self.buffers[i] + (1 - self.momentum) * g
                g = self.buffers[i]
            p -= self.lr * g


class SGDKeepsGenerator(ref.SGD):
    def __init__(self, params, lr, momentum=0.0, weight_decay=0.0):
        super().__init__([], lr, momentum, weight_decay)
        self.param_source = params

    def zero_grad(self):
        for p in self.param_source:
            p.grad = None

    @t.inference_mode()
    def step(self):
        for p in self.param_source:  # a generator: empty after the first pass
            if p.grad is not None:
                p -= self.lr * p.grad


class SGDRebinds(ref.SGD):
    @t.inference_mode()
    def step(self):
        for p in self.params:
            if p.grad is not None:
                p = p - self.lr * p.grad  # noqa: F841 - a new tensor; the parameter is unchanged


class SGDDecaysEverything(ref.SGD):
    @t.inference_mode()
    def step(self):
        for i, p in enumerate(self.params):
            grad = p.grad if p.grad is not None else t.zeros_like(p)
            g = grad + self.weight_decay * p
            if self.momentum:
                self.buffers[i] = self.momentum * self.buffers[i] + g
                g = self.buffers[i]
            p -= self.lr * g


class RMSpropEpsInsideSqrt(ref.RMSprop):
    @t.inference_mode()
    def step(self):
        for i, p in enumerate(self.params):
            if p.grad is None:
                continue
            g = p.grad + self.weight_decay * p
            self.square_avgs[i] = self.alpha * self.square_avgs[i] + (1 - self.alpha) * g ** 2
            step = g / (self.square_avgs[i] + self.eps).sqrt()
            if self.momentum:
                self.buffers[i] = self.momentum * self.buffers[i] + step
                step = self.buffers[i]
            p -= self.lr * step


class RMSpropMomentumOnGradient(ref.RMSprop):
    @t.inference_mode()
    def step(self):
        for i, p in enumerate(self.params):
            if p.grad is None:
                continue
            g = p.grad + self.weight_decay * p
            self.square_avgs[i] = self.alpha * self.square_avgs[i] + (1 - self.alpha) * g ** 2
            if self.momentum:
                self.buffers[i] = self.momentum * self.buffers[i] + g
                g = self.buffers[i]
            p -= self.lr * g / (self.square_avgs[i].sqrt() + self.eps)


class AdamNoBiasCorrection(ref.Adam):
    @t.inference_mode()
    def step(self):
        for i, p in enumerate(self.params):
            if p.grad is None:
                continue
            g = p.grad + self.weight_decay * p
            self.m[i] = self.beta1 * self.m[i] + (1 - self.beta1) * g
            self.v[i] = self.beta2 * self.v[i] + (1 - self.beta2) * g ** 2
            p -= self.lr * self.m[i] / (self.v[i].sqrt() + self.eps)


class AdamStepPerParameter(ref.Adam):
    @t.inference_mode()
    def step(self):
        for i, p in enumerate(self.params):
            if p.grad is None:
                continue
            self.steps += 1  # counts parameters, not steps
            g = p.grad + self.weight_decay * p
            self.m[i] = self.beta1 * self.m[i] + (1 - self.beta1) * g
            self.v[i] = self.beta2 * self.v[i] + (1 - self.beta2) * g ** 2
            m_hat = self.m[i] / (1 - self.beta1 ** self.steps)
            v_hat = self.v[i] / (1 - self.beta2 ** self.steps)
            p -= self.lr * m_hat / (v_hat.sqrt() + self.eps)


class AdamDecoupledDecay(ref.AdamW):
    def __init__(self, params, lr=0.001, betas=(0.9, 0.999), eps=1e-08, weight_decay=0.0):
        super().__init__(params, lr, betas, eps, weight_decay)


class AdamWCoupled(ref.Adam):
    def __init__(self, params, lr=0.001, betas=(0.9, 0.999), eps=1e-08, weight_decay=0.01):
        super().__init__(params, lr, betas, eps, weight_decay)


class AdamWNoDefaultDecay(ref.AdamW):
    def __init__(self, params, lr=0.001, betas=(0.9, 0.999), eps=1e-08, weight_decay=0.0):
        super().__init__(params, lr, betas, eps, weight_decay)


def opt_fn_always_sgd(fn, xy, optimizer_class, optimizer_hyperparams, n_iters=100):
    return ref.opt_fn_with_sgd(fn, xy, lr=optimizer_hyperparams.get("lr", 0.001), momentum=0.0,
                               n_iters=n_iters)


def opt_fn_ignores_hyperparams(fn, xy, optimizer_class, optimizer_hyperparams, n_iters=100):
    return ref.opt_fn(fn, xy, optimizer_class, {"lr": optimizer_hyperparams.get("lr", 0.001)},
                      n_iters)


WRONG_ANSWERS = [
    ("opt_fn_with_sgd", "positions recorded after each step", sgd_positions_after_step),
    ("opt_fn_with_sgd", "no zero_grad", sgd_no_zero_grad),
    ("SGD", "weight decay added after momentum", SGDDecayAfterMomentum),
    ("SGD", "dampened momentum", SGDDampened),
    ("SGD", "params kept as a generator", SGDKeepsGenerator),
    ("SGD", "p = p - ... (not in place)", SGDRebinds),
    ("SGD", "parameters without a gradient decayed", SGDDecaysEverything),
    ("RMSprop", "eps inside the square root", RMSpropEpsInsideSqrt),
    ("RMSprop", "momentum on the raw gradient", RMSpropMomentumOnGradient),
    ("Adam", "no bias correction", AdamNoBiasCorrection),
    ("Adam", "step counter per parameter", AdamStepPerParameter),
    ("Adam", "decoupled (AdamW) weight decay", AdamDecoupledDecay),
    ("AdamW", "L2 weight decay in the gradient", AdamWCoupled),
    ("AdamW", "default weight_decay 0", AdamWNoDefaultDecay),
    ("opt_fn", "always SGD", opt_fn_always_sgd),
    ("opt_fn", "hyperparameters other than lr ignored", opt_fn_ignores_hyperparams),
]

RIGHT_ANSWERS = [
    ("SGD", "torch's own", t.optim.SGD),
    ("Adam", "torch's own", t.optim.Adam),
]


def config_uniform_lr():
    config = ref.make_sweep_config()
    config["parameters"]["learning_rate"] = {"distribution": "uniform", "min": 1e-4, "max": 1e-1}
    return config


def config_minimise():
    config = ref.make_sweep_config()
    config["metric"]["goal"] = "minimize"
    return config


def sample_uniform_not_log(config, generator):
    out = ref.sample_parameters(config, generator)
    for name, spec in config["parameters"].items():
        if spec.get("distribution") == "log_uniform_values":
            u = t.rand((), generator=generator).item()
            out[name] = spec["min"] + u * (spec["max"] - spec["min"])
    return out


def sample_int_excludes_max(config, generator):
    out = {}
    for name, spec in config["parameters"].items():
        u = t.rand((), generator=generator).item()
        if spec.get("distribution") == "int_uniform":
            out[name] = spec["min"] + int(u * (spec["max"] - spec["min"]))
        else:
            out[name] = ref.sample_parameters({"parameters": {name: spec}}, generator)[name]
    return out


def sample_tensors(config, generator):
    out = ref.sample_parameters(config, generator)
    return {k: t.tensor(v) if isinstance(v, float) else v for k, v in out.items()}


def sample_global_rng(config, generator):
    return ref.sample_parameters(config, t.Generator().manual_seed(int(t.randint(0, 10**6, ()))))


def update_in_place(args, sampled):
    for k, v in sampled.items():
        setattr(args, k, v)
    return args


def update_ignores_unknown(args, sampled):
    from dataclasses import fields, replace
    known = {f.name for f in fields(args)}
    return replace(args, **{k: v for k, v in sampled.items() if k in known})


WRONG_ANSWERS += [
    ("make_sweep_config", "uniform learning rate", config_uniform_lr),
    ("make_sweep_config", "goal minimize", config_minimise),
    ("sample_parameters", "uniform instead of log-uniform", sample_uniform_not_log),
    ("sample_parameters", "int_uniform without its upper end", sample_int_excludes_max),
    ("sample_parameters", "tensors instead of numbers", sample_tensors),
    ("sample_parameters", "ignores the generator", sample_global_rng),
    ("update_args", "mutates args", update_in_place),
    ("update_args", "ignores unknown names", update_ignores_unknown),
]


def broadcast_chain_without_forwarding(tensor, rank, world_size, src=0):
    dist = ref.dist
    if rank == src:
        dist.send(tensor, dst=(src + 1) % world_size)
    elif rank == (src + 1) % world_size:
        dist.recv(tensor, src=src)


def broadcast_source_also_receives(tensor, rank, world_size, src=0):
    dist = ref.dist
    if rank == src:
        for other in range(world_size):
            if other != src:
                dist.send(tensor, dst=other)
    dist.recv(tensor, src=src if rank != src else (src + 1) % world_size)


def reduce_overwrites(tensor, rank, world_size, dst=0, op="sum"):
    dist = ref.dist
    if rank != dst:
        dist.send(tensor, dst=dst)
        return
    for other in range(world_size):
        if other != dst:
            dist.recv(tensor, src=other)  # replaces instead of adding


def reduce_mean_everywhere(tensor, rank, world_size, dst=0, op="sum"):
    ref.reduce(tensor, rank, world_size, dst, "sum")
    if op == "mean":
        tensor /= world_size


def all_reduce_without_broadcast(tensor, rank, world_size, op="sum"):
    ref.reduce(tensor, rank, world_size, 0, op)


def step_sums_gradients(model, optimizer, x, y, rank, world_size):
    loss = t.nn.functional.cross_entropy(model(x[rank::world_size]), y[rank::world_size])
    optimizer.zero_grad()
    loss.backward()
    for p in model.parameters():
        if p.grad is not None:
            ref.all_reduce(p.grad, rank, world_size, op="sum")
    optimizer.step()
    return loss.item()


def step_without_sharding(model, optimizer, x, y, rank, world_size):
    loss = t.nn.functional.cross_entropy(model(x), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item()


WRONG_ANSWERS += [
    ("broadcast", "sends only to the next rank", broadcast_chain_without_forwarding),
    ("broadcast", "the source waits to receive too (deadlock)", broadcast_source_also_receives),
    ("reduce", "received tensors overwrite instead of adding", reduce_overwrites),
    ("reduce", "every rank divides for the mean", reduce_mean_everywhere),
    ("all_reduce", "reduce without the broadcast", all_reduce_without_broadcast),
    ("data_parallel_step", "gradients summed, not averaged", step_sums_gradients),
    ("data_parallel_step", "every rank trains on the whole batch", step_without_sharding),
]


class GroupsIgnoreGroupLr(ref.SGDWithParamGroups):
    def __init__(self, params, **kwargs):
        super().__init__(params, **kwargs)
        for group in self.param_groups:
            group["lr"] = kwargs.get("lr", group["lr"])


class GroupsNoDuplicateCheck(ref.SGDWithParamGroups):
    def __init__(self, params, **kwargs):
        groups = list(params)
        if groups and isinstance(groups[0], dict):
            seen, cleaned = set(), []
            for group in groups:
                ps = [p for p in group["params"] if id(p) not in seen]
                seen.update(id(p) for p in ps)
                cleaned.append({**group, "params": ps})
            groups = cleaned
        super().__init__(groups, **kwargs)


WRONG_ANSWERS += [
    ("SGDWithParamGroups", "every group uses the default lr", GroupsIgnoreGroupLr),
    ("SGDWithParamGroups", "a parameter in two groups silently dropped", GroupsNoDuplicateCheck),
]


def broadcast_with_isend(tensor, rank, world_size, src=0):
    # Written as a learner would, against the module-level name `dist`, which the checks swap
    # for their thread-based stand-in (or, in real processes, torch.distributed itself).
    if rank == src:
        requests = [dist.isend(tensor, dst=other) for other in range(world_size) if other != src]
        for request in requests:
            request.wait()
    else:
        dist.irecv(tensor, src=src).wait()


def all_reduce_with_the_builtin(tensor, rank, world_size, op="sum"):
    ref.dist.all_reduce(tensor)


RIGHT_ANSWERS += [("broadcast", "non-blocking isend/irecv", broadcast_with_isend)]
WRONG_ANSWERS += [("all_reduce", "dist.all_reduce itself", all_reduce_with_the_builtin)]


def step_averages_weights(model, optimizer, x, y, rank, world_size):
    loss = t.nn.functional.cross_entropy(model(x[rank::world_size]), y[rank::world_size])
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    with t.no_grad():
        for p in model.parameters():
            ref.all_reduce(p.data, rank, world_size, op="mean")
    return loss.item()


def step_no_zero_grad(model, optimizer, x, y, rank, world_size):
    loss = t.nn.functional.cross_entropy(model(x[rank::world_size]), y[rank::world_size])
    loss.backward()
    for p in model.parameters():
        if p.grad is not None:
            ref.all_reduce(p.grad, rank, world_size, op="mean")
    optimizer.step()
    return loss.item()


def all_reduce_everyone_sends_first(tensor, rank, world_size, op="sum"):
    for other in range(world_size):
        if other != rank:
            dist.send(tensor, dst=other)
    total = tensor.clone()
    for other in range(world_size):
        if other != rank:
            buffer = t.zeros_like(tensor)
            dist.recv(buffer, src=other)
            total += buffer
    tensor.copy_(total / world_size if op == "mean" else total)


class GroupsZeroMeansDefault(ref.SGDWithParamGroups):
    def __init__(self, params, **kwargs):
        groups = list(params)
        if groups and isinstance(groups[0], dict):
            groups = [{k: v for k, v in g.items() if k == "params" or v} for g in groups]
        super().__init__(groups, **kwargs)


def sample_rounds_ints(config, generator):
    out = ref.sample_parameters(config, generator)
    for name, spec in config["parameters"].items():
        if spec.get("distribution") == "int_uniform":
            u = t.rand((), generator=generator).item()
            out[name] = round(spec["min"] + u * (spec["max"] - spec["min"]))
    return out


def config_string_batch_sizes():
    config = ref.make_sweep_config()
    config["parameters"]["batch_size"]["values"] = ["32", "64", "128", "256"]
    return config


WRONG_ANSWERS += [
    ("data_parallel_step", "weights averaged after the step", step_averages_weights),
    ("data_parallel_step", "no zero_grad", step_no_zero_grad),
    ("all_reduce", "every rank sends before receiving (deadlocks on gloo)",
     all_reduce_everyone_sends_first),
    ("SGDWithParamGroups", "an explicit 0 replaced by the default", GroupsZeroMeansDefault),
    ("sample_parameters", "int_uniform by rounding (ends half as likely)", sample_rounds_ints),
    ("make_sweep_config", "batch sizes as strings", config_string_batch_sizes),
]


def broadcast_binomial_tree(tensor, rank, world_size, src=0):
    # A tree: in round k, each rank that already holds the data sends it 2**k places on, so
    # ceil(log2(world_size)) rounds reach everyone. It needs `math`, one of the chapter's imports,
    # which the real-process check must give the function as its own module did.
    me = (rank - src) % world_size  # position counted from the source
    for k in range(math.ceil(math.log2(world_size))):
        step = 2 ** k
        if me < step and me + step < world_size:
            dist.send(tensor, dst=(me + step + src) % world_size)
        elif step <= me < 2 * step:
            dist.recv(tensor, src=(me - step + src) % world_size)


RIGHT_ANSWERS += [("broadcast", "a binomial tree using math.log2", broadcast_binomial_tree)]


def select_on_test(rows, config, base_args, test_fn):
    # Evaluates every run on the test split and keeps the best: the test set chose the winner.
    name = config["metric"]["name"]
    scored = [(test_fn(ref.update_args(base_args, {k: row[k] for k in config["parameters"]})),
               row) for row in rows]
    score, best = max(scored, key=lambda pair: pair[0])
    return best, score


def select_always_max(rows, config, base_args, test_fn):
    best = max(rows, key=lambda row: row[config["metric"]["name"]])
    return best, test_fn(ref.update_args(base_args, {k: best[k] for k in config["parameters"]}))


def select_from_default_args(rows, config, base_args, test_fn):
    best, _ = ref.select_and_test(rows, config, base_args, lambda args: 0.0)
    return best, test_fn(ref.update_args(ref.SweepArgs(),
                                         {k: best[k] for k in config["parameters"]}))


def select_returns_dev_score(rows, config, base_args, test_fn):
    best, _ = ref.select_and_test(rows, config, base_args, test_fn)
    return best, best[config["metric"]["name"]]


def config_selects_on_test():
    config = ref.make_sweep_config()
    config["metric"] = {"name": "test_accuracy", "goal": "maximize"}
    return config


WRONG_ANSWERS += [
    ("select_and_test", "every run evaluated on test, the best test score kept", select_on_test),
    ("select_and_test", "goal 'minimize' ignored", select_always_max),
    ("select_and_test", "winner's values on a fresh SweepArgs(), not base_args",
     select_from_default_args),
    ("select_and_test", "the dev score returned as the test score", select_returns_dev_score),
    ("make_sweep_config", "selects on test accuracy", config_selects_on_test),
]
