"""Reference solutions for chapter 5.5: autoencoders, variational autoencoders and GANs, and
(bonus) transposed convolutions from scratch.

The source of truth for the chapter's exercises. Each exercise is the function or class under an
`@exercise(...)` giving its title, difficulty, importance, minutes, task and hints, in the order
the learner meets them. The other definitions (e.g. `train_generative`, `train_gan`) are given
code, copied as they are into the exercise file and the notebook, each just before the exercise
that follows it here: where it is defined decides where the learner meets it. The prose around
the exercises lives in pages/part5_vaes_gans/*.md, one file per section, whose `{exercise}`
directives place each one. `python -m utils.codegen` builds exercises/part5_vaes_gans.py and the
two notebooks from both.

Images are MNIST-sized, (batch, 1, 28, 28) with values in [0, 1]; on a machine without MNIST,
chapter 5.2's data layer gives the offline digits in the same format.
"""

from typing import Callable

import einops
import torch as t
import torch.nn.functional as F
from jaxtyping import Float
from torch import Tensor, nn

from utils.exercise_meta import exercise

Images = Float[Tensor, "batch 1 28 28"]


@exercise(
    title="An autoencoder",
    difficulty=3, importance=4, minutes=(15, 25),
    task=r"""
        Write `Autoencoder(latent_dim_size, hidden_dim_size)`: an `encoder` that takes a $(1, 28, 28)$
        image down to `latent_dim_size` numbers with two strided convolutions and two linear
        layers, and a `decoder` that mirrors it with transposed convolutions. The docstring lists
        the layers, in order. Every Conv2d, Linear and ConvTranspose2d keeps its bias (PyTorch's
        default; the DCGAN's layers later in the chapter drop theirs).
    """,
    hints=(
        r"""
            Each Conv2d with kernel 4, stride 2, padding 1 halves the size: $28 \to 14 \to 7$; a
            ConvTranspose2d with the same settings doubles it.
        """,
        r"""
            `nn.Flatten()` turns (batch, 32, 7, 7) into (batch, 1568); `nn.Unflatten(1, (32, 7, 7))`
            turns it back.
        """,
        r"""
            Count the layers: the checks compare state-dict keys such as `encoder.5.weight`, so
            activation layers must sit exactly where the docstring puts them.
        """,
    ),
)
class Autoencoder(nn.Module):
    """Compress a (1, 28, 28) image to `latent_dim_size` numbers, and decode it back.

    `encoder`, an nn.Sequential in exactly this order:
        Conv2d(1, 16, kernel_size=4, stride=2, padding=1), ReLU,
        Conv2d(16, 32, kernel_size=4, stride=2, padding=1), ReLU,
        Flatten, Linear(32 * 7 * 7, hidden_dim_size), ReLU, Linear(hidden_dim_size, latent_dim_size)
    `decoder`, an nn.Sequential mirroring it:
        Linear(latent_dim_size, hidden_dim_size), ReLU, Linear(hidden_dim_size, 32 * 7 * 7), ReLU,
        Unflatten(1, (32, 7, 7)),
        ConvTranspose2d(32, 16, kernel_size=4, stride=2, padding=1), ReLU,
        ConvTranspose2d(16, 1, kernel_size=4, stride=2, padding=1)
    Every Conv2d, Linear and ConvTranspose2d has its bias (PyTorch's default, bias=True).
    (The order fixes the state-dict keys, encoder.0.weight and so on, which the checks use to
    load the reference's weights into your model.)
    """

    def __init__(self, latent_dim_size: int, hidden_dim_size: int) -> None:
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Conv2d(1, 16, kernel_size=4, stride=2, padding=1), nn.ReLU(),  # 28 -> 14
            nn.Conv2d(16, 32, kernel_size=4, stride=2, padding=1), nn.ReLU(),  # 14 -> 7
            nn.Flatten(),
            nn.Linear(32 * 7 * 7, hidden_dim_size), nn.ReLU(),
            nn.Linear(hidden_dim_size, latent_dim_size),
        )
        self.decoder = nn.Sequential(
            nn.Linear(latent_dim_size, hidden_dim_size), nn.ReLU(),
            nn.Linear(hidden_dim_size, 32 * 7 * 7), nn.ReLU(),
            nn.Unflatten(1, (32, 7, 7)),
            nn.ConvTranspose2d(32, 16, kernel_size=4, stride=2, padding=1), nn.ReLU(),  # 7 -> 14
            nn.ConvTranspose2d(16, 1, kernel_size=4, stride=2, padding=1),  # 14 -> 28
        )

    def forward(self, x: Images) -> Images:
        return self.decoder(self.encoder(x))


