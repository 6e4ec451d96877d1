"""Chapter 5's exercises, in the order a learner meets them."""

from functools import partial

from utils.registry import Chapter, Exercise

_ex = partial(Exercise, "part5_vaes_gans")

EXERCISES = (
    _ex(
        "Autoencoder", "An autoencoder", section="autoencoders", difficulty=3, importance=4,
        minutes=(15, 25),
        task=(r"Write `Autoencoder(latent_dim_size, hidden_dim_size)`: an `encoder` that takes "
              r"a $(1, 28, 28)$ image down to `latent_dim_size` numbers with two strided "
              r"convolutions and two linear layers, and a `decoder` that mirrors it with "
              r"transposed convolutions. The docstring lists the layers, in order. Every "
              r"Conv2d, Linear and ConvTranspose2d keeps its bias (PyTorch's default; the "
              r"DCGAN's layers later in the chapter drop theirs)."),
        hints=(
            r"Each Conv2d with kernel 4, stride 2, padding 1 halves the size: "
            r"$28 \to 14 \to 7$; a ConvTranspose2d with the same settings doubles it.",
            "`nn.Flatten()` turns (batch, 32, 7, 7) into (batch, 1568); `nn.Unflatten(1, (32, "
            "7, 7))` turns it back.",
            "Count the layers: the checks compare state-dict keys such as `encoder.5.weight`, "
            "so activation layers must sit exactly where the docstring puts them.",
        ),
    ),
    _ex(
        "ae_training_step", "Training the autoencoder", section="autoencoders", difficulty=2,
        importance=4, minutes=(5, 10),
        task=("Write `ae_training_step(model, optimizer, img)`: the mean squared error between "
              "the reconstruction and the images, then zero the gradients, backward, step; "
              "return the loss as a float. The target is the input itself: no labels."),
        hints=("`F.mse_loss(model(img), img)`.",),
    ),
    _ex(
        "VAE", "A variational autoencoder", section="autoencoders", difficulty=3,
        importance=4, minutes=(15, 25),
        task=(r"Write `VAE(latent_dim_size, hidden_dim_size)`: the encoder outputs $2 \times$ "
              r"`latent_dim_size` numbers, $\mu$ then $\log\sigma$; `sample_latent_vector(x)` "
              r"returns $(z, \mu, \log\sigma)$ with $z = \mu + \sigma \epsilon$, "
              r"$\epsilon \sim N(0, 1)$; `forward(x)` returns (decoder(z), $\mu$, $\log\sigma$). "
              r"The layers are the Autoencoder's, biases included; only the encoder's last "
              r"Linear is twice as wide."),
        hints=(
            "An `Autoencoder(2 * latent_dim_size, hidden_dim_size)` has exactly the encoder "
            "you need, and `Autoencoder(latent_dim_size, hidden_dim_size)` the decoder.",
            "`einops.rearrange(out, \"b (n latent) -> n b latent\", n=2)` splits the encoder's "
            "output into mu and logsigma.",
            r"$\sigma = e^{\log\sigma}$; draw $\epsilon$ with `t.randn_like(mu)`.",
        ),
    ),
    _ex(
        "kl_divergence", "The KL term", section="autoencoders", difficulty=2, importance=4,
        minutes=(5, 10),
        task=(r"Write `kl_divergence(mu, logsigma)`: $D_{KL}(N(\mu, \sigma^2) \,\|\, N(0, 1)) "
              r"= \tfrac12(\mu^2 + \sigma^2 - 1) - \log\sigma$ for each latent dimension, "
              r"averaged over the batch and the dimensions."),
        hints=(r"$\sigma^2 = e^{2 \log\sigma}$: compute it from logsigma directly.",
               "`.mean()` over everything gives the scalar."),
    ),
    _ex(
        "vae_training_step", "Training the VAE", section="autoencoders", difficulty=2,
        importance=4, minutes=(10, 15),
        task=(r"Write `vae_training_step(model, optimizer, img, beta_kl=0.002)`: minimise "
              r"$\text{MSE}(\hat x, x) + \beta \cdot D_{KL}$ and return the reconstruction loss "
              r"and the KL (without $\beta$) as floats. The default $\beta$ is small on purpose: "
              r"both terms are means (the error over 784 pixels, the KL over the latent "
              r"dimensions), and on our digits from about $\beta = 0.01$ the KL term wins and "
              r"every image gets the same code (posterior collapse, shown below)."),
        hints=("`reconstruction, mu, logsigma = model(img)`, then the two losses.",),
    ),
    # -- GANs --------------------------------------------------------------------------------
    _ex("Tanh", "Tanh", section="gans", difficulty=2, importance=2, minutes=(5, 10),
        task=(r"Write `Tanh`: $\tanh x = \frac{e^x - e^{-x}}{e^x + e^{-x}}$, with values and "
              r"gradients that stay finite for inputs like $\pm 100$."),
        hints=(r"For $x \ge 0$, $\tanh x = \frac{1 - e^{-2x}}{1 + e^{-2x}}$ never overflows; "
               r"use the mirror image for $x < 0$ (`t.where`).",
               "`t.where` differentiates both branches: clamp each branch's input to its own "
               "side (`x.clamp(min=0)`), or the discarded branch's inf turns the gradient into "
               "NaN.")),
    _ex("LeakyReLU", "LeakyReLU", section="gans", difficulty=1, importance=2, minutes=(3, 5),
        task="Write `LeakyReLU(negative_slope=0.01)`: $x$ for $x > 0$, `negative_slope` "
             r"$\cdot\, x$ otherwise.",
        hints=("`t.where(x > 0, x, self.negative_slope * x)`.",)),
    _ex("Sigmoid", "Sigmoid", section="gans", difficulty=2, importance=2, minutes=(5, 10),
        task=(r"Write `Sigmoid`: $\sigma(x) = 1 / (1 + e^{-x})$, finite with finite gradients "
              r"for any input."),
        hints=(r"For $x < 0$ use $\sigma(x) = e^{x} / (1 + e^{x})$, so that only numbers "
               r"$\le 0$ are exponentiated.",)),
    _ex("Generator", "The generator", section="gans", difficulty=4, importance=4,
        minutes=(25, 40),
        task=(r"Write the DCGAN `Generator`: project the noise to a small stack of feature maps, "
              r"then double the size with one transposed convolution per hidden layer, down to "
              r"`img_channels` and a Tanh. The docstring gives every layer."),
        hints=(r"With $n$ hidden layers the first maps are $s = \text{img\_size} / 2^n$ wide: "
               r"for 64 and 3 layers, $8 \times 8$.",
               "Channels go the other way from the discriminator: `hidden_channels[::-1]` in, "
               "`hidden_channels[-2::-1] + [img_channels]` out.",
               "Each block is an `nn.Sequential` of its own, inside `hidden_layers`.")),
    _ex("Discriminator", "The discriminator", section="gans", difficulty=3, importance=4,
        minutes=(15, 25),
        task=("Write the DCGAN `Discriminator`: one strided convolution per hidden layer, each "
              "halving the size, then a linear layer and a Sigmoid: the probability that each "
              "image is real, shape (batch,)."),
        hints=("No BatchNorm in the first block: it would normalise away the very statistics "
               "of real images the discriminator should look at.",
               "`.squeeze(1)` turns (batch, 1) into (batch,).")),
    _ex("initialize_weights", "Initialising the weights", section="gans", difficulty=2,
        importance=2, minutes=(5, 10),
        task=(r"Write `initialize_weights(model)`: every Conv2d, ConvTranspose2d and Linear "
              r"weight from $N(0, 0.02^2)$, every BatchNorm2d weight from $N(1, 0.02^2)$, every "
              r"bias of these zero; in place."),
        hints=("`model.modules()` visits every submodule, nested ones included.",
               "`nn.init.normal_(tensor, mean, std)` and `nn.init.zeros_`.")),
    _ex("DCGAN", "Both networks", section="gans", difficulty=1, importance=3, minutes=(3, 5),
        task=("Write `DCGAN`: `netG` and `netD` for the same sizes, keep `latent_dim_size`, and "
              "initialise everything with `initialize_weights`."),
        hints=("`initialize_weights(self)` at the end of `__init__`.",)),
    _ex("training_step_discriminator", "The discriminator's step", section="gans",
        difficulty=3, importance=5, minutes=(10, 15),
        task=(r"Write `training_step_discriminator(model, optimizer, img_real, img_fake)`: one "
              r"step on $-\big(\log D(x) + \log(1 - D(G(z)))\big)$, averaged over the batch, "
              r"that leaves the generator untouched. Run `model.netD` on the real batch and on "
              r"the fake batch separately, in two calls: its BatchNorm layers normalise over "
              r"the batch they are given, so one concatenated batch gives other outputs."),
        hints=("`img_fake.detach()`: the fakes come with the generator's graph, and this loss's "
               "gradient has no business there.",
               "`-(t.log(d_real) + t.log(1 - d_fake)).mean()`, then zero the gradients, "
               "backward, step.")),
    _ex("training_step_generator", "The generator's step", section="gans", difficulty=3,
        importance=5, minutes=(10, 15),
        task=(r"Write `training_step_generator(model, optimizer, img_fake)`: one step on "
              r"$-\log D(G(z))$, averaged over the batch (not the saturating "
              r"$\log(1 - D(G(z)))$)."),
        hints=("Don't detach here: the gradient has to flow through the discriminator into "
               "the generator.",
               "The optimizer holds only the generator's parameters, so the discriminator "
               "isn't updated (though it gets gradients).")),
    # -- Bonus: transposed convolutions from scratch --------------------------------------------
    _ex("conv_transpose1d_minimal", "Transposed convolution, the simplest case",
        section="transposed", difficulty=3, importance=2, minutes=(15, 20), bonus=True,
        task=(r"Write `conv_transpose1d_minimal(x, weights)` for stride 1 and no padding, with "
              r"weights of shape (in, out, kw): output width $w + k_w - 1$. Use `F.conv1d`, not "
              r"`F.conv_transpose1d`."),
        hints=("Pad x with kw - 1 zeros on both sides.",
               "Flip the kernel along its width and swap its two channel dimensions: (in, out, "
               "kw) becomes (out, in, kw), what `F.conv1d` expects.")),
    _ex("fractional_stride_1d", "Spacing the input out", section="transposed", difficulty=2,
        importance=2, minutes=(5, 10), bonus=True,
        task=(r"Write `fractional_stride_1d(x, stride)`: `stride - 1` zeros between neighbouring "
              r"elements of the last dimension, giving width $(w - 1) \cdot \text{stride} + 1$."),
        hints=("Make zeros of the new shape, then `out[..., ::stride] = x`.",)),
    _ex("conv_transpose1d", "Transposed convolution with stride and padding",
        section="transposed", difficulty=4, importance=2, minutes=(15, 25), bonus=True,
        task=(r"Write `conv_transpose1d(x, weights, stride=1, padding=0)` like "
              r"`F.conv_transpose1d`: output width $(w - 1) \cdot \text{stride} - 2 \cdot "
              r"\text{padding} + k_w$."),
        hints=("Space the input out with fractional_stride_1d, then it is the minimal case with "
               "the zero-padding reduced by `padding` on each side: kw - 1 - padding.",
               "`F.pad` with a negative amount crops, which is what padding > kw - 1 needs.")),
    _ex("fractional_stride_2d", "Spacing out in 2-D", section="transposed", difficulty=1,
        importance=1, minutes=(5, 10), bonus=True,
        task="Write `fractional_stride_2d(x, stride_h, stride_w)`: the same along both of the "
             "last two dimensions.",
        hints=("`out[..., ::stride_h, ::stride_w] = x`.",)),
    _ex("conv_transpose2d", "Transposed convolution in 2-D", section="transposed",
        difficulty=3, importance=2, minutes=(10, 20), bonus=True,
        task=("Write `conv_transpose2d(x, weights, stride=1, padding=0)` like "
              "`F.conv_transpose2d` without bias; stride and padding an int or an (h, w) pair, "
              "kernels need not be square."),
        hints=("`force_pair` (given) turns an int into a pair.",
               "Flip both kernel dimensions: `weights.flip(-1, -2)`; `F.pad` takes (left, "
               "right, top, bottom).")),
    _ex("ConvTranspose2d", "The module", section="transposed", difficulty=2, importance=2,
        minutes=(10, 15), bonus=True,
        task=(r"Write `ConvTranspose2d(in_channels, out_channels, kernel_size, stride=1, "
              r"padding=0)`: a `weight` of shape (in, out, kh, kw), uniform in "
              r"$\pm 1/\sqrt{\text{out} \cdot k_h k_w}$, and a forward that calls your "
              r"`conv_transpose2d`."),
        hints=("`nn.Parameter(t.empty(...).uniform_(-bound, bound))`.",)),
)

CHAPTER = Chapter(
    stem="part5_vaes_gans",
    number=5,
    title="VAEs & GANs",
    blurb="Autoencoders, VAEs and GANs on digits, with a latent space to explore, and "
          "transposed convolutions from scratch.",
    sections=(
        ("overview", "Overview"),
        ("autoencoders", "Autoencoders and VAEs"),
        ("gans", "GANs"),
        ("transposed", "Bonus: transposed convolutions from scratch"),
        ("understanding", "Check your understanding"),
    ),
    exercises=EXERCISES,
)