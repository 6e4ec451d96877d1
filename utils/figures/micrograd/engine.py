"""Chapter 3's figures for its engine sections (Colab-safe: no Streamlit)."""
