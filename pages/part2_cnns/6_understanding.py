from utils.widgets import chapter_header, question

STEM = "part2_cnns"
chapter_header(STEM, "understanding")

question(
    "A linear layer's initial weights have a scale proportional to "
    "$1/\\sqrt{\\text{in\\_features}}$. What does that fix, and what does it not?",
    "It fixes the dependence on width. An output sums `in_features` products, so with weights of "
    "variance $\\sigma^2$ its variance is $\\text{in} \\cdot \\sigma^2 \\cdot \\mathbb{E}[x^2]$; "
    "with $\\sigma = c/\\sqrt{\\text{in}}$ that is $c^2\\, \\mathbb{E}[x^2]$ at any width. It does "
    "not fix depth: every layer multiplies the mean square by the same factor, so $L$ layers "
    "multiply it by that factor to the power $L$. PyTorch's default, "
    "$U(-1/\\sqrt{\\text{in}}, 1/\\sqrt{\\text{in}})$, has $c^2 = 1/3$ (about $1/6$ per layer "
    "with ReLUs), so the signal fades in a deep plain stack. Kaiming initialisation, "
    "$\\sigma = \\text{gain}/\\sqrt{\\text{fan\\_in}}$ with gain $\\sqrt{2}$ for ReLU, makes the "
    "factor 1; batch norm resets the scale at every layer instead.",
)
question(
    "Why was Kaiming (He) initialisation a breakthrough?",
    "The widely used rule of Glorot and Bengio (\"Xavier\", 2010) was derived for units that "
    "are roughly linear around 0, such as tanh; it ignores that a ReLU zeroes half of its input, "
    "so each ReLU layer halved the mean square of the signal. He et al. (2015) derived the "
    "variance that suits ReLUs, $2/\\text{fan\\_in}$, and showed that with it a 30-layer plain "
    "ReLU network trained from scratch, where the same network initialised with Xavier's rule "
    "stalled. The deepest VGG networks (2014), for instance, had been trained by copying some "
    "of their layers from a trained shallower network.",
)
question(
    "What goes wrong if you forget `optimizer.zero_grad()`?",
    "`backward()` adds to `.grad`. Without clearing it, each step uses the sum of every gradient "
    "so far: the updates point in stale directions and grow, and training stalls or diverges. "
    "(On the digits it drops from about 90 % to about 50 % after two epochs.)",
)
question(
    "Why append `loss.item()` rather than `loss` to the list of losses?",
    "The loss tensor keeps a reference to the whole computational graph of its batch (all the "
    "intermediate activations needed for backward). Keeping every batch's loss tensor keeps "
    "every graph alive, and memory grows with each step. `.item()` is just a Python float.",
)
question(
    "Why does `train` measure the validation images after each epoch and not the test images?",
    "Because the accuracy you watch during training is the one you make choices with: when to "
    "stop, which learning rate, which model. Each choice fits that number a little, so after "
    "many of them it overstates how the model does on new images. Spending the validation set "
    "on those choices keeps the test set untouched, so that its single measurement at the end "
    "is still an honest estimate.",
)
question(
    "Your validation accuracy is the mean of each batch's accuracy. When is that wrong?",
    "When the batches have different sizes (usually the last one is smaller): a batch of 8 "
    "images then counts as much as a batch of 512. Count correct predictions over all batches "
    "and divide by the total number of images.",
)
question(
    "Why is the validation loop run under `t.inference_mode()`, and why call `model.eval()`?",
    "No gradients are needed to measure accuracy, so not recording the graph saves memory and "
    "time. `model.eval()` switches layers that behave differently in training (dropout, batch "
    "normalisation) to their evaluation behaviour.",
)
question(
    "A 5 x 5 convolution with stride 2 and padding 2 is applied to a 28 x 28 image. What size is "
    "the output?",
    "$\\lfloor (28 + 2 \\cdot 2 - 5) / 2 \\rfloor + 1 = \\lfloor 27/2 \\rfloor + 1 = 14$: "
    "14 x 14.",
)
question(
    "How many weights does a 3 x 3 convolution from 32 to 64 channels have (no bias), and how "
    "many would a linear layer from a 32 x 14 x 14 input to a 64 x 14 x 14 output need?",
    "The convolution: $64 \\cdot 32 \\cdot 9 = 18{,}432$. The linear layer: $(32 \\cdot 196) "
    "\\cdot (64 \\cdot 196) \\approx 78.7$ million. Sharing one small kernel across positions is "
    "what makes convolutions affordable, and it builds in that a pattern means the same "
    "anywhere.",
)
question(
    "Why does max pooling pad with $-\\infty$ rather than 0?",
    "The pad must never be the maximum. With zeros, a window of negative values next to the "
    "border would return 0, a value that is not in the input.",
)
question(
    "Did batch normalisation fix \"deeper is worse\"?",
    "No. It (with careful initialisation) kept signals at a healthy scale (He et al. also checked "
    "the gradients in their networks), which let plain networks of around thirty layers train "
    "from scratch. The plain networks in which He et al. "
    "found that deeper was worse already had batch norm after every convolution; residual "
    "connections are what fixed that.",
)
question(
    "Why does batch normalisation help training?",
    "It keeps each channel's input centred and scaled however the earlier layers change, so a "
    "layer does not have to keep re-adapting to a drifting input, and the gradients stay well "
    "scaled. In practice that allows much larger learning rates and makes training less "
    "sensitive to initialisation; it also adds a little noise (batch statistics) that "
    "regularises.",
)
question(
    "Why does batch norm keep running statistics, and why are they buffers, not parameters?",
    "At test time there may be one image and no batch to average over, so the layer uses "
    "averages collected in training. They are not learned by gradient descent, so they are not "
    "parameters, but they must be saved and loaded with the model: buffers are exactly that.",
)
question(
    "Why can the convolutions before a batch norm drop their bias?",
    "Batch norm subtracts each channel's mean, which removes any constant the convolution adds; "
    "its own $\\beta$ then plays the role of the bias.",
)
question(
    "What problem do residual connections solve, and how?",
    "Degradation: very deep plain networks train to a higher error than shallower ones, even "
    "with batch normalisation and Kaiming initialisation, which keep their signals and "
    "gradients at a healthy scale. With $y = x + F(x)$ a block that should do nothing only needs "
    "$F = 0$, and the identity path carries the gradient back past $F$. In the original block "
    "the ReLU after the sum gates that path (the gradient passes only where $x + F(x) > 0$); "
    "pre-activation blocks put nothing after the sum, so the shortcut is a pure identity.",
)
question(
    "When does a residual block need a `downsample` branch?",
    "When $F(x)$ and $x$ have different shapes: the block has stride 2 (smaller output) or "
    "changes the number of channels. A strided 1x1 convolution (with batch norm) maps $x$ to "
    "the right shape.",
)
question(
    "What are a tensor's strides, and why can `transpose` be free?",
    "The number of elements of the underlying memory to skip to move one step along each "
    "dimension. Transposing swaps the strides (and the sizes) without moving any data, so the "
    "result is a view of the same memory; it is no longer contiguous.",
)
question(
    "In a strided view of a convolution's sliding windows, why does the stride of $x$ appear "
    "twice?",
    "Moving to the next window and moving to the next element inside a window both advance one "
    "element of $x$. With a convolution stride $s$, only the first becomes $s$ times larger.",
)
