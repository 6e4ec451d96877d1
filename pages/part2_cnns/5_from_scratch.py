import streamlit as st

from utils.figures import part2_cnns as figures
from utils.widgets import chapter_header, exercise

STEM = "part2_cnns"
chapter_header(STEM, "from_scratch")

st.markdown(
    r"""
How does `F.conv2d` slide a kernel over an image without a Python loop? The answer is a trick
worth knowing for its own sake: a tensor is a flat block of memory plus a **shape** and a
**stride**, the number of elements to skip to move one step along each dimension. Change the
stride and the same memory reads as a different tensor, with no copy. `t.arange(20).reshape(4, 5)`
has stride `(5, 1)`: one row down is 5 elements on, one column right is 1.

`x.as_strided(size, stride)` builds any such view. A stride of 0 repeats an element; overlapping
strides make windows that share elements, exactly what a convolution's sliding windows are.
(It is also a sharp tool: PyTorch refuses a view that reaches past the end of its storage, but
happily reads any element inside it, such as the rest of the tensor a slice was taken from. Get
a size or stride wrong and you read the wrong numbers without an error.)

Try it on `t.arange(20)`: orange cells are the elements the view reads.
"""
)
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

st.markdown("Now find the size and stride of each view the exercise lists; the box above is "
            "a good place to try your guesses.")
exercise(f"{STEM}.as_strided_puzzles")

st.header("Products without matmul")
st.markdown(
    r"""
A matrix-vector product is $y_i = \sum_j A_{ij} v_j$. View $v$ as a matrix whose every row is
$v$ (stride 0 along the rows), multiply elementwise, and sum over $j$: no copy of $v$ is ever
made. The checks below refuse `@`, `matmul` and `einsum` here, and hand you non-contiguous views,
so only a correct use of the strides passes.
"""
)
exercise(f"{STEM}.as_strided_trace")
exercise(f"{STEM}.as_strided_mv")
exercise(f"{STEM}.as_strided_mm")

st.header("Convolutions from strided windows")
st.markdown(
    r"""
A 1-D convolution's output $i$ is the dot product of the kernel with the window
$x[i : i + k]$. The windows overlap: window $i+1$ starts one element after window $i$. So the
tensor of all windows has shape `(w - k + 1, k)` and stride `(s, s)`, where $s$ is $x$'s own
stride: one step to the next window, one step within it. A weighted sum (`einops.einsum`) does
the rest. Batches and channels add dimensions whose strides are copied from $x$.
"""
)
exercise(f"{STEM}.conv1d_minimal_simple")
exercise(f"{STEM}.conv1d_minimal")
exercise(f"{STEM}.conv2d_minimal")

st.header("Padding and stride")
st.markdown(
    r"""
Padding is a new, larger tensor with the input copied into its middle. A stride of $s$ means
consecutive windows start $s$ elements apart, so the window dimension's stride is multiplied by
$s$ while the within-window stride is not. Max pooling uses the same windows, padded with
$-\infty$, and keeps each window's maximum.
"""
)
exercise(f"{STEM}.pad1d")
exercise(f"{STEM}.pad2d")
exercise(f"{STEM}.conv1d")
exercise(f"{STEM}.conv2d")
exercise(f"{STEM}.maxpool2d")
