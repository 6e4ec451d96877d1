import streamlit as st

from utils.pretrained import VAE_BETA, trained_on
from utils.demos.part5_vaes_gans import validated_map
from utils.demo_widgets import describe_learner_code, learner_demo
from utils.figures import part5_vaes_gans as figures
from utils.widgets import chapter_header, exercise

STEM = "part5_vaes_gans"
chapter_header(STEM, "autoencoders")

st.markdown(
    r"""
An autoencoder is two networks trained as one. The **encoder** maps an image $x$ to a short
vector $z$ (the **latent** code); the **decoder** maps $z$ back to an image $\hat x$. Training
minimises the reconstruction error $\lVert \hat x - x \rVert^2$, and nothing else: no labels.

The squeeze is the point. With $z$ of size 2 for a 784-pixel image, the encoder can't copy
the pixels through; it has to find the two numbers that best summarise a digit, and the decoder
has to learn what digits look like to draw one back from them.

Our encoder is a small CNN: two convolutions with stride 2 take $28 \times 28$ down to
$7 \times 7$ (with 32 channels), then two linear layers go down to the latent size. The decoder
mirrors it, with **transposed convolutions** to go back up: where a stride-2 convolution halves
the size, a stride-2 transposed convolution doubles it. (You will write one from scratch in the
bonus section; here `nn.ConvTranspose2d` does it.)
"""
)
exercise(f"{STEM}.Autoencoder")
exercise(f"{STEM}.ae_training_step")

st.subheader("What an autoencoder with two numbers makes of digits")
images, labels, source = figures.test_set()
kind = st.radio("Model", list(figures.KINDS), format_func=figures.KINDS.get, horizontal=True,
                key="p5_recon_kind")
st.plotly_chart(figures.reconstructions(kind), width="stretch", theme=None)
st.caption(f"Test images from {source}. Both models have a 2-D latent space and were trained on "
           f"{trained_on()} by `python -m utils.pretrained` (20 epochs, seed 0).")

st.header("From autoencoder to VAE")
st.markdown(
    r"""
Plot where the autoencoder puts each test digit (left, below) and two problems show. The digits
land in streaks and clumps with empty space between them, and nothing in the training said what
the decoder should draw at an empty point: there, it draws nonsense. And the scale is arbitrary:
the points could sit anywhere, so there is no natural place to sample a new digit from.

A **variational** autoencoder fixes both by making the encoder uncertain. For each image it
outputs a Gaussian, a mean $\mu$ and a standard deviation $\sigma$ per latent dimension, and the
decoder sees a **sample** $z$ from it. Nearby points must then decode to similar images (any of
them may be drawn), which fills the gaps. A second loss term keeps every Gaussian close to the
standard normal $N(0, 1)$:

$$
\mathcal{L} = \tfrac{1}{784}\lVert \hat x - x \rVert^2
  + \beta \cdot \tfrac{1}{d}\sum_{k=1}^{d} D_{KL}\big(N(\mu_k, \sigma_k^2) \,\|\, N(0, 1)\big),
\qquad D_{KL} = \tfrac12\left(\mu^2 + \sigma^2 - 1\right) - \log \sigma
$$

that is, the squared error averaged over the 784 pixels, and the KL of each of the $d$ latent
dimensions averaged over them, as in the code (where both terms come from is just below).

The KL term pulls all the codes towards the origin and stops $\sigma$ from shrinking to 0 (which
would turn the VAE back into an autoencoder). After training, sampling $z \sim N(0, 1)$ and
decoding gives new digits.

One trick makes this trainable: **reparameterisation**. Sampling is not differentiable, but
$z = \mu + \sigma \epsilon$ with $\epsilon \sim N(0, 1)$ drawn separately is the same
distribution, and it is an ordinary function of $\mu$ and $\sigma$: gradients flow through it.
The encoder predicts $\log \sigma$ rather than $\sigma$ so that any real number it outputs is
valid.
"""
)

