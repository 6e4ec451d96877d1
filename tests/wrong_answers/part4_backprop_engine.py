"""Plausible wrong answers to chapter 5.4's graph and putting-together exercises."""

import numpy as np

from solutions import part4_backprop as ref
from solutions.part4_backprop import Module, Parameter, Recipe, Tensor, grad_mode


class LookupSharedTable:
    back_funcs: dict = {}  # in the class body: every instance shares it

    def add_back_func(self, forward_fn, arg_position, back_fn):
        self.back_funcs[(forward_fn, arg_position)] = back_fn

    def get_back_func(self, forward_fn, arg_position):
        return self.back_funcs[(forward_fn, arg_position)]


class LookupIgnoresPosition(ref.BackwardFuncLookup):
    def add_back_func(self, forward_fn, arg_position, back_fn):
        self.back_funcs[forward_fn] = back_fn

    def get_back_func(self, forward_fn, arg_position):
        return self.back_funcs[forward_fn]


def log_forward_tensor_in_args(x):
    out = Tensor(np.log(x.array), requires_grad=grad_mode.enabled and x.requires_grad)
    if out.requires_grad:
        out.recipe = Recipe(np.log, (x,), {}, {0: x})
    return out


def log_forward_ignores_grad_mode(x):
    out = Tensor(np.log(x.array), requires_grad=x.requires_grad)
    if out.requires_grad:
        out.recipe = Recipe(np.log, (x.array,), {}, {0: x})
    return out


def log_forward_always_recipe(x):
    out = Tensor(np.log(x.array), requires_grad=grad_mode.enabled and x.requires_grad)
    out.recipe = Recipe(np.log, (x.array,), {}, {0: x})
    return out


def multiply_forward_all_required(a, b):
    args = tuple(v.array if isinstance(v, Tensor) else v for v in (a, b))
    parents = {i: v for i, v in enumerate((a, b)) if isinstance(v, Tensor)}
    out = Tensor(np.multiply(*args))
    out.requires_grad = grad_mode.enabled and all(p.requires_grad for p in parents.values())
    if out.requires_grad:
        out.recipe = Recipe(np.multiply, args, {}, parents)
    return out


def multiply_forward_numbers_as_parents(a, b):
    args = tuple(v.array if isinstance(v, Tensor) else v for v in (a, b))
    out = Tensor(np.multiply(*args))
    out.requires_grad = grad_mode.enabled and any(
        isinstance(v, Tensor) and v.requires_grad for v in (a, b))
    if out.requires_grad:
        out.recipe = Recipe(np.multiply, args, {}, {0: a, 1: b})
    return out


def wrap_forward_fn_drops_kwargs(numpy_func, is_differentiable=True):
    def tensor_func(*args, **kwargs):
        arrays = tuple(a.array if isinstance(a, Tensor) else a for a in args)
        parents = {i: a for i, a in enumerate(args) if isinstance(a, Tensor)}
        out = Tensor(numpy_func(*arrays, **kwargs))
        out.requires_grad = (is_differentiable and grad_mode.enabled
                             and any(p.requires_grad for p in parents.values()))
        if out.requires_grad:
            out.recipe = Recipe(numpy_func, arrays, {}, parents)
        return out
    return tensor_func


def wrap_forward_fn_ignores_is_differentiable(numpy_func, is_differentiable=True):
    return ref.wrap_forward_fn(numpy_func)


def topological_sort_from_the_wrong_end(node, get_children):
    return list(reversed(ref.topological_sort(node, get_children)))


def topological_sort_no_cycle_check(node, get_children):
    done, order = set(), []

    def visit(current):
        if id(current) in done:
            return
        done.add(id(current))  # marked before its children: a cycle just stops here
        for child in get_children(current):
            visit(child)
        order.append(current)

    visit(node)
    return order


def topological_sort_no_visited_set(node, get_children):
    order = []
    for child in get_children(node):
        order += topological_sort_no_visited_set(child, get_children)
    return order + [node]


