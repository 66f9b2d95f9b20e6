"""Numpy-backed stand-in for cupyx (test wiring only)."""

import numpy as _np


def scatter_add(a, slices, value):
    _np.add.at(a, slices, value)
