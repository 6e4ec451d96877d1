"""Code shown on the pages as usage examples runs as shown, against the reference solutions."""

import torch as t

from solutions import part4_backprop, part5_vaes_gans
from utils.figures import part4_backprop as figures4
from utils.figures import part5_vaes_gans as figures5


def test_the_gradcheck_example_runs():
    exec(figures4.GRADCHECK_EXAMPLE, dict(vars(part4_backprop)))


def test_the_faces_example_trains_a_dcgan_offline(monkeypatch):
    monkeypatch.setenv("GTF_OFFLINE", "1")  # on the stand-in faces: the same format as CelebA
    t.manual_seed(0)
    namespace = dict(vars(part5_vaes_gans))
    exec(figures5.FACES_EXAMPLE.replace("epochs=5", "epochs=1"), namespace)
    assert namespace["model"].netG(t.randn(2, 100)).shape == (2, 3, 64, 64)
