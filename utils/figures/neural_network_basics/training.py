"""Chapter 2's figures for its training sections (Colab-safe: no Streamlit)."""
