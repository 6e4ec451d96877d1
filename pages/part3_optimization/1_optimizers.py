import streamlit as st

from utils.figures import part3_optimization as figures
from utils.widgets import chapter_header, exercise

STEM = "part3_optimization"
chapter_header(STEM, "optimizers")

st.markdown(
    r"""
Gradient descent takes a step against the gradient: $\theta \leftarrow \theta - \eta\, g$ with
$g = \nabla_\theta \mathcal{L}$. On real losses that is not enough. In a long, shallow valley the
gradient is tiny and progress crawls; in a narrow one it points across the valley rather than
along it, and the steps zig-zag. Each optimizer in this chapter fixes one of those problems.

Here are the three landscapes we race optimizers across at the end of this page. The
**pathological curve** is nearly flat along $x$ and steep along $y$; the **three wells** have
several minima; **Rosenbrock's banana** is a narrow curved valley whose floor is almost flat.
"""
)
choice = st.selectbox("Landscape", list(figures.LANDSCAPES), key="landscape_view")
st.plotly_chart(figures.landscape_figure(choice), width="stretch", theme=None)
exercise(f"{STEM}.opt_fn_with_sgd")

st.header("Why minibatches")
st.markdown(
    r"""
The loss we minimise is an average over all $N$ training examples,
$\mathcal{L} = \frac{1}{N}\sum_{i=1}^{N} \ell_i$, and so is its gradient $g$. Computing it exactly
costs a pass over the whole data set for a single step. *Stochastic* gradient descent averages
the gradient over a **minibatch** of $B$ examples drawn at random instead. Over the random draw,
the minibatch gradient $g_B$ is on average exactly $g$: an unbiased estimate. What it adds is
noise, and the noise shrinks like $1/\sqrt{B}$. For batches drawn without replacement,

$$
\mathbb{E}\,\lVert g_B - g \rVert^2 = \frac{\operatorname{tr}\Sigma}{B} \cdot \frac{N - B}{N - 1},
$$

where $\Sigma$ is the covariance of the per-example gradients, normalised by $N$:
$\operatorname{tr}\Sigma = \frac1N\sum_i \lVert g_i - g\rVert^2$. Four times the batch costs four
times the compute per step and halves the noise. Here it is, measured on this chapter's digits
MLP at its initial weights:
"""
)
noise_figure, _ = figures.minibatch_noise_figure()
st.plotly_chart(noise_figure, width="stretch", theme=None)
st.markdown(
    r"""
Near $B = N$ the noise falls faster than $1/\sqrt{B}$: a batch that holds almost every example
*is* almost the full gradient. So why not one example per step, or all of them?

- **Progress per example.** A small enough step along a noisy gradient still goes downhill on
  average, so for a fixed budget of examples, many cheap noisy steps can get further than a few
  exact ones: one epoch is 34 steps at $B = 32$ here, and a single step at $B = N$. The gain
  fades once the noise is small next to the gradient: a bigger batch then costs more per step
  without saving a matching number of steps (McCandlish et al., 2018, call the turning point the
  *critical batch size*).
- **Hardware.** A GPU, or a CPU's vector units, works on the examples of a batch in parallel,
  so a step on 64 examples takes far less than 64 times as long as a step on one. A batch of one
  leaves most of the hardware idle.
- **Memory.** Backpropagation keeps every layer's activations for every example of the batch,
  so memory grows in proportion to $B$: the batch, not the data set, has to fit on the device.
- **Generalisation.** Very large batches were reported to generalise worse than small ones
  after the same number of epochs (Keskar et al., 2017); later work closed much of that gap by
  scaling the learning rate with the batch size and training for longer (Goyal et al., 2017;
  Hoffer et al., 2017). Tune batch size and learning rate together, as a pair.
"""
)

st.header("SGD, with momentum and weight decay")
st.markdown(
    r"""
**Momentum** keeps a running sum of past gradients and steps along it:

$$
b_t = \mu\, b_{t-1} + g_t, \qquad \theta_t = \theta_{t-1} - \eta\, b_t .
$$

Components of the gradient that keep their sign add up (speed along the valley floor); ones
that flip sign cancel (less zig-zag across it). With $\mu = 0.9$ a steady gradient is amplified
about tenfold.

**Weight decay** pulls every weight towards zero: add $\lambda\,\theta$ to the gradient, which is
the gradient of an $\frac{\lambda}{2}\lVert\theta\rVert^2$ penalty. PyTorch adds it *before* the
momentum update, so it is carried by the momentum too.

Our optimizers copy `torch.optim`'s interface: the constructor takes the parameters (often the
generator `model.parameters()`), `zero_grad()` clears their gradients, and `step()` updates them
in place, without recording anything for autograd.
"""
)
exercise(f"{STEM}.SGD")

