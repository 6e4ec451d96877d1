"""Chapter 4.1 (makemore 1: bigrams)'s runs and data (no drawing), one module per group of sections."""
