import streamlit as st

from utils import registry
from utils.navigation import section_page
from utils.widgets import chapter_header, chapter_progress_table, colab_badge

STEM = "part1_ray_tracing"
chapter_header(STEM, "overview")

st.markdown(
    r"""
In this chapter you write a small renderer. You start with one ray and one line segment, and
finish with a thousand-triangle bunny, spinning and lit from the side, drawn by code you wrote.

Ray tracing is a good first project for tensor programming because the slow way is obvious (a
loop over pixels, and inside it a loop over triangles) and the fast way is not. Every step below
asks you to replace a loop by **one batched operation**: broadcasting, `einops`, batched linear
algebra, boolean masks and reductions. These are the same moves you will make for convolutions,
attention and optimizers in the later chapters.
"""
)

st.subheader("What you will be able to do")
st.markdown(
    """
- Describe rays and segments as tensors, and decide whether they meet by solving a linear system.
- Batch a computation over two independent axes with broadcasting or `einops.repeat`, and reduce
  over one of them with `any`, `all` or `min`.
- Handle the awkward cases (parallel rays, singular matrices, hits behind the camera) with masks
  rather than `if` statements.
- Tell a view from a copy, and know when writing into a tensor changes another one.
- Render a mesh, rotate it with a matrix, and shade it with Lambert's law.
"""
)

st.subheader("Sections")
ch = registry.chapter(STEM)
minutes = {key: sum(ex.minutes[1] for ex in ch.exercises if ex.section == key)
           for key, _ in ch.sections}
for i, (key, title) in enumerate(ch.sections[1:], start=1):
    budget = f" — about {minutes[key]} minutes of exercises" if minutes[key] else ""
    st.page_link(section_page(STEM, key), label=f"{i}. {title}{budget}")

st.subheader("Where to work")
st.markdown(
    f"""
Solve the exercises in the editors on each page, or in `exercises/{STEM}.py` on your machine
(`python exercises/{STEM}.py` checks them all), or in the Colab notebook:
"""
)
colab_badge(STEM)
st.markdown(
    "Each exercise's code runs with the reference solutions of the earlier exercises available, "
    "so you can skip one that you are stuck on and come back to it."
)

st.subheader("Your progress in this chapter")
st.dataframe(chapter_progress_table(STEM), hide_index=True, width="stretch")
