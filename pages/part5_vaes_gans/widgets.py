"""Chapter 5's page-only pieces: one function per {widget} directive in its sections."""

import streamlit as st

from utils.demo_widgets import describe_learner_code, learner_demo
from utils.demos.part5_vaes_gans import validated_map, validated_samples
from utils.figures import part5_vaes_gans as figures
from utils.pretrained import trained_on, VAE_BETA

STEM = "part5_vaes_gans"


def autoencoders_1() -> None:
    images, labels, source = figures.test_set()
    kind = st.radio("Model", list(figures.KINDS), format_func=figures.KINDS.get, horizontal=True,
                    key="p5_recon_kind")
    st.plotly_chart(figures.reconstructions(kind), width="stretch", theme=None)
    st.caption(f"Test images from {source}. Both models have a 2-D latent space and were trained on "
               f"{trained_on()} by `python -m utils.pretrained` (20 epochs, seed 0).")


def autoencoders_2() -> None:
    sweep = figures.beta_sweep()
    collapsed = figures.first_collapsed_beta()
    st.markdown(
        rf"""
    **How big should $\beta$ be?** Both of our terms are means: the squared error over 784 pixels,
    the KL over just 2 latent dimensions. So the error is small (about
    {sweep["mean_digit_error"]:.3f} for a model that draws the average digit every time), and
    matched to the ELBO above, our loss assumes pixel noise of variance
    $s^2 = \tfrac{{784}}{{2 \cdot 2}}\, \beta = 196\, \beta$: about ${196 * VAE_BETA:.1f}$ for the
    default $\beta = {VAE_BETA}$, but about $20$ for $\beta = 0.1$. With noise that large on pixels
    in $[0, 1]$, nothing a code could say about an image is worth its KL.

    Below, the same VAE trained {sweep["epochs"]} epochs on {sweep["data"]} for each of
    {len(sweep["betas"])} values of $\beta$ (seed {sweep["seed"]}; `python -m utils.pretrained
    beta_sweep`). From $\beta = {collapsed:g}$ on, the KL is about 0 and the error is the average
    digit's: $\mu = 0$ and $\sigma = 1$ for every image, every image gets the same code, and the
    decoder draws the same blur for all of them (the bottom rows). This is **posterior collapse**.
    Below that, a smaller $\beta$ lets the code carry more (the KL grows) and the error falls, to
    about {min(sweep["reconstruction"]):.3f}; at $\beta = 0$ the VAE would be an autoencoder again,
    with nothing to fill the gaps. The demo VAE uses the default, $\beta = {VAE_BETA}$.
    """
    )


def autoencoders_3() -> None:
    left, right = st.columns([1, 1])
    with left:
        explorer = st.radio("Decoder", list(figures.KINDS), format_func=figures.KINDS.get,
                            horizontal=True, key="p5_explorer_kind", index=1)
        z1 = st.slider("z₁", -3.0, 3.0, 0.0, 0.05, key="p5_z1")
        z2 = st.slider("z₂", -3.0, 3.0, 0.0, 0.05, key="p5_z2")
    with right:
        st.plotly_chart(figures.decoded_image(explorer, z1, z2), theme=None,
                        config={"staticPlot": True})
    with st.expander("The whole plane at once"):
        st.plotly_chart(figures.decoded_grid(explorer), width="stretch", theme=None)


def autoencoders_4() -> None:
    describe_learner_code(STEM)
    cols = st.columns(2)
    own_kind = cols[0].radio("Model to train", list(figures.KINDS), format_func=figures.KINDS.get,
                             horizontal=True, key="p5_own_kind")
    own_epochs = cols[1].slider("epochs", 1, 15, 8, key="p5_own_epochs")
    if st.button("Train my model", key="p5_train_own", type="primary"):
        data = learner_demo(STEM, "train_and_map", kind=own_kind, epochs=own_epochs)
        if data is not None:
            try:
                st.session_state["p5_own_map"] = (own_kind, validated_map(data))
            except ValueError as err:
                st.error(f"Your model's results can't be drawn: {err}.")
    if "p5_own_map" in st.session_state:
        trained_kind, own = st.session_state["p5_own_map"]
        st.plotly_chart(figures.loss_figure(own["losses"], trained_kind), width="stretch")
        left, right = st.columns([3, 2])
        with left:
            st.plotly_chart(figures.points_figure(own["points"], own["labels"],
                                                  f"your {figures.KINDS[trained_kind]}'s latent "
                                                  "points (test digits)"), width="stretch")
        with right:
            steps = own["grid"].shape[0]
            column = st.slider("z₁ (your decoder)", -own["extent"], own["extent"], 0.0,
                               2 * own["extent"] / (steps - 1), key="p5_own_z1")
            row = st.slider("z₂ (your decoder)", -own["extent"], own["extent"], 0.0,
                            2 * own["extent"] / (steps - 1), key="p5_own_z2")
            st.plotly_chart(figures.image_figure(figures.grid_cell(own["grid"], own["extent"],
                                                                   column, row)),
                            theme=None, config={"staticPlot": True})
        with st.expander("Your decoder over the whole plane"):
            st.plotly_chart(figures.grid_figure(own["grid"], own["extent"]), width="stretch",
                            theme=None)


