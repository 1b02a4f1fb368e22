"""JSON Schema to IR types and models: ``converter.SchemaConverter`` and its helpers.

``allof``, ``alias``, ``defaults``, ``discriminator``, ``enums`` and ``fields`` each
decide one kind of schema; ``order`` puts the resulting models in definition order.
"""