@exercise(
    title="Training the autoencoder",
    difficulty=2, importance=4, minutes=(5, 10),
    task=r"""
        Write `ae_training_step(model, optimizer, img)`: the mean squared error between the
        reconstruction and the images, then zero the gradients, backward, step; return the loss as
        a float. The target is the input itself: no labels.
    """,
    hints=(
        "`F.mse_loss(model(img), img)`.",
    ),
)
def ae_training_step(model: Autoencoder, optimizer: t.optim.Optimizer, img: Images) -> float:
    """One step on a batch: the mean squared error between the reconstruction and the images,
    its gradients, and an optimizer step. Returns the loss as a float."""
    loss = F.mse_loss(model(img), img)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item()


# Given code. Here, after the autoencoder's step, so the notebook has it before "Train yours".
def train_generative(model: nn.Module, step: Callable[..., float | tuple[float, float]],
                     images: Images, epochs: int = 10, batch_size: int = 128, lr: float = 1e-3,
                     seed: int = 0, on_epoch: Callable[[int, list], None] | None = None) -> list:
    """Train with Adam (betas 0.5, 0.999), shuffling each epoch; `step(model, optimizer, batch)`
    is ae_training_step or vae_training_step. Returns what each step returned."""
    t.manual_seed(seed)
    optimizer = t.optim.Adam(model.parameters(), lr=lr, betas=(0.5, 0.999))
    history = []
    for epoch in range(epochs):
        order = t.randperm(len(images))
        for start in range(0, len(images), batch_size):
            history.append(step(model, optimizer, images[order[start:start + batch_size]]))
        if on_epoch is not None:
            on_epoch(epoch, history)
    return history


@exercise(
    title="A variational autoencoder",
    difficulty=3, importance=4, minutes=(15, 25),
    task=r"""
        Write `VAE(latent_dim_size, hidden_dim_size)`: the encoder outputs $2 \times$
        `latent_dim_size` numbers, $\mu$ then $\log\sigma$; `sample_latent_vector(x)` returns $(z, \mu, \log\sigma)$
        with $z = \mu + \sigma \epsilon$, $\epsilon \sim N(0, 1)$; `forward(x)` returns
        (decoder(z), $\mu$, $\log\sigma$). The layers are the Autoencoder's, biases included; only
        the encoder's last Linear is twice as wide.
    """,
    hints=(
        r"""
            An `Autoencoder(2 * latent_dim_size, hidden_dim_size)` has exactly the encoder you
            need, and `Autoencoder(latent_dim_size, hidden_dim_size)` the decoder.
        """,
        r"""
            `einops.rearrange(out, "b (n latent) -> n b latent", n=2)` splits the encoder's output
            into mu and logsigma.
        """,
        r"$\sigma = e^{\log\sigma}$; draw $\epsilon$ with `t.randn_like(mu)`.",
    ),
)
class VAE(nn.Module):
    """An autoencoder whose encoder gives a distribution over latent vectors, not one vector.

    `encoder`: the Autoencoder's, with a last Linear giving 2 * latent_dim_size numbers: the
    first latent_dim_size are the mean mu, the others log(sigma). `decoder`: the Autoencoder's.
    Biases as in the Autoencoder: every layer has one. (Build them from an Autoencoder: its
    encoder and decoder have exactly the layers you need.)
    """

    def __init__(self, latent_dim_size: int, hidden_dim_size: int) -> None:
        super().__init__()
        self.encoder = Autoencoder(2 * latent_dim_size, hidden_dim_size).encoder
        self.decoder = Autoencoder(latent_dim_size, hidden_dim_size).decoder

    def sample_latent_vector(self, x: Images) -> tuple[Tensor, Tensor, Tensor]:
        """(z, mu, logsigma), each (batch, latent_dim_size): z = mu + sigma * eps with eps drawn
        from N(0, 1), so that gradients reach mu and logsigma through z (reparameterisation)."""
        mu, logsigma = einops.rearrange(self.encoder(x), "b (n latent) -> n b latent", n=2)
        z = mu + t.exp(logsigma) * t.randn_like(mu)
        return z, mu, logsigma

    def forward(self, x: Images) -> tuple[Images, Tensor, Tensor]:
        """(reconstruction, mu, logsigma)."""
        z, mu, logsigma = self.sample_latent_vector(x)
        return self.decoder(z), mu, logsigma


