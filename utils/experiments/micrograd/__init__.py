"""Chapter 3's runs and data (no drawing): `engine` (sections 1-4), `network` (5-6)."""
