"""Stage 1, load: a spec file on disk to one self-contained, JSON-like document.

``document.load`` is the entry point. ``parse`` reads YAML or JSON safely and within
limits (``repair`` fixes what real documents get wrong), ``bundle`` pulls relative-file
``$ref``s into the one document (``bundle_context``, ``bundle_ids`` and
``bundle_unused`` help it), and ``swagger2`` converts a Swagger 2.0 document to 3.0.
"""
