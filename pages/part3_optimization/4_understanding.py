from utils.widgets import chapter_header, question

STEM = "part3_optimization"
chapter_header(STEM, "understanding")

question(
    "What does momentum do on a long, shallow valley, and on a narrow one?",
    "Along a shallow valley the gradient keeps pointing the same way, so the momentum buffer "
    "accumulates it and the steps grow (up to $1/(1-\\mu)$ times). Across a narrow valley the "
    "gradient flips sign from step to step, so those components cancel in the buffer and the "
    "zig-zag shrinks. Too much momentum overshoots the minimum and oscillates around it.",
)
question(
    "What does Adam's second-moment estimate do?",
    "It tracks the running mean of each parameter's squared gradient. Dividing the step by its "
    "square root gives every parameter its own effective learning rate: small where gradients "
    "are large or noisy, large where they are consistently small. That is what lets Adam cross "
    "flat regions that stall SGD.",
)
question(
    "Why does Adam need bias correction, and when does it matter?",
    "$m$ and $v$ start at zero, so their first values are shrunk towards zero (by a factor "
    "$1 - \\beta^t$ for a constant gradient). Without correction, after the first step $m$ is "
    "10 times too small ($\\beta_1 = 0.9$) and $v$ 1000 times too small ($\\beta_2 = 0.999$), "
    "so $\\sqrt{v}$ is about 32 times too small and the step about 3 times too large. With "
    "$\\beta_2 = 0.999$ the correction matters for the first few thousand steps.",
)
question(
    "How is AdamW's weight decay different from Adam's, and why does it matter?",
    "Adam adds $\\lambda\\theta$ to the gradient, so the decay is divided by $\\sqrt{\\hat v}$ "
    "with the rest: weights with large gradients are hardly decayed. AdamW shrinks the weights "
    "directly, $\\theta \\leftarrow \\theta - \\eta\\lambda\\theta$, independent of the adaptive "
    "scaling, so all weights decay at the same rate as intended.",
)
question(
    "Why is `step()` run under `t.inference_mode()` (or on `.data`)?",
    "The update is not part of the model's computation: recording it would make the parameters "
    "non-leaf tensors with a growing history, and PyTorch refuses in-place changes to a leaf "
    "that requires grad while recording anyway.",
)
question(
    "Why must an optimizer store `list(params)` rather than `params`?",
    "`model.parameters()` is a generator: it can be iterated once. The second `step()` would "
    "find it empty and silently update nothing.",
)
question(
    "On Rosenbrock's banana, why does SGD need a tiny learning rate?",
    "The valley's walls are very steep (the $100(y - x^2)^2$ term) while its floor is almost "
    "flat. A learning rate large enough to move along the floor makes the steps across the "
    "walls explode; one small enough to be stable across them crawls along the floor.",
)
question(
    "Doubling the batch size: what happens to the cost of a step and to its gradient noise?",
    "The compute per step doubles: twice the examples. The noise falls only by a factor "
    "$\\sqrt{2}$: its variance is $\\operatorname{tr}\\Sigma / B$ (times $(N-B)/(N-1)$, which "
    "matters only when the batch is a sizeable part of the data). Once the noise is small next "
    "to the gradient, bigger batches buy little.",
)
question(
    "In a learning-rate range test, why not train at the learning rate where the loss was lowest?",
    "There the loss has stopped falling because the steps have begun to overshoot: it is the "
    "edge of divergence, reached after many steps at smaller rates that had already made "
    "progress. Trained from scratch at that rate, the digits MLP ends far worse than at a tenth "
    "of it (the sweeps page shows both). About an order of magnitude below the minimum, where "
    "the loss was still falling steadily, is a safe start.",
)
question(
    "Why choose hyperparameters on a dev split and report the test split once, for the winner "
    "only?",
    "A score that is used to choose stops being a fair estimate: the best of many noisy dev "
    "scores favours runs that were lucky on those particular examples, so the winner's dev score "
    "is optimistic. The test split, used for no choice, measures the winner without that bias. "
    "Choosing by it, or changing anything after seeing it, turns it into a second dev set.",
)
question(
    "Why is random search usually better than grid search for the same number of runs?",
    "Often only a few hyperparameters matter. A 5 x 5 grid tries only 5 distinct values of each; "
    "25 random runs try 25 distinct values of each, so the important knobs are explored far "
    "more finely.",
)
question(
    "Why sample learning rates log-uniformly?",
    "What matters is the order of magnitude: 1e-4 versus 1e-3 is as big a change as 1e-2 versus "
    "1e-1. Uniform sampling over [1e-4, 1e-1] would put 90 % of the runs above 1e-2.",
)
question(
    "In data-parallel training, why average the gradients before the optimizer step rather "
    "than averaging the weights after it?",
    "Averaging the gradients gives every rank the full-batch gradient (up to rounding), so every "
    "rank applies the same update to the same weights and the same optimizer state: together "
    "they take exactly the big-batch step, whatever the optimizer.\n\n"
    "Averaging the weights after each rank has stepped on its own shard's gradient gives that "
    "result only when the step is *linear* in the gradient. Plain SGD is, and so is SGD with "
    "momentum and weight decay: averaged after every step, the weights match the big-batch run "
    "(the mean of the ranks' momentum buffers follows the big-batch buffer, though each rank's "
    "own buffer differs). Having state is not the problem; dividing by $\\sqrt{v}$ is. Adam and "
    "RMSprop are not linear in the gradient: on its first step Adam moves each weight by about "
    "$\\eta\\,\\operatorname{sign}(g)$, and the mean of the shards' signs is not the sign of "
    "their mean gradient. So the averaged weights are not the big-batch step, and each rank's "
    "moment estimates drift away from the others'.",
)
question(
    "What is a deadlock in point-to-point communication, and how does one happen in broadcast?",
    "Two or more ranks each wait for a message the other has not sent, so none ever proceeds. "
    "In broadcast it happens if the source also calls recv (nobody sends to it), or if a rank "
    "receives from the wrong source.",
)
