"""Wrong and right answers for chapter 2's digits sections (the baseline and the linear model):
each wrong one must be rejected by its check with a message, each right one must pass."""

import torch as t

from solutions.neural_network_basics import mnist_distance

# --- mean_image ------------------------------------------------------------------------------


def mean_over_rows(images):
    return images.mean(1)


def mean_over_everything(images):
    return images.mean()


def mean_keepdim(images):
    return images.mean(0, keepdim=True)


def sum_not_mean(images):
    return images.sum(0)


def mean_in_place_sum(images):
    total = images[0]
    for image in images[1:]:
        total += image  # writes into the caller's first image
    return total / len(images)


# --- mnist_distance --------------------------------------------------------------------------


def distance_squared(a, b):
    return ((a - b) ** 2).mean((-1, -2))


def distance_rms(a, b):
    return ((a - b) ** 2).mean((-1, -2)).sqrt()


def distance_no_abs(a, b):
    return (a - b).mean((-1, -2))


def distance_mean_everything(a, b):
    return (a - b).abs().mean()


def distance_fixed_dims(a, b):
    return (a - b).abs().mean((1, 2))  # the pixel dims only for an (n, h, w) stack


def distance_sum(a, b):
    return (a - b).abs().sum((-1, -2))


def distance_over_784(a, b):
    return (a - b).abs().sum((-1, -2)) / 784


def distance_last_dim_only(a, b):
    return (a - b).abs().mean(-1)


def distance_loop(a, b):
    return t.stack([(image - b).abs().mean() for image in a])  # a batch only


# --- is_three --------------------------------------------------------------------------------


def is_three_reversed(x, mean3, mean7):
    return mnist_distance(x, mean3) > mnist_distance(x, mean7)


def is_three_floats(x, mean3, mean7):
    return (mnist_distance(x, mean3) < mnist_distance(x, mean7)).float()


def is_three_tie_is_three(x, mean3, mean7):
    return mnist_distance(x, mean3) <= mnist_distance(x, mean7)


def is_three_python_bool(x, mean3, mean7):
    return bool((mnist_distance(x, mean3) < mnist_distance(x, mean7)).all())


def is_three_one_image(x, mean3, mean7):
    return (x - mean3).abs().mean() < (x - mean7).abs().mean()


# --- init_params -----------------------------------------------------------------------------


def init_no_grad(size, std=1.0, generator=None):
    return t.randn(size, generator=generator) * std


def init_not_leaf(size, std=1.0, generator=None):
    return t.randn(size, generator=generator, requires_grad=True) * std


def init_ignores_std(size, std=1.0, generator=None):
    return t.randn(size, generator=generator).requires_grad_()


def init_ignores_generator(size, std=1.0, generator=None):
    return (t.randn(size) * std).requires_grad_()


def init_uniform(size, std=1.0, generator=None):
    return (t.rand(size, generator=generator) * std).requires_grad_()


def init_std_squared(size, std=1.0, generator=None):
    return (t.randn(size, generator=generator) * std ** 2).requires_grad_()


# --- linear1 ---------------------------------------------------------------------------------


def linear_elementwise(xb, weights, bias):
    return xb * weights + bias


def linear_no_bias(xb, weights, bias):
    return xb @ weights


def linear_detached(xb, weights, bias):
    return (xb @ weights + bias).detach()


def linear_through_data(xb, weights, bias):
    return xb @ weights.data + bias.data


def linear_weights_detached(xb, weights, bias):
    return xb @ weights.detach() + bias  # still requires grad, through the bias alone


def linear_flat(xb, weights, bias):
    return (xb * weights.T).sum(1) + bias  # shape (n,): the sum dropped the column


# --- mnist_loss ------------------------------------------------------------------------------


def loss_no_sigmoid(predictions, targets):
    return t.where(targets == 1, 1 - predictions, predictions).mean()


def loss_swapped(predictions, targets):
    p = predictions.sigmoid()
    return t.where(targets == 1, p, 1 - p).mean()


