"""Chapter 5.5's interactive pieces: one function per {widget} directive in its section sources.

Each draws what a static figure can't: a model chosen with a radio, the latent plane walked with
sliders, the demo GAN's training scrubbed epoch by epoch, and the learner's own models trained in
the sandbox. The prose around them lives in the sections' .md files; the notebook shows each
widget's directive body (a static stand-in) instead. Slider and button keys are kept stable:
learners' session state and the tests use them.

Importing this module imports no torch: at its defaults, on a fresh server's first page, a
widget draws the charts and texts kept for it (utils/first_view_charts.py), and imports the
chapter's code (`_figures`, `_demos`) only when it computes.
"""

from types import ModuleType

import streamlit as st

from utils import charts, first_view_charts
from utils.demo_widgets import describe_learner_code, validated_learner_demo
from utils.demos.part5_vaes_gans_settings import GAN_EPOCHS, KINDS

STEM = "part5_vaes_gans"  # the chapter, for the demos that run the learner's code
STATIC = {"staticPlot": True}  # images: nothing to zoom or hover


def _figures() -> ModuleType:
    from utils.figures import part5_vaes_gans

    return part5_vaes_gans


def _demos() -> ModuleType:
    from utils.demos import part5_vaes_gans

    return part5_vaes_gans


def reconstructions() -> None:
    """Test digits and their reconstructions, by the demo autoencoder or VAE."""
    kind = st.radio("Model", list(KINDS), format_func=KINDS.get, horizontal=True,
                    key="p5_recon_kind")
    first_view_charts.chart(kind == "autoencoder", lambda: _figures().reconstructions(kind),
                            theme=None, key="p5_recon_chart")
    st.caption(first_view_charts.text(
        0, True, lambda: f"Test images from {_figures().test_set()[2]}."))


def latent_explorer() -> None:
    """The demo decoder's image at a point of the latent plane chosen with two sliders."""
    left, right = st.columns([1, 1])
    with left:
        explorer = st.radio("Decoder", list(KINDS), format_func=KINDS.get,
                            horizontal=True, key="p5_explorer_kind", index=1)
        z1 = st.slider("z₁", -3.0, 3.0, 0.0, 0.05, key="p5_z1")
        z2 = st.slider("z₂", -3.0, 3.0, 0.0, 0.05, key="p5_z2")
    with right:
        first_view_charts.chart((explorer, z1, z2) == ("vae", 0.0, 0.0),
                                lambda: _figures().decoded_image(explorer, z1, z2), theme=None,
                                config=STATIC, key="p5_decoded_chart")
    with st.expander("The whole plane at once"):
        first_view_charts.chart(explorer == "vae", lambda: _figures().decoded_grid(explorer),
                                theme=None, number=1, key="p5_grid_chart")


def train_your_model() -> None:
    """The learner's Autoencoder or VAE, trained in the sandbox, and its latent plane."""
    describe_learner_code(STEM)
    cols = st.columns(2)
    own_kind = cols[0].radio("Model to train", list(KINDS), format_func=KINDS.get,
                             horizontal=True, key="p5_own_kind")
    own_epochs = cols[1].slider("epochs", 1, 15, 8, key="p5_own_epochs")
    if st.button("Train my model", key="p5_train_own", type="primary"):
        shown = validated_learner_demo(STEM, "train_and_map",
                                       lambda data: _demos().validated_map(data),
                                       failure="Your model's results can't be drawn",
                                       kind=own_kind, epochs=own_epochs)
        if shown is not None:
            st.session_state["p5_own_map"] = (own_kind, shown)
    if "p5_own_map" in st.session_state:
        figures = _figures()
        trained_kind, own = st.session_state["p5_own_map"]
        charts.plotly_chart(figures.loss_figure(own["losses"], trained_kind), width="stretch")
        left, right = st.columns([3, 2])
        with left:
            title = f"your {KINDS[trained_kind]}'s latent points (test digits)"
            charts.plotly_chart(figures.points_figure(own["points"], own["labels"], title))
        with right:
            steps = own["grid"].shape[0]
            column = st.slider("z₁ (your decoder)", -own["extent"], own["extent"], 0.0,
                               2 * own["extent"] / (steps - 1), key="p5_own_z1")
            row = st.slider("z₂ (your decoder)", -own["extent"], own["extent"], 0.0,
                            2 * own["extent"] / (steps - 1), key="p5_own_z2")
            charts.plotly_chart(figures.image_figure(figures.grid_cell(own["grid"], own["extent"],
                                                                       column, row)),
                                theme=None, config=STATIC)
        with st.expander("Your decoder over the whole plane"):
            charts.plotly_chart(figures.grid_figure(own["grid"], own["extent"]), width="stretch",
                                theme=None)


def gan_training_epochs() -> None:
    """The demo generator's images for a fixed noise batch after the epoch chosen with a slider."""
    epoch = st.slider("after epoch", 1, GAN_EPOCHS, GAN_EPOCHS, key="p5_gan_epoch")

    def mosaic():
        _, snapshots = _figures().demo_gan()
        return _figures().sample_mosaic(snapshots[epoch - 1].numpy())

    first_view_charts.chart(epoch == GAN_EPOCHS, mosaic, theme=None, config=STATIC,
                            key="p5_gan_chart")


def noise_walk() -> None:
    """The demo generator's images part of the way between two noise batches chosen by seed."""
    cols = st.columns(3)
    start_seed = cols[0].number_input("first noise (seed)", 0, 10_000, 1, key="p5_gan_a")
    end_seed = cols[1].number_input("second noise (seed)", 0, 10_000, 2, key="p5_gan_b")
    mix = cols[2].slider("from first to second", 0.0, 1.0, 0.5, 0.05, key="p5_gan_mix")
    first_view_charts.chart(
        (start_seed, end_seed, mix) == (1, 2, 0.5),
        lambda: _figures().sample_mosaic(_figures().interpolated_samples(int(start_seed),
                                                                         int(end_seed), mix)),
        theme=None, config=STATIC, key="p5_walk_chart")


def faces() -> None:
    """A row of faces, saying which set (CelebA on disk, else the offline stand-in) they are."""
    st.caption(first_view_charts.text(0, True, lambda: f"Here: **{_figures().faces()[1]}**."))
    first_view_charts.chart(True, lambda: _figures().face_row(_figures().faces()[0]), theme=None,
                            config=STATIC, key="p5_faces_chart")


def train_your_gan() -> None:
    """The learner's DCGAN, trained in the sandbox: its samples after each epoch and its losses."""
    describe_learner_code(STEM)
    own_epochs = st.slider("epochs", 1, 10, 8, key="p5_gan_own_epochs")
    if st.button("Train my GAN", key="p5_gan_train_own", type="primary"):
        shown = validated_learner_demo(STEM, "train_gan_samples",
                                       lambda data: _demos().validated_samples(data),
                                       failure="Your GAN's results can't be drawn",
                                       epochs=own_epochs)
        if shown is not None:
            st.session_state["p5_gan_own"] = shown
    if "p5_gan_own" in st.session_state:
        figures = _figures()
        own = st.session_state["p5_gan_own"]
        shown = st.slider("your generator after epoch", 1, len(own["snapshots"]),
                          len(own["snapshots"]), key="p5_gan_own_epoch") \
            if len(own["snapshots"]) > 1 else 1
        charts.plotly_chart(figures.sample_mosaic(own["snapshots"][shown - 1]), width="stretch",
                            theme=None, config=STATIC)
        charts.plotly_chart(figures.gan_losses(own["losses"]), width="stretch")
