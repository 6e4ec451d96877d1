"""Plausible wrong answers to chapter 5.5's exercises: each must be rejected by its check."""

import einops
import torch as t
import torch.nn.functional as F
from torch import nn

from solutions import part5_vaes_gans as ref


class AutoencoderNoPadding(nn.Module):
    """Convolutions without padding: 28 -> 13 -> 5, so the Linear sizes can't match."""

    def __init__(self, latent_dim_size, hidden_dim_size):
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Conv2d(1, 16, 4, 2), nn.ReLU(), nn.Conv2d(16, 32, 4, 2), nn.ReLU(), nn.Flatten(),
            nn.Linear(32 * 5 * 5, hidden_dim_size), nn.ReLU(),
            nn.Linear(hidden_dim_size, latent_dim_size))
        self.decoder = ref.Autoencoder(latent_dim_size, hidden_dim_size).decoder

    def forward(self, x):
        return self.decoder(self.encoder(x))


class AutoencoderReluOnLatent(ref.Autoencoder):
    """A ReLU after the last encoder layer: the code can't go negative."""

    def __init__(self, latent_dim_size, hidden_dim_size):
        super().__init__(latent_dim_size, hidden_dim_size)
        self.encoder.append(nn.ReLU())


class AutoencoderSigmoidOut(ref.Autoencoder):
    def __init__(self, latent_dim_size, hidden_dim_size):
        super().__init__(latent_dim_size, hidden_dim_size)
        self.decoder.append(nn.Sigmoid())


class AutoencoderReluBeforeUnflatten(nn.Module):
    """ReLU and Unflatten swapped (the same state-dict keys, as neither has parameters), and a
    tanh at the end: the layer-by-layer comparison names the first layer that differs."""

    def __init__(self, latent_dim_size, hidden_dim_size):
        super().__init__()
        self.encoder = ref.Autoencoder(latent_dim_size, hidden_dim_size).encoder
        self.decoder = nn.Sequential(
            nn.Linear(latent_dim_size, hidden_dim_size), nn.ReLU(),
            nn.Linear(hidden_dim_size, 32 * 7 * 7), nn.Unflatten(1, (32, 7, 7)), nn.ReLU(),
            nn.ConvTranspose2d(32, 16, 4, 2, 1), nn.ReLU(), nn.ConvTranspose2d(16, 1, 4, 2, 1),
            nn.Tanh())

    def forward(self, x):
        return self.decoder(self.encoder(x))


def ae_step_sum(model, optimizer, img):
    loss = F.mse_loss(model(img), img, reduction="sum")
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item()


def ae_step_no_zero_grad(model, optimizer, img):
    loss = F.mse_loss(model(img), img)
    loss.backward()
    optimizer.step()
    return loss.item()


def ae_step_returns_tensor(model, optimizer, img):
    loss = F.mse_loss(model(img), img)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss


class VAESwappedHalves(ref.VAE):
    def sample_latent_vector(self, x):
        logsigma, mu = einops.rearrange(self.encoder(x), "b (n latent) -> n b latent", n=2)
        return mu + t.exp(logsigma) * t.randn_like(mu), mu, logsigma


class VAEInterleaved(ref.VAE):
    def sample_latent_vector(self, x):
        mu, logsigma = einops.rearrange(self.encoder(x), "b (latent n) -> n b latent", n=2)
        return mu + t.exp(logsigma) * t.randn_like(mu), mu, logsigma


class VAELogsigmaAsSigma(ref.VAE):
    def sample_latent_vector(self, x):
        mu, logsigma = einops.rearrange(self.encoder(x), "b (n latent) -> n b latent", n=2)
        return mu + logsigma * t.randn_like(mu), mu, logsigma


class VAENoNoise(ref.VAE):
    def sample_latent_vector(self, x):
        mu, logsigma = einops.rearrange(self.encoder(x), "b (n latent) -> n b latent", n=2)
        return mu, mu, logsigma


class VAESigmaDetached(ref.VAE):
    def sample_latent_vector(self, x):
        mu, logsigma = einops.rearrange(self.encoder(x), "b (n latent) -> n b latent", n=2)
        return mu + t.exp(logsigma).detach() * t.randn_like(mu), mu, logsigma


