"""Wrong and right answers for chapter 4.5's sections 1-3 (Embedding, Sequential,
FlattenConsecutive, BatchNorm1d for (N, C) and (N, T, C)). Each wrong answer is one plausible slip
on top of the reference."""

from __future__ import annotations

import functools

import torch
import torch.nn.functional as F

from solutions.makemore_wavenet import BatchNorm1d, Embedding, FlattenConsecutive, Sequential

# --- Embedding --------------------------------------------------------------------------------


class EmbeddingRand(Embedding):
    def __init__(self, num_embeddings, embedding_dim, generator=None):
        self.weight = torch.rand((num_embeddings, embedding_dim), generator=generator)


class EmbeddingTransposed(Embedding):
    """(embedding_dim, num_embeddings), looked up with a transpose."""

    def __init__(self, num_embeddings, embedding_dim, generator=None):
        self.weight = torch.randn((embedding_dim, num_embeddings), generator=generator)

    def __call__(self, ix):
        self.out = self.weight.T[ix]
        return self.out


class EmbeddingNoGenerator(Embedding):
    def __init__(self, num_embeddings, embedding_dim, generator=None):
        self.weight = torch.randn((num_embeddings, embedding_dim))


class EmbeddingScaled(Embedding):
    def __init__(self, num_embeddings, embedding_dim, generator=None):
        self.weight = torch.randn((num_embeddings, embedding_dim),
                                  generator=generator) / embedding_dim ** 0.5


class EmbeddingFlattensIndices(Embedding):
    """One-hot rows of the flattened indices: right for 1-D indices only."""

    def __call__(self, ix):
        self.out = F.one_hot(ix.reshape(-1), self.weight.shape[0]).float() @ self.weight
        return self.out


class EmbeddingNoOut(Embedding):
    def __call__(self, ix):
        return self.weight[ix]


class EmbeddingNestedParameters(Embedding):
    def parameters(self):
        return [[self.weight]]


class EmbeddingDetached(Embedding):
    def __call__(self, ix):
        self.out = self.weight.detach()[ix]
        return self.out


class EmbeddingExtraDraw(Embedding):
    """Draws a spare tensor first, which shifts every later layer's numbers."""

    def __init__(self, num_embeddings, embedding_dim, generator=None):
        super().__init__(num_embeddings, embedding_dim, generator)
        self.spare = torch.randn(embedding_dim, generator=generator)


class EmbeddingOneHot(Embedding):
    """Right: the lookup as a matrix product with one-hot rows, for indices of any shape."""

    def __call__(self, ix):
        self.out = F.one_hot(ix, self.weight.shape[0]).to(self.weight.dtype) @ self.weight
        return self.out


class EmbeddingFunctional(Embedding):
    def __call__(self, ix):
        self.out = F.embedding(ix, self.weight)
        return self.out


# --- Sequential -------------------------------------------------------------------------------


class SequentialReversed(Sequential):
    def __call__(self, x):
        for layer in reversed(self.layers):
            x = layer(x)
        self.out = x
        return self.out


class SequentialNestedParameters(Sequential):
    def parameters(self):
        return [layer.parameters() for layer in self.layers]


class SequentialFirstLayerParameters(Sequential):
    def parameters(self):
        return self.layers[0].parameters()


class SequentialCopiedParameters(Sequential):
    def parameters(self):
        return [p.clone() for layer in self.layers for p in layer.parameters()]


class SequentialNoOut(Sequential):
    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x


class SequentialSameInput(Sequential):
    """Every layer gets the model's input; the last layer's output is returned."""

    def __call__(self, x):
        for layer in self.layers:
            out = layer(x)
        self.out = out
        return self.out


class SequentialNotEmpty(Sequential):
    """Starts from the first layer's output: fails with no layers."""

    def __call__(self, x):
        x = self.layers[0](x)
        for layer in self.layers[1:]:
            x = layer(x)
        self.out = x
        return self.out


class SequentialOtherName(Sequential):
    def __init__(self, layers):
        self.modules = layers

    def __call__(self, x):
        for layer in self.modules:
            x = layer(x)
        self.out = x
        return self.out

    def parameters(self):
        return [p for layer in self.modules for p in layer.parameters()]