st.subheader("Where the loss comes from")
st.markdown(
    r"""
Why this loss and not some other penalty? Because it is a bound on the quantity a generative
model should make large: $\log p(x)$, the log-probability the model gives the real images. The
model draws $z \sim p(z) = N(0, I)$ and then an image from the decoder's $p(x \mid z)$, so
$p(x) = \int p(x \mid z)\, p(z)\, dz$, an integral over every code with no closed form for a
neural-network decoder. The encoder's Gaussian $q(z \mid x)$ turns it into an average we can
sample:

$$
\log p(x) = \log \mathbb{E}_{z \sim q(z \mid x)}\!\left[\frac{p(x \mid z)\, p(z)}{q(z \mid x)}\right]
\;\ge\; \mathbb{E}_{z \sim q(z \mid x)}\big[\log p(x \mid z)\big]
- D_{KL}\big(q(z \mid x) \,\|\, p(z)\big).
$$

The inequality is Jensen's: $\log$ is concave, so the log of an average is at least the average
of the logs. The right-hand side is the **evidence lower bound** (ELBO); what it misses by is
$D_{KL}\big(q(z \mid x) \,\|\, p(z \mid x)\big) \ge 0$, so raising the bound either raises
$\log p(x)$ or makes the encoder a better guess of which codes explain $x$.

Both terms become our loss. If the decoder says pixels are its output $\hat x(z)$ plus Gaussian
noise of variance $s^2$, then
$-\log p(x \mid z) = \lVert x - \hat x \rVert^2 / (2 s^2) + \text{const}$: the squared error, one sample of $z$ standing in for the average. The KL term has
a closed form, because $q = N(\mu, \sigma^2)$ and $p = N(0, 1)$ in each dimension:

$$
D_{KL} = \mathbb{E}_{q}\big[\log q(z) - \log p(z)\big]
= \mathbb{E}_{q}\!\left[-\log\sigma - \frac{(z - \mu)^2}{2\sigma^2} + \frac{z^2}{2}\right]
= \tfrac12\left(\sigma^2 + \mu^2 - 1 - \log \sigma^2\right),
$$

using $\mathbb{E}_q[(z - \mu)^2] = \sigma^2$ and $\mathbb{E}_q[z^2] = \mu^2 + \sigma^2$; over
several dimensions the KLs add up. Scale $-\text{ELBO}$ to put a weight of 1 on the squared error
and $\beta$ appears: it is the assumed noise $s^2$ in disguise, which is why no single value is
right for every dataset and loss.
"""
)
exercise(f"{STEM}.VAE")
exercise(f"{STEM}.kl_divergence")
exercise(f"{STEM}.vae_training_step")
sweep = figures.beta_sweep()
collapsed = figures.first_collapsed_beta()
st.markdown(
    rf"""
**How big should $\beta$ be?** Both of our terms are means: the squared error over 784 pixels,
the KL over just 2 latent dimensions. So the error is small (about
{sweep["mean_digit_error"]:.3f} for a model that draws the average digit every time), and
matched to the ELBO above, our loss assumes pixel noise of variance
$s^2 = \tfrac{{784}}{{2 \cdot 2}}\, \beta = 196\, \beta$: about ${196 * VAE_BETA:.1f}$ for the
default $\beta = {VAE_BETA}$, but about $20$ for $\beta = 0.1$. With noise that large on pixels
in $[0, 1]$, nothing a code could say about an image is worth its KL.

Below, the same VAE trained {sweep["epochs"]} epochs on {sweep["data"]} for each of
{len(sweep["betas"])} values of $\beta$ (seed {sweep["seed"]}; `python -m utils.pretrained
beta_sweep`). From $\beta = {collapsed:g}$ on, the KL is about 0 and the error is the average
digit's: $\mu = 0$ and $\sigma = 1$ for every image, every image gets the same code, and the
decoder draws the same blur for all of them (the bottom rows). This is **posterior collapse**.
Below that, a smaller $\beta$ lets the code carry more (the KL grows) and the error falls, to
about {min(sweep["reconstruction"]):.3f}; at $\beta = 0$ the VAE would be an autoencoder again,
with nothing to fill the gaps. The demo VAE uses the default, $\beta = {VAE_BETA}$.
"""
)
st.plotly_chart(figures.beta_sweep_figure(), width="stretch")
st.plotly_chart(figures.beta_sweep_reconstructions(), width="content", theme=None,
                config={"staticPlot": True})

