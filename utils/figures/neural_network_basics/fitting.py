"""Chapter 2's figures for its fitting sections (Colab-safe: no Streamlit)."""
