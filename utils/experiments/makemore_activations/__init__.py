"""Chapter 4.3 (makemore 3: activations, gradients and BatchNorm)'s runs and data (no drawing), one module per group of sections."""