def gans_1() -> None:
    _, snapshots = figures.demo_gan()
    st.markdown(
        rf"""
    The demo DCGAN ($28 \times 28$, hidden channels [32, 64], a 32-number noise) trained for
    {len(snapshots)} epochs on {trained_on()} with `train_gan`, which gives the generator a learning
    rate of $10^{{-3}}$ rather than DCGAN's usual $2 \times 10^{{-4}}$: at the usual rate and with
    this little data, the discriminator wins at once and the generator's images fade to a flat grey
    it never recovers from. Drag through training: the same 16 noise vectors, decoded after each
    epoch.
    """
    )
    epoch = st.slider("after epoch", 1, len(snapshots), len(snapshots), key="p5_gan_epoch")
    st.plotly_chart(figures.sample_mosaic(snapshots[epoch - 1].numpy()), width="stretch",
                    theme=None, config={"staticPlot": True})


def gans_2() -> None:
    cols = st.columns(3)
    start_seed = cols[0].number_input("first noise (seed)", 0, 10_000, 1, key="p5_gan_a")
    end_seed = cols[1].number_input("second noise (seed)", 0, 10_000, 2, key="p5_gan_b")
    mix = cols[2].slider("from first to second", 0.0, 1.0, 0.5, 0.05, key="p5_gan_mix")
    st.plotly_chart(figures.sample_mosaic(figures.interpolated_samples(int(start_seed),
                                                                      int(end_seed), mix)),
                    width="stretch", theme=None, config={"staticPlot": True})


def gans_3() -> None:
    face_images, face_source = figures.faces()
    st.markdown(
        f"""
    DCGAN was made for $64 \\times 64$ colour images, and faces are its classic demo. With internet,
    `utils.data.get_celeba()` downloads the aligned CelebA faces (the first of Hugging Face's three
    parquet shards, 462 MB; CelebA's licence allows non-commercial research only), decodes them once
    and caches them; offline it gives scikit-image's small LFW faces in the same format. Here:
    **{face_source}**.
    """
    )
    st.plotly_chart(figures.face_row(face_images), width="stretch", theme=None,
                    config={"staticPlot": True})
    st.code(figures.FACES_EXAMPLE, language="python")
    st.caption("On 2 CPU cores this DCGAN takes about 0.2 s per batch of 64 (about half a minute per "
               "10 000 faces); the default channels [128, 256, 512] are about 12x slower, GPU "
               "territory.")


def gans_4() -> None:
    describe_learner_code(STEM)
    own_epochs = st.slider("epochs", 1, 10, 8, key="p5_gan_own_epochs")
    if st.button("Train my GAN", key="p5_gan_train_own", type="primary"):
        data = learner_demo(STEM, "train_gan_samples", epochs=own_epochs)
        if data is not None:
            try:
                st.session_state["p5_gan_own"] = validated_samples(data)
            except ValueError as err:
                st.error(f"Your GAN's results can't be drawn: {err}.")
    if "p5_gan_own" in st.session_state:
        own = st.session_state["p5_gan_own"]
        shown = st.slider("your generator after epoch", 1, len(own["snapshots"]),
                          len(own["snapshots"]), key="p5_gan_own_epoch") \
            if len(own["snapshots"]) > 1 else 1
        st.plotly_chart(figures.sample_mosaic(own["snapshots"][shown - 1]), width="stretch",
                        theme=None, config={"staticPlot": True})
        st.plotly_chart(figures.gan_losses(own["losses"]), width="stretch")
