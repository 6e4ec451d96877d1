import streamlit as st

from utils.figures import part2_cnns as figures
from utils.widgets import chapter_header, compute_button, exercise

STEM = "part2_cnns"
chapter_header(STEM, "resnets")

st.markdown(
    r"""
Stacking more layers should never hurt: a deeper network could always copy a shallower one and
set its extra layers to the identity. Yet in 2015 He et al. found that plain networks got
*worse* as they got deeper, on the training set too, so it was not overfitting: a 56-layer
plain network trained to a higher error on CIFAR-10 than a 20-layer one, and a 34-layer one
than an 18-layer one on ImageNet. They had become hard to optimise.

Those plain networks already had **batch normalisation** after every convolution, and careful
initialisation: the two fixes for signals that vanish or explode, which let plain networks of
around thirty layers train from scratch. He et al. checked that the signals and gradients in their
deep plain networks were healthy; the degradation remained. What fixed it was the idea this
section builds up to, **residual connections**: their 34-layer residual network trained to a
lower error than its 18-layer version. Almost every deep network since uses both ideas, for
these two different problems.
"""
)

st.header("Batch normalisation")
st.markdown(
    r"""
During training, every layer's input distribution shifts as the layers before it learn. Batch
normalisation re-centres and re-scales each channel over the batch,

$$
\hat x = \frac{x - \mu_\text{batch}}{\sqrt{\sigma^2_\text{batch} + \varepsilon}}, \qquad
y = \gamma\, \hat x + \beta ,
$$

then lets the network choose the scale $\gamma$ and shift $\beta$ it wants. In practice it
allows much larger learning rates and makes training far less sensitive to initialisation; a
common explanation is that it makes the loss surface smoother.

At test time there may be a single image, so there is no batch to average over. Instead the
layer keeps **running averages** of the mean and variance seen in training, stored as
*buffers*: tensors that are saved with the model but are not parameters, since gradient
descent does not train them.
"""
)
exercise(f"{STEM}.BatchNorm2d")
exercise(f"{STEM}.AveragePool")
exercise(f"{STEM}.Sequential")

st.header("Residual connections")
st.markdown(
    r"""
A residual block computes $y = \text{ReLU}(x + F(x))$, where $F$ is two convolutions with batch
norm. If the best thing for a block to do is nothing, it only has to push $F$ towards zero,
which is easy; a plain block would have to learn the identity out of convolutions.

The $+\,x$ also helps the backward pass. Without the final ReLU,
$\partial y / \partial x = I + \partial F / \partial x$: the identity term carries the gradient
through the block whatever $F$ does, instead of multiplying it by one small Jacobian per layer.
With the ReLU after the addition, as in this block (the original one), that term is gated: the
gradient passes, through both paths, only where $x + F(x) > 0$. He et al.'s follow-up (2016)
moved the batch norms and ReLUs inside $F$, before its convolutions, and left nothing after the
addition, so that the shortcut is a pure identity; with that "pre-activation" block they
trained a 1001-layer network on CIFAR-10.

When a block halves the resolution (stride 2) or changes the number of channels, $x$ no longer
has $F(x)$'s shape; a 1x1 convolution with the same stride (and a batch norm) maps it across.
"""
)
exercise(f"{STEM}.ResidualBlock")
exercise(f"{STEM}.BlockGroup")

st.header("ResNet34")
st.markdown(
    r"""
ResNet34 is a stem (a 7x7 convolution and a max pool, quartering the resolution), four groups of
3, 4, 6 and 3 residual blocks (64, 128, 256, 512 channels; each group after the first halves the
resolution), a global average pool and one linear layer to the 1000 ImageNet classes. The 34
counts the layers on the main path: the stem's convolution, two per block in 16 blocks, and the
final linear layer (the three 1x1 shortcut convolutions are not counted). Here is what each
stage does to a 224 x 224 image (computed from the reference solution):
"""
)
st.dataframe(figures.architecture_table(), hide_index=True, width="stretch")
exercise(f"{STEM}.ResNet34")
exercise(f"{STEM}.copy_weights")
exercise(f"{STEM}.prepare_data")
exercise(f"{STEM}.predict")

st.header("Your ResNet meets ImageNet")
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

st.header("Bonus: feature extraction")
st.markdown(
    r"""
A network trained on ImageNet has learned features (edges, textures, parts of objects) that are
useful far beyond ImageNet's classes. To classify something new with few examples, freeze all
of its weights and train only a new final layer: **feature extraction**. Only 512 x n_classes
weights are trained, so it is fast and needs little data.
"""
)
exercise(f"{STEM}.get_resnet_for_feature_extraction")

st.markdown(
    "Try it: the body computes 512 features per image once (it is frozen, so they never "
    "change), then only the new head trains, on 2000 images of CIFAR-10, and is measured after "
    "each epoch on 500 held-out validation images (when CIFAR-10 can't be downloaded: 1600 and "
    "400 of the generated shapes)."
)
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