st.header("RMSprop: a learning rate per parameter")
st.markdown(
    r"""
One learning rate for every parameter is a compromise: too big for those with large gradients,
too small for those with tiny ones. RMSprop divides each parameter's step by a running estimate
of its gradient's size, the root of the mean square:

$$
v_t = \alpha\, v_{t-1} + (1 - \alpha)\, g_t^2, \qquad
\theta_t = \theta_{t-1} - \eta\, \frac{g_t}{\sqrt{v_t} + \varepsilon} .
$$

On the pathological curve, the gradient along $x$ is tiny, so $\sqrt{v}$ is tiny too and the step
along $x$ is scaled up: RMSprop crosses the flat valley that SGD crawls along.
"""
)
exercise(f"{STEM}.RMSprop")

st.header("Adam: momentum and RMSprop together")
st.markdown(
    r"""
Adam keeps both running averages, of the gradient (the first moment, like momentum) and of its
square (the second moment, like RMSprop):

$$
m_t = \beta_1 m_{t-1} + (1 - \beta_1) g_t, \qquad v_t = \beta_2 v_{t-1} + (1 - \beta_2) g_t^2 .
$$

Both start at zero, so early on they are biased towards zero: after one step
$m_1 = (1-\beta_1) g_1$, a tenth of the gradient with the usual $\beta_1 = 0.9$. Dividing by $1 - \beta^t$ corrects that exactly for a constant
gradient, and fades out as $t$ grows:

$$
\hat m_t = \frac{m_t}{1 - \beta_1^t}, \quad \hat v_t = \frac{v_t}{1 - \beta_2^t}, \qquad
\theta_t = \theta_{t-1} - \eta\, \frac{\hat m_t}{\sqrt{\hat v_t} + \varepsilon} .
$$
"""
)
exercise(f"{STEM}.Adam")

st.header("AdamW: weight decay, decoupled")
st.markdown(
    r"""
In Adam, an L2 penalty added to the gradient is divided by $\sqrt{\hat v}$ like everything else,
so weights with large gradients are barely decayed. AdamW (Loshchilov and Hutter) applies the
decay *directly* to the weights, outside the adaptive step:

$$
\theta \leftarrow \theta - \eta \lambda\, \theta \quad\text{then the Adam update without } \lambda .
$$

Every weight then shrinks at the same relative rate, which is what weight decay was meant to
do; it is the default choice for training transformers.
"""
)
exercise(f"{STEM}.AdamW")

st.markdown(
    "With four optimizers written, one function can send any of them across a landscape: the "
    "race at the end of this page is drawn with the reference version of it."
)
exercise(f"{STEM}.opt_fn")

st.markdown(
    r"""
**Bonus: parameter groups.** Different parts of a model often want different settings: a small
learning rate for pretrained layers and a larger one for a new head (as in the feature
extraction of chapter 2), or no weight decay on biases. `torch.optim` optimizers accept a list
of *parameter groups*, each a dict with its own `params` and any hyperparameters it overrides.
"""
)
exercise(f"{STEM}.SGDWithParamGroups")

st.header("The race")
st.markdown(
    "Pick a landscape and up to three optimizers, set their hyperparameters, and watch them go "
    "(computed with the reference optimizers). Try SGD against Adam on the pathological curve; "
    "then raise SGD's momentum until it overshoots; then give Rosenbrock to each."
)
landscape = st.selectbox("Landscape", list(figures.LANDSCAPES), key="race_landscape")
n_iters = st.slider("Steps", 10, 300, 100, 10, key="race_steps")
runs = []
columns = st.columns(3)
defaults = (("SGD", 0.02), ("Adam", 0.1), ("RMSprop", 0.02))
for i, (column, (default_name, default_lr)) in enumerate(zip(columns, defaults)):
    with column:
        name = st.selectbox(f"Optimizer {i + 1}", ["(none)", *figures.OPTIMIZERS],
                            index=list(figures.OPTIMIZERS).index(default_name) + 1,
                            key=f"race_opt_{i}")
        if name == "(none)":
            continue
        lr = st.select_slider("learning rate", [0.0001, 0.0003, 0.001, 0.003, 0.01, 0.02, 0.05,
                                                0.1, 0.2, 0.5], default_lr, key=f"race_lr_{i}")
        params = {"lr": lr}
        if name in ("SGD", "RMSprop"):
            params["momentum"] = st.slider("momentum", 0.0, 0.99, 0.9 if name == "SGD" else 0.0,
                                           0.01, key=f"race_mom_{i}")
        if name in ("Adam", "AdamW"):
            # beta2 lives close to 1, where what matters is 1 - beta2: pick it from a log scale.
            params["betas"] = (st.slider("beta1", 0.0, 0.99, 0.9, 0.01, key=f"race_b1_{i}"),
                               st.select_slider("beta2", figures.BETA2_CHOICES, 0.999,
                                                format_func=figures.format_number,
                                                key=f"race_b2_{i}"))
        runs.append((name, tuple(sorted(params.items()))))

if runs:
    figure, summary = figures.race_figure(landscape, tuple(runs), n_iters)
    st.plotly_chart(figure, width="stretch", theme=None)
    st.dataframe(summary, hide_index=True, width="stretch")
