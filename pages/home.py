import streamlit as st

from utils import learner_state, page_icons, registry
from utils.code_block import code_block
from utils.runner import about
from utils.learning_path import STAGES, chapter_minutes, describe_minutes, next_step, stage_chapters
from utils.markdown_table import markdown_table
from utils.navigation import review_page, section_page
from utils.site_config import REPO_URL
from utils.status import NOT_STARTED_ICON, NOT_STARTED_LABEL, Status
from utils.widgets import chapter_progress_table, colab_badge

st.title("Grokking the Fundamentals")
st.markdown(
    """
Learn the fundamentals of deep learning by **building them**: a renderer made of batched tensor
operations, convolutions from strides, optimizers from their update rules, an autograd engine,
and generative models. Every exercise is checked the moment you run it, and the checks tell you
*what* is wrong: which input, what was expected, what came back, and when the shape is off, how.

The plots on each page are live: drag a slider and the figure is recomputed from the code you
are learning to write.
"""
)

st.header("Three ways to work")
browser, local, colab = st.columns(3)
with browser:
    st.subheader("🌐 In the browser")
    st.markdown(
        "Each exercise has an editor and a **Run** button (or Ctrl+Enter). Your code runs on the "
        "server in an isolated process with a time and memory limit; the verdict appears under "
        "the editor. Your code is kept in this browser, even across reloads, and the sidebar of "
        "each chapter lets you download it as a file."
    )
with local:
    st.subheader("💻 Locally")
    st.markdown("With Python 3.11:")
    code_block(
        f"git clone {REPO_URL}\ncd {REPO_URL.rstrip('/').rsplit('/', 1)[-1]}\n"
        "pip install -r requirements.txt\n"
        "python exercises/part1_ray_tracing.py   # check every exercise",
        "bash",
    )
    st.markdown(
        "Edit the functions in `exercises/part1_ray_tracing.py`. Or call one check: "
        "`tests.test_intersect_ray_1d(intersect_ray_1d)` after "
        "`from utils.checks import part1_ray_tracing as tests`. "
        "`streamlit run streamlit_app.py` serves this site on your machine."
    )
with colab:
    st.subheader("📓 In Colab")
    st.markdown(
        "Open a chapter's notebook from its badge. The first cell fetches the course code and "
        "installs what Colab lacks; each exercise is followed by a cell that runs its checks."
    )
    colab_badge("part1_ray_tracing")

st.header("The path")
st.markdown(
    "Six stages, in this order: each builds what the next one uses. A chapter's number is its "
    "place on the path (4.2 is the second chapter of stage 4). Read a section, run its cells or "
    "its exercises until you see *why* each line is there, then do the exercises; when a chapter "
    "is done, come back to its questions on the **Review** page until they stick."
)
upcoming = next_step(learner_state.status)
with st.container(border=True):
    if upcoming is None:
        st.markdown("**You have passed every exercise on the path.** Review keeps it fresh.")
    else:
        ex = upcoming.exercise
        titles = dict(upcoming.chapter.sections)
        st.markdown(f"**Where to go next:** chapter {upcoming.chapter.number}, "
                    f"*{titles[ex.section]}*: the exercise “{ex.title}”.")
        st.page_link(section_page(upcoming.chapter.stem, ex.section), label="Go there",
                     icon=page_icons.GO_ON)
    st.page_link(review_page(), label="Review what you have learned", icon=page_icons.REVIEW)

for stage in STAGES:
    chapters = stage_chapters(stage.number)
    if not chapters:
        continue
    st.subheader(f"Stage {stage.number} · {stage.name}")
    st.caption(stage.about)
    for chapter in chapters:
        with st.container(border=True):
            done = learner_state.passed_count(chapter)
            st.markdown(f"### {chapter.number} · {chapter.title}")
            st.markdown(chapter.blurb)
            if chapter.exercises:
                st.progress(done / len(chapter.exercises),
                            text=f"{done} of {len(chapter.exercises)} exercises passed · "
                                 f"{describe_minutes(*chapter_minutes(chapter))} of exercises")
            left, right = st.columns([1, 3])
            with left:
                st.page_link(section_page(chapter.stem, "overview"), label="Start the chapter",
                             icon=page_icons.GO_ON)
            with right:
                colab_badge(chapter.stem)

st.header("Your progress")
# ";" between them: the not-started icon is itself a "·"
st.caption("; ".join([*(f"{status.icon} {status.label}" for status in Status),
                      f"{NOT_STARTED_ICON} {NOT_STARTED_LABEL}"]))
for chapter in registry.CHAPTERS:
    if chapter.available:  # one table per chapter, folded: 14 open ones would fill many screens
        done = learner_state.passed_count(chapter)
        with st.expander(f"Chapter {chapter.number}: {chapter.title} · {done} of "
                         f"{len(chapter.exercises)} passed"):
            st.markdown(markdown_table(chapter_progress_table(chapter.stem)))

with st.expander("About this site, and how your code is run"):
    st.markdown(about.about_markdown())  # from the runner's real settings
    st.markdown("Sandbox layers active on this server:")
    st.markdown(markdown_table(about.layer_rows()))
