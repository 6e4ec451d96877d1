"""Chapter 5.2's interactive pieces: one function per `{widget} name` directive in its sections.

Each draws what the page shows at that point: controls (whose session-state keys the learner's
state and the tests rely on), figures from utils/figures/part2_cnns.py, and the training runs of
utils/experiments/part2_cnns.py behind a button and a progress bar. The prose around them is in
pages/part2_cnns/<n>_<key>.md, and so is each widget's notebook stand-in (the directive's body).

Importing this module imports no torch: at its defaults, on a fresh server's first page, a
widget draws the charts and texts kept for it (utils/first_view_charts.py), and imports the
chapter's code (`_experiments`, `_figures`) only when it computes.
"""

from __future__ import annotations

from types import ModuleType

import streamlit as st

from utils import charts, data_files, first_view_charts, page_icons
from utils.code_block import code_block
from utils.demos import part2_cnns_settings as chapter_settings
from utils.markdown_table import markdown_table
from utils.widgets import compute_button

# Where a learner's session keeps a demo model once they have trained it, so that the widgets
# drawing it further down the page (which have no button of their own) show it. They read it here
# rather than from the cached run: a cache hit would replay the progress bar's messages onto a
# bar that only the training widget has.
_TRAINED_MODEL = "part2_cnns:trained:{}"
STRIDED_DEFAULTS = ("3, 3", "1, 1")  # the strided view explorer's size and stride, as typed


def _experiments() -> ModuleType:
    from utils.experiments import part2_cnns

    return part2_cnns


def _figures() -> ModuleType:
    from utils.figures import part2_cnns

    return part2_cnns


def parse_ints(text: str) -> tuple[int, ...]:
    """ "3, 3" or "(3, 3)" -> (3, 3); a ValueError says what could not be read."""
    parts = [part.strip() for part in text.strip().strip("()[]").split(",") if part.strip()]
    try:
        return tuple(int(part) for part in parts)
    except ValueError:
        raise ValueError(f"{text!r} is not a list of whole numbers, like 3, 3") from None


def _train_button(model_name: str, key: str) -> tuple | None:
    """A button that trains (or fetches) a demo model with a progress bar; once pressed, its
    (losses, accuracies, model) on every rerun of the session, else None."""
    if not compute_button(f"Train the {model_name}", key=key):
        return None
    bar = st.progress(0.0)

    def progress(step: int, total: int) -> None:
        bar.progress(step / total, text=f"Training the {model_name}: batch {step} of {total}")

    result = _experiments().trained_model(model_name, progress)
    bar.progress(1.0, text=f"{model_name} trained: validation accuracy {result[1][-1]:.1%}")
    st.session_state[_TRAINED_MODEL.format(model_name)] = result[2]
    return result


def _trained_model(model_name: str) -> object | None:
    """The demo model, if this learner trained it higher up the page; else a note saying how."""
    model = st.session_state.get(_TRAINED_MODEL.format(model_name))
    if model is not None:
        return model
    st.caption(f"Press *Train the {model_name}* above, and it appears here.")
    return None


# ---------------------------------------------------------------------------------------------
# Making your own modules


def init_spread_by_depth() -> None:
    left, right = st.columns(2)
    nonlinearity = left.radio("Nonlinearity between the layers",
                              chapter_settings.NONLINEARITY_NAMES, horizontal=True,
                              key="init_nonlinearity")
    width = right.select_slider("Width of every layer", chapter_settings.INIT_WIDTHS,
                                value=chapter_settings.INIT_DEFAULT_WIDTH, key="init_width")
    at_default = (nonlinearity, width) == (chapter_settings.NONLINEARITY_NAMES[0],
                                           chapter_settings.INIT_DEFAULT_WIDTH)
    first_view_charts.chart(at_default,
                            lambda: _figures().init_depth_figure(width, nonlinearity),
                            key="init_depth_chart")


# ---------------------------------------------------------------------------------------------
# Training a network


def train_simple_mlp() -> None:
    st.caption(first_view_charts.text(0, True, _demo_data_caption))
    _train_and_report("SimpleMLP", key="train_mlp")


def _demo_data_caption() -> str:
    data = _experiments().demo_data()
    return (f"Data: {data.source}: {len(data.train_images)} training, "
            f"{len(data.val_images)} validation and {len(data.test_images)} test images.")


def mlp_digit_probabilities() -> None:
    _per_test_image("SimpleMLP", lambda index, model: _figures().digit_probabilities(index, model),
                    key="mlp_digit", first=0)


