"""Plausible wrong answers to chapter 5.2's exercises: each must be rejected by its check."""

import einops
import torch as t
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from solutions import part2_cnns as ref


class ReLUInPlace(nn.Module):
    def forward(self, x):
        return x.clamp_(min=0)


class LeakyByMistake(nn.Module):
    def forward(self, x):
        return t.where(x > 0, x, 0.01 * x)


class LinearTransposed(nn.Module):
    def __init__(self, in_features, out_features, bias=True):
        super().__init__()
        self.weight = nn.Parameter(t.rand(in_features, out_features) * 2 - 1)
        self.bias = nn.Parameter(t.zeros(out_features)) if bias else None

    def forward(self, x):
        return x @ self.weight + (0 if self.bias is None else self.bias)


class LinearNormalInit(ref.Linear):
    def __init__(self, in_features, out_features, bias=True):
        super().__init__(in_features, out_features, bias)
        nn.init.normal_(self.weight)


class LinearOneOverN(ref.Linear):
    def __init__(self, in_features, out_features, bias=True):
        super().__init__(in_features, out_features, bias)
        nn.init.uniform_(self.weight, -1 / in_features, 1 / in_features)


class LinearForgetsBias(ref.Linear):
    def forward(self, x):
        return x @ self.weight.T


class LinearNoBiasAttribute(nn.Module):
    def __init__(self, in_features, out_features, bias=True):
        super().__init__()
        bound = in_features ** -0.5
        self.weight = nn.Parameter(t.empty(out_features, in_features).uniform_(-bound, bound))
        if bias:
            self.bias = nn.Parameter(t.empty(out_features).uniform_(-bound, bound))

    def forward(self, x):
        return F.linear(x, self.weight, getattr(self, "bias", None))


class LinearBiasAlways(ref.Linear):
    def __init__(self, in_features, out_features, bias=True):
        super().__init__(in_features, out_features, True)


class FlattenWithView(ref.Flatten):
    def forward(self, input):
        return input.view(*input.shape[:self.start_dim], -1)


class FlattenIgnoresEnd(ref.Flatten):
    def forward(self, input):
        return input.reshape(*input.shape[:self.start_dim % input.ndim], -1)


class FlattenEndExclusive(ref.Flatten):
    def forward(self, input):
        start, end = self.start_dim % input.ndim, self.end_dim % input.ndim
        merged = 1
        for size in input.shape[start:end]:
            merged *= size
        return input.reshape(*input.shape[:start], merged, *input.shape[end:])


class MLPWide(nn.Module):
    def __init__(self):
        super().__init__()
        self.flatten, self.relu = ref.Flatten(), ref.ReLU()
        self.linear1, self.linear2 = ref.Linear(784, 128), ref.Linear(128, 10)

    def forward(self, x):
        return self.linear2(self.relu(self.linear1(self.flatten(x))))


class MLPNoReLU(ref.SimpleMLP):
    def forward(self, x):
        return self.linear2(self.linear1(self.flatten(x)))


def _loop(args, *, accuracy_on="val", per_batch_mean=False, percent=False, keep_tensors=False,
          zero_grad=True, model_class=None, train_on_val=False):
    t.manual_seed(args.seed)
    data = ref.get_training_data(args)
    model = (model_class or args.model_class)()
    opt = t.optim.Adam(model.parameters(), lr=args.learning_rate)
    train_images, train_labels = data.train_images, data.train_labels
    if train_on_val:
        train_images = t.cat([train_images, data.val_images])
        train_labels = t.cat([train_labels, data.val_labels])
    loader = DataLoader(TensorDataset(train_images, train_labels),
                        batch_size=args.batch_size, shuffle=True)
    images_eval, labels_eval = {"val": (data.val_images, data.val_labels),
                                "test": (data.test_images, data.test_labels),
                                "train": (data.train_images, data.train_labels)}[accuracy_on]
    eval_loader = DataLoader(TensorDataset(images_eval, labels_eval), batch_size=100)
    losses, accs = [], []
    for _ in range(args.epochs):
        for x, y in loader:
            loss = F.cross_entropy(model(x), y)
            if zero_grad:
                opt.zero_grad()
            loss.backward()
            opt.step()
            losses.append(loss if keep_tensors else loss.item())
        with t.no_grad():
            if per_batch_mean:
                acc = sum(float((model(x).argmax(-1) == y).float().mean()) for x, y in eval_loader)
                acc /= len(eval_loader)
            else:
                acc = ref.evaluate(model, eval_loader)
        accs.append(acc * 100 if percent else acc)
    return losses, accs, model