class VAEDecodesMu(ref.VAE):
    def forward(self, x):
        z, mu, logsigma = self.sample_latent_vector(x)
        return self.decoder(mu), mu, logsigma


def _kl(mu, logsigma, half=0.5, sign=1.0, reduce="mean", sigma_from=None):
    sigma_squared = t.exp(2 * logsigma) if sigma_from is None else sigma_from(logsigma)
    per_dim = sign * (half * (mu ** 2 + sigma_squared - 1) - logsigma)
    return per_dim.mean() if reduce == "mean" else per_dim.sum()


def vae_step_variant(model, optimizer, img, beta_kl=0.002, beta_on_reported=False,
                     ignore_beta=False):
    reconstruction, mu, logsigma = model(img)
    recon = F.mse_loss(reconstruction, img)
    kl = ref.kl_divergence(mu, logsigma)
    loss = recon + (kl if ignore_beta else beta_kl * kl)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return recon.item(), (beta_kl * kl).item() if beta_on_reported else kl.item()


class TanhNaive(nn.Module):
    def forward(self, x):
        return (t.exp(x) - t.exp(-x)) / (t.exp(x) + t.exp(-x))


class TanhWhereWithoutClamps(nn.Module):
    """Right values, but the discarded branch overflows and its gradient turns into NaN."""

    def forward(self, x):
        e_pos, e_neg = t.exp(-2 * x), t.exp(2 * x)
        return t.where(x >= 0, (1 - e_pos) / (1 + e_pos), (e_neg - 1) / (e_neg + 1))


class SigmoidNaive(nn.Module):
    def forward(self, x):
        return 1 / (1 + t.exp(-x))


class LeakyReLUFixedSlope(nn.Module):
    def __init__(self, negative_slope=0.01):
        super().__init__()

    def forward(self, x):
        return t.where(x > 0, x, 0.01 * x)


class LeakyReLUAbs(nn.Module):
    def __init__(self, negative_slope=0.01):
        super().__init__()
        self.negative_slope = negative_slope

    def forward(self, x):
        return t.where(x > 0, x, self.negative_slope * x.abs())


class GeneratorNoTanh(ref.Generator):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.hidden_layers[-1][-1] = nn.Identity()


class GeneratorChannelsForward(nn.Module):
    """Channels in the discriminator's order: hidden_channels[0] first."""

    def __init__(self, latent_dim_size=100, img_size=64, img_channels=3,
                 hidden_channels=[128, 256, 512]):  # noqa: B006
        super().__init__()
        self.inner = ref.Generator(latent_dim_size, img_size, img_channels,
                                   hidden_channels[::-1])
        self.project_and_reshape = self.inner.project_and_reshape
        self.hidden_layers = self.inner.hidden_layers

    def forward(self, x):
        return self.inner(x)


class DiscriminatorBatchNormFirst(ref.Discriminator):
    def __init__(self, img_size=64, img_channels=3, hidden_channels=[128, 256, 512]):  # noqa
        super().__init__(img_size, img_channels, hidden_channels)
        first = self.hidden_layers[0]
        self.hidden_layers[0] = nn.Sequential(first[0], nn.BatchNorm2d(hidden_channels[0]),
                                              first[1])


class DiscriminatorNoSqueeze(ref.Discriminator):
    def forward(self, x):
        return self.classifier(self.hidden_layers(x))


class DiscriminatorReLU(ref.Discriminator):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for block in self.hidden_layers:
            block[-1] = nn.ReLU()