def _per_test_image(model_name: str, draw, key: str, first: int) -> None:
    """Once `model_name` is trained: a slider over the test images and `draw(index, model)`."""
    model = _trained_model(model_name)
    if model is not None:
        index = st.slider("Test image", 0, len(_experiments().demo_data().test_images) - 1,
                          first, key=key)
        charts.plotly_chart(draw(index, model), width="stretch", theme=None)


# ---------------------------------------------------------------------------------------------
# Convolutions


def train_convnet() -> None:
    _train_and_report("ConvNet", key="train_convnet")


def _train_and_report(model_name: str, key: str) -> None:
    """The training button, then the run's curves and its one test measurement."""
    trained = _train_button(model_name, key=key)
    if trained is not None:
        losses, accuracies, model = trained
        charts.plotly_chart(_figures().training_curves(losses, accuracies,
                                                       f"{model_name} on the digits"))
        st.markdown(f"Training is over, so now, once: **test accuracy "
                    f"{_experiments().final_test_accuracy(model):.1%}**.")


def convnet_kernels() -> None:
    convnet = _trained_model("ConvNet")
    if convnet is not None:
        charts.plotly_chart(_figures().kernels(convnet), width="stretch", theme=None)


def convnet_feature_maps() -> None:
    _per_test_image("ConvNet", lambda index, model: _figures().feature_maps(index, model),
                    key="convnet_digit", first=3)


# ---------------------------------------------------------------------------------------------
# ResNets


def resnet34_stages() -> None:
    st.markdown(first_view_charts.text(
        0, True, lambda: markdown_table(_figures().architecture_table())))


def imagenet_predictions() -> None:
    # The weights are 83 MB: fetched when the learner asks, not on the page's first view. (An
    # offline server has none to show: it says so without importing the chapter's code.)
    if (not data_files.offline() and not data_files.resnet34_checkpoint().exists()
            and not compute_button("Classify the photos (fetches the 83 MB of ImageNet "
                                   "weights, once)", key="imagenet_predictions")):
        return
    predictions = None if data_files.offline() else _experiments().reference_top_predictions()
    if predictions is None:
        st.info(
            "The ImageNet weights (83 MB from download.pytorch.org) can't be downloaded from this "
            "server, so this demo is off. Your ResNet34 is still fully checked: the check compares "
            "its parameter names, shapes and outputs with the reference architecture, which loads "
            "torchvision's weights with `strict=True` when they are available. Run the site on "
            "your machine, or use the Colab notebook, to see the predictions.",
            icon=page_icons.OFFLINE,
        )
        return
    photos = _experiments().sample_photos()
    columns = st.columns(3)
    for i, (name, top) in enumerate(predictions):
        with columns[i % 3]:
            st.image(photos[name], caption=name)
            st.markdown("\n".join(f"- {label}: {prob:.1%}" for label, prob in top))


def train_feature_extraction_head() -> None:
    if not compute_button("Train the new head", key="train_head"):
        return
    bar = st.progress(0.0)

    def progress(step: int, total: int) -> None:
        bar.progress(step / total, text=f"Training the new head: epoch {step} of {total}")

    run = _experiments().feature_extraction_run(progress)
    bar.progress(1.0, text=f"Done: validation accuracy {run['accuracies'][-1]:.1%}; test "
                           f"accuracy, measured once at the end, {run['test_accuracy']:.1%}")
    charts.plotly_chart(_figures().accuracy_curve(run["accuracies"],
                                                  f"New head on {run['source']}"),
                        width="stretch")
    if not run["pretrained"]:
        st.info("The ImageNet weights are not available on this server, so this frozen body has "
                "random weights.", icon=page_icons.OFFLINE)


# ---------------------------------------------------------------------------------------------
# Bonus: convolutions from scratch


def strided_view_explorer() -> None:
    left, right = st.columns([1, 2])
    with left:
        size_text = st.text_input("size", STRIDED_DEFAULTS[0], key="strided_size")
        stride_text = st.text_input("stride", STRIDED_DEFAULTS[1], key="strided_stride")
    # At the defaults, on a fresh server's first page: the view and its chart as kept.
    kept = first_view_charts.served() if (size_text, stride_text) == STRIDED_DEFAULTS else None
    try:
        size, stride = parse_ints(size_text), parse_ints(stride_text)
        figure, view_text = (kept, None) if kept else _figures().strided_view(size, stride)
    except ValueError as err:
        right.warning(f"Not a valid view: {err}")
    else:
        # (Kept with its chart; computed if it was not.)
        view_text = first_view_charts.text(
            0, kept is not None,
            lambda: view_text if kept is None else _figures().strided_view(size, stride)[1])
        with right:
            charts.plotly_chart(figure, width="stretch", theme=None)
            code_block(f"t.arange(20).as_strided({size}, {stride})\n= {view_text}", "text")
