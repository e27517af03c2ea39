"""guide: publish printable study guides from YAML summaries of source documents."""

__version__ = "0.1.0"
