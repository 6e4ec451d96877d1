"""Chapter 6 (Mini-projects: build it without a lesson)'s runs and data (no drawing), one module per group of sections."""