WRONG_ANSWERS = [
    ("ReLU", "clamps the input in place", ReLUInPlace),
    ("ReLU", "leaks negative values", LeakyByMistake),
    ("Linear", "weight stored as (in, out)", LinearTransposed),
    ("Linear", "standard normal initialisation", LinearNormalInit),
    ("Linear", "bound 1/in instead of 1/sqrt(in)", LinearOneOverN),
    ("Linear", "bias never added", LinearForgetsBias),
    ("Linear", "no bias attribute when bias=False", LinearNoBiasAttribute),
    ("Linear", "bias created even when bias=False", LinearBiasAlways),
    ("Flatten", "view() fails on non-contiguous input", FlattenWithView),
    ("Flatten", "end_dim ignored", FlattenIgnoresEnd),
    ("Flatten", "end_dim treated as exclusive", FlattenEndExclusive),
    ("SimpleMLP", "128 hidden units", MLPWide),
    ("SimpleMLP", "no ReLU", MLPNoReLU),
    ("train", "accuracy on the training set", lambda a: _loop(a, accuracy_on="train")),
    ("train", "validation on the test set", lambda a: _loop(a, accuracy_on="test")),
    ("train", "trains on the validation images too", lambda a: _loop(a, train_on_val=True)),
    ("train", "mean of per-batch accuracies", lambda a: _loop(a, per_batch_mean=True)),
    ("train", "accuracy in percent", lambda a: _loop(a, percent=True)),
    ("train", "loss tensors kept", lambda a: _loop(a, keep_tensors=True)),
    ("train", "SimpleMLP hard-coded", lambda a: _loop(a, model_class=ref.SimpleMLP)),
    ("train", "no optimizer.zero_grad()", lambda a: _loop(a, zero_grad=False)),
    ("Conv2d", "padding ignored", type("ConvNoPad", (ref.Conv2d,), {
        "forward": lambda self, x: F.conv2d(x, self.weight, stride=self.stride)})),
    ("Conv2d", "stride ignored", type("ConvNoStride", (ref.Conv2d,), {
        "forward": lambda self, x: F.conv2d(x, self.weight, padding=self.padding)})),
    ("Conv2d", "bound 1/sqrt(in_channels)", type("ConvInit", (ref.Conv2d,), {
        "__init__": lambda self, i, o, k, stride=1, padding=0: (
            ref.Conv2d.__init__(self, i, o, k, stride, padding),
            nn.init.uniform_(self.weight, -i ** -0.5, i ** -0.5))[0]})),
    ("Conv2d", "with a bias", type("ConvBias", (ref.Conv2d,), {
        "__init__": lambda self, i, o, k, stride=1, padding=0: (
            ref.Conv2d.__init__(self, i, o, k, stride, padding),
            setattr(self, "bias", nn.Parameter(t.zeros(o))))[0],
        "forward": lambda self, x: F.conv2d(x, self.weight, self.bias, self.stride,
                                            self.padding)})),
    ("MaxPool2d", "stride defaults to 1", type("PoolStride1", (ref.MaxPool2d,), {
        "forward": lambda self, x: F.max_pool2d(x, self.kernel_size, self.stride or 1,
                                                self.padding)})),
    ("MaxPool2d", "stride=1 as the default argument", type("PoolStrideDefault1", (ref.MaxPool2d,), {
        "__init__": lambda self, kernel_size, stride=1, padding=0: ref.MaxPool2d.__init__(
            self, kernel_size, stride, padding)})),
    ("MaxPool2d", "padding=1 as the default argument", type("PoolPaddingDefault1", (ref.MaxPool2d,), {
        "__init__": lambda self, kernel_size, stride=None, padding=1: ref.MaxPool2d.__init__(
            self, kernel_size, stride, padding)})),
    ("MaxPool2d", "pads with zeros", type("PoolZeroPad", (ref.MaxPool2d,), {
        "forward": lambda self, x: F.max_pool2d(
            F.pad(x, [self.padding] * 4), self.kernel_size, self.stride or self.kernel_size)})),
    ("ConvNet", "nn.Conv2d with its default bias", type("ConvNetBias", (ref.ConvNet,), {
        "__init__": lambda self: (ref.ConvNet.__init__(self), setattr(
            self, "conv1", nn.Conv2d(1, 32, 3, padding=1)))[0]})),
    ("ConvNet", "no second pooling (fc1 sized for 14x14)", type("ConvNetOnePool", (nn.Module,), {
        "__init__": lambda self: (nn.Module.__init__(self), [setattr(self, k, v) for k, v in {
            "conv1": ref.Conv2d(1, 32, 3, padding=1), "conv2": ref.Conv2d(32, 64, 3, padding=1),
            "fc1": ref.Linear(64 * 14 * 14, 128), "fc2": ref.Linear(128, 10)}.items()])[0],
        "forward": lambda self, x: self.fc2(F.relu(self.fc1(F.max_pool2d(F.relu(self.conv2(
            F.relu(self.conv1(x)))), 2).flatten(1))))})),
]



