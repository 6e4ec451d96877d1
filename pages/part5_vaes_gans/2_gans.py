import streamlit as st

from utils.pretrained import trained_on
from utils.demos.part5_vaes_gans import validated_samples
from utils.demo_widgets import describe_learner_code, learner_demo
from utils.figures import part5_vaes_gans as figures
from utils.widgets import chapter_header, exercise

STEM = "part5_vaes_gans"
chapter_header(STEM, "gans")

st.markdown(
    r"""
A VAE learns to generate by learning to reconstruct, and its images come out blurred: the
squared error rewards drawing the average of everything a code might mean. A **generative
adversarial network** learns to generate by learning to fool. Two networks train against each
other:

- the **generator** $G$ turns random noise $z$ into an image $G(z)$;
- the **discriminator** $D$ looks at an image and outputs the probability that it is real.

$D$ is trained to tell real images from $G$'s, and $G$ is trained to make $D$ say "real". No
loss ever compares a generated image with a particular real one, so nothing rewards blur; what
$G$ learns is whatever $D$ can see.

The architecture we build is **DCGAN** (Radford et al., 2015): a generator made of transposed
convolutions that double the image size at each layer, a discriminator of strided convolutions
that halve it, BatchNorm in between, and a handful of choices that made GAN training stable
enough to be useful. First, three activation functions it needs, written so that they survive
any input.
"""
)

st.header("Activations that don't overflow")
st.markdown(
    r"""
$\tanh$ and the sigmoid are easy to write from their formulas and easy to break: $e^{100}$ is
already infinite in float32, and $\infty / \infty$ is NaN. Rewrite each so that only numbers
$\le 0$ are exponentiated. A second trap: `t.where(cond, a, b)` computes **both** branches and
sends gradient through both (multiplied by 0 on the side not chosen), and $0 \cdot \infty$ is
NaN, so the branch you don't use must stay finite too.
"""
)
exercise(f"{STEM}.Tanh")
exercise(f"{STEM}.LeakyReLU")
exercise(f"{STEM}.Sigmoid")

st.header("The two networks")
st.markdown(
    r"""
The generator starts from noise of size `latent_dim_size`, projects it with a linear layer to a
small stack of feature maps (for $64 \times 64$ images and three hidden layers, 512 maps of
$8 \times 8$), and doubles the size three times with `ConvTranspose2d(kernel_size=4, stride=2,
padding=1)` while halving the channels. Its last layer has as many channels as the images and
a **Tanh**, so its images live in $(-1, 1)$: the real images are scaled to the same range.

The discriminator is the mirror image: `Conv2d(kernel_size=4, stride=2, padding=1)` layers
halve the size while the channels grow, **LeakyReLU** keeps a gradient for negative inputs (a
discriminator with dead units gives the generator nothing to learn from), and a final linear
layer and sigmoid give one probability per image.
"""
)
exercise(f"{STEM}.Generator")
exercise(f"{STEM}.Discriminator")
st.markdown(
    r"""
DCGAN also fixes the initial weights: small, $N(0, 0.02^2)$, for every convolution and linear
layer, and $N(1, 0.02^2)$ for BatchNorm's scale.
"""
)
exercise(f"{STEM}.initialize_weights")
exercise(f"{STEM}.DCGAN")

