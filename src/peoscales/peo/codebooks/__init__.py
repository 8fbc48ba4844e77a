"""PEO codebooks, one TOML file per wave, registered as instruments of kind ``codebook``."""