@exercise(
    title="The KL term",
    difficulty=2, importance=4, minutes=(5, 10),
    task=r"""
        Write `kl_divergence(mu, logsigma)`: $D_{KL}(N(\mu, \sigma^2) \,\|\, N(0, 1)) = \tfrac12(\mu^2 + \sigma^2 - 1) - \log\sigma$
        for each latent dimension, averaged over the batch and the dimensions.
    """,
    hints=(
        r"$\sigma^2 = e^{2 \log\sigma}$: compute it from logsigma directly.",
        "`.mean()` over everything gives the scalar.",
    ),
)
def kl_divergence(mu: Tensor, logsigma: Tensor) -> Tensor:
    """KL(N(mu, sigma^2) || N(0, 1)) per latent dimension, averaged over the batch and the
    dimensions: a scalar. Per dimension it is (mu^2 + sigma^2 - 1) / 2 - log(sigma)."""
    return (0.5 * (mu ** 2 + t.exp(2 * logsigma) - 1) - logsigma).mean()


@exercise(
    title="Training the VAE",
    difficulty=2, importance=4, minutes=(10, 15),
    task=r"""
        Write `vae_training_step(model, optimizer, img, beta_kl=0.002)`: minimise $\text{MSE}(\hat x, x) + \beta \cdot D_{KL}$
        and return the reconstruction loss and the KL (without $\beta$) as floats. The default
        $\beta$ is small on purpose: both terms are means (the error over 784 pixels, the KL over
        the latent dimensions), and on our digits from about $\beta = 0.01$ the KL term wins and
        every image gets the same code (posterior collapse, shown below).
    """,
    hints=(
        "`reconstruction, mu, logsigma = model(img)`, then the two losses.",
    ),
)
def vae_training_step(model: VAE, optimizer: t.optim.Optimizer, img: Images,
                      beta_kl: float = 0.002) -> tuple[float, float]:
    """One step on the loss MSE(reconstruction, img) + beta_kl * kl_divergence(mu, logsigma).
    Returns (reconstruction loss, KL divergence) as floats, the KL without beta_kl.

    beta_kl is small because both terms are means: the MSE over 784 pixels, the KL over a few
    latent dimensions. On digits with a 2-D latent space, from about 0.01 up the KL term wins
    and every image gets the same code (posterior collapse)."""
    reconstruction, mu, logsigma = model(img)
    reconstruction_loss = F.mse_loss(reconstruction, img)
    kl = kl_divergence(mu, logsigma)
    loss = reconstruction_loss + beta_kl * kl
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return reconstruction_loss.item(), kl.item()


# ----------------------------------------------------------------------------------------------
# GANs
# ----------------------------------------------------------------------------------------------


@exercise(
    title="Tanh",
    difficulty=2, importance=2, minutes=(5, 10),
    task=r"""
        Write `Tanh`: $\tanh x = \frac{e^x - e^{-x}}{e^x + e^{-x}}$, with values and gradients that
        stay finite for inputs like $\pm 100$.
    """,
    hints=(
        r"""
            For $x \ge 0$, $\tanh x = \frac{1 - e^{-2x}}{1 + e^{-2x}}$ never overflows; use the
            mirror image for $x < 0$ (`t.where`).
        """,
        r"""
            `t.where` differentiates both branches: clamp each branch's input to its own side
            (`x.clamp(min=0)`), or the discarded branch's inf turns the gradient into NaN.
        """,
    ),
)
class Tanh(nn.Module):
    """tanh(x) elementwise, in (-1, 1); finite, with finite gradients, for any input (+-100
    included)."""

    def forward(self, x: Tensor) -> Tensor:
        # (1 - e^-2x) / (1 + e^-2x) for x >= 0 and its mirror image below: each branch only
        # exponentiates numbers <= 0, so nothing overflows. The clamps keep the branch that
        # torch.where discards finite as well: its gradient is multiplied by 0, and 0 * inf is NaN.
        e_pos = t.exp(-2 * x.clamp(min=0))
        e_neg = t.exp(2 * x.clamp(max=0))
        return t.where(x >= 0, (1 - e_pos) / (1 + e_pos), (e_neg - 1) / (e_neg + 1))


