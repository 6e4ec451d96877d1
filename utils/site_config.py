"""Site-wide settings that more than one part needs. Each address lives here and only here."""

import re
from pathlib import Path

# The public GitHub repository. Colab badges, the notebooks' setup cell and the README's commands
# are generated from this; change it, then run `python -m utils.codegen` to regenerate.
REPO = "grokking-the-fundamentals/grokking-the-fundamentals"
REPO_URL = f"https://github.com/{REPO}"
# The git ref (a branch, or for a release a tag) the Colab badges open and the notebooks' setup
# cell clones, so a notebook runs against the course code of the same ref it was opened from.
# To pin a release: set a tag here, regenerate, commit, and give that commit the tag.
BRANCH = "main"

# Where the site is served (Streamlit Community Cloud). The notebooks and exercise files link to
# their chapter's pages from this; change it, then run `python -m utils.codegen`.
SITE_URL = "https://grokking-the-fundamentals.streamlit.app"

ROOT = Path(__file__).resolve().parents[1]
# A section's source file, pages/<chapter>/<number>_<key>.md (utils/literate.py).
SECTION_FILE = re.compile(r"^(\d+)_([a-z0-9_]+)\.md$")


def colab_url(stem: str, solutions: bool = False) -> str:
    """Where Colab opens a chapter's notebook (or, with `solutions`, its solutions copy)."""
    name = f"{stem}_solutions" if solutions else stem
    return f"https://colab.research.google.com/github/{REPO}/blob/{BRANCH}/exercises/{name}.ipynb"


def section_path(stem: str, key: str) -> str:
    """The URL path of a section's page (st.Page's url_path)."""
    return f"{stem}_{key}"


def page_url(stem: str, key: str = "overview") -> str:
    """The address of a section's page on the site (by default, the chapter's overview)."""
    return f"{SITE_URL.rstrip('/')}/{section_path(stem, key)}"
