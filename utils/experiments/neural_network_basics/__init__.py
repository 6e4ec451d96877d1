"""Chapter 2's data and runs (no drawing; utils/figures/neural_network_basics draws): the 3s and
7s of the first sections (`digits`), the tabular task (`tabular`), and the fitting and
space-warping experiments of the last sections (`fitting`, `warping`)."""