@exercise(
    title="LeakyReLU",
    difficulty=1, importance=2, minutes=(3, 5),
    task=r"""
        Write `LeakyReLU(negative_slope=0.01)`: $x$ for $x > 0$, `negative_slope` $\cdot\, x$
        otherwise.
    """,
    hints=(
        "`t.where(x > 0, x, self.negative_slope * x)`.",
    ),
)
class LeakyReLU(nn.Module):
    """x where x > 0, negative_slope * x elsewhere."""

    def __init__(self, negative_slope: float = 0.01) -> None:
        super().__init__()
        self.negative_slope = negative_slope

    def forward(self, x: Tensor) -> Tensor:
        return t.where(x > 0, x, self.negative_slope * x)


@exercise(
    title="Sigmoid",
    difficulty=2, importance=2, minutes=(5, 10),
    task=r"""
        Write `Sigmoid`: $\sigma(x) = 1 / (1 + e^{-x})$, finite with finite gradients for any
        input.
    """,
    hints=(
        r"""
            For $x < 0$ use $\sigma(x) = e^{x} / (1 + e^{x})$, so that only numbers $\le 0$ are
            exponentiated.
        """,
    ),
)
class Sigmoid(nn.Module):
    """1 / (1 + e^-x) elementwise, in (0, 1); finite, with finite gradients, for any input."""

    def forward(self, x: Tensor) -> Tensor:
        # e^-x overflows for very negative x (and then the gradient is inf / inf): as in Tanh,
        # each branch only exponentiates numbers <= 0.
        positive = 1 / (1 + t.exp(-x.clamp(min=0)))
        exp_negative = t.exp(x.clamp(max=0))
        return t.where(x >= 0, positive, exp_negative / (1 + exp_negative))


@exercise(
    title="The generator",
    difficulty=4, importance=4, minutes=(25, 40),
    task=r"""
        Write the DCGAN `Generator`: project the noise to a small stack of feature maps, then
        double the size with one transposed convolution per hidden layer, down to `img_channels`
        and a Tanh. The docstring gives every layer.
    """,
    hints=(
        r"""
            With $n$ hidden layers the first maps are $s = \mathrm{img\_size} / 2^n$ wide: for 64 and
            3 layers, $8 \times 8$.
        """,
        r"""
            Channels go the other way from the discriminator: `hidden_channels[::-1]` in,
            `hidden_channels[-2::-1] + [img_channels]` out.
        """,
        "Each block is an `nn.Sequential` of its own, inside `hidden_layers`.",
    ),
)
class Generator(nn.Module):
    """Noise (batch, latent_dim_size) -> images (batch, img_channels, img_size, img_size) in
    (-1, 1), DCGAN style. With n = len(hidden_channels) and s = img_size // 2**n:

    `project_and_reshape`, an nn.Sequential: Linear(latent_dim_size, hidden_channels[-1] * s * s,
        bias=False), Unflatten(1, (hidden_channels[-1], s, s)), BatchNorm2d(hidden_channels[-1]),
        ReLU.
    `hidden_layers`, an nn.Sequential of n blocks, from hidden_channels[-1] channels down to
        hidden_channels[0] and then img_channels, each doubling the size: ConvTranspose2d(c_in,
        c_out, kernel_size=4, stride=2, padding=1, bias=False), then BatchNorm2d(c_out) and ReLU,
        except the last block, which ends in Tanh instead (and has no BatchNorm). Each block is
        itself an nn.Sequential.
    """

    def __init__(self, latent_dim_size: int = 100, img_size: int = 64, img_channels: int = 3,
                 hidden_channels: list[int] = [128, 256, 512]) -> None:  # noqa: B006
        super().__init__()
        n = len(hidden_channels)
        first = img_size // 2 ** n
        assert first * 2 ** n == img_size, "img_size must be divisible by 2 ** len(hidden_channels)"
        self.project_and_reshape = nn.Sequential(
            nn.Linear(latent_dim_size, hidden_channels[-1] * first * first, bias=False),
            nn.Unflatten(1, (hidden_channels[-1], first, first)),
            nn.BatchNorm2d(hidden_channels[-1]),
            nn.ReLU(),
        )
        in_channels = hidden_channels[::-1]
        out_channels = hidden_channels[-2::-1] + [img_channels]
        blocks = []
        for i, (c_in, c_out) in enumerate(zip(in_channels, out_channels)):
            last = i == n - 1
            blocks.append(nn.Sequential(
                nn.ConvTranspose2d(c_in, c_out, kernel_size=4, stride=2, padding=1, bias=False),
                *((Tanh(),) if last else (nn.BatchNorm2d(c_out), nn.ReLU()))))
        self.hidden_layers = nn.Sequential(*blocks)

    def forward(self, x: Tensor) -> Tensor:
        return self.hidden_layers(self.project_and_reshape(x))


