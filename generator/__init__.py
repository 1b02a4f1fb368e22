"""Generate typed, resilient async Python clients from OpenAPI documents.

Kept import-light on purpose: ``generate-client --help`` and the runtime version check
in generated packages must not pay for jinja2, black or the spec validator.
"""

__version__ = "0.2.0"

__all__ = ["__version__"]
