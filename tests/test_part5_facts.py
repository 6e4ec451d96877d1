"""The numbers chapter 5's GAN page states about sigmoids, logs and losses, measured in torch:
if a torch release changes one, the page is wrong and this says so."""

import torch as t
import torch.nn.functional as F

from solutions.part5_vaes_gans import Sigmoid


def _grad(loss_of_logit, a: float) -> tuple[float, float]:
    logit = t.tensor([a], requires_grad=True)
    loss = loss_of_logit(logit)
    loss.backward()
    return loss.item(), logit.grad.item()


def test_the_saturating_loss_vanishes_through_the_logit_not_through_d():
    # As a function of D, log(1 - D) has slope -1 near D = 0 ...
    d = t.tensor([1e-3], requires_grad=True)
    t.log(1 - d).backward()
    assert abs(d.grad.item() + 1) < 2e-3
    # ... but through the logit a its gradient is -sigma(a) = -D, while -log D's is -(1 - D).
    a = -6.9  # D = sigma(a) ~ 0.001
    _, saturating = _grad(lambda x: t.log(1 - t.sigmoid(x)).sum(), a)
    _, non_saturating = _grad(lambda x: -t.log(t.sigmoid(x)).sum(), a)
    D = t.sigmoid(t.tensor(a)).item()
    assert abs(saturating + D) < 1e-6 and abs(non_saturating + (1 - D)) < 1e-6
    assert 900 < non_saturating / saturating < 1100  # "a thousandth of the gradient"


def test_a_safe_sigmoid_still_rounds_to_one_and_its_log_is_infinite():
    for sigmoid in (t.sigmoid, Sigmoid()):
        assert sigmoid(t.tensor(16.0)).item() < 1  # "above about 17"
        assert sigmoid(t.tensor(17.0)).item() == 1.0
        assert t.log(1 - sigmoid(t.tensor(17.0))).item() == float("-inf")
        assert t.log(sigmoid(t.tensor(-104.0))).item() == float("-inf")  # "below about -104"
    assert Sigmoid()(t.tensor(-100.0)).item() > 0
    assert t.sigmoid(t.tensor(-88.0)).item() > 0 and t.sigmoid(t.tensor(-90.0)).item() == 0
    loss, grad = _grad(lambda x: -t.log(1 - t.sigmoid(x)).sum(), 30.0)
    assert loss == float("inf") and grad != grad  # NaN


def test_logsigmoid_gives_the_logs_finitely():
    a = t.tensor([-1e30, -100.0, -17.0, 0.0, 17.0, 100.0, 1e30])
    assert t.isfinite(F.logsigmoid(a)).all() and t.isfinite(F.logsigmoid(-a)).all()
    middle = t.tensor([-5.0, 0.0, 5.0])
    assert t.allclose(F.logsigmoid(-middle), t.log(1 - t.sigmoid(middle)))


def test_bceloss_clamps_at_100_and_loses_the_gradient_while_logits_keep_it():
    target = t.tensor([0.0])
    loss, grad = _grad(lambda x: F.binary_cross_entropy(t.sigmoid(x), target), 30.0)
    assert loss == 100.0 and grad == 0.0
    loss, grad = _grad(lambda x: F.binary_cross_entropy_with_logits(x, target), 30.0)
    assert loss == 30.0 and grad == 1.0
