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
)

CHAPTER = Chapter(
    stem="part4_backprop",
    number=4,
    title="Backprop",
    blurb="An autograd engine on NumPy, starting from backward functions written by hand.",
    sections=(
        ("overview", "Overview"),
        ("backward_by_hand", "Backward functions by hand"),
        ("understanding", "Check your understanding"),
    ),
    exercises=EXERCISES,
)
