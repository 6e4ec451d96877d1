from utils.widgets import chapter_header, question

STEM = "part5_vaes_gans"
chapter_header(STEM, "understanding")

question(
    "Why can't an autoencoder with a 2-D latent space reconstruct digits perfectly?",
    "Two numbers can't hold everything about 784 pixels. The encoder keeps what reduces the error "
    "most (which digit, its slant, its thickness) and the decoder draws a typical digit with "
    "those properties: reconstructions come out blurred towards an average.",
)
question(
    "Why does decoding a random point work for a VAE but not for an autoencoder?",
    "Nothing trains an autoencoder's decoder on points between or away from the codes of real "
    "images, so what it draws there is arbitrary. A VAE's decoder sees samples from a Gaussian "
    "around every code, and the KL term keeps those Gaussians overlapping near N(0, 1): the "
    "whole region you would sample from has been trained on.",
)
question(
    "What would go wrong with `z = mu + logsigma * t.randn_like(mu)`?",
    "It treats log(sigma) as the standard deviation: the spread would be negative or tiny where "
    "it should be large, the KL term (which assumes sigma = exp(logsigma)) would no longer "
    "describe the distribution actually sampled, and the two would pull the encoder in "
    "inconsistent directions.",
)
question(
    "Why predict log(sigma) instead of sigma?",
    "A standard deviation must be positive, but a linear layer outputs any real number. "
    "exp(log sigma) is positive for every output, with no clipping and no dead region; it also "
    "makes the KL term's -log(sigma) simply minus the output.",
)
question(
    "What is posterior collapse, and what does beta have to do with it?",
    "The encoder outputs mu = 0 and sigma = 1 for every image, so the KL term is 0 and the "
    "decoder ignores z, drawing one average digit. It happens when beta times the KL outweighs "
    "what the code saves in reconstruction, e.g. a large beta with a per-pixel mean MSE.",
)
question(
    "Why must the discriminator's step detach the fake images?",
    "They carry the generator's graph. Without detaching, backward on the discriminator's loss "
    "also fills the generator's gradients with the gradient of *helping the discriminator*; "
    "the generator's optimizer, if it stepped before they were zeroed, would make the fakes "
    "easier to spot. Detaching also saves a backward pass through the generator.",
)
question(
    "Why does the generator minimise $-\\log D(G(z))$ rather than $\\log(1 - D(G(z)))$?",
    "Both are smallest when the discriminator is fooled. Early in training $D(G(z)) = "
    "\\sigma(a)$ is near 0, and the gradient reaches the generator through the "
    "discriminator's logit $a$: $\\frac{d}{da} \\log(1 - \\sigma(a)) = -\\sigma(a)$, "
    "which vanishes as $D \\to 0$ (as a function of $D$, $\\log(1 - D)$ is not flat there: "
    "its slope is $-1$; the sigmoid's slope is what vanishes). $\\frac{d}{da}(-\\log "
    "\\sigma(a)) = -(1 - \\sigma(a)) \\to -1$, so the generator learns fastest exactly when "
    "its images are worst.",
)
question(
    "The losses of a GAN don't go steadily down. Why, and how do you know it is learning?",
    "Each network's loss depends on the other, which keeps improving: a good generator step "
    "raises the discriminator's loss and vice versa. Look at samples from a fixed noise batch "
    "over training instead; a discriminator loss near 0 for long means it has won and the "
    "generator has stopped learning.",
)
question(
    "What is mode collapse, and how would you notice it?",
    "The generator covers only a few of the data's modes (say, draws only 1s and 7s, or every "
    "digit in one style), because its loss only asks each fake to fool the discriminator, not "
    "to differ from the others. The losses don't reliably show it; samples from many "
    "different noise vectors do: the same few images keep coming back. Giving the "
    "discriminator a view of the whole batch (minibatch discrimination, a minibatch "
    "standard-deviation feature) or a Wasserstein loss makes it rarer.",
)
question(
    "Your discriminator ends in a sigmoid and its loss turns into inf or NaN. Why, and what do "
    "you use instead?",
    "In float32, $\\sigma(a)$ rounds to exactly 1 once the logit $a$ is above about 17 (and "
    "to 0 below about -89 to -104, depending on the implementation), and the log of "
    "$1 - 1$ or of 0 is $-\\infty$. Work with the "
    "logit: $\\log \\sigma(a)$ = `F.logsigmoid(a)`, $\\log(1 - \\sigma(a))$ = "
    "`F.logsigmoid(-a)`, or `F.binary_cross_entropy_with_logits`. `nn.BCELoss` clamps the "
    "log at -100: the loss is finite, but the gradient with respect to $a$ is 0 once the "
    "sigmoid has saturated.",
)
question(
    "Why is there no BatchNorm in the discriminator's first layer?",
    "The DCGAN paper found that BatchNorm on every layer made training oscillate and unstable, "
    "and left it out of the discriminator's input layer (and the generator's output layer). A "
    "likely reason: it would normalise the first features of each batch, real or fake, to the "
    "same statistics, hiding exactly the batch-level differences the discriminator could use.",
)
question(
    "Why does ConvTranspose2d(kernel_size=4, stride=2, padding=1) exactly double the size?",
    "Its output size is (n - 1) * stride - 2 * padding + kernel = 2(n - 1) - 2 + 4 = 2n, the "
    "mirror image of Conv2d with the same settings, which halves it: floor((2n + 2 - 4) / 2) + 1 "
    "= n.",
)
