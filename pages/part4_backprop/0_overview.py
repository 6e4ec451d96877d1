from utils.widgets import chapter_overview

chapter_overview(
    "part4_backprop",
    introduction=r"""
`loss.backward()` fills in the gradient of every parameter. In this chapter you build the
machinery behind it, on NumPy arrays: backward functions for each operation, a graph that
records how every value was computed, and a `backprop` that walks that graph backwards.

The one idea underneath is the chain rule, applied in reverse order. This first section does it
by hand, so that everything later is just automation of what you did here.

The graph, the `Tensor` class, more operations and training an MLP with your own engine come
next in this chapter.
""",
    objectives=r"""
- Write the backward function of an operation: $\partial L/\partial x$ from $\partial
  L/\partial \text{out}$.
- Handle broadcasting in the backward pass (`unbroadcast`).
- Backpropagate through a small expression by hand, and check any backward function with finite
  differences (`utils.gradcheck.gradcheck`).
""",
)
