from utils.widgets import chapter_overview

chapter_overview(
    "part2_cnns",
    introduction=r"""
PyTorch's `nn.Linear`, `nn.Conv2d` and training loops can feel like magic boxes. In this chapter
you open them: you write the modules yourself, on top of plain tensors and `nn.Parameter`, write
the loop that trains them and the loop that measures them, and finish with a convolutional
network that reads handwritten digits with more than 95 % accuracy, trained in seconds on a CPU.

The demos and checks train on scikit-learn's handwritten digits, scaled to MNIST's 28 x 28 frame:
they ship with scikit-learn, so everything is fast and works offline. On your own machine,
`train(SimpleMLPTrainingArgs())` uses MNIST itself, downloaded once and cached.
""",
    objectives="""
- Write an `nn.Module`: register parameters and submodules, and initialise weights the way
  PyTorch does; explain why their scale goes as $1/\\sqrt{\\text{fan-in}}$, and why deep plain
  stacks need Kaiming's gain (or batch norm) as well.
- Write a training loop (batches, loss, `zero_grad`, `backward`, `step`) and a validation loop
  that measures accuracy correctly, on a validation set held out from the training images,
  keeping the test set for one final measurement.
- Say what a convolution and a max pool compute, and how stride and padding set the output size.
- Build and train a small convolutional network, and look at what its first layer learned.
""",
)