def _backprop_variant(end_node, end_grad=None, overwrite=False, ignore_end_grad=False,
                      overwrite_leaf=False, grads_on_all_nodes=False):
    start = np.ones_like(end_node.array, dtype=float)
    grads = {end_node: start if end_grad is None or ignore_end_grad else end_grad.array}

    def parents(node):
        return [p for p in node.recipe.parents.values() if p.requires_grad] if node.recipe else []

    for node in reversed(ref.topological_sort(end_node, parents)):
        grad_out = grads.pop(node)
        if node.is_leaf or grads_on_all_nodes:
            if node.requires_grad:
                keep = node.grad is None or overwrite_leaf
                node.grad = Tensor(grad_out if keep else node.grad.array + grad_out)
            if node.is_leaf:
                continue
        for position, parent in node.recipe.parents.items():
            if not parent.requires_grad:
                continue
            back = ref.BACK_FUNCS.get_back_func(node.recipe.func, position)
            grad = back(grad_out, node.array, *node.recipe.args, **node.recipe.kwargs)
            grads[parent] = grad if overwrite or parent not in grads else grads[parent] + grad


def backprop_leaves_first(end_node, end_grad=None):
    grads = {end_node: np.ones_like(end_node.array, dtype=float)}
    for node in ref.topological_sort(end_node, lambda n: list(n.recipe.parents.values())
                                     if n.recipe else []):
        grad_out = grads.get(node, np.zeros_like(node.array, dtype=float))
        if node.is_leaf:
            if node.requires_grad:
                node.grad = Tensor(grad_out)
            continue
        for position, parent in node.recipe.parents.items():
            back = ref.BACK_FUNCS.get_back_func(node.recipe.func, position)
            grads[parent] = back(grad_out, node.array, *node.recipe.args)


def backprop_in_place(end_node, end_grad=None):
    """Adds with += : changes arrays that backward functions handed back and others share."""
    grads = {end_node: np.ones_like(end_node.array, dtype=float) if end_grad is None
             else end_grad.array}

    def parents(node):
        return [p for p in node.recipe.parents.values() if p.requires_grad] if node.recipe else []

    for node in reversed(ref.topological_sort(end_node, parents)):
        grad_out = grads.pop(node)
        if node.is_leaf:
            if node.requires_grad:
                if node.grad is None:
                    node.grad = Tensor(grad_out)
                else:
                    node.grad.array += grad_out
            continue
        for position, parent in node.recipe.parents.items():
            if parent.requires_grad:
                back = ref.BACK_FUNCS.get_back_func(node.recipe.func, position)
                grad = back(grad_out, node.array, *node.recipe.args, **node.recipe.kwargs)
                if parent in grads:
                    grads[parent] += grad
                else:
                    grads[parent] = grad


def topological_sort_with_lists(node, get_children):
    """`in` on lists compares with ==, which for Tensors is elementwise (always truthy)."""
    order, path = [], []

    def visit(current):
        if current in order:
            return
        if current in path:
            raise ValueError("cycle")
        path.append(current)
        for child in get_children(current):
            visit(child)
        path.remove(current)
        order.append(current)

    visit(node)
    return order


class LookupReturnsNone(ref.BackwardFuncLookup):
    def get_back_func(self, forward_fn, arg_position):
        return self.back_funcs.get((forward_fn, arg_position))


class ModuleBreadthFirst(Module):
    def parameters(self, recurse=True):
        queue = [self]
        while queue:
            module = queue.pop(0)
            yield from module._parameters.values()
            if recurse:
                queue.extend(module._modules.values())


class LinearZeroBias(ref.Linear):
    def __init__(self, in_features, out_features, bias=True):
        super().__init__(in_features, out_features, bias)
        if bias:
            self.bias.array = np.zeros(out_features)


def cross_entropy_one_maximum(logits, true_labels):
    shifted = logits - logits.array.max()
    picked = shifted[np.arange(len(shifted)), true_labels]
    return shifted.exp().sum(dim=1).log() - picked


class NoGradInInit(ref.NoGrad):
    def __init__(self):
        self.was_enabled = grad_mode.enabled
        grad_mode.enabled = False

    def __enter__(self):
        pass


class ParameterNotRequiringGrad(Tensor):
    def __init__(self, tensor, requires_grad=False):
        super().__init__(tensor.array, requires_grad=requires_grad)