st.header("The latent space")
st.markdown(
    r"""
Each point is a test digit, placed at its code ($z$ for the autoencoder, $\mu$ for the VAE) and
coloured by its label, which the models never saw. Similar digits still end up together: the
latent space has learned the classes on its own. Compare how the two models use the space.
"""
)
st.plotly_chart(figures.latent_scatter(), width="stretch")

st.subheader("Walk through it")
st.markdown(
    r"""
Move through the latent plane and watch the decoder draw. Where the VAE's points are, you see
digits; between two clusters, one digit morphs into the other. Try the same with the
autoencoder, and go outside its points.
"""
)
left, right = st.columns([1, 1])
with left:
    explorer = st.radio("Decoder", list(figures.KINDS), format_func=figures.KINDS.get,
                        horizontal=True, key="p5_explorer_kind", index=1)
    z1 = st.slider("z₁", -3.0, 3.0, 0.0, 0.05, key="p5_z1")
    z2 = st.slider("z₂", -3.0, 3.0, 0.0, 0.05, key="p5_z2")
with right:
    st.plotly_chart(figures.decoded_image(explorer, z1, z2), theme=None,
                    config={"staticPlot": True})
with st.expander("The whole plane at once"):
    st.plotly_chart(figures.decoded_grid(explorer), width="stretch", theme=None)

st.header("Train yours")
st.markdown(
    r"""
Train your own `Autoencoder` or `VAE` (with a 2-D latent space) using your own training step, on
the offline digits, and explore what *your* decoder learned. It runs in the sandbox and takes a
few seconds.
"""
)
describe_learner_code(STEM)
cols = st.columns(2)
own_kind = cols[0].radio("Model to train", list(figures.KINDS), format_func=figures.KINDS.get,
                         horizontal=True, key="p5_own_kind")
own_epochs = cols[1].slider("epochs", 1, 15, 8, key="p5_own_epochs")
if st.button("Train my model", key="p5_train_own", type="primary"):
    data = learner_demo(STEM, "train_and_map", kind=own_kind, epochs=own_epochs)
    if data is not None:
        try:
            st.session_state["p5_own_map"] = (own_kind, validated_map(data))
        except ValueError as err:
            st.error(f"Your model's results can't be drawn: {err}.")
if "p5_own_map" in st.session_state:
    trained_kind, own = st.session_state["p5_own_map"]
    st.plotly_chart(figures.loss_figure(own["losses"], trained_kind), width="stretch")
    left, right = st.columns([3, 2])
    with left:
        st.plotly_chart(figures.points_figure(own["points"], own["labels"],
                                              f"your {figures.KINDS[trained_kind]}'s latent "
                                              "points (test digits)"), width="stretch")
    with right:
        steps = own["grid"].shape[0]
        column = st.slider("z₁ (your decoder)", -own["extent"], own["extent"], 0.0,
                           2 * own["extent"] / (steps - 1), key="p5_own_z1")
        row = st.slider("z₂ (your decoder)", -own["extent"], own["extent"], 0.0,
                        2 * own["extent"] / (steps - 1), key="p5_own_z2")
        st.plotly_chart(figures.image_figure(figures.grid_cell(own["grid"], own["extent"],
                                                               column, row)),
                        theme=None, config={"staticPlot": True})
    with st.expander("Your decoder over the whole plane"):
        st.plotly_chart(figures.grid_figure(own["grid"], own["extent"]), width="stretch",
                        theme=None)