class BNUnbiasedNormalise(ref.BatchNorm2d):
    def forward(self, x):
        if not self.training:
            return super().forward(x)
        super().forward(x)  # update the running statistics as the reference does
        mean, var = x.mean((0, 2, 3), keepdim=True), x.var((0, 2, 3), keepdim=True)
        w, b = self.weight[None, :, None, None], self.bias[None, :, None, None]
        return (x - mean) / t.sqrt(var + self.eps) * w + b


class BNBiasedRunningVar(ref.BatchNorm2d):
    def forward(self, x):
        if self.training:
            with t.no_grad():
                self.running_var.mul_(1 - self.momentum).add_(
                    self.momentum * x.var((0, 2, 3), unbiased=False))
                self.running_mean.mul_(1 - self.momentum).add_(self.momentum * x.mean((0, 2, 3)))
                self.num_batches_tracked += 1
            mean, var = x.mean((0, 2, 3)), x.var((0, 2, 3), unbiased=False)
        else:
            mean, var = self.running_mean, self.running_var
        r = lambda v: v[None, :, None, None]  # noqa: E731
        return (x - r(mean)) / t.sqrt(r(var) + self.eps) * r(self.weight) + r(self.bias)


class BNMomentumReversed(ref.BatchNorm2d):
    def __init__(self, num_features, eps=1e-5, momentum=0.1):
        super().__init__(num_features, eps, 1 - momentum)


class BNEvalUsesBatch(ref.BatchNorm2d):
    def forward(self, x):
        training = self.training
        self.training = True
        before = (self.running_mean.clone(), self.running_var.clone(),
                  self.num_batches_tracked.clone())
        out = super().forward(x)
        if not training:
            self.running_mean.copy_(before[0])
            self.running_var.copy_(before[1])
            self.num_batches_tracked.copy_(before[2])
        self.training = training
        return out


class BNPlainAttributes(nn.Module):
    def __init__(self, num_features, eps=1e-5, momentum=0.1):
        super().__init__()
        inner = ref.BatchNorm2d(num_features, eps, momentum)
        self.weight, self.bias = inner.weight, inner.bias
        self.running_mean, self.running_var = t.zeros(num_features), t.ones(num_features)
        self.num_batches_tracked = t.tensor(0)


class SumPool(nn.Module):
    def forward(self, x):
        return x.sum(dim=(2, 3))


class SequentialList(nn.Module):
    def __init__(self, *modules):
        super().__init__()
        self.layers = list(modules)  # not registered: no parameters, no state dict

    def __getitem__(self, i):
        return self.layers[i]

    def __len__(self):
        return len(self.layers)

    def forward(self, x):
        for m in self.layers:
            x = m(x)
        return x


class SequentialNoNegativeIndex(ref.Sequential):
    def __getitem__(self, index):
        return self._modules[str(index)]


