import streamlit as st

from utils.figures import part2_cnns as figures
from utils.widgets import chapter_header, compute_button, exercise

STEM = "part2_cnns"
chapter_header(STEM, "convolutions")

st.markdown(
    r"""
A linear layer on a flattened image treats pixel (3, 4) and pixel (20, 17) as unrelated inputs:
it has to learn separately that a stroke is a stroke wherever it appears. A **convolution**
builds that in. It slides one small kernel of weights over the image and takes a weighted sum
at every position:

$$
\text{out}[c_\text{out}, i, j] = \sum_{c_\text{in}} \sum_{a, b}
w[c_\text{out}, c_\text{in}, a, b] \; x[c_\text{in},\, s\,i + a,\, s\,j + b] .
$$

The same $k \times k$ weights are used at every position, so a 3 x 3 convolution from 1 to 32
channels has only $32 \cdot 9 = 288$ weights, however large the image.

Two settings fix the output's size. **Stride** $s$ is how far the kernel moves between
outputs; **padding** $p$ adds a border of zeros so the kernel can reach the edges. For an input
of size $n$ and a kernel of size $k$:

$$
n_\text{out} = \left\lfloor \frac{n + 2p - k}{s} \right\rfloor + 1 .
$$

With $k = 3$, $p = 1$, $s = 1$, the size is unchanged. (Machine-learning "convolution" does not
flip the kernel; mathematicians call this cross-correlation.)
"""
)
exercise(f"{STEM}.Conv2d")

st.header("Max pooling")
st.markdown(
    r"""
A max pool keeps the largest value in each window. With a 2 x 2 window and stride 2 it halves
the height and width, so later layers see a wider area of the image for the same cost, and small
shifts of the input change the output less. Its padding is not zeros but $-\infty$: a padded
border must never win the maximum, even when every real value is negative.
"""
)
exercise(f"{STEM}.MaxPool2d")

st.header("A convolutional network")
st.markdown(
    r"""
Stack two blocks of convolution, ReLU and pooling, then two linear layers. The first block turns
the 1 input channel into 32 and the second doubles that to 64, while each pool halves the image:

$$
1 \times 28 \times 28 \;\to\; 32 \times 14 \times 14 \;\to\; 64 \times 7 \times 7 ,
$$

flattened to 3136 numbers for the classifier.
"""
)
exercise(f"{STEM}.ConvNet")

st.header("Train it, and look inside")
st.markdown(
    "Four epochs with Adam (learning rate 0.002, batches of 32) take a few seconds here. The "
    "ConvNet should pass 95 % test accuracy, well above the MLP: the built-in idea that a "
    "pattern means the same thing anywhere in the image is worth a lot."
)
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
