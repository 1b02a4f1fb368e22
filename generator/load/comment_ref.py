"""Part of stage 1 (load): a ``$ref`` recovered from a YAML comment, as the bundler sees it.

Its own module so that the bundler (which every document needs) does not import the
YAML parser and its repairs, which JSON documents never need.
"""


class CommentRef(str):
    """A ``$ref`` value read back from a YAML comment (see ``repair.recover_commented_refs``):
    a guess at what was meant, so the bundler may drop it when it points to nothing."""


COMMENT_REF_TAG = "tag:generate-client,2026:comment-ref"
