"""Reference solutions, one module per chapter. The source of truth for exercises and checks."""