class ModuleNotRecursive(Module):
    def parameters(self, recurse=True):
        return iter(self._parameters.values())


class ModuleSharedDicts(Module):
    _modules: dict = {}
    _parameters: dict = {}

    def __init__(self):
        pass


class ModuleForgetsAttributes(Module):
    def __setattr__(self, name, value):
        if isinstance(value, Parameter):
            self._parameters[name] = value
        elif isinstance(value, Module):
            self._modules[name] = value
        elif name in ("_modules", "_parameters"):
            object.__setattr__(self, name, value)


class LinearTransposedWeight(ref.Linear):
    def __init__(self, in_features, out_features, bias=True):
        super().__init__(in_features, out_features, bias)
        self.weight = Parameter(Tensor(self.weight.array.T.copy()))
        if self.bias is not None:  # re-register so that weight comes first again
            self.bias = self.bias

    def forward(self, x):
        out = x @ self.weight
        return out + self.bias if self.bias is not None else out


class LinearNormalInit(ref.Linear):
    def __init__(self, in_features, out_features, bias=True):
        super().__init__(in_features, out_features, bias)
        self.weight.array = np.random.standard_normal(self.weight.shape) / in_features ** 0.5


class LinearNoBiasInForward(ref.Linear):
    def forward(self, x):
        return x @ self.weight.T


def cross_entropy_no_shift(logits, true_labels):
    picked = logits[np.arange(len(logits)), true_labels]
    return logits.exp().sum(dim=1).log() - picked


def cross_entropy_mean(logits, true_labels):
    per_example = ref.cross_entropy(logits, true_labels)
    return per_example.sum() / len(per_example)


def cross_entropy_numpy(logits, true_labels):
    z = logits.array - logits.array.max(axis=1, keepdims=True)
    labels = true_labels.array
    return Tensor(np.log(np.exp(z).sum(axis=1)) - z[np.arange(len(z)), labels])


class NoGradSetsTrue:
    def __enter__(self):
        grad_mode.enabled = False

    def __exit__(self, *exc):
        grad_mode.enabled = True


class NoGradSwallowsErrors(ref.NoGrad):
    def __exit__(self, *exc):
        super().__exit__(*exc)
        return True


grad_tracking_enabled = True


class NoGradOwnGlobal:
    def __enter__(self):
        global grad_tracking_enabled
        self.was, grad_tracking_enabled = grad_tracking_enabled, False

    def __exit__(self, *exc):
        global grad_tracking_enabled
        grad_tracking_enabled = self.was


class SGDKeepsGenerator(ref.SGD):
    def __init__(self, params, lr):
        self.params, self.lr = params, lr


class SGDAscends(ref.SGD):
    def step(self):
        for param in self.params:
            if param.grad is not None:
                param.array = param.array + self.lr * param.grad.array


class SGDMakesNewTensors(ref.SGD):
    def step(self):
        for i, param in enumerate(self.params):
            if param.grad is not None:
                self.params[i] = param - self.lr * param.grad  # the model never sees it


def _train_epoch_variant(model, optimizer, images, labels, batch_size, mean=True, zero=True,
                         drop_last=False):
    losses = []
    stop = len(images) - len(images) % batch_size if drop_last else len(images)
    for start in range(0, stop, batch_size):
        x = Tensor(images[start:start + batch_size])
        y = Tensor(labels[start:start + batch_size])
        loss = ref.cross_entropy(model(x), y).sum()
        if mean:
            loss = loss / len(x)
        if zero:
            optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses


