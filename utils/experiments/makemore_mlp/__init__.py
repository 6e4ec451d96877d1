"""Chapter 4.2 (makemore 2: an MLP)'s runs and data (no drawing), one module per group of sections."""