class BlockOnlyStrideDownsamples(ref.ResidualBlock):
    def __init__(self, in_feats, out_feats, first_stride=1):
        super().__init__(in_feats, out_feats, first_stride)
        if first_stride == 1:
            self.downsample = None


class BlockConvBias(ref.ResidualBlock):
    def __init__(self, in_feats, out_feats, first_stride=1):
        super().__init__(in_feats, out_feats, first_stride)
        self.conv1 = nn.Conv2d(in_feats, out_feats, 3, first_stride, 1)


class BlockNoFinalReLU(ref.ResidualBlock):
    def forward(self, x):
        left = self.bn2(self.conv2(self.relu(self.bn1(self.conv1(x)))))
        return left + (x if self.downsample is None else self.downsample(x))


class GroupAllStrided(ref.Sequential):
    def __init__(self, n_blocks, in_feats, out_feats, first_stride=1):
        blocks = [ref.ResidualBlock(in_feats, out_feats, first_stride)]
        blocks += [ref.ResidualBlock(out_feats, out_feats, first_stride) for _ in range(n_blocks - 1)]
        super().__init__(*blocks)


class GroupInAttribute(nn.Module):
    def __init__(self, n_blocks, in_feats, out_feats, first_stride=1):
        super().__init__()
        self.blocks = ref.BlockGroup(n_blocks, in_feats, out_feats, first_stride)

    def forward(self, x):
        return self.blocks(x)


class ResNetNoMaxPool(ref.ResNet34):
    def forward(self, x):
        x = self.relu(self.bn1(self.conv1(x)))
        for i in range(1, self.n_groups + 1):
            x = getattr(self, f"layer{i}")(x)
        return self.fc(self.avgpool(x))


class ResNetArenaNames(nn.Module):
    def __init__(self, n_blocks_per_group=(3, 4, 6, 3), out_features_per_group=(64, 128, 256, 512),
                 first_strides_per_group=(1, 2, 2, 2), n_classes=1000):
        super().__init__()
        inner = ref.ResNet34(n_blocks_per_group, out_features_per_group, first_strides_per_group,
                             n_classes)
        self.in_layers = ref.Sequential(inner.conv1, inner.bn1, inner.relu, inner.maxpool)
        self.residual_layers = ref.Sequential(*[getattr(inner, f"layer{i}")
                                                for i in range(1, inner.n_groups + 1)])
        self.out_layers = ref.Sequential(inner.avgpool, inner.fc)

    def forward(self, x):
        return self.out_layers(self.residual_layers(self.in_layers(x)))


def copy_by_name(my_model, pretrained):
    my_model.load_state_dict(pretrained)
    return my_model


def copy_without_shape_check(my_model, pretrained):
    my_model.load_state_dict(dict(zip(my_model.state_dict(), pretrained.values())))
    return my_model