class SequentialReduce(Sequential):
    """Right: a fold over the layers, parameters concatenated with sum(..., [])."""

    def __call__(self, x):
        self.out = functools.reduce(lambda h, layer: layer(h), self.layers, x)
        return self.out

    def parameters(self):
        return sum((layer.parameters() for layer in self.layers), [])


# --- FlattenConsecutive -----------------------------------------------------------------------


class FlattenTransposeFirst(FlattenConsecutive):
    """Puts channels first, so the view interleaves the positions' channels."""

    def __call__(self, x):
        B, T, C = x.shape
        x = x.transpose(1, 2).reshape(B, T // self.n, C * self.n)
        if x.shape[1] == 1:
            x = x.squeeze(1)
        self.out = x
        return self.out


class FlattenStrided(FlattenConsecutive):
    """Merges positions T/n apart (j and j + T/n) instead of neighbours."""

    def __call__(self, x):
        B, T, C = x.shape
        x = x.view(B, self.n, T // self.n, C).transpose(1, 2).reshape(B, T // self.n, C * self.n)
        if x.shape[1] == 1:
            x = x.squeeze(1)
        self.out = x
        return self.out


class FlattenNeverSqueezes(FlattenConsecutive):
    def __call__(self, x):
        B, T, C = x.shape
        self.out = x.view(B, T // self.n, C * self.n)
        return self.out


class FlattenSqueezesAll(FlattenConsecutive):
    """x.squeeze(): also drops the batch dimension of a single example."""

    def __call__(self, x):
        B, T, C = x.shape
        self.out = x.view(B, T // self.n, C * self.n).squeeze()
        return self.out


class FlattenFlattensWhenTwo(FlattenConsecutive):
    """Flattens to 2-D whenever at most two positions remain."""

    def __call__(self, x):
        B, T, C = x.shape
        x = x.view(B, T // self.n, C * self.n)
        if x.shape[1] <= 2:
            x = x.reshape(B, -1)
        self.out = x
        return self.out


class FlattenNoOut(FlattenConsecutive):
    def __call__(self, x):
        B, T, C = x.shape
        x = x.view(B, T // self.n, C * self.n)
        return x.squeeze(1) if x.shape[1] == 1 else x


class FlattenDetached(FlattenConsecutive):
    def __call__(self, x):
        return super().__call__(x.detach())


class FlattenCat(FlattenConsecutive):
    """Right: the n interleaved slices concatenated along the channels (a copy, same numbers)."""

    def __call__(self, x):
        x = torch.cat([x[:, k::self.n] for k in range(self.n)], dim=-1)
        if x.shape[1] == 1:
            x = x[:, 0]
        self.out = x
        return self.out


class FlattenReshapeMinusOne(FlattenConsecutive):
    """Right: reshape with -1 and squeeze(dim=1)."""

    def __call__(self, x):
        x = x.reshape(x.shape[0], -1, x.shape[2] * self.n)
        self.out = x.squeeze(dim=1)
        return self.out


# --- BatchNorm1d ------------------------------------------------------------------------------


class _BatchNorm(BatchNorm1d):
    """The reference with its pieces overridable: which dims, the correction, the update."""

    keepdim = False

    def _dims(self, x):
        return tuple(range(x.ndim - 1))

    def _stats(self, x):
        dims = self._dims(x)
        return x.mean(dims, keepdim=self.keepdim), x.var(dims, unbiased=False,
                                                        keepdim=self.keepdim)

    def _count(self, x):
        return x.numel() // x.shape[-1]

    def _update(self, mean, var, count):
        with torch.no_grad():
            self.running_mean = (1 - self.momentum) * self.running_mean + self.momentum * mean
            self.running_var = ((1 - self.momentum) * self.running_var
                                + self.momentum * var * count / (count - 1))

    def _normalise(self, x, mean, var):
        return self.gamma * (x - mean) / torch.sqrt(var + self.eps) + self.beta

    def __call__(self, x):
        if self.training:
            mean, var = self._stats(x)
            self._update(mean, var, self._count(x))
        else:
            mean, var = self.running_mean, self.running_var
        self.out = self._normalise(x, mean, var)
        return self.out


class BatchNormDimZeroOnly(_BatchNorm):
    """Chapter 4.3's x.mean(0): one statistic per position and channel on (N, T, C)."""

    def _dims(self, x):
        return (0,)


class BatchNormAlwaysDims01(_BatchNorm):
    """The fix hard-coded, x.mean((0, 1)): on a 2-D input that is every dim, channels too."""

    def _dims(self, x):
        return (0, 1)


class BatchNormDimZeroKeepdim(BatchNormDimZeroOnly):
    """The same with keepdim=True, as Karpathy first had it: running stats of shape (1, T, C)."""

    keepdim = True


class BatchNormKeepdimRunning(_BatchNorm):
    """The right dims with keepdim=True: running stats become (1, 1, C) on a 3-D input."""

    keepdim = True


class BatchNormCountN(_BatchNorm):
    """The unbiased correction with N (the batch size) instead of N·T."""

    def _count(self, x):
        return x.shape[0]


class BatchNormBiasedRunning(_BatchNorm):
    def _count(self, x):
        return float("inf")

    def _update(self, mean, var, count):
        with torch.no_grad():
            self.running_mean = (1 - self.momentum) * self.running_mean + self.momentum * mean
            self.running_var = (1 - self.momentum) * self.running_var + self.momentum * var


class BatchNormUnbiasedNormalising(_BatchNorm):
    def _stats(self, x):
        dims = self._dims(x)
        return x.mean(dims), x.var(dims)


class BatchNormStatsWithoutGraph(_BatchNorm):
    """The batch statistics computed under no_grad: right outputs, wrong gradients."""

    def _stats(self, x):
        with torch.no_grad():
            return super()._stats(x)


class BatchNormRunningWithGraph(_BatchNorm):
    def _update(self, mean, var, count):
        self.running_mean = (1 - self.momentum) * self.running_mean + self.momentum * mean
        self.running_var = ((1 - self.momentum) * self.running_var
                            + self.momentum * var * count / (count - 1))


class BatchNormMomentumSwapped(_BatchNorm):
    def _update(self, mean, var, count):
        with torch.no_grad():
            self.running_mean = self.momentum * self.running_mean + (1 - self.momentum) * mean
            self.running_var = (self.momentum * self.running_var
                                + (1 - self.momentum) * var * count / (count - 1))


class BatchNormBatchStatsInEval(_BatchNorm):
    def __call__(self, x):
        mean, var = self._stats(x)
        if self.training:
            self._update(mean, var, self._count(x))
        self.out = self._normalise(x, mean, var)
        return self.out


class BatchNormEpsOutside(_BatchNorm):
    def _normalise(self, x, mean, var):
        return self.gamma * (x - mean) / (torch.sqrt(var) + self.eps) + self.beta


class BatchNormChannelsInMiddle(_BatchNorm):
    """torch's layout, dims (0, 2), applied to (N, T, C)."""

    def _dims(self, x):
        return (0,) if x.ndim == 2 else (0, 2)


class BatchNormFixedEps(_BatchNorm):
    def _normalise(self, x, mean, var):
        return self.gamma * (x - mean) / torch.sqrt(var + 1e-5) + self.beta


class BatchNormFlattened(BatchNorm1d):
    """Right: statistics of x viewed as (N·T, C), with torch.var_mean."""

    def __call__(self, x):
        if self.training:
            flat = x.reshape(-1, x.shape[-1])
            var, mean = torch.var_mean(flat, dim=0, correction=0)
            with torch.no_grad():
                self.running_mean = (1 - self.momentum) * self.running_mean + self.momentum * mean
                self.running_var = ((1 - self.momentum) * self.running_var
                                    + self.momentum * flat.var(0))
        else:
            mean, var = self.running_mean, self.running_var
        self.out = self.gamma * (x - mean) * torch.rsqrt(var + self.eps) + self.beta
        return self.out


class BatchNormByHand(BatchNorm1d):
    """Right: the variance by hand, keepdim statistics squeezed for the running update."""

    def __call__(self, x):
        if self.training:
            dims = list(range(x.ndim - 1))
            mean = x.mean(dim=dims, keepdim=True)
            var = ((x - mean) ** 2).mean(dim=dims, keepdim=True)
            m = x.numel() / x.shape[-1]
            with torch.no_grad():
                self.running_mean = (self.running_mean * (1 - self.momentum)
                                     + mean.reshape(-1) * self.momentum)
                self.running_var = (self.running_var * (1 - self.momentum)
                                    + var.reshape(-1) * m / (m - 1) * self.momentum)
        else:
            mean, var = self.running_mean, self.running_var
        self.out = (x - mean) / (var + self.eps).sqrt() * self.gamma + self.beta
        return self.out


WRONG_ANSWERS = [
    ("Embedding", "torch.rand instead of torch.randn", EmbeddingRand),
    ("Embedding", "the table transposed (embedding_dim, num_embeddings)", EmbeddingTransposed),
    ("Embedding", "drawn without the generator", EmbeddingNoGenerator),
    ("Embedding", "the table scaled by 1/sqrt(embedding_dim)", EmbeddingScaled),
    ("Embedding", "one-hot of the flattened indices: right for 1-D only",
     EmbeddingFlattensIndices),
    ("Embedding", "the result not kept in self.out", EmbeddingNoOut),
    ("Embedding", "parameters() a list of lists", EmbeddingNestedParameters),
    ("Embedding", "the lookup detached from the graph", EmbeddingDetached),
    ("Embedding", "a second draw from the generator", EmbeddingExtraDraw),
    ("Sequential", "the layers applied in reverse", SequentialReversed),
    ("Sequential", "parameters() one list per layer", SequentialNestedParameters),
    ("Sequential", "parameters() of the first layer only", SequentialFirstLayerParameters),
    ("Sequential", "parameters() copies of the tensors", SequentialCopiedParameters),
    ("Sequential", "the result not kept in self.out", SequentialNoOut),
    ("Sequential", "every layer fed the model's input", SequentialSameInput),
    ("Sequential", "fails with no layers", SequentialNotEmpty),
    ("Sequential", "the layers kept under another name", SequentialOtherName),
    ("FlattenConsecutive", "a transpose before the reshape", FlattenTransposeFirst),
    ("FlattenConsecutive", "merges positions T/n apart, not neighbours", FlattenStrided),
    ("FlattenConsecutive", "never squeezes the middle dim of 1", FlattenNeverSqueezes),
    ("FlattenConsecutive", "squeeze() drops a batch of 1", FlattenSqueezesAll),
    ("FlattenConsecutive", "flattens when two positions remain", FlattenFlattensWhenTwo),
    ("FlattenConsecutive", "the result not kept in self.out", FlattenNoOut),
    ("FlattenConsecutive", "the input detached from the graph", FlattenDetached),
    ("BatchNorm1d", "mean over dim 0 only (chapter 4.3's) on 3-D", BatchNormDimZeroOnly),
    ("BatchNorm1d", "mean over dim 0 with keepdim: (1, T, C) statistics",
     BatchNormDimZeroKeepdim),
    ("BatchNorm1d", "keepdim leaves running stats (1, 1, C)", BatchNormKeepdimRunning),
    ("BatchNorm1d", "unbiased correction with N instead of N·T", BatchNormCountN),
    ("BatchNorm1d", "running variance biased", BatchNormBiasedRunning),
    ("BatchNorm1d", "normalises with the unbiased variance", BatchNormUnbiasedNormalising),
    ("BatchNorm1d", "batch statistics computed without a graph", BatchNormStatsWithoutGraph),
    ("BatchNorm1d", "running statistics updated with a graph", BatchNormRunningWithGraph),
    ("BatchNorm1d", "momentum the wrong way round", BatchNormMomentumSwapped),
    ("BatchNorm1d", "batch statistics in evaluation mode", BatchNormBatchStatsInEval),
    ("BatchNorm1d", "eps added outside the square root", BatchNormEpsOutside),
    ("BatchNorm1d", "torch's layout: statistics over dims (0, 2)", BatchNormChannelsInMiddle),
    ("BatchNorm1d", "eps hard-coded to 1e-5", BatchNormFixedEps),
]

RIGHT_ANSWERS = [
    ("Embedding", "one-hot rows times the table", EmbeddingOneHot),
    ("Embedding", "F.embedding", EmbeddingFunctional),
    ("Sequential", "functools.reduce and sum(..., [])", SequentialReduce),
    ("FlattenConsecutive", "torch.cat of interleaved slices", FlattenCat),
    ("FlattenConsecutive", "reshape with -1, squeeze(dim=1)", FlattenReshapeMinusOne),
    ("BatchNorm1d", "statistics of x viewed as (N·T, C), torch.var_mean", BatchNormFlattened),
    ("BatchNorm1d", "the variance by hand with keepdim statistics", BatchNormByHand),
]
