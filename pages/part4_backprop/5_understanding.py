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
    "Why do central differences use float64 and a step of about $10^{-6}$?",
    "The error of a central difference shrinks like $h^2$, but rounding error grows like "
    "$\\varepsilon / h$. In float64 ($\\varepsilon \\approx 10^{-16}$), $h \\approx 10^{-6}$ "
    "balances the two at about $10^{-10}$; in float32 the rounding error would swamp the check.",
)
