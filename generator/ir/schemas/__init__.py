"""JSON Schema to IR types and models: ``converter.SchemaConverter`` and its helpers.

``reader`` finds a schema's keywords (``$ref`` chains, merged ``allOf`` properties);
``allof``, ``alias``, ``defaults``, ``discriminator``, ``enums`` and ``fields`` each
decide one kind of schema, calling back through ``protocol.Converter``; ``order`` puts
the resulting models in definition order.
"""
