"""kansen_cli: the outreach cycle for people on social assistance, from register to council report."""

__version__ = "0.1.0"
