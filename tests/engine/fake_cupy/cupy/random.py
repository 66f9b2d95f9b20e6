"""cupy.random.RandomState with cupy's signatures (dtype= on the samplers)."""

import numpy as _np


class RandomState:
    def __init__(self, seed=None):
        self._rs = _np.random.RandomState(seed)

    def standard_normal(self, size=None, dtype=float):
        return self._rs.standard_normal(size).astype(dtype)

    def random_sample(self, size=None, dtype=float):
        return self._rs.random_sample(size).astype(dtype)

    def randint(self, low, high=None, size=None, dtype=int):
        return self._rs.randint(low, high, size=size).astype(dtype)
