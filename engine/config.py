"""``tf.config``: the devices the engine can use, in TensorFlow's terms (a CUDA device is a
``GPU``)."""

import collections

from .device import list_devices
from .errors import InvalidArgumentError

__all__ = ["PhysicalDevice", "list_physical_devices", "list_logical_devices",
           "get_visible_devices", "experimental"]

PhysicalDevice = collections.namedtuple("PhysicalDevice", ["name", "device_type"])
LogicalDevice = collections.namedtuple("LogicalDevice", ["name", "device_type"])


def _devices(kind, device_type):
    out = []
    for name in list_devices():
        dtype = "CPU" if name == "cpu" else "GPU"
        index = 0 if name == "cpu" else int(name.split(":")[1])
        prefix = "/physical_device:" if kind is PhysicalDevice else "/device:"
        out.append(kind(f"{prefix}{dtype}:{index}", dtype))
    if device_type is not None:
        wanted = str(device_type).upper()
        if wanted not in ("CPU", "GPU"):
            raise InvalidArgumentError(
                f"config: device_type must be 'CPU' or 'GPU', not {device_type!r}")
        out = [d for d in out if d.device_type == wanted]
    return out


def list_physical_devices(device_type=None):
    """The devices of this machine the engine can use (``GPU``: CUDA devices)."""
    return _devices(PhysicalDevice, device_type)


def list_logical_devices(device_type=None):
    return _devices(LogicalDevice, device_type)


def get_visible_devices(device_type=None):
    return list_physical_devices(device_type)


class experimental:  # noqa: N801 - TensorFlow's namespace name
    @staticmethod
    def set_memory_growth(device, enable):
        """The engine's GPU memory (cupy's pool) always grows as needed, which is what
        ``enable = TRUE`` asks; ``FALSE`` (reserve all memory at start) is not offered."""
        if not enable:
            raise InvalidArgumentError(
                "config.experimental.set_memory_growth: the engine's GPU memory always "
                "grows as needed; enable = FALSE (reserving it all at start) is not "
                "available")

    @staticmethod
    def get_memory_growth(device):
        return True
