"""Chapter 4's exercises, in the order a learner meets them."""

from functools import partial

from utils.registry import Chapter, Exercise

_ex = partial(Exercise, "part4_backprop")

EXERCISES = (
    _ex(
        "log_back", "The backward of log", section="backward_by_hand", difficulty=1,
        importance=3, minutes=(5, 10),
        task=(r"Write `log_back(grad_out, out, x)`: the gradient with respect to `x` of a loss "
              r"$L$, for $\text{out} = \log x$, given $\text{grad\_out} = \partial L / \partial "
              r"\text{out}$."),
        hints=(r"Chain rule, elementwise: $\partial L/\partial x = \partial L/\partial "
               r"\text{out} \cdot 1/x$.",),
    ),
    _ex(
        "unbroadcast", "Undoing broadcasting", section="backward_by_hand", difficulty=3,
        importance=3, minutes=(15, 20),
        task=("Write `unbroadcast(broadcasted, original)`: sum a gradient of the broadcast shape "
              "back to `original`'s shape, over the dimensions broadcasting added at the front "
              "(removing them) and those it stretched from size 1 (keeping them as size 1)."),
        hints=(
            "Added dimensions: the first `broadcasted.ndim - original.ndim`; sum them away.",
            "Stretched dimensions: where `original.shape[i] == 1` but the gradient's is larger; "
            "sum with `keepdims=True`.",
        ),
    ),
    _ex(
        "multiply_back0", "The backward of multiplication, first argument",
        section="backward_by_hand", difficulty=2, importance=3, minutes=(10, 15),
        task=(r"Write `multiply_back0(grad_out, out, x, y)`: $\partial L / \partial x$ for "
              r"$\text{out} = x \cdot y$, where `y` may be a number or an array that broadcasts "
              "with `x`. The result has `x`'s shape."),
        hints=("`y * grad_out` has the broadcast shape; `unbroadcast` it to `x`. "
               "`np.asarray(y)` turns a number into an array.",),
    ),
    _ex(
        "multiply_back1", "The backward of multiplication, second argument",
        section="backward_by_hand", difficulty=2, importance=3, minutes=(5, 10),
        task=r"Write `multiply_back1(grad_out, out, x, y)`: $\partial L / \partial y$ for "
             r"$\text{out} = x \cdot y$; `x` may be a number.",
        hints=("The mirror image of multiply_back0.",),
    ),
    _ex(
        "forward_and_back", "Backprop by hand", section="backward_by_hand", difficulty=3,
        importance=4, minutes=(15, 20),
        task=(r"For $g = \log(a \cdot b \cdot \log c)$, computed in the steps the docstring "
              r"lists, return $(\partial g/\partial a, \partial g/\partial b, \partial g/\partial "
              r"c)$ using your backward functions, starting from $\partial g / \partial g = 1$."),
        hints=(
            "Go backwards: g = log(f) gives dg/df; f = d * e gives dg/dd and dg/de; then "
            "d = a * b and e = log(c).",
            "Each backward call takes the gradient of its output (the one you just computed), "
            "its output and its inputs.",
        ),
    ),
    # -- The computational graph -----------------------------------------------------------
    _ex(
        "BackwardFuncLookup", "A table of backward functions", section="graph", difficulty=2,
        importance=3, minutes=(5, 10), stub_from="_BackwardFuncLookupStub",
        stub_is_scaffolding=True,
        task=(r"Write the class: `add_back_func(forward_fn, arg_position, back_fn)` remembers "
              r"which backward function undoes argument `arg_position` of `forward_fn`, and "
              r"`get_back_func(forward_fn, arg_position)` returns it. The lines after the class "
              r"register `log_back` and `multiply_back0/1` in the engine's table `BACK_FUNCS`."),
        hints=("A dict keyed by the pair `(forward_fn, arg_position)` is all you need.",
               "Create the dict in `__init__`, on `self`: a dict written in the class body is "
               "shared by every instance."),
    ),
    _ex(
        "log_forward", "Forward functions that record a recipe", section="graph", difficulty=3,
        importance=3, minutes=(10, 15), withhold=("log", "multiply"),
        task=(r"Write `log_forward(x)`: a new `Tensor` holding `np.log(x.array)`. It requires "
              r"grad when tracking is on (`grad_mode.enabled`) and `x` requires grad; only then "
              r"give it a `Recipe(func=np.log, args=(x.array,), kwargs={}, parents={0: x})`."),
        hints=("Build the output first, then decide `requires_grad`, then attach the recipe.",
               "The recipe stores arrays in `args` and the Tensor itself in `parents`: "
               "backprop needs the arrays to call backward functions and the Tensors to send "
               "gradients to."),
    ),
    _ex(
        "multiply_forward", "A forward function with two arguments", section="graph",
        difficulty=3, importance=3, minutes=(10, 15), withhold=("log", "multiply"),
        task=(r"Write `multiply_forward(a, b)`: `a * b` where one of them may be a plain number. "
              r"`args` holds both values as arrays or numbers; `parents` holds only the "
              r"arguments that are Tensors, under their position (0 or 1)."),
        hints=("`isinstance(v, Tensor)` tells the two kinds of argument apart.",
               "The output requires grad if tracking is on and **any** Tensor argument "
               "requires grad."),
    ),
    _ex(
        "wrap_forward_fn", "One wrapper for every forward function", section="graph",
        difficulty=4, importance=4, minutes=(15, 20), stub_from="_wrap_forward_fn_stub",
        stub_is_scaffolding=True,
        task=(r"Write `wrap_forward_fn(numpy_func, is_differentiable=True)`: it returns a "
              r"function that does what `multiply_forward` did for any NumPy function, with any "
              r"number of positional arguments and keyword arguments (passed on, and stored in "
              r"the recipe's `kwargs`). A non-differentiable function (such as `np.equal`) "
              r"never requires grad."),
        hints=("Define `tensor_func(*args, **kwargs)` inside and return it: a closure over "
               "`numpy_func`.",
               "Generalise `multiply_forward`: arrays from `enumerate(args)`, parents from the "
               "positions that are Tensors."),
    ),
    _ex(
        "topological_sort", "Topological sort", section="graph", difficulty=4, importance=3,
        minutes=(20, 25),
        task=(r"Write `topological_sort(node, get_children)`: every node reachable from `node`, "
              r"each after all of its children, so that `node` comes last. A node reached by two "
              r"paths appears once. Raise `ValueError` if the graph has a cycle."),
        hints=("Depth-first search: visit a node's children, then append the node.",
               "Two sets: nodes finished, and nodes on the current path. Meeting a node that "
               "is on the current path again means a cycle.",
               "Keep ids (`id(node)`) in the sets, and never test `node in some_list`: for "
               "Tensors `==` is elementwise, so `in` answers the wrong question."),
    ),
    _ex(
        "backprop", "Backpropagation", section="graph", difficulty=5, importance=5,
        minutes=(30, 40),
        task=(r"Write `backprop(end_node, end_grad=None)`: visit the graph in reverse "
              r"topological order, call the backward function of each parent that requires "
              r"grad, and sum the gradients reaching each node. Store `.grad` (a Tensor) only on "
              r"leaves that require grad, adding to a gradient they already have. `end_grad=None` "
              r"means $\partial L / \partial\,\text{end\_node} = 1$ everywhere."),
        hints=(
            "Keep a dict from node to its gradient so far (arrays), starting with "
            "`{end_node: end_grad.array}`.",
            "`topological_sort(end_node, get_children)` with children = the recipe's parents "
            "lists leaves first: go through it reversed, so a node's gradient is complete "
            "before you pass it on.",
            "Call `BACK_FUNCS.get_back_func(node.recipe.func, position)(grad_out, node.array, "
            "*node.recipe.args, **node.recipe.kwargs)` for each parent position.",
            "A parent reached twice (as in `a * a`) gets both contributions: add, don't "
            "overwrite. Add with `a + b`, not `a += b`: a backward function may hand back an "
            "array that another node still uses.",
        ),
    ),
    # -- More forward and backward functions ---------------------------------------------------
    _ex("negative_back", "negative", section="more_functions", difficulty=1, importance=2,
        minutes=(2, 5), task=r"Write the backward of $\text{out} = -x$.",
        hints=(r"$\partial(-x)/\partial x = -1$.",)),
    _ex("exp_back", "exp", section="more_functions", difficulty=1, importance=2,
        minutes=(2, 5), task=r"Write the backward of $\text{out} = e^x$.",
        hints=("The derivative of exp is exp, which the forward already computed: `out`.",)),
    _ex("reshape_back", "reshape", section="more_functions", difficulty=1, importance=2,
        minutes=(3, 5), task="Write the backward of `out = np.reshape(x, new_shape)`.",
        hints=("Reshaping moves no number: reshape the gradient back to `x.shape`.",)),
    _ex("invert_transposition", "Inverting a permutation", section="more_functions",
        difficulty=2, importance=2, minutes=(5, 10),
        task=("Write `invert_transposition(axes)`: the axes that undo `np.transpose(x, axes)`, "
              "e.g. `(2, 0, 1) -> (1, 2, 0)`. Accept negative axes."),
        hints=("Output axis `i` came from input axis `axes[i]`, so the inverse maps "
               "`axes[i]` back to `i`.", "`np.argsort` of the axes does it in one call; "
               "normalise negative axes first with `% len(axes)`.")),
    _ex("permute_back", "permute", section="more_functions", difficulty=1, importance=2,
        minutes=(3, 5), task="Write the backward of `out = np.transpose(x, axes)`.",
        hints=("Transpose the gradient with the inverse permutation.",)),
    _ex("expand_back", "expand", section="more_functions", difficulty=2, importance=2,
        minutes=(3, 5),
        task="Write the backward of `out = expand_array(x, new_shape)` (torch's `expand`).",
        hints=("Expanding is broadcasting: you already have the function that undoes it.",)),
    _ex("sum_back", "sum", section="more_functions", difficulty=3, importance=3,
        minutes=(10, 15),
        task=("Write the backward of `out = sum_array(x, dim, keepdim)`, where `dim` is None, "
              "an int or a tuple of ints (negative ones too)."),
        hints=("Each element of `x` gets the gradient of the sum it went into: broadcast "
               "`grad_out` to `x.shape`.",
               "Without keepdim, the summed dimensions are missing from `grad_out`: put them "
               "back with size 1 (`np.expand_dims`) before broadcasting.")),
    _ex("coerce_index", "Indices that hold Tensors", section="more_functions", difficulty=1,
        importance=2, minutes=(3, 5),
        task=("Write `coerce_index(index)`: replace every Tensor in the index, on its own or "
              "inside a tuple, by its array, and leave everything else as it is."),
        hints=("A tuple index: coerce each element.",)),
    _ex("getitem_back", "Indexing", section="more_functions", difficulty=3, importance=2,
        minutes=(10, 15),
        task=("Write the backward of `out = x[index]`: zeros of `x`'s shape, with `grad_out` "
              "added where the elements came from, also when an index repeats. The gradient is "
              "a float array even when `x` holds integers (`np.zeros_like(x)` would copy an "
              "integer dtype and truncate every gradient to an integer)."),
        hints=("`grad[index] += grad_out` keeps only one contribution per repeated index.",
               "`np.add.at(grad, coerce_index(index), grad_out)` adds every one.")),
    _ex("subtract_back0", "subtract, first argument", section="more_functions", difficulty=1,
        importance=2, minutes=(2, 5), task=r"Backward of $x - y$ with respect to $x$.",
        hints=("Like `add_back0`, given above it.",)),
    _ex("subtract_back1", "subtract, second argument", section="more_functions",
        difficulty=1, importance=2, minutes=(2, 5), task=r"Backward of $x - y$ for $y$.",
        hints=("Mind the sign, and unbroadcast to `y`.",)),
    _ex("true_divide_back0", "divide, first argument", section="more_functions",
        difficulty=2, importance=2, minutes=(3, 5), task=r"Backward of $x / y$ for $x$.",
        hints=(r"$\partial(x/y)/\partial x = 1/y$; `y` may be a number.",)),
    _ex("true_divide_back1", "divide, second argument", section="more_functions",
        difficulty=2, importance=2, minutes=(3, 5), task=r"Backward of $x / y$ for $y$.",
        hints=(r"$\partial(x/y)/\partial y = -x/y^2$; `x` may be a number.",)),
    _ex("maximum_back0", "maximum, first argument", section="more_functions", difficulty=3,
        importance=2, minutes=(5, 10),
        task=(r"Backward of `np.maximum(x, y)` for $x$: the gradient goes where $x$ is the "
              r"larger; where $x = y$ each argument gets half."),
        hints=("`(x > y) + 0.5 * (x == y)` is the share of the gradient `x` gets.",
               "Then unbroadcast: `y` may have had a different shape.")),
    _ex("maximum_back1", "maximum, second argument", section="more_functions", difficulty=2,
        importance=2, minutes=(3, 5), task=r"Backward of `np.maximum(x, y)` for $y$.",
        hints=("The mirror image of maximum_back0, ties included.",)),
    _ex("relu", "ReLU from maximum", section="more_functions", difficulty=1, importance=2,
        minutes=(2, 5),
        task="Write `relu(x)` for a Tensor, using the engine's `maximum` so that it has a "
             "backward without writing one.",
        hints=("`maximum` takes a Tensor and a number.",)),
    _ex("matmul2d_back0", "Matrix product, first argument", section="more_functions",
        difficulty=3, importance=3, minutes=(5, 10),
        task=r"Backward of $\text{out} = x y$ for $x$ ($m \times n$, with $y$ $n \times p$).",
        hints=(r"$\partial L/\partial x_{ij} = \sum_k \partial L/\partial \text{out}_{ik}\, "
               r"y_{jk}$: which product of `grad_out` and `y` is that?",
               "Check the shapes: the result must be (m, n).")),
    _ex("matmul2d_back1", "Matrix product, second argument", section="more_functions",
        difficulty=2, importance=3, minutes=(3, 5),
        task=r"Backward of $\text{out} = x y$ for $y$ ($n \times p$).",
        hints=("Shapes again: (n, m) @ (m, p).",)),
    # -- Putting it together -----------------------------------------------------------------
    _ex("Parameter", "Parameter", section="together", difficulty=1, importance=3,
        minutes=(3, 5),
        task="Write `Parameter(tensor, requires_grad=True)`: a Tensor with the same array that "
             "requires grad unless told otherwise.",
        hints=("`super().__init__(tensor.array, requires_grad=requires_grad)`.",)),
    _ex("Module", "Module", section="together", difficulty=3, importance=4, minutes=(15, 20),
        task=("Write `Module`: `__setattr__` registers Parameters in `self._parameters` and "
              "Modules in `self._modules` (and still sets the attribute); `modules()` yields the "
              "direct submodules; `parameters(recurse=True)` yields this module's parameters, "
              "then each submodule's, in the order they were assigned; calling a module calls "
              "`forward`."),
        hints=("`__init__` sets the two dicts; `__setattr__` then sees them as plain values.",
               "Finish `__setattr__` with `super().__setattr__(name, value)`.",
               "`parameters` as a generator: `yield from` this module's, then each "
               "submodule's.")),
    _ex("Linear", "Linear", section="together", difficulty=2, importance=4, minutes=(10, 15),
        task=(r"Write `Linear(in_features, out_features, bias=True)`: `weight` of shape "
              r"(out, in) and `bias` (out,) as Parameters, uniform in $\pm 1/\sqrt{"
              r"\text{in\_features}}$; `forward(x) = x @ weight.T + bias`."),
        hints=("`np.random.uniform(-bound, bound, shape)`, wrapped in a Tensor and then a "
               "Parameter.", "With `bias=False`, set `self.bias = None`.")),
    _ex("cross_entropy", "Cross-entropy", section="together", difficulty=3, importance=4,
        minutes=(10, 15),
        task=(r"Write `cross_entropy(logits, true_labels)`: per example, $-\log "
              r"\text{softmax}(\text{logits})_{\text{label}} = \log \sum_j e^{z_j} - "
              r"z_{\text{label}}$, using only Tensor operations so that it has a gradient."),
        hints=("Pick each row's true logit with integer-array indexing: "
               "`logits[np.arange(n), true_labels]`.",
               "Subtracting each row's maximum (a plain array, not a Tensor) first keeps `exp` "
               "from overflowing and changes no gradient.")),
    _ex("NoGrad", "No gradients, please", section="together", difficulty=2, importance=3,
        minutes=(5, 10),
        task=("Write the context manager: inside `with NoGrad():`, `grad_mode.enabled` is "
              "False; on exit it is back to what it was, even after an exception or when "
              "nested."),
        hints=("Remember the old value in `__enter__` (on `self`) and restore it in "
               "`__exit__`; don't just set True.",)),
    _ex("SGD", "SGD", section="together", difficulty=2, importance=4, minutes=(5, 10),
        task=(r"Write `SGD(params, lr)`: `zero_grad()` forgets every gradient; `step()` "
              r"updates each parameter that has one: $\theta \leftarrow \theta - \text{lr} "
              r"\cdot \nabla_\theta L$."),
        hints=("`params` may be a generator: keep `list(params)`.",
               "Update the array, not the Tensor: `param.array -= self.lr * param.grad.array` "
               "records no recipe.")),
    _ex("train_epoch", "The training loop", section="together", difficulty=3, importance=5,
        minutes=(10, 15),
        task=("Write `train_epoch(model, optimizer, images, labels, batch_size)`: for each batch "
              "in order, the mean cross-entropy of the model's logits, then `zero_grad`, "
              "`backward` and `step`. Return the batch losses as floats."),
        hints=("Mean: `cross_entropy(...).sum() / batch`.",
               "Forgetting `zero_grad` adds up every batch's gradient.")),
)

CHAPTER = Chapter(
    stem="part4_backprop",
    number=4,
    title="Backprop",
    blurb="An autograd engine on NumPy, from backward functions by hand to training an MLP on "
          "digits with it.",
    sections=(
        ("overview", "Overview"),
        ("backward_by_hand", "Backward functions by hand"),
        ("graph", "The computational graph"),
        ("more_functions", "More forward and backward functions"),
        ("together", "Putting it together: training an MLP"),
        ("understanding", "Check your understanding"),
    ),
    exercises=EXERCISES,
)
