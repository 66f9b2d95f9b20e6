"""The only Python code that knows R exists: rpy2 conversions and dispatch."""
