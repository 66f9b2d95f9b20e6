"""Canned estimators in the spirit of tfestimators (roadmap item 4)."""
