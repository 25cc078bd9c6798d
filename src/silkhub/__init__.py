"""silkhub: run an inland multimodal cross-border logistics hub.

The package is split by the stages of a shipment's flow (see docs/architecture.md):
``model`` (domain types), ``network`` (load, validate, export, expand timetables),
``routing`` (multi-criteria itineraries and quotes) and ``cli`` (the command line).
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
