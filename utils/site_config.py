"""Site-wide settings that more than one part needs. The repository URL lives here and only here."""

from pathlib import Path

# The public GitHub repository. Colab badges, the notebooks' setup cell and the README's commands
# are generated from this; change it, then run `python -m utils.codegen` to regenerate.
REPO = "grokking-the-fundamentals/grokking-the-fundamentals"
REPO_URL = f"https://github.com/{REPO}"
BRANCH = "main"

ROOT = Path(__file__).resolve().parents[1]


def colab_url(stem: str) -> str:
    return f"https://colab.research.google.com/github/{REPO}/blob/{BRANCH}/exercises/{stem}.ipynb"
