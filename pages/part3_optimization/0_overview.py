from utils.widgets import chapter_overview

chapter_overview(
    "part3_optimization",
    introduction=r"""
`optimizer.step()` is one line in every training loop, and it decides whether training works at
all. In this chapter you write the optimizers yourself, from their update rules: SGD with
momentum and weight decay, RMSprop, Adam and AdamW. The checks train a small network with your
optimizer and with PyTorch's, side by side from the same weights, and compare them after every
step, so "close enough" is not enough: your optimizer must *be* PyTorch's.

Then you race them across loss landscapes built to trip them up, and see with your own sliders
why Adam crosses a flat valley that stalls SGD, and where momentum overshoots.

Then you sweep hyperparameters to find the learning rate that matters, and train one model on
several processes at once, writing the all-reduce that keeps their gradients in step.
""",
    objectives="""
- State the update rules of SGD (with momentum and weight decay), RMSprop, Adam and AdamW, and
  implement them so they match PyTorch to within $10^{-5}$.
- Explain what momentum, the second-moment estimate and bias correction each do, and why AdamW
  decouples weight decay from the gradient.
- Predict how each optimizer behaves on flat valleys, narrow curved valleys and several minima.
- Say what a minibatch's size trades off, find a first learning rate with a range test, and
  choose hyperparameters on a dev split while reporting the test split once.
""",
)