@exercise(
    title="The discriminator",
    difficulty=3, importance=4, minutes=(15, 25),
    task=r"""
        Write the DCGAN `Discriminator`: one strided convolution per hidden layer, each halving the
        size, then a linear layer and a Sigmoid: the probability that each image is real, shape
        (batch,).
    """,
    hints=(
        r"""
            No BatchNorm in the first block: it would normalise away the very statistics of real
            images the discriminator should look at.
        """,
        "`.squeeze(1)` turns (batch, 1) into (batch,).",
    ),
)
class Discriminator(nn.Module):
    """Images (batch, img_channels, img_size, img_size) -> the probability that each is real,
    shape (batch,). The mirror image of the Generator:

    `hidden_layers`, an nn.Sequential of n blocks from img_channels up to hidden_channels[0],
        ..., hidden_channels[-1] channels, each halving the size: Conv2d(c_in, c_out,
        kernel_size=4, stride=2, padding=1, bias=False), then BatchNorm2d(c_out) (except in the
        first block), then LeakyReLU(0.2). Each block is itself an nn.Sequential.
    `classifier`, an nn.Sequential: Flatten, Linear(hidden_channels[-1] * s * s, 1, bias=False),
        Sigmoid.
    """

    def __init__(self, img_size: int = 64, img_channels: int = 3,
                 hidden_channels: list[int] = [128, 256, 512]) -> None:  # noqa: B006
        super().__init__()
        n = len(hidden_channels)
        last = img_size // 2 ** n
        in_channels = [img_channels] + hidden_channels[:-1]
        blocks = []
        for i, (c_in, c_out) in enumerate(zip(in_channels, hidden_channels)):
            blocks.append(nn.Sequential(
                nn.Conv2d(c_in, c_out, kernel_size=4, stride=2, padding=1, bias=False),
                *(() if i == 0 else (nn.BatchNorm2d(c_out),)),
                LeakyReLU(0.2)))
        self.hidden_layers = nn.Sequential(*blocks)
        self.classifier = nn.Sequential(
            nn.Flatten(), nn.Linear(hidden_channels[-1] * last * last, 1, bias=False), Sigmoid())

    def forward(self, x: Tensor) -> Tensor:
        return self.classifier(self.hidden_layers(x)).squeeze(1)