def loss_flat_predictions(predictions, targets):
    p = predictions.sigmoid().flatten()  # (n,) against (n, 1) targets: an (n, n) grid
    return t.where(targets == 1, 1 - p, p).mean()


def loss_sum(predictions, targets):
    p = predictions.sigmoid()
    return t.where(targets == 1, 1 - p, p).sum()


def loss_item(predictions, targets):
    p = predictions.sigmoid()
    return t.tensor(t.where(targets == 1, 1 - p, p).mean().item())


def loss_mean_dim0(predictions, targets):
    p = predictions.sigmoid()
    return t.where(targets == 1, 1 - p, p).mean(0)


def loss_per_image(predictions, targets):
    p = predictions.sigmoid()
    return t.where(targets == 1, 1 - p, p)


# --- batch_accuracy --------------------------------------------------------------------------


def accuracy_wrong_side(predictions, targets):
    return ((predictions.sigmoid() < 0.5) == (targets == 1)).float().mean()


def accuracy_threshold_on_logits(predictions, targets):
    return ((predictions > 0.5) == (targets == 1)).float().mean()


def accuracy_count(predictions, targets):
    return ((predictions.sigmoid() > 0.5) == (targets == 1)).float().sum()


def accuracy_python_float(predictions, targets):
    return ((predictions.sigmoid() > 0.5) == (targets == 1)).float().mean().item()


def accuracy_ge(predictions, targets):
    return ((predictions >= 0) == (targets == 1)).float().mean()


def accuracy_flat(predictions, targets):
    return ((predictions.sigmoid() > 0.5).flatten() == (targets == 1)).float().mean()


def accuracy_bool(predictions, targets):
    return ((predictions.sigmoid() > 0.5) == (targets == 1)).all()


WRONG_ANSWERS = [
    ("mean_image", "mean over the rows, not the images", mean_over_rows),
    ("mean_image", ".mean() over everything", mean_over_everything),
    ("mean_image", "keepdim leaves (1, h, w)", mean_keepdim),
    ("mean_image", "sum, not mean", sum_not_mean),
    ("mean_image", "adds into the caller's first image", mean_in_place_sum),
    ("mnist_distance", "squared differences", distance_squared),
    ("mnist_distance", "root mean squared", distance_rms),
    ("mnist_distance", "forgot abs", distance_no_abs),
    ("mnist_distance", ".mean() over everything", distance_mean_everything),
    ("mnist_distance", "fixed dims (1, 2)", distance_fixed_dims),
    ("mnist_distance", "sum, not mean", distance_sum),
    ("mnist_distance", "divides by 784 whatever the size", distance_over_784),
    ("mnist_distance", "mean over the last dim only", distance_last_dim_only),
    ("mnist_distance", "a loop that needs a batch", distance_loop),
    ("is_three", "comparison reversed", is_three_reversed),
    ("is_three", "floats, not booleans", is_three_floats),
    ("is_three", "a tie counts as a 3", is_three_tie_is_three),
    ("is_three", "one Python bool for the batch", is_three_python_bool),
    ("is_three", "a distance that only works for one image", is_three_one_image),
    ("init_params", "no requires_grad", init_no_grad),
    ("init_params", "requires_grad before scaling: not a leaf", init_not_leaf),
    ("init_params", "ignores std", init_ignores_std),
    ("init_params", "ignores the generator", init_ignores_generator),
    ("init_params", "uniform, not normal", init_uniform),
    ("init_params", "std squared", init_std_squared),
    ("linear1", "xb * weights, not @", linear_elementwise),
    ("linear1", "forgot the bias", linear_no_bias),
    ("linear1", "detached output", linear_detached),
    ("linear1", "through .data", linear_through_data),
    ("linear1", "weights detached, bias not: only the bias would learn", linear_weights_detached),
    ("linear1", "an elementwise sum without keepdim: (n,)", linear_flat),
    ("mnist_loss", "forgot sigmoid", loss_no_sigmoid),
    ("mnist_loss", "branches swapped", loss_swapped),
    ("mnist_loss", "(n,) vs (n, 1): an (n, n) loss", loss_flat_predictions),
    ("mnist_loss", "sum, not mean", loss_sum),
    ("mnist_loss", ".item(): no gradient", loss_item),
    ("mnist_loss", "mean(0) leaves shape (1,)", loss_mean_dim0),
    ("mnist_loss", "no mean: one loss per image", loss_per_image),
    ("batch_accuracy", "threshold on the wrong side", accuracy_wrong_side),
    ("batch_accuracy", "0.5 on the logits", accuracy_threshold_on_logits),
    ("batch_accuracy", "a count, not a fraction", accuracy_count),
    ("batch_accuracy", "a Python float", accuracy_python_float),
    ("batch_accuracy", ">= 0: a logit of 0 counts as a 3", accuracy_ge),
    ("batch_accuracy", "(n,) vs (n, 1): an (n, n) comparison", accuracy_flat),
    ("batch_accuracy", "all() instead of a fraction", accuracy_bool),
]