def initialize_weights_no_batchnorm(model):
    for module in model.modules():
        if isinstance(module, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
            nn.init.normal_(module.weight, 0.0, 0.02)


def initialize_weights_batchnorm_at_zero(model):
    ref.initialize_weights(model)
    for module in model.modules():
        if isinstance(module, nn.BatchNorm2d):
            nn.init.normal_(module.weight, 0.0, 0.02)


def initialize_weights_keeps_biases(model):
    for module in model.modules():
        if isinstance(module, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
            nn.init.normal_(module.weight, 0.0, 0.02)
        elif isinstance(module, nn.BatchNorm2d):
            nn.init.normal_(module.weight, 1.0, 0.02)


def initialize_weights_variance(model):
    for module in model.modules():
        if isinstance(module, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
            nn.init.normal_(module.weight, 0.0, 0.02 ** 2)
    ref.initialize_weights(nn.Sequential(*[m for m in model.modules()
                                           if isinstance(m, nn.BatchNorm2d)]))


class DCGANNotInitialised(nn.Module):
    def __init__(self, latent_dim_size=100, img_size=64, img_channels=3,
                 hidden_channels=[128, 256, 512]):  # noqa: B006
        super().__init__()
        self.latent_dim_size = latent_dim_size
        self.netG = ref.Generator(latent_dim_size, img_size, img_channels, hidden_channels)
        self.netD = ref.Discriminator(img_size, img_channels, hidden_channels)


def discriminator_step_variant(model, optimizer, img_real, img_fake, detach=True, sign=1.0,
                               sigmoid_again=False, joint_batch=False):
    fake = img_fake.detach() if detach else img_fake
    if joint_batch:
        d_real, d_fake = model.netD(t.cat([img_real, fake])).chunk(2)
    else:
        d_real, d_fake = model.netD(img_real), model.netD(fake)
    if sigmoid_again:
        d_real, d_fake = t.sigmoid(d_real), t.sigmoid(d_fake)
    loss = -sign * (t.log(d_real) + t.log(1 - d_fake)).mean()
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item()


def generator_step_variant(model, optimizer, img_fake, saturating=False, detach=False,
                           zero_grad=True):
    d_fake = model.netD(img_fake.detach() if detach else img_fake)
    loss = t.log(1 - d_fake).mean() if saturating else -t.log(d_fake).mean()
    if zero_grad:
        optimizer.zero_grad()
    if loss.requires_grad:
        loss.backward()
    optimizer.step()
    return loss.item()


WRONG_ANSWERS = [
    ("Autoencoder", "convolutions without padding", AutoencoderNoPadding),
    ("Autoencoder", "a ReLU on the latent code", AutoencoderReluOnLatent),
    ("Autoencoder", "a sigmoid at the end of the decoder", AutoencoderSigmoidOut),
    ("Autoencoder", "layers in another order, and a tanh", AutoencoderReluBeforeUnflatten),
    ("ae_training_step", "summed squared error", ae_step_sum),
    ("ae_training_step", "gradients never zeroed", ae_step_no_zero_grad),
    ("ae_training_step", "returns the loss tensor", ae_step_returns_tensor),
    ("VAE", "mu and logsigma swapped", VAESwappedHalves),
    ("VAE", "mu and logsigma interleaved", VAEInterleaved),
    ("VAE", "logsigma used as sigma", VAELogsigmaAsSigma),
    ("VAE", "no noise", VAENoNoise),
    ("VAE", "sigma detached", VAESigmaDetached),
    ("VAE", "decodes mu instead of z", VAEDecodesMu),
    ("kl_divergence", "sign flipped", lambda mu, ls: _kl(mu, ls, sign=-1.0)),
    ("kl_divergence", "the 1/2 missing", lambda mu, ls: _kl(mu, ls, half=1.0)),
    ("kl_divergence", "summed, not averaged", lambda mu, ls: _kl(mu, ls, reduce="sum")),
    ("kl_divergence", "sigma^2 taken as exp(logsigma)",
     lambda mu, ls: _kl(mu, ls, sigma_from=t.exp)),
    ("vae_training_step", "beta applied to the reported KL",
     lambda *a, **k: vae_step_variant(*a, **k, beta_on_reported=True)),
    ("vae_training_step", "beta ignored", lambda *a, **k: vae_step_variant(*a, **k,
                                                                          ignore_beta=True)),
    ("Tanh", "the textbook formula: overflows", TanhNaive),
    ("Tanh", "t.where without clamps: NaN gradients", TanhWhereWithoutClamps),
    ("Sigmoid", "1 / (1 + exp(-x)): NaN gradients for large negative x", SigmoidNaive),
    ("LeakyReLU", "slope fixed at 0.01", LeakyReLUFixedSlope),
    ("LeakyReLU", "slope times |x|", LeakyReLUAbs),
    ("Generator", "no Tanh at the end", GeneratorNoTanh),
    ("Generator", "channels in the wrong order", GeneratorChannelsForward),
    ("Discriminator", "BatchNorm in the first block", DiscriminatorBatchNormFirst),
    ("Discriminator", "output (batch, 1)", DiscriminatorNoSqueeze),
    ("Discriminator", "ReLU instead of LeakyReLU", DiscriminatorReLU),
    ("initialize_weights", "BatchNorm left alone", initialize_weights_no_batchnorm),
    ("initialize_weights", "BatchNorm weights around 0", initialize_weights_batchnorm_at_zero),
    ("initialize_weights", "biases left alone", initialize_weights_keeps_biases),
    ("initialize_weights", "0.02 used as the variance", initialize_weights_variance),
    ("DCGAN", "initialize_weights not called", DCGANNotInitialised),
    ("training_step_discriminator", "fakes not detached",
     lambda *a: discriminator_step_variant(*a, detach=False)),
    ("training_step_discriminator", "sign flipped",
     lambda *a: discriminator_step_variant(*a, sign=-1.0)),
    ("training_step_discriminator", "sigmoid applied a second time",
     lambda *a: discriminator_step_variant(*a, sigmoid_again=True)),
    ("training_step_discriminator", "real and fake in one batch",
     lambda *a: discriminator_step_variant(*a, joint_batch=True)),
    ("training_step_generator", "the saturating loss",
     lambda *a: generator_step_variant(*a, saturating=True)),
    ("training_step_generator", "fakes detached: no gradient for the generator",
     lambda *a: generator_step_variant(*a, detach=True)),
    ("training_step_generator", "gradients never zeroed",
     lambda *a: generator_step_variant(*a, zero_grad=False)),
]


def _conv_t1d(x, w, stride=1, padding=0, flip=True, swap=True, pad_adjust=True):
    kw = w.shape[-1]
    spaced = ref.fractional_stride_1d(x, stride)
    pad = kw - 1 - (padding if pad_adjust else 0)
    kernel = w.flip(-1) if flip else w
    kernel = kernel.transpose(0, 1) if swap else kernel
    return F.conv1d(F.pad(spaced, (pad, pad)), kernel)


def fractional_stride_1d_trailing_zeros(x, stride=1):
    out = x.new_zeros(*x.shape[:-1], x.shape[-1] * stride)
    out[..., ::stride] = x
    return out


def fractional_stride_2d_swapped(x, stride_h, stride_w):
    return ref.fractional_stride_2d(x, stride_w, stride_h)


def conv_transpose2d_no_flip(x, weights, stride=1, padding=0):
    return ref.conv_transpose2d(x, weights.flip(-1, -2), stride, padding)


def conv_transpose2d_padding_as_pad(x, weights, stride=1, padding=0):
    """Pads the input by `padding`, as a convolution would, instead of trimming the output."""
    sh, sw = ref.force_pair(stride)
    ph, pw = ref.force_pair(padding)
    kh, kw = weights.shape[-2:]
    spaced = ref.fractional_stride_2d(x, sh, sw)
    kernel = weights.flip(-1, -2).transpose(0, 1)
    return F.conv2d(F.pad(spaced, (kw - 1 + pw, kw - 1 + pw, kh - 1 + ph, kh - 1 + ph)), kernel)


def conv_transpose2d_calls_torch(x, weights, stride=1, padding=0):
    return F.conv_transpose2d(x, weights, stride=stride, padding=padding)


class ConvTranspose2dConvInit(ref.ConvTranspose2d):
    """Initialised with the fan-in of the in_channels, as for an ordinary convolution."""

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0):
        super().__init__(in_channels, out_channels, kernel_size, stride, padding)
        kh, kw = ref.force_pair(kernel_size)
        bound = 1 / (in_channels * kh * kw) ** 0.5
        with t.no_grad():
            self.weight.uniform_(-bound, bound)


class ConvTranspose2dOutInShape(nn.Module):
    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0):
        super().__init__()
        kh, kw = ref.force_pair(kernel_size)
        bound = 1 / (out_channels * kh * kw) ** 0.5
        self.weight = nn.Parameter(t.empty(out_channels, in_channels, kh, kw).uniform_(-bound,
                                                                                      bound))
        self.stride, self.padding = stride, padding

    def forward(self, x):
        return ref.conv_transpose2d(x, self.weight.transpose(0, 1), self.stride, self.padding)


WRONG_ANSWERS += [
    ("conv_transpose1d_minimal", "kernel not flipped",
     lambda x, w: _conv_t1d(x, w, flip=False)),
    ("conv_transpose1d_minimal", "channels not swapped",
     lambda x, w: _conv_t1d(x, w, swap=False)),
    ("fractional_stride_1d", "zeros after the last element too",
     fractional_stride_1d_trailing_zeros),
    ("conv_transpose1d", "padding ignored",
     lambda x, w, stride=1, padding=0: _conv_t1d(x, w, stride, padding, pad_adjust=False)),
    ("conv_transpose1d", "stride ignored",
     lambda x, w, stride=1, padding=0: _conv_t1d(x, w, 1, padding)),
    ("fractional_stride_2d", "strides swapped", fractional_stride_2d_swapped),
    ("conv_transpose2d", "kernel not flipped", conv_transpose2d_no_flip),
    ("conv_transpose2d", "padding added instead of removed", conv_transpose2d_padding_as_pad),
    ("conv_transpose2d", "calls F.conv_transpose2d", conv_transpose2d_calls_torch),
    ("ConvTranspose2d", "initialised like a Conv2d", ConvTranspose2dConvInit),
    ("ConvTranspose2d", "weight stored as (out, in, kh, kw)", ConvTranspose2dOutInShape),
]


class VAELogVariance(ref.VAE):
    """Treats the second half as log(sigma^2)."""

    def sample_latent_vector(self, x):
        mu, logsigma = self.encoder(x).chunk(2, 1)
        return mu + t.exp(0.5 * logsigma) * t.randn_like(mu), mu, logsigma


class VAEReturnsZ(ref.VAE):
    def forward(self, x):
        z, mu, logsigma = self.sample_latent_vector(x)
        return self.decoder(z), z, logsigma


def discriminator_step_zeroes_after(model, optimizer, img_real, img_fake):
    """Zeroes after stepping: the step uses whatever gradients netD had before."""
    loss = -(t.log(model.netD(img_real)) + t.log(1 - model.netD(img_fake.detach()))).mean()
    loss.backward()
    optimizer.step()
    optimizer.zero_grad()
    return loss.item()


class DCGANInitialisesGeneratorOnly(DCGANNotInitialised):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        ref.initialize_weights(self.netG)


class LeakyReLUMaximum(nn.Module):
    def __init__(self, negative_slope=0.01):
        super().__init__()
        self.negative_slope = negative_slope

    def forward(self, x):
        return t.maximum(x, self.negative_slope * x)


class VAEChunk(ref.VAE):
    def sample_latent_vector(self, x):
        mu, logsigma = self.encoder(x).chunk(2, dim=1)
        return mu + logsigma.exp() * t.randn(mu.shape), mu, logsigma


WRONG_ANSWERS += [
    ("VAE", "second half read as log(sigma^2)", VAELogVariance),
    ("VAE", "forward returns z instead of mu", VAEReturnsZ),
    ("training_step_discriminator", "gradients zeroed after the step, not before",
     discriminator_step_zeroes_after),
    ("DCGAN", "only the generator initialised", DCGANInitialisesGeneratorOnly),
]

RIGHT_ANSWERS = [
    ("LeakyReLU", "t.maximum(x, slope * x): another gradient at 0", LeakyReLUMaximum),
    ("VAE", "chunk and t.randn(mu.shape)", VAEChunk),
]


class ConvTranspose2dStrideTwoByDefault(ref.ConvTranspose2d):
    def __init__(self, in_channels, out_channels, kernel_size, stride=2, padding=0):
        super().__init__(in_channels, out_channels, kernel_size, stride, padding)


class DCGANSmallLatentByDefault(ref.DCGAN):
    def __init__(self, latent_dim_size=64, img_size=64, img_channels=3,
                 hidden_channels=[128, 256, 512]):  # noqa: B006
        super().__init__(latent_dim_size, img_size, img_channels, hidden_channels)


WRONG_ANSWERS += [
    ("vae_training_step", "beta_kl defaults to 1",
     lambda model, optimizer, img, beta_kl=1.0: ref.vae_training_step(model, optimizer, img,
                                                                      beta_kl)),
    ("vae_training_step", "beta_kl defaults to 0.1, which collapses the posterior",
     lambda model, optimizer, img, beta_kl=0.1: ref.vae_training_step(model, optimizer, img,
                                                                      beta_kl)),
    ("fractional_stride_1d", "stride defaults to 2",
     lambda x, stride=2: ref.fractional_stride_1d(x, stride)),
    ("conv_transpose2d", "padding defaults to 1",
     lambda x, w, stride=1, padding=1: ref.conv_transpose2d(x, w, stride, padding)),
    ("ConvTranspose2d", "stride defaults to 2", ConvTranspose2dStrideTwoByDefault),
    ("DCGAN", "latent_dim_size defaults to 64", DCGANSmallLatentByDefault),
]


class AutoencoderNoBiases(nn.Module):
    """bias=False everywhere, as in the DCGAN's layers."""

    def __init__(self, latent_dim_size, hidden_dim_size):
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Conv2d(1, 16, 4, 2, 1, bias=False), nn.ReLU(),
            nn.Conv2d(16, 32, 4, 2, 1, bias=False), nn.ReLU(), nn.Flatten(),
            nn.Linear(32 * 7 * 7, hidden_dim_size, bias=False), nn.ReLU(),
            nn.Linear(hidden_dim_size, latent_dim_size, bias=False))
        self.decoder = nn.Sequential(
            nn.Linear(latent_dim_size, hidden_dim_size, bias=False), nn.ReLU(),
            nn.Linear(hidden_dim_size, 32 * 7 * 7, bias=False), nn.ReLU(),
            nn.Unflatten(1, (32, 7, 7)), nn.ConvTranspose2d(32, 16, 4, 2, 1, bias=False),
            nn.ReLU(), nn.ConvTranspose2d(16, 1, 4, 2, 1, bias=False))

    def forward(self, x):
        return self.decoder(self.encoder(x))


