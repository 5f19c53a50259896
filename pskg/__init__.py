"""pskg: a knowledge graph of public-service policy plans."""
__version__ = "0.1.0"
