"""Chapter 4.5 (makemore 5: a WaveNet)'s runs and data (no drawing), one module per group of sections."""