st.header("Training: a two-player game")
st.markdown(
    r"""
Each batch takes two steps. The **discriminator** maximises its log-likelihood of getting both
kinds right, so it minimises

$$
\mathcal{L}_D = -\Big(\log D(x) + \log\big(1 - D(G(z))\big)\Big).
$$

The **generator** would, in the original minimax game, minimise $\log(1 - D(G(z)))$. But early
on $D$ rejects every fake with confidence, $D(G(z)) \approx 0$. As a function of $D$, that loss
is not flat there: its slope is $-1$. The trouble is the sigmoid in between. $D = \sigma(a)$,
where $a$ is the discriminator's last output (its *logit*), and the generator's gradient
reaches it through $a$:

$$
\frac{d}{da} \log\big(1 - \sigma(a)\big) = -\sigma(a) = -D \;\to\; 0,
\qquad
\frac{d}{da} \Big(-\log \sigma(a)\Big) = -\big(1 - \sigma(a)\big) \;\to\; -1
\qquad \text{as } D \to 0 .
$$

With $D(G(z)) = 0.001$, the first passes on a thousandth of the gradient the second does. So
the generator minimises $-\log D(G(z))$ instead: the same goal (both are smallest when $D$ is
fooled), and a gradient at full strength exactly when its images are worst.

Two details decide whether the steps are right. The discriminator's step must not change the
generator: the fake images arrive with the generator's graph attached, so **detach** them. The
generator's step needs the gradient to flow *through* the discriminator into the generator, so
no detaching there; its optimizer holds only the generator's parameters, so the discriminator
stays as it is. And the discriminator sees the real batch and the fake batch in two separate
calls, as PyTorch's DCGAN example does: in training mode its BatchNorm layers normalise with
the statistics of the batch they are given, so one concatenated batch would give different
outputs.
"""
)
exercise(f"{STEM}.training_step_discriminator")
exercise(f"{STEM}.training_step_generator")

st.subheader("Logs of probabilities, in float32")
st.markdown(
    r"""
Our Sigmoid never overflows, but both losses take the log of what it returns, and float32 undoes
the care. Once the logit $a$ is above about 17, $e^{-a}$ is too small to change $1 + e^{-a}$, so
$\sigma(a)$ is exactly 1: a discriminator that is sure a fake is real gives
$\log(1 - D) = -\infty$, an infinite loss and NaN gradients. At the other end, $\sigma(a)$
underflows to 0 below about $a = -104$ (`torch.sigmoid`, like the naive $1/(1+e^{-a})$,
already below about $-88.7$, where $e^{-a}$ overflows), and $\log D = -\infty$.

The cure is never to form the probability. Let the discriminator output its logit $a$, and
compute the logs from it directly:

$$
\log D = \log \sigma(a) = -\log\big(1 + e^{-a}\big), \qquad
\log(1 - D) = \log\big(1 - \sigma(a)\big) = \log \sigma(-a),
$$

both finite for every finite $a$. In PyTorch that is `F.logsigmoid(a)` and `F.logsigmoid(-a)`,
or the whole loss in one call with `F.binary_cross_entropy_with_logits` (the module is
`nn.BCEWithLogitsLoss`): target 1 for the real images, and 0 for the fakes in the
discriminator's step and 1 for them in the generator's.

`nn.BCELoss`, which takes probabilities, avoids the infinity differently: it clamps each log at
$-100$. The loss stays finite, but the learning signal is gone, because once $\sigma(a)$ has
rounded to 1 the sigmoid's own slope is 0 and nothing reaches $a$. For $a = 30$ and target 0,
`BCELoss` on $\sigma(a)$ gives a loss of 100 and a gradient of 0 with respect to $a$;
`F.binary_cross_entropy_with_logits` gives a loss of 30 and a gradient of 1 (that is,
$\sigma(a) - y$).

The exercises keep the Sigmoid inside the Discriminator and take logs of its output, as the
reference material does, and the checks expect that. In your own GANs, end the discriminator
at the logit.
"""
)

st.header("Watching a GAN learn")
_, snapshots = figures.demo_gan()
st.markdown(
    rf"""
The demo DCGAN ($28 \times 28$, hidden channels [32, 64], a 32-number noise) trained for
{len(snapshots)} epochs on {trained_on()} with `train_gan`, which gives the generator a learning
rate of $10^{{-3}}$ rather than DCGAN's usual $2 \times 10^{{-4}}$: at the usual rate and with
this little data, the discriminator wins at once and the generator's images fade to a flat grey
it never recovers from. Drag through training: the same 16 noise vectors, decoded after each
epoch.
"""
)
epoch = st.slider("after epoch", 1, len(snapshots), len(snapshots), key="p5_gan_epoch")
st.plotly_chart(figures.sample_mosaic(snapshots[epoch - 1].numpy()), width="stretch",
                theme=None, config={"staticPlot": True})