def _prepare(images, *, normalise=True, squash=False, corner=False, scale=True):
    mean = t.tensor(ref.IMAGENET_MEAN)[:, None, None]
    std = t.tensor(ref.IMAGENET_STD)[:, None, None]
    out = []
    for image in images:
        x = t.from_numpy(image).permute(2, 0, 1).float() / (255.0 if scale else 1.0)
        h, w = x.shape[1:]
        size = (224, 224) if squash else (max(256, int(h * 256 / min(h, w))),
                                          max(256, int(w * 256 / min(h, w))))
        x = F.interpolate(x[None], size=size, mode="bilinear", antialias=True)[0]
        top, left = (0, 0) if corner else ((size[0] - 224) // 2, (size[1] - 224) // 2)
        x = x[:, top:top + 224, left:left + 224]
        out.append((x - mean) / std if normalise else x)
    return t.stack(out)


def predict_train_mode(model, images):
    with t.no_grad():
        return model(images).softmax(-1).max(-1)


def predict_logits(model, images):
    model.eval()
    with t.no_grad():
        best = model(images).max(-1)
    return best.values, best.indices


def resnet_not_frozen(n_classes):
    model = ref.ResNet34()
    model.fc = ref.Linear(512, n_classes)
    return model


def resnet_frozen_head(n_classes):
    model = ref.ResNet34()
    model.fc = ref.Linear(512, n_classes)
    return model.requires_grad_(False)


class ReLUTimesMask(nn.Module):
    def forward(self, x):
        return x * (x > 0)


RIGHT_ANSWERS = [
    ("ReLU", "x * (x > 0)", ReLUTimesMask),
    ("ReLU", "torch's own", nn.ReLU),
    ("Flatten", "torch's own", nn.Flatten),
    ("MaxPool2d", "torch's own", nn.MaxPool2d),
]


WRONG_ANSWERS += [
    ("BatchNorm2d", "unbiased variance to normalise", BNUnbiasedNormalise),
    ("BatchNorm2d", "biased variance in the running update", BNBiasedRunningVar),
    ("BatchNorm2d", "momentum the wrong way round", BNMomentumReversed),
    ("BatchNorm2d", "batch statistics in eval mode", BNEvalUsesBatch),
    ("BatchNorm2d", "running statistics not registered as buffers", BNPlainAttributes),
    ("AveragePool", "sum instead of mean", SumPool),
    ("Sequential", "modules kept in a plain list", SequentialList),
    ("Sequential", "negative indices unsupported", SequentialNoNegativeIndex),
    ("ResidualBlock", "no downsample when only the features change", BlockOnlyStrideDownsamples),
    ("ResidualBlock", "nn.Conv2d with its bias", BlockConvBias),
    ("ResidualBlock", "no ReLU after the sum", BlockNoFinalReLU),
    ("BlockGroup", "every block strided", GroupAllStrided),
    ("BlockGroup", "blocks inside an attribute (wrong names)", GroupInAttribute),
    ("ResNet34", "no max pool", ResNetNoMaxPool),
    ("ResNet34", "ARENA's attribute names, not torchvision's", ResNetArenaNames),
    ("copy_weights", "by name (load_state_dict directly)", copy_by_name),
    ("copy_weights", "no shape check", copy_without_shape_check),
    ("prepare_data", "no normalisation", lambda imgs: _prepare(imgs, normalise=False)),
    ("prepare_data", "squashed to 224x224", lambda imgs: _prepare(imgs, squash=True)),
    ("prepare_data", "top-left crop", lambda imgs: _prepare(imgs, corner=True)),
    ("prepare_data", "not scaled to [0, 1]", lambda imgs: _prepare(imgs, scale=False)),
    ("predict", "model left in training mode", predict_train_mode),
    ("predict", "logits instead of probabilities", predict_logits),
    ("get_resnet_for_feature_extraction", "nothing frozen", resnet_not_frozen),
    ("get_resnet_for_feature_extraction", "new head frozen too", resnet_frozen_head),
]


def puzzles_transpose_wrong():
    answers = ref.as_strided_puzzles()
    answers[2] = ((5, 4), (5, 1))
    return answers


def trace_assumes_contiguous(mat):
    n = mat.shape[0]
    return mat.contiguous().view(-1)[::n + 1].sum() if mat.is_contiguous() else \
        mat.as_strided((n,), (n + 1,)).sum()


def mv_assumes_unit_stride(mat, vec):
    return (mat * vec.as_strided(mat.shape, (0, 1))).sum(1)


def conv_flipped_kernel(x, weights):
    return ref.conv1d_minimal_simple(x, weights.flip(0))


def conv1d_minimal_off_by_one(x, weights):
    b, ic, w = x.shape
    kw = weights.shape[2]
    s_b, s_ic, s_w = x.stride()
    windows = x.as_strided((b, ic, w - kw, kw), (s_b, s_ic, s_w, s_w))
    return einops.einsum(windows, weights, "b ic ow kw, oc ic kw -> b oc ow")


def conv2d_minimal_swapped_kernel_strides(x, weights):
    b, ic, h, w = x.shape
    kh, kw = weights.shape[2:]
    s_b, s_ic, s_h, s_w = x.stride()
    windows = x.as_strided((b, ic, h - kh + 1, w - kw + 1, kh, kw),
                           (s_b, s_ic, s_h, s_w, s_w, s_h))
    return einops.einsum(windows, weights, "b ic oh ow kh kw, oc ic kh kw -> b oc oh ow")


def conv2d_stride_pair_swapped(x, weights, stride=1, padding=0):
    sh, sw = ref.force_pair(stride)
    return ref.conv2d(x, weights, (sw, sh), padding)


def conv1d_padding_ignored(x, weights, stride=1, padding=0):
    return ref.conv1d(x, weights, stride, 0)


def maxpool2d_zero_padding(x, kernel_size, stride=None, padding=0):
    ph, pw = ref.force_pair(padding)
    x = ref.pad2d(x, pw, pw, ph, ph, 0.0)
    return ref.maxpool2d(x, kernel_size, stride, 0)


WRONG_ANSWERS += [
    ("as_strided_puzzles", "transpose with the row stride first", puzzles_transpose_wrong),
    ("as_strided_trace", "uses t.trace", lambda m: t.trace(m)),
    ("as_strided_trace", "assumes a contiguous matrix", trace_assumes_contiguous),
    ("as_strided_mv", "uses @", lambda m, v: m @ v),
    ("as_strided_mv", "assumes the vector's stride is 1", mv_assumes_unit_stride),
    ("as_strided_mm", "uses einsum", lambda a, b: t.einsum("ij,jk->ik", a, b)),
    ("conv1d_minimal_simple", "uses F.conv1d",
     lambda x, w: F.conv1d(x[None, None], w[None, None])[0, 0]),
    ("conv1d_minimal_simple", "flips the kernel (true convolution)", conv_flipped_kernel),
    ("conv1d_minimal", "one output too few", conv1d_minimal_off_by_one),
    ("conv2d_minimal", "kernel strides swapped", conv2d_minimal_swapped_kernel_strides),
    ("pad1d", "left and right swapped", lambda x, l, r, v: ref.pad1d(x, r, l, v)),
    ("pad1d", "always pads with zeros", lambda x, l, r, v: ref.pad1d(x, l, r, 0.0)),
    ("pad2d", "width and height padding swapped",
     lambda x, l, r, tp, b, v: ref.pad2d(x, tp, b, l, r, v)),
    ("conv1d", "padding ignored", conv1d_padding_ignored),
    ("conv2d", "stride pair read as (width, height)", conv2d_stride_pair_swapped),
    ("conv2d", "uses F.conv2d", lambda x, w, stride=1, padding=0: F.conv2d(x, w, None, stride,
                                                                           padding)),
    ("maxpool2d", "pads with zeros", maxpool2d_zero_padding),
    ("maxpool2d", "stride defaults to 1",
     lambda x, k, stride=None, padding=0: ref.maxpool2d(x, k, stride or 1, padding)),
]


# Found in review: mistakes an earlier version of the checks let through.
def copy_parameters_only(my_model, pretrained):
    mine = dict(my_model.named_parameters())
    theirs = [v for k, v in pretrained.items() if "running" not in k and "num_batches" not in k]
    with t.no_grad():
        for p, value in zip(mine.values(), theirs):
            p.copy_(value)
    return my_model


class BNGraphLeak(ref.BatchNorm2d):
    def forward(self, x):
        if self.training:
            mean, var = x.mean((0, 2, 3)), x.var((0, 2, 3), unbiased=False)
            n = x.numel() // x.shape[1]
            self.running_mean = (1 - self.momentum) * self.running_mean + self.momentum * mean
            self.running_var = (1 - self.momentum) * self.running_var + \
                self.momentum * var * n / (n - 1)
            self.num_batches_tracked += 1
        else:
            mean, var = self.running_mean, self.running_var
        r = lambda v: v[None, :, None, None]  # noqa: E731
        return (x - r(mean)) / t.sqrt(r(var) + self.eps) * r(self.weight) + r(self.bias)


class BNFloatCounter(ref.BatchNorm2d):
    def __init__(self, num_features, eps=1e-5, momentum=0.1):
        super().__init__(num_features, eps, momentum)
        self.num_batches_tracked = t.tensor(0.0)


class SequentialWrapsAround(ref.Sequential):
    def __getitem__(self, index):
        return self._modules[str(index % len(self._modules))]


def predict_float_classes(model, images):
    probabilities, classes = ref.predict(model, images)
    return probabilities, classes.float()


def predict_with_grad(model, images):
    model.eval()
    best = model(images).softmax(-1).max(-1)
    return best.values, best.indices


def predict_softmax_over_batch(model, images):
    model.eval()
    with t.no_grad():
        logits = model(images)
    return logits.softmax(0).max(-1).values, logits.argmax(-1)


def resnet_weights_never_loaded(n_classes):
    model = ref.ResNet34().requires_grad_(False)
    model.fc = ref.Linear(512, n_classes)
    return model


def pad1d_float32(x, left, right, pad_value):
    out = t.full((x.shape[0], x.shape[1], left + x.shape[2] + right), pad_value)
    out[..., left:left + x.shape[2]] = x
    return out


def _train_variant(**loop_kwargs):
    def train(args):
        return _loop(args, **loop_kwargs)
    return train


def _loop_variant(args, *, seed=True, fixed_lr=None, eval_mode=True, back_to_train=True):
    if seed:
        t.manual_seed(args.seed)
    data = ref.get_training_data(args)
    model = args.model_class()
    opt = t.optim.Adam(model.parameters(), lr=fixed_lr or args.learning_rate)
    loader = DataLoader(TensorDataset(data.train_images, data.train_labels),
                        batch_size=args.batch_size, shuffle=True)
    val = DataLoader(TensorDataset(data.val_images, data.val_labels), batch_size=512)
    losses, accs = [], []
    for epoch in range(args.epochs):
        if back_to_train or epoch == 0:
            model.train()
        for x, y in loader:
            loss = F.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            losses.append(loss.item())
        if eval_mode:
            model.eval()
        with t.no_grad():
            correct = sum(int((model(x).argmax(-1) == y).sum()) for x, y in val)
        accs.append(correct / len(data.val_images))
    return losses, accs, model


WRONG_ANSWERS += [
    ("copy_weights", "parameters only (running statistics skipped)", copy_parameters_only),
    ("BatchNorm2d", "running statistics keep the autograd graph", BNGraphLeak),
    ("BatchNorm2d", "a float num_batches_tracked", BNFloatCounter),
    ("Sequential", "indices wrap around", SequentialWrapsAround),
    ("predict", "float classes", predict_float_classes),
    ("predict", "probabilities still require grad", predict_with_grad),
    ("predict", "softmax over the batch", predict_softmax_over_batch),
    ("predict", "(classes, probabilities): the order reversed",
     lambda model, images: ref.predict(model, images)[::-1]),
    ("get_resnet_for_feature_extraction", "weights never loaded", resnet_weights_never_loaded),
    ("pad1d", "float32 whatever the input", pad1d_float32),
    ("train", "no seed", lambda a: _loop_variant(a, seed=False)),
    ("train", "learning rate fixed at 1e-3", lambda a: _loop_variant(a, fixed_lr=1e-3)),
    ("train", "never switches to eval mode", lambda a: _loop_variant(a, eval_mode=False)),
    ("train", "eval mode never switched back", lambda a: _loop_variant(a, back_to_train=False)),
    ("as_strided_trace", "einsum('ii->')", lambda m: t.einsum("ii->", m)),
    ("as_strided_trace", "diagonal by indexing",
     lambda m: m[range(m.shape[0]), range(m.shape[0])].sum()),
    ("as_strided_mv", "broadcasting instead of a strided view", lambda m, v: (m * v).sum(1)),
    ("as_strided_mm", "t.linalg.matmul", lambda a, b: t.linalg.matmul(a, b)),
    ("conv2d", "t.convolution", lambda x, w, stride=1, padding=0: t.convolution(
        x, w, None, ref.force_pair(stride), ref.force_pair(padding), (1, 1), False, (0, 0), 1)),
    ("maxpool2d", "F.max_pool2d", lambda x, k, stride=None, padding=0: F.max_pool2d(
        x, k, stride if stride is not None else k, padding)),
]


RIGHT_ANSWERS += [
    ("train", "own accuracy count under no_grad", lambda a: _loop_variant(a)),
]