# --- right answers ---------------------------------------------------------------------------


def mean_by_sum(images):
    return images.sum(dim=0) / images.shape[0]


def distance_two_means(a, b):
    return (a - b).abs().mean(-1).mean(-1)


def distance_flatten(a, b):
    return (a - b).abs().flatten(-2).mean(-1)


def is_three_difference(x, mean3, mean7):
    return mnist_distance(x, mean7) - mnist_distance(x, mean3) > 0


def init_normal(size, std=1.0, generator=None):
    return t.normal(0.0, std, size, generator=generator).requires_grad_()


def init_parameter(size, std=1.0, generator=None):
    return t.nn.Parameter(t.randn(*size, generator=generator) * std)


def linear_rowwise(xb, weights, bias):
    return (xb * weights.T).sum(1, keepdim=True) + bias


def linear_matmul(xb, weights, bias):
    return t.matmul(xb, weights).add(bias)


def loss_arithmetic(predictions, targets):
    p = t.sigmoid(predictions)
    return (targets * (1 - p) + (1 - targets) * p).mean()


def accuracy_logits(predictions, targets):
    return ((predictions > 0).float() == targets).float().mean()


def init_normal_in_place(size, std=1.0, generator=None):
    return t.empty(size).normal_(0, std, generator=generator).requires_grad_()


def linear_addmm(xb, weights, bias):
    return t.addmm(bias, xb, weights)


def loss_absolute(predictions, targets):
    return (targets - predictions.sigmoid()).abs().mean()


def accuracy_round(predictions, targets):
    return (predictions.sigmoid().round() == targets).float().mean()  # round(0.5) is 0


def accuracy_float64(predictions, targets):
    return ((predictions > 0) == targets.bool()).double().mean()


RIGHT_ANSWERS = [
    ("mean_image", "sum divided by n", mean_by_sum),
    ("mnist_distance", "two means of the last dim", distance_two_means),
    ("mnist_distance", "flatten the pixels", distance_flatten),
    ("is_three", "difference of distances > 0", is_three_difference),
    ("init_params", "t.normal with the generator", init_normal),
    ("init_params", "an nn.Parameter", init_parameter),
    ("linear1", "t.matmul(...).add(bias)", linear_matmul),
    ("linear1", "a weighted sum per row with keepdim", linear_rowwise),
    ("mnist_loss", "targets * (1 - p) + (1 - targets) * p", loss_arithmetic),
    ("batch_accuracy", "logits > 0 against float targets", accuracy_logits),
    ("init_params", "normal_ with the generator", init_normal_in_place),
    ("linear1", "t.addmm", linear_addmm),
    ("mnist_loss", "|target - p|", loss_absolute),
    ("batch_accuracy", "rounded probabilities", accuracy_round),
    ("batch_accuracy", "a float64 fraction", accuracy_float64),
]