@exercise(
    title="Initialising the weights",
    difficulty=2, importance=2, minutes=(5, 10),
    task=r"""
        Write `initialize_weights(model)`: every Conv2d, ConvTranspose2d and Linear weight from
        $N(0, 0.02^2)$, every BatchNorm2d weight from $N(1, 0.02^2)$, every bias of these zero; in
        place.
    """,
    hints=(
        "`model.modules()` visits every submodule, nested ones included.",
        "`nn.init.normal_(tensor, mean, std)` and `nn.init.zeros_`.",
    ),
)
def initialize_weights(model: nn.Module) -> None:
    """DCGAN's initialisation, in place, for every submodule: the weights of Conv2d,
    ConvTranspose2d and Linear from N(0, 0.02); BatchNorm2d's weight from N(1, 0.02); every bias
    (of any of these) set to 0."""
    for module in model.modules():
        if isinstance(module, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
            nn.init.normal_(module.weight, 0.0, 0.02)
        elif isinstance(module, nn.BatchNorm2d):
            nn.init.normal_(module.weight, 1.0, 0.02)
        else:
            continue
        if module.bias is not None:
            nn.init.zeros_(module.bias)


@exercise(
    title="Both networks",
    difficulty=1, importance=3, minutes=(3, 5),
    task=r"""
        Write `DCGAN`: `netG` and `netD` for the same sizes, keep `latent_dim_size`, and initialise
        everything with `initialize_weights`.
    """,
    hints=(
        "`initialize_weights(self)` at the end of `__init__`.",
    ),
)
class DCGAN(nn.Module):
    """A generator `netG` and a discriminator `netD` for the same image size, channels and
    hidden channels, both initialised with initialize_weights."""

    netG: Generator
    netD: Discriminator

    def __init__(self, latent_dim_size: int = 100, img_size: int = 64, img_channels: int = 3,
                 hidden_channels: list[int] = [128, 256, 512]) -> None:  # noqa: B006
        super().__init__()
        self.latent_dim_size = latent_dim_size
        self.netG = Generator(latent_dim_size, img_size, img_channels, hidden_channels)
        self.netD = Discriminator(img_size, img_channels, hidden_channels)
        initialize_weights(self)


# Given code. Here, so the notebook shows the loop just before the two steps it calls.
def train_gan(model: DCGAN, images: Tensor, epochs: int = 10, batch_size: int = 32,
              lr_generator: float = 1e-3, lr_discriminator: float = 2e-4, seed: int = 0,
              fixed_noise: Tensor | None = None,
              on_epoch: Callable[[int, list, Tensor | None], None] | None = None) -> list:
    """Train both networks with their own Adam (betas 0.5, 0.999) on images in [-1, 1], a
    discriminator step then a generator step per batch. Returns (loss D, loss G) per batch;
    on_epoch(epoch, history, samples) gets the generator's images for fixed_noise.

    The generator's rate is above DCGAN's usual 2e-4: on a small dataset with DCGAN's
    initialisation, at 2e-4 the discriminator wins at once and the generator's output shrinks
    to a flat grey it never recovers from (measured: both at 1e-3 trains too)."""
    t.manual_seed(seed)
    optimizer_d = t.optim.Adam(model.netD.parameters(), lr=lr_discriminator, betas=(0.5, 0.999))
    optimizer_g = t.optim.Adam(model.netG.parameters(), lr=lr_generator, betas=(0.5, 0.999))
    history = []
    for epoch in range(epochs):
        model.train()
        order = t.randperm(len(images))
        for start in range(0, len(images), batch_size):
            img_real = images[order[start:start + batch_size]]
            noise = t.randn(len(img_real), model.latent_dim_size)
            img_fake = model.netG(noise)
            loss_d = training_step_discriminator(model, optimizer_d, img_real, img_fake.detach())
            loss_g = training_step_generator(model, optimizer_g, img_fake)
            history.append((loss_d, loss_g))
        if on_epoch is not None:
            samples = None
            if fixed_noise is not None:
                model.eval()
                with t.no_grad():
                    samples = model.netG(fixed_noise)
            on_epoch(epoch, history, samples)
    return history


@exercise(
    title="The discriminator's step",
    difficulty=3, importance=5, minutes=(10, 15),
    task=r"""
        Write `training_step_discriminator(model, optimizer, img_real, img_fake)`: one step on
        $-\big(\log D(x) + \log(1 - D(G(z)))\big)$, averaged over the batch, that leaves the
        generator untouched. Run `model.netD` on the real batch and on the fake batch separately,
        in two calls: its BatchNorm layers normalise over the batch they are given, so one
        concatenated batch gives other outputs.
    """,
    hints=(
        r"""
            `img_fake.detach()`: the fakes come with the generator's graph, and this loss's
            gradient has no business there.
        """,
        r"""
            `-(t.log(d_real) + t.log(1 - d_fake)).mean()`, then zero the gradients, backward, step.
        """,
    ),
)
def training_step_discriminator(model: DCGAN, optimizer: t.optim.Optimizer, img_real: Tensor,
                                img_fake: Tensor) -> float:
    """One step of the discriminator on -(log D(real) + log(1 - D(fake))), averaged over the
    batch. img_fake may come straight from the generator: this step must not send gradients into
    the generator (detach it). Returns the loss as a float."""
    d_real = model.netD(img_real)
    d_fake = model.netD(img_fake.detach())
    loss = -(t.log(d_real) + t.log(1 - d_fake)).mean()
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item()


@exercise(
    title="The generator's step",
    difficulty=3, importance=5, minutes=(10, 15),
    task=r"""
        Write `training_step_generator(model, optimizer, img_fake)`: one step on $-\log D(G(z))$,
        averaged over the batch (not the saturating $\log(1 - D(G(z)))$).
    """,
    hints=(
        r"""
            Don't detach here: the gradient has to flow through the discriminator into the
            generator.
        """,
        r"""
            The optimizer holds only the generator's parameters, so the discriminator isn't updated
            (though it gets gradients).
        """,
    ),
)
def training_step_generator(model: DCGAN, optimizer: t.optim.Optimizer,
                            img_fake: Tensor) -> float:
    """One step of the generator on -log D(fake), averaged over the batch (the non-saturating
    loss: strong gradients while the discriminator still wins easily). img_fake = netG(noise),
    with its graph. Only the generator is updated. Returns the loss as a float."""
    loss = -t.log(model.netD(img_fake)).mean()
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item()


# ----------------------------------------------------------------------------------------------
# Bonus: transposed convolutions from scratch
# ----------------------------------------------------------------------------------------------

IntOrPair = int | tuple[int, int]


def force_pair(v: IntOrPair) -> tuple[int, int]:
    """2 -> (2, 2); (1, 2) stays (1, 2)."""
    return (v, v) if isinstance(v, int) else tuple(v)


@exercise(
    title="Transposed convolution, the simplest case",
    difficulty=3, importance=2, minutes=(15, 20),
    task=r"""
        Write `conv_transpose1d_minimal(x, weights)` for stride 1 and no padding, with weights of
        shape (in, out, kw): output width $w + k_w - 1$. Use `F.conv1d`, not `F.conv_transpose1d`.
    """,
    hints=(
        "Pad x with kw - 1 zeros on both sides.",
        r"""
            Flip the kernel along its width and swap its two channel dimensions: (in, out, kw)
            becomes (out, in, kw), what `F.conv1d` expects.
        """,
    ),
    bonus=True,
)
def conv_transpose1d_minimal(x: Float[Tensor, "b ic w"],
                             weights: Float[Tensor, "ic oc kw"]) -> Float[Tensor, "b oc ow"]:
    """Transposed convolution with stride 1 and no padding: width w in, w + kw - 1 out. Each input element
    adds weights * its value to kw consecutive outputs; equivalently, an ordinary convolution
    (F.conv1d) of x padded by kw - 1 on both sides, with the kernel flipped and its channel
    dimensions swapped."""
    kw = weights.shape[-1]
    padded = F.pad(x, (kw - 1, kw - 1))
    kernel = einops.rearrange(weights.flip(-1), "ic oc kw -> oc ic kw")
    return F.conv1d(padded, kernel)


@exercise(
    title="Spacing the input out",
    difficulty=2, importance=2, minutes=(5, 10),
    task=r"""
        Write `fractional_stride_1d(x, stride)`: `stride - 1` zeros between neighbouring elements
        of the last dimension, giving width $(w - 1) \cdot \text{stride} + 1$.
    """,
    hints=(
        "Make zeros of the new shape, then `out[..., ::stride] = x`.",
    ),
    bonus=True,
)
def fractional_stride_1d(x: Float[Tensor, "b ic w"], stride: int = 1) -> Float[Tensor, "b ic ow"]:
    """stride - 1 zeros between neighbouring elements of the last dimension:
    ow = (w - 1) * stride + 1. With stride 1, x itself."""
    out = x.new_zeros(*x.shape[:-1], (x.shape[-1] - 1) * stride + 1)
    out[..., ::stride] = x
    return out


@exercise(
    title="Transposed convolution with stride and padding",
    difficulty=4, importance=2, minutes=(15, 25),
    task=r"""
        Write `conv_transpose1d(x, weights, stride=1, padding=0)` like `F.conv_transpose1d`: output
        width $(w - 1) \cdot \text{stride} - 2 \cdot \text{padding} + k_w$.
    """,
    hints=(
        r"""
            Space the input out with fractional_stride_1d, then it is the minimal case with the
            zero-padding reduced by `padding` on each side: kw - 1 - padding.
        """,
        "`F.pad` with a negative amount crops, which is what padding > kw - 1 needs.",
    ),
    bonus=True,
)
def conv_transpose1d(x: Float[Tensor, "b ic w"], weights: Float[Tensor, "ic oc kw"],
                     stride: int = 1, padding: int = 0) -> Float[Tensor, "b oc ow"]:
    """Like F.conv_transpose1d: ow = (w - 1) * stride - 2 * padding + kw. Space the input out
    (fractional_stride_1d), pad by kw - 1 - padding, flip and swap the kernel, convolve."""
    kw = weights.shape[-1]
    spaced = fractional_stride_1d(x, stride)
    pad = kw - 1 - padding
    kernel = einops.rearrange(weights.flip(-1), "ic oc kw -> oc ic kw")
    return F.conv1d(F.pad(spaced, (pad, pad)), kernel)


@exercise(
    title="Spacing out in 2-D",
    difficulty=1, importance=1, minutes=(5, 10),
    task=r"""
        Write `fractional_stride_2d(x, stride_h, stride_w)`: the same along both of the last two
        dimensions.
    """,
    hints=(
        "`out[..., ::stride_h, ::stride_w] = x`.",
    ),
    bonus=True,
)
def fractional_stride_2d(x: Float[Tensor, "b ic h w"], stride_h: int,
                         stride_w: int) -> Float[Tensor, "b ic oh ow"]:
    """fractional_stride_1d along both of the last two dimensions."""
    out = x.new_zeros(*x.shape[:-2], (x.shape[-2] - 1) * stride_h + 1,
                      (x.shape[-1] - 1) * stride_w + 1)
    out[..., ::stride_h, ::stride_w] = x
    return out


@exercise(
    title="Transposed convolution in 2-D",
    difficulty=3, importance=2, minutes=(10, 20),
    task=r"""
        Write `conv_transpose2d(x, weights, stride=1, padding=0)` like `F.conv_transpose2d` without
        bias; stride and padding an int or an (h, w) pair, kernels need not be square.
    """,
    hints=(
        "`force_pair` (given) turns an int into a pair.",
        r"""
            Flip both kernel dimensions: `weights.flip(-1, -2)`; `F.pad` takes (left, right, top,
            bottom).
        """,
    ),
    bonus=True,
)
def conv_transpose2d(x: Float[Tensor, "b ic h w"], weights: Float[Tensor, "ic oc kh kw"],
                     stride: IntOrPair = 1, padding: IntOrPair = 0) -> Float[Tensor, "b oc oh ow"]:
    """Like F.conv_transpose2d (no bias); stride and padding an int or an (h, w) pair."""
    stride_h, stride_w = force_pair(stride)
    padding_h, padding_w = force_pair(padding)
    kh, kw = weights.shape[-2:]
    spaced = fractional_stride_2d(x, stride_h, stride_w)
    pad_h, pad_w = kh - 1 - padding_h, kw - 1 - padding_w
    kernel = einops.rearrange(weights.flip(-1, -2), "ic oc kh kw -> oc ic kh kw")
    return F.conv2d(F.pad(spaced, (pad_w, pad_w, pad_h, pad_h)), kernel)


@exercise(
    title="The module",
    difficulty=2, importance=2, minutes=(10, 15),
    task=r"""
        Write `ConvTranspose2d(in_channels, out_channels, kernel_size, stride=1, padding=0)`: a
        `weight` of shape (in, out, kh, kw), uniform in $\pm 1/\sqrt{\text{out} \cdot k_h k_w}$,
        and a forward that calls your `conv_transpose2d`.
    """,
    hints=(
        "`nn.Parameter(t.empty(...).uniform_(-bound, bound))`.",
    ),
    bonus=True,
)
class ConvTranspose2d(nn.Module):
    """Like nn.ConvTranspose2d without bias, using conv_transpose2d. `weight` has shape
    (in_channels, out_channels, kh, kw), uniform in +-1/sqrt(out_channels * kh * kw) (torch's
    default for this layer)."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: IntOrPair,
                 stride: IntOrPair = 1, padding: IntOrPair = 0) -> None:
        super().__init__()
        self.stride, self.padding = stride, padding
        kh, kw = force_pair(kernel_size)
        bound = 1 / (out_channels * kh * kw) ** 0.5
        self.weight = nn.Parameter(
            t.empty(in_channels, out_channels, kh, kw).uniform_(-bound, bound))

    def forward(self, x: Float[Tensor, "b ic h w"]) -> Float[Tensor, "b oc oh ow"]:
        return conv_transpose2d(x, self.weight, self.stride, self.padding)