st.subheader("Walk between two noise vectors")
st.markdown(
    r"""
Pick two random noise vectors and slide from one to the other: the generator's images change
smoothly, because nearby noise gives nearby images. Nothing in training asked for that; it comes
from the generator being a smooth function.
"""
)
cols = st.columns(3)
start_seed = cols[0].number_input("first noise (seed)", 0, 10_000, 1, key="p5_gan_a")
end_seed = cols[1].number_input("second noise (seed)", 0, 10_000, 2, key="p5_gan_b")
mix = cols[2].slider("from first to second", 0.0, 1.0, 0.5, 0.05, key="p5_gan_mix")
st.plotly_chart(figures.sample_mosaic(figures.interpolated_samples(int(start_seed),
                                                                  int(end_seed), mix)),
                width="stretch", theme=None, config={"staticPlot": True})

st.subheader("Mode collapse")
st.markdown(
    r"""
The generator's loss asks each fake to fool the discriminator; nothing asks the fakes to differ
from one another. So a generator can do well by drawing one convincing kind of image, say a
neat 1, for every $z$. This is **mode collapse**: the data has many modes (ten digits, each in
many styles) and the generator covers few of them. Often it is not stable either: the
discriminator learns that 1s are suspect, the generator moves on to 7s, and the two chase each
other from mode to mode instead of covering them all.

The losses don't reliably show it; the samples do. Decode many different noise vectors at once, as the
grids above do, and look for the same image (or the same few) coming back for different $z$. A
digit classifier run on a thousand samples makes it a number: a collapsed generator's class
counts are far from even. Partial collapse is common too: every digit, but each in one style.

Two common remedies. **Minibatch features** let the discriminator look at a whole batch at
once: minibatch discrimination (Salimans et al., 2016), or more simply the standard deviation
of its features across the batch as one extra feature (Karras et al., 2018), so that a batch of
near-identical fakes is easy to reject. A **different loss**: the
Wasserstein GAN (Arjovsky et al., 2017; with a gradient penalty, Gulrajani et al., 2017) keeps
giving the generator useful gradients while the discriminator wins, and its authors report
seeing no mode collapse in their experiments.
"""
)

st.subheader("Faces")
face_images, face_source = figures.faces()
st.markdown(
    f"""
DCGAN was made for $64 \\times 64$ colour images, and faces are its classic demo. With internet,
`utils.data.get_celeba()` downloads the aligned CelebA faces (the first of Hugging Face's three
parquet shards, 462 MB; CelebA's licence allows non-commercial research only), decodes them once
and caches them; offline it gives scikit-image's small LFW faces in the same format. Here:
**{face_source}**.
"""
)
st.plotly_chart(figures.face_row(face_images), width="stretch", theme=None,
                config={"staticPlot": True})
st.code(figures.FACES_EXAMPLE, language="python")
st.caption("On 2 CPU cores this DCGAN takes about 0.2 s per batch of 64 (about half a minute per "
           "10 000 faces); the default channels [128, 256, 512] are about 12x slower, GPU "
           "territory.")

st.header("Train yours")
st.markdown(
    r"""
Train your own DCGAN (your networks, your initialisation, your two steps) on the offline digits
in the sandbox, and see what its generator makes of the same noise after each epoch. Eight
epochs take under ten seconds; expect blobs turning into strokes rather than finished digits.
"""
)
describe_learner_code(STEM)
own_epochs = st.slider("epochs", 1, 10, 8, key="p5_gan_own_epochs")
if st.button("Train my GAN", key="p5_gan_train_own", type="primary"):
    data = learner_demo(STEM, "train_gan_samples", epochs=own_epochs)
    if data is not None:
        try:
            st.session_state["p5_gan_own"] = validated_samples(data)
        except ValueError as err:
            st.error(f"Your GAN's results can't be drawn: {err}.")
if "p5_gan_own" in st.session_state:
    own = st.session_state["p5_gan_own"]
    shown = st.slider("your generator after epoch", 1, len(own["snapshots"]),
                      len(own["snapshots"]), key="p5_gan_own_epoch") \
        if len(own["snapshots"]) > 1 else 1
    st.plotly_chart(figures.sample_mosaic(own["snapshots"][shown - 1]), width="stretch",
                    theme=None, config={"staticPlot": True})
    st.plotly_chart(figures.gan_losses(own["losses"]), width="stretch")
