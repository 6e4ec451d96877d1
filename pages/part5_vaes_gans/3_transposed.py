import streamlit as st

from utils.widgets import chapter_header, exercise

STEM = "part5_vaes_gans"
chapter_header(STEM, "transposed")

st.markdown(
    r"""
The decoders and the generator of this chapter grow images with `nn.ConvTranspose2d`. Here you
build it from an ordinary convolution, which shows what it is: not an inverse of a convolution,
but its **transpose**. A convolution with stride 2 sends several inputs to each output; the
transposed one sends each input to several outputs, with the same weights.

Start in 1-D with stride 1 and a kernel $v$ of width $k$. Each input element $x_i$ adds
$x_i \cdot v$ to the $k$ outputs $i, \dots, i + k - 1$, so an input of width $n$ gives an output
of width $n + k - 1$:

$$
y_j = \sum_i x_i \, v_{j - i} .
$$

Read the other way round, $y_j$ is an ordinary convolution of $x$, padded with $k - 1$ zeros on
both sides, with the kernel **flipped**. With channels, the weights of a transposed convolution
are stored as (in, out, k), the transpose of a convolution's (out, in, k): swap them too.
"""
)
exercise(f"{STEM}.conv_transpose1d_minimal")

st.header("Stride and padding")
st.markdown(
    r"""
With stride $s$, neighbouring inputs land $s$ outputs apart. Spacing the input out with $s - 1$
zeros between its elements (a "fractional stride" of $1/s$) and then doing the stride-1 version
gives exactly that. Padding works backwards too: a convolution's padding adds zeros to its input,
so the transposed convolution's padding **removes** outputs from both ends, which is the same as
padding its input by $k - 1 - p$ instead of $k - 1$. Together,

$$
\text{out} = (\text{in} - 1)\, s - 2p + k ,
$$

which is why `ConvTranspose2d(kernel_size=4, stride=2, padding=1)` exactly doubles a size:
$(n - 1) \cdot 2 - 2 + 4 = 2n$.
"""
)
exercise(f"{STEM}.fractional_stride_1d")
exercise(f"{STEM}.conv_transpose1d")

st.header("In 2-D, and as a module")
st.markdown(
    r"""
Nothing new in 2-D: space out along both dimensions, pad both, flip the kernel along both. Then
wrap it in a module with torch's initialisation for this layer. torch computes the "fan-in"
from the weight's second dimension, which for a transposed convolution is the number of
**output** channels: the bound is $1/\sqrt{\text{out} \cdot k_h k_w}$, the fan-in of the
ordinary convolution this layer is the transpose of.
"""
)
exercise(f"{STEM}.fractional_stride_2d")
exercise(f"{STEM}.conv_transpose2d")
exercise(f"{STEM}.ConvTranspose2d")
