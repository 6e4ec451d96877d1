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

Then a different idea: a **generative adversarial network**, where a generator learns to make
images by trying to fool a discriminator that learns to tell them from real ones. You build
DCGAN's two networks, its initialisation and its two training steps, watch a GAN learn, and
train your own.

In the bonus section you build the transposed convolution every decoder here relies on, from an
ordinary convolution.
""",
    objectives=r"""
- Build a convolutional autoencoder, and train it to reconstruct its input.
- Explain why an autoencoder's latent space has holes, and how a VAE's
  reparameterisation and KL term fill them.
- Derive the VAE's loss from the evidence lower bound, with the KL divergence between a
  Gaussian and the standard normal in closed form, and choose $\beta$ so that the posterior
  doesn't collapse.
- Read a latent space: where the digits land, and what the decoder draws in between.
- Build a DCGAN and write its two training steps: which network each loss updates, where to
  detach, and why the generator minimises $-\log D(G(z))$.
- Write numerically safe Tanh and Sigmoid, and keep a GAN's logs finite by working with logits.
- Recognise mode collapse in a GAN's samples.
- (Bonus) Build a transposed convolution with stride and padding from an ordinary one.
""",
)
