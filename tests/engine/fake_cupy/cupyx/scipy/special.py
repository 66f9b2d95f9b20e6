import math

import numpy as _np

_erf = _np.frompyfunc(math.erf, 1, 1)


def erf(x):
    return _erf(x).astype(x.dtype)
