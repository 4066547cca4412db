"""Frozen resolved objects, the spec, changes, costs."""
