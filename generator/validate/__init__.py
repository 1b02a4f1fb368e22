"""Stage 2, validate: every problem in a loaded document, fatal or warning, located.

``validation.start_validation`` (and ``validation.validate``) is the entry point;
``describe`` turns openapi-spec-validator's errors into one-line problems, ``fast``
vouches for valid 3.0 documents with fastjsonschema, and ``workers`` runs the two
phases in forked processes while the pipeline builds.
"""
