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
              r"transposed convolutions. The docstring lists the layers, in order."),
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
              r"$\epsilon \sim N(0, 1)$; `forward(x)` returns (decoder(z), $\mu$, $\log\sigma$)."),
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
        task=(r"Write `vae_training_step(model, optimizer, img, beta_kl=0.1)`: minimise "
              r"$\text{MSE}(\hat x, x) + \beta \cdot D_{KL}$ and return the reconstruction loss "
              r"and the KL (without $\beta$) as floats."),
        hints=("`reconstruction, mu, logsigma = model(img)`, then the two losses.",),
    ),
)

CHAPTER = Chapter(
    stem="part5_vaes_gans",
    number=5,
    title="VAEs & GANs",
    blurb="Autoencoders and variational autoencoders on digits, with a latent space to explore.",
    sections=(
        ("overview", "Overview"),
        ("autoencoders", "Autoencoders and VAEs"),
        ("understanding", "Check your understanding"),
    ),
    exercises=EXERCISES,
)
