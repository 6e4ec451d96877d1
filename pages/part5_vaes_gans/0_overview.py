from utils.widgets import chapter_overview

chapter_overview(
    "part5_vaes_gans",
    introduction=r"""
Every model so far answered a question about an image: which digit, which class. A
**generative** model learns the images themselves, well enough to make new ones.

The simplest way in is to squeeze: an **autoencoder** compresses each digit to a couple of
numbers and rebuilds it from them. To succeed, those numbers must capture what matters about the
digit; they are its coordinates in a **latent space**. A **variational autoencoder** then makes
that space orderly enough that any point in it decodes to something plausible, so you can walk
through it with a slider and watch one digit turn into another.

Generative adversarial networks (a generator against a discriminator) and transposed
convolutions from scratch come next in this chapter.
""",
    objectives=r"""
- Build a convolutional autoencoder, and train it to reconstruct its input.
- Explain why an autoencoder's latent space has holes, and how a VAE's
  reparameterisation and KL term fill them.
- Derive the KL divergence between a Gaussian and the standard normal, and balance it against
  the reconstruction loss.
- Read a latent space: where the digits land, and what the decoder draws in between.
""",
)