class VAENoBiasOnTheLatentLayer(ref.VAE):
    def __init__(self, latent_dim_size, hidden_dim_size):
        super().__init__(latent_dim_size, hidden_dim_size)
        self.encoder[-1] = nn.Linear(hidden_dim_size, 2 * latent_dim_size, bias=False)


WRONG_ANSWERS += [
    ("Autoencoder", "no biases", AutoencoderNoBiases),
    ("VAE", "the latent layer without a bias", VAENoBiasOnTheLatentLayer),
]


class DCGANInitialisedBeforeBuilding(DCGANNotInitialised):
    """initialize_weights called first, on a model that has no layers yet."""

    def __init__(self, latent_dim_size=100, img_size=64, img_channels=3,
                 hidden_channels=[128, 256, 512]):  # noqa: B006
        nn.Module.__init__(self)
        ref.initialize_weights(self)
        self.latent_dim_size = latent_dim_size
        self.netG = ref.Generator(latent_dim_size, img_size, img_channels, hidden_channels)
        self.netD = ref.Discriminator(img_size, img_channels, hidden_channels)


class DCGANBatchNormNeverInitialised(ref.DCGAN):
    """Convolutions and linear layers initialised; BatchNorm left at torch's default (ones)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for module in self.modules():
            if isinstance(module, nn.BatchNorm2d):
                module.reset_parameters()


class DCGANDiscriminatorFirstThroughApply(nn.Module):
    """netD built before netG (other random draws) and initialised with Module.apply."""

    def __init__(self, latent_dim_size=100, img_size=64, img_channels=3,
                 hidden_channels=[128, 256, 512]):  # noqa: B006
        super().__init__()
        self.latent_dim_size = latent_dim_size
        self.netD = ref.Discriminator(img_size, img_channels, hidden_channels)
        self.netG = ref.Generator(latent_dim_size, img_size, img_channels, hidden_channels)
        self.apply(ref.initialize_weights)


WRONG_ANSWERS += [
    ("DCGAN", "initialize_weights called before the networks exist",
     DCGANInitialisedBeforeBuilding),
    ("DCGAN", "BatchNorm weights never initialised", DCGANBatchNormNeverInitialised),
]
RIGHT_ANSWERS += [
    ("DCGAN", "netD built first, initialised with self.apply",
     DCGANDiscriminatorFirstThroughApply),
]
