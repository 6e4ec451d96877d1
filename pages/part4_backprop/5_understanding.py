from utils.widgets import chapter_header, question

STEM = "part4_backprop"
chapter_header(STEM, "understanding")

question(
    "What does a backward function receive, and what does it return?",
    "It receives the gradient of the loss with respect to the operation's output (`grad_out`), "
    "the output and the inputs; it returns the gradient of the loss with respect to one input: "
    "`grad_out` times the local derivative, by the chain rule.",
)
question(
    "Why must a gradient be summed over broadcast dimensions?",
    "Broadcasting uses each element of the smaller array several times. Each use contributes to "
    "the loss, so the element's gradient is the sum of the gradients of all its copies; summing "
    "also gives the gradient the input's own shape.",
)
question(
    "In what order does backprop visit the nodes of a graph, and why?",
    "In reverse topological order: a node's gradient is complete only when every node that uses "
    "it has passed its contribution back, so all of a node's consumers must come first.",
)
question(
    "$x$ feeds two nodes, $y = x^2$ and $z = \\sin x$, and $L = y z$. Which terms make up "
    "$\\partial L / \\partial x$?",
    "One per child, by the multivariate chain rule: through $y$, "
    "$\\frac{\\partial L}{\\partial y} \\frac{\\partial y}{\\partial x} = z \\cdot 2x$; "
    "through $z$, $\\frac{\\partial L}{\\partial z} \\frac{\\partial z}{\\partial x} = y \\cos x$. "
    "Their sum, $2x \\sin x + x^2 \\cos x$, is the product rule. Backprop gets it by adding "
    "what the two children send back to $x$.",
)
question(
    "Why do central differences use float64 and a step of about $10^{-5}$?",
    "The error of a central difference shrinks like $h^2$, but rounding error grows like "
    "$\\varepsilon / h$, so the best step is near $\\varepsilon^{1/3}$. In float64 "
    "($\\varepsilon \\approx 2 \\cdot 10^{-16}$) that is about $10^{-5}$, with an error near "
    "$10^{-10}$. In float32 ($\\varepsilon \\approx 10^{-7}$) the best step is near "
    "$5 \\cdot 10^{-3}$ and the error still a few times $10^{-5}$: too coarse to tell a right "
    "gradient from a slightly wrong one.",
)
question(
    "Why does a Recipe keep both `args` (arrays) and `parents` (Tensors)?",
    "Backward functions compute on arrays, so backprop passes them `args`. The gradient they "
    "return must then go to the Tensor that argument came from, which `parents` names by "
    "position. Arguments that are plain numbers have no parent: nothing to send a gradient to.",
)
question(
    "After `c = a * a; c.backward()`, why is `a.grad` $2a$ and not $a$?",
    "`a` is the parent of `c` twice, at positions 0 and 1. Each position's backward function "
    "returns `a * grad_out`, and both contributions reach `a`: they must be added. A backprop "
    "that assigns instead of adding keeps only one of them.",
)
question(
    "When do `grad[index] += grad_out` and `np.add.at(grad, index, grad_out)` differ?",
    "When the index repeats a position, e.g. `x[[0, 0, 1]]`. The `+=` form reads all positions, "
    "adds, then writes each position once, so position 0 gets only one of its two gradients. "
    "`np.add.at` adds once per occurrence.",
)
question(
    "Why does ReLU's gradient at exactly 0 come out as $\\frac12$ in this engine?",
    "ReLU is built as `maximum(x, 0.0)`, and where its arguments are equal `maximum` sends "
    "$\\lambda g$ to one and $(1 - \\lambda) g$ to the other, with $\\lambda = \\frac12$; any "
    "$\\lambda \\in [0, 1]$ would be a valid subgradient, and ReLU's subgradients at 0 are "
    "exactly the slopes in $[0, 1]$. PyTorch picks 0. It rarely matters, since inputs are almost "
    "never exactly 0.",
)
question(
    "What goes wrong if you evaluate a model on the test set without `NoGrad`?",
    "Every operation records a recipe, so the whole evaluation graph (with the test inputs) is "
    "kept in memory for nothing; and if a loss on it were backpropagated by mistake, test data "
    "would leak into the gradients. With tracking off, outputs have no recipe and nothing is "
    "kept.",
)
question(
    "Why subtract each row's maximum inside cross-entropy?",
    "$\\log\\sum_j e^{z_j} - z_y$ is unchanged when the same constant is subtracted from every "
    "$z_j$, but $e^{z}$ overflows to infinity for $z$ above about 709 in float64. After the "
    "shift the largest exponent is $e^0 = 1$. The shift is a plain array, not a Tensor, so it "
    "adds nothing to the graph (its gradient would be zero anyway).",
)
