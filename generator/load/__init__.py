"""Parse only: YAML with line numbers, the catalog's files."""
