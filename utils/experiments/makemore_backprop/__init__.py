"""Chapter 4.4 (makemore 4: becoming a backprop ninja)'s runs and data (no drawing), one module per group of sections."""