WRONG_ANSWERS = [
    ("BackwardFuncLookup", "a dict in the class body, shared by instances", LookupSharedTable),
    ("BackwardFuncLookup", "keyed on the function only", LookupIgnoresPosition),
    ("BackwardFuncLookup", "None for a missing entry", LookupReturnsNone),
    ("log_forward", "the Tensor itself in recipe.args", log_forward_tensor_in_args),
    ("log_forward", "grad_mode ignored", log_forward_ignores_grad_mode),
    ("log_forward", "a recipe even when not tracking", log_forward_always_recipe),
    ("multiply_forward", "requires grad only if all arguments do", multiply_forward_all_required),
    ("multiply_forward", "numbers listed as parents", multiply_forward_numbers_as_parents),
    ("wrap_forward_fn", "keyword arguments not kept in the recipe", wrap_forward_fn_drops_kwargs),
    ("wrap_forward_fn", "is_differentiable ignored", wrap_forward_fn_ignores_is_differentiable),
    ("topological_sort", "order from the wrong end", topological_sort_from_the_wrong_end),
    ("topological_sort", "no cycle detection", topological_sort_no_cycle_check),
    ("topological_sort", "no visited set: shared nodes twice", topological_sort_no_visited_set),
    ("topological_sort", "membership tested with == (lists)", topological_sort_with_lists),
    ("backprop", "overwrites instead of accumulating",
     lambda end, grad=None: _backprop_variant(end, grad, overwrite=True)),
    ("backprop", "end_grad ignored",
     lambda end, grad=None: _backprop_variant(end, grad, ignore_end_grad=True)),
    ("backprop", "a leaf's earlier gradient overwritten",
     lambda end, grad=None: _backprop_variant(end, grad, overwrite_leaf=True)),
    ("backprop", "gradients kept on every node",
     lambda end, grad=None: _backprop_variant(end, grad, grads_on_all_nodes=True)),
    ("backprop", "topological order from the wrong end (leaves first)", backprop_leaves_first),
    ("backprop", "adds gradients in place (+=)", backprop_in_place),
    ("Parameter", "does not require grad by default", ParameterNotRequiringGrad),
    ("Module", "parameters() not recursive", ModuleNotRecursive),
    ("Module", "registries in the class body", ModuleSharedDicts),
    ("Module", "__setattr__ doesn't set the attribute", ModuleForgetsAttributes),
    ("Module", "parameters() breadth first", ModuleBreadthFirst),
    ("Linear", "weight stored as (in, out)", LinearTransposedWeight),
    ("Linear", "normal initialisation", LinearNormalInit),
    ("Linear", "bias not added in forward", LinearNoBiasInForward),
    ("Linear", "bias initialised to zero", LinearZeroBias),
    ("cross_entropy", "no max subtraction: exp overflows", cross_entropy_no_shift),
    ("cross_entropy", "returns the mean, not one loss per example", cross_entropy_mean),
    ("cross_entropy", "computed on arrays: no gradient", cross_entropy_numpy),
    ("cross_entropy", "one maximum for the whole batch", cross_entropy_one_maximum),
    ("NoGrad", "__exit__ sets True instead of restoring", NoGradSetsTrue),
    ("NoGrad", "__exit__ swallows exceptions", NoGradSwallowsErrors),
    ("NoGrad", "switches a global bool the engine doesn't read", NoGradOwnGlobal),
    ("NoGrad", "switches tracking off in __init__", NoGradInInit),
    ("SGD", "keeps the generator", SGDKeepsGenerator),
    ("SGD", "adds the gradient", SGDAscends),
    ("SGD", "makes new tensors instead of updating the parameters", SGDMakesNewTensors),
    ("train_epoch", "summed loss", lambda *a: _train_epoch_variant(*a, mean=False)),
    ("train_epoch", "gradients never zeroed", lambda *a: _train_epoch_variant(*a, zero=False)),
    ("train_epoch", "last partial batch dropped",
     lambda *a: _train_epoch_variant(*a, drop_last=True)),
]

def topological_sort_kahn(node, get_children):
    """Count each node's parents, then repeatedly emit nodes no remaining node depends on."""
    nodes, todo, parents = {}, [node], {}
    while todo:
        current = todo.pop()
        if id(current) in nodes:
            continue
        nodes[id(current)] = current
        for child in get_children(current):
            parents[id(child)] = parents.get(id(child), 0) + 1
            todo.append(child)
    ready, order = [node] if parents.get(id(node), 0) == 0 else [], []
    while ready:
        current = ready.pop()
        order.append(current)
        for child in get_children(current):
            parents[id(child)] -= 1
            if parents[id(child)] == 0:
                ready.append(child)
    if len(order) != len(nodes):
        raise ValueError("cycle")
    return order[::-1]


RIGHT_ANSWERS = [
    ("topological_sort", "Kahn's algorithm with in-degrees", topological_sort_kahn),
]
