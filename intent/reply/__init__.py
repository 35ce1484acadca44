"""The model contract, at the bottom of the house: the reply schema and its validator, the GBNF
grammar built from it, the request fields that constrain a reply. Imported by `turn` (which asks)
and `backends` (which constrain the model); it imports neither."""
