from utils.widgets import chapter_overview

chapter_overview(
    "part4_backprop",
    introduction=r"""
`loss.backward()` fills in the gradient of every parameter. In this chapter you build the
machinery behind it, on NumPy arrays, and then train a neural network with it: no PyTorch
anywhere in your engine.

The one idea underneath is the chain rule, applied in reverse topological order. You first do
it by hand on a three-line expression. Then you make values remember how they were computed
(a `Tensor` with a recipe), sort the resulting graph, and write `backprop`, which walks the graph
from the loss back to the inputs, calling one backward function per operation. A dozen more
operations later, `Module`, `Linear`, cross-entropy and SGD turn the engine into something you
can train an MLP on digits with, to the same accuracy PyTorch would reach.

Every backward function you write is checked three ways: on hand-worked values, against finite
differences, and against `torch.autograd`. On the pages, you can draw the graph of any expression
you type, and train the MLP, with *your own* engine.
""",
    objectives=r"""
- Write the backward function of an operation: $\partial L/\partial x$ from
  $\partial L/\partial \text{out}$, including broadcasting (`unbroadcast`).
- Record a computational graph as it is computed, sort it topologically, and backpropagate
  through it, accumulating gradients where paths meet.
- Derive the backward of reshape, permute, sum, indexing, maximum and matrix multiplication, and
  check any of them with finite differences (`utils.gradcheck.gradcheck`).
- Build `Parameter`, `Module`, `Linear`, cross-entropy, `NoGrad` and `SGD`, and train an MLP
  with them.
""",
)
