"""Stage 3, the IR: every OpenAPI and naming decision, made once, as plain values.

``nodes`` defines the frozen dataclasses (``Service``, ``Operation``, ``TypeRef``...);
``build.build_service`` turns a loaded document into a ``Service`` with the help of
``operations``, ``bodies``, ``security`` and the ``schemas`` package (JSON Schema to
types and models); ``naming`` decides every Python name. Later stages read these
values and never look at the document again.
"""
