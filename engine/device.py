"""Devices: ``cpu`` (numpy) and ``cuda[:N]`` (cupy), and the ``device`` scope.

The default device is the GPU when cupy imports and a GPU is present, else the
CPU; the environment variable ``TENSORBRIDGE_DEVICE`` (``cpu``, ``cuda``,
``cuda:1``, ``gpu``) overrides it.  cupy is only imported when a cuda device is
actually requested or the default has to be probed.
"""

import contextlib
import re

from . import backend as _backend
from ._env import getenv
from .errors import InvalidArgumentError

__all__ = ["Device", "device", "get_device", "default_device", "current_device",
           "list_devices", "cuda_is_available", "set_default_device"]


class Device:
    """A place tensors live; ``name`` is ``"cpu"`` or ``"cuda:N"``."""

    __slots__ = ("name", "kind", "index", "backend", "xp")

    def __init__(self, kind, index, backend):
        self.kind = kind
        self.index = index
        self.name = "cpu" if kind == "cpu" else f"cuda:{index}"
        self.backend = backend
        self.xp = backend.xp

    def __repr__(self):
        return f"Device({self.name!r})"

    def __str__(self):
        return self.name

    def __eq__(self, other):
        if isinstance(other, Device):
            return other is self
        if isinstance(other, str):
            try:
                return get_device(other) is self
            except Exception:
                return False
        return NotImplemented

    def __hash__(self):
        return hash(self.name)

    @contextlib.contextmanager
    def activate(self):
        """Make this the current cupy device while computing (no-op on cpu)."""
        if self.kind == "cpu":
            yield
        else:
            with self.backend.use_device(self.index):
                yield


CPU = Device("cpu", 0, _backend.cpu)
_DEVICES = {"cpu": CPU}
_SPEC = re.compile(r"^/?(?:device:)?(cpu|gpu|cuda)(?::(\d+))?$", re.IGNORECASE)


def get_device(spec):
    """Resolve ``"cpu"``, ``"cuda"``, ``"cuda:1"``, ``"/GPU:0"``... to a :class:`Device`."""
    if isinstance(spec, Device):
        return spec
    dev = _DEVICES.get(spec)
    if dev is not None:
        return dev
    m = _SPEC.match(str(spec).strip())
    if m is None:
        raise InvalidArgumentError(
            f"device: cannot parse device {spec!r}; expected 'cpu', 'cuda', 'cuda:N' or '/GPU:N'")
    kind = m.group(1).lower()
    index = int(m.group(2) or 0)
    if kind == "cpu":
        dev = CPU
    else:
        cuda = _backend.get_cuda()  # raises UnavailableError without cupy/GPU
        n = cuda.device_count()
        if index >= n:
            raise InvalidArgumentError(
                f"device: cuda:{index} requested but only {n} GPU(s) present; "
                f"expected an index in [0, {n})")
        key = f"cuda:{index}"
        dev = _DEVICES.get(key)
        if dev is None:
            dev = _DEVICES[key] = Device("cuda", index, cuda)
    _DEVICES[spec] = dev
    return dev


def cuda_is_available():
    """True when cupy imports and at least one GPU is present."""
    return _backend.cuda_available()


_DEFAULT = None
_STACK = []


def default_device():
    """The device used outside any ``with device(...)`` scope."""
    global _DEFAULT
    if _DEFAULT is None:
        env = getenv("TENSORBRIDGE_DEVICE", "").strip()
        if env:
            _DEFAULT = get_device(env)
        else:
            _DEFAULT = get_device("cuda") if cuda_is_available() else CPU
    return _DEFAULT


def set_default_device(spec):
    global _DEFAULT
    _DEFAULT = None if spec is None else get_device(spec)


def current_device():
    """The innermost ``with device(...)`` device, else the default device."""
    return _STACK[-1] if _STACK else (_DEFAULT or default_device())


@contextlib.contextmanager
def device(spec):
    """Create new tensors on ``spec`` inside the block: ``with device("cuda"): ...``."""
    dev = get_device(spec)
    _STACK.append(dev)
    try:
        yield dev
    finally:
        _STACK.pop()


def list_devices():
    """Names of the devices this process can use."""
    names = ["cpu"]
    if cuda_is_available():
        names += [f"cuda:{i}" for i in range(_backend.get_cuda().device_count())]
    return names
