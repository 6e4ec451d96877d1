"""Chapter 2's page-only pieces: one function per {widget} directive in its sections."""

import streamlit as st

from utils import sources
from utils.figures import part2_cnns as figures
from utils.widgets import compute_button

STEM = "part2_cnns"


def modules_1() -> None:
    left, right = st.columns(2)
    nonlinearity = left.radio("Nonlinearity between the layers", list(figures.NONLINEARITIES),
                              horizontal=True, key="init_nonlinearity")
    width = right.select_slider("Width of every layer", figures.INIT_WIDTHS, value=256,
                                key="init_width")
    st.plotly_chart(figures.init_depth_figure(width, nonlinearity), width="stretch")


def training_1() -> None:
    st.code(sources.source_of(STEM, "evaluate"), language="python")


def training_2() -> None:
    data = figures.demo_data()
    st.caption(f"Data: {data.source}: {len(data.train_images)} training, "
               f"{len(data.val_images)} validation and {len(data.test_images)} test images.")
    if compute_button("Train the SimpleMLP", key="train_mlp"):
        losses, accuracies, model = figures.train_with_progress("SimpleMLP", st.progress(0.0))
        st.plotly_chart(figures.training_curves(losses, accuracies, "SimpleMLP on the digits"),
                        width="stretch")
        st.markdown(f"Training is over, so now, once: **test accuracy "
                    f"{figures.final_test_accuracy(model):.1%}**.")
        st.markdown(
            "Before training, the model's guesses are nearly uniform (about 10 % per class). After, "
            "it is confident, and mostly right. Pick a test image:")
        index = st.slider("Test image", 0, len(data.test_images) - 1, 0, key="mlp_digit")
        st.plotly_chart(figures.digit_probabilities(index, model), width="stretch", theme=None)


def convolutions_1() -> None:
    if compute_button("Train the ConvNet", key="train_convnet"):
        losses, accuracies, convnet = figures.train_with_progress("ConvNet", st.progress(0.0))
        st.plotly_chart(figures.training_curves(losses, accuracies, "ConvNet on the digits"),
                        width="stretch")
        st.markdown(f"Its one measurement on the test images, after training: **test accuracy "
                    f"{figures.final_test_accuracy(convnet):.1%}**.")
        st.markdown(
            "**The first layer's 32 kernels** (red positive, blue negative). Many look like small "
            "edge and stroke detectors:")
        st.plotly_chart(figures.kernels(convnet), width="stretch", theme=None)
        index = st.slider("Test image", 0, len(figures.demo_data().test_images) - 1, 3,
                          key="convnet_digit")
        st.markdown("**Feature maps**: each kernel slid over this digit, after the ReLU. Bright "
                    "means the pattern is there.")
        st.plotly_chart(figures.feature_maps(index, convnet), width="stretch", theme=None)


def resnets_1() -> None:
    st.dataframe(figures.architecture_table(), hide_index=True, width="stretch")


def resnets_2() -> None:
    model = figures.pretrained_resnet()
    if model is None:
        st.info(
            "The ImageNet weights (83 MB from download.pytorch.org) can't be downloaded from this "
            "server, so this demo is off. Your ResNet34 is still fully checked: the check compares "
            "its parameter names, shapes and outputs with the reference architecture, which loads "
            "torchvision's weights with `strict=True` when they are available. Run the site on your "
            "machine, or use the Colab notebook, to see the predictions.",
            icon="📡",
        )
    else:
        st.markdown(
            "The reference ResNet34 with torchvision's ImageNet weights, on photos that ship with "
            "scikit-image and scikit-learn, preprocessed by `prepare_data`. The three most likely "
            "classes of each:")
        predictions = figures.top_predictions(model)
        photos = figures.sample_photos()
        columns = st.columns(3)
        for i, (name, top) in enumerate(predictions):
            with columns[i % 3]:
                st.image(photos[name], caption=name)
                st.markdown("\n".join(f"- {label}: {prob:.1%}" for label, prob in top))


def resnets_3() -> None:
    if compute_button("Train the new head", key="train_head"):
        run = figures.feature_extraction_with_progress(st.progress(0.0))
        st.plotly_chart(figures.accuracy_curve(run["accuracies"], f"New head on {run['source']}"),
                        width="stretch")
        if run["pretrained"]:
            st.markdown("With ImageNet features, a linear head alone classifies these images well: "
                        "the frozen body already separates them.")
        else:
            st.info(
                "The ImageNet weights are not available on this server, so the frozen body has "
                "random weights and its features are random projections of the image. The head "
                "still beats chance (10 %), but nowhere near what pretrained features give (ARENA "
                "reports 70–80 % on CIFAR-10 after one epoch). That gap is the point of transfer "
                "learning.", icon="📡")


def from_scratch_1() -> None:
    left, right = st.columns([1, 2])
    with left:
        size_text = st.text_input("size", "3, 3", key="strided_size")
        stride_text = st.text_input("stride", "1, 1", key="strided_stride")
    try:
        size, stride = figures.parse_ints(size_text), figures.parse_ints(stride_text)
        figure, view_text = figures.strided_view(size, stride)
    except ValueError as err:
        right.warning(f"Not a valid view: {err}")
    else:
        with right:
            st.plotly_chart(figure, width="stretch", theme=None)
            st.code(f"t.arange(20).as_strided({size}, {stride})\n= {view_text}", language="text")
