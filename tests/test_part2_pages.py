"""Chapter 5.2's training demos keep working after training: the page runs again whenever the
learner moves a slider, and then shows the cached run, without training again."""

import pytest

from tests.browser_site import open_page
from tests.app_charts import chart_specs


@pytest.mark.parametrize("page, button, slider", [
    ("pages/part2_cnns/2_training.md", "train_mlp", "mlp_digit"),
    ("pages/part2_cnns/3_convolutions.md", "train_convnet", "convnet_digit"),
])
def test_moving_the_test_image_slider_after_training_redraws_the_results(page, button, slider):
    app = open_page(page)
    app.button(key=button).click().run()
    assert not app.exception, [e.value for e in app.exception]
    charts = len(chart_specs(app))
    app.slider(key=slider).set_value(7).run()
    assert not app.exception, [e.value for e in app.exception]
    assert len(chart_specs(app)) == charts
    assert any("accuracy" in str(p.proto.text) for p in app.get("progress"))


def test_the_feature_extraction_demo_survives_a_rerun():
    app = open_page("pages/part2_cnns/4_resnets.md")
    app.button(key="train_head").click().run()
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    assert any("test accuracy" in str(p.proto.text) for p in app.get("progress"))


def test_the_imagenet_weights_are_fetched_when_asked_not_on_the_first_view(monkeypatch):
    """The ResNets page's first view downloads nothing (83 MB would make it slow on a cold
    server); the button fetches the weights, and without them the page says the demo is off."""
    from pathlib import Path

    from utils import data, data_files
    from utils.experiments import part2_cnns as experiments

    fetched = []
    monkeypatch.setattr(data, "load_resnet34_weights", lambda *a, **k: fetched.append(1))
    # (Not in torch.hub's cache, whatever this machine's holds.)
    monkeypatch.setattr(data_files, "resnet34_checkpoint", lambda: Path("/nonexistent/resnet34"))
    monkeypatch.delenv("GTF_OFFLINE", raising=False)
    experiments.pretrained_resnet.clear()
    experiments.reference_top_predictions.clear()
    app = open_page("pages/part2_cnns/4_resnets.md")
    assert not app.exception, [e.value for e in app.exception]
    assert fetched == []
    assert not any("can't be downloaded" in i.value for i in app.info)
    app.button(key="imagenet_predictions").click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert fetched == [1]
    assert any("can't be downloaded" in i.value for i in app.info)
