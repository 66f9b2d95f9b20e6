"""Name lookup shared by activations, initializers, losses, metrics, optimizers.

``resolve(kind, identifier, table)`` turns a string (keras' snake_case name or
class name), a config dict ``{"class_name": ..., "config": ...}``, a class or an
object into the thing itself; an unknown name is a ``ValueError`` naming it and
listing the valid names.
"""

import inspect
import numbers


class Configurable:
    """keras' config protocol for objects built from their constructor
    arguments: ``get_config()`` returns them, ``from_config`` rebuilds."""

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def unknown(kind, name, table):
    valid = ", ".join(sorted(repr(k) for k in table))
    return ValueError(f"unknown {kind} {name!r}; valid {kind} names are: {valid}")


def resolve(kind, identifier, table, custom_objects=None, instantiate=True):
    """``identifier`` (name, config dict, class or object) -> object from ``table``."""
    if identifier is None:
        return None
    if isinstance(identifier, dict) and "class_name" in identifier:
        name = identifier["class_name"]
        cls = (custom_objects or {}).get(name) or table.get(name)
        if cls is None:
            raise unknown(kind, name, table)
        cfg = identifier.get("config") or {}
        if hasattr(cls, "from_config"):
            return cls.from_config(cfg)
        return cls(**cfg) if inspect.isclass(cls) else cls
    if isinstance(identifier, str):
        obj = (custom_objects or {}).get(identifier)
        if obj is None:
            obj = table.get(identifier)
            if obj is None:
                obj = table.get(identifier.lower())
        if obj is None:
            raise unknown(kind, identifier, table)
        if instantiate and inspect.isclass(obj):
            return obj()
        return obj
    if instantiate and inspect.isclass(identifier):
        return identifier()
    if isinstance(identifier, (numbers.Number, bool, list, tuple, bytes)):
        raise TypeError(f"{kind} must be given by name (a string), as an object or as a function, "
                        f"not {identifier!r}")
    return identifier


def serialize(obj):
    """Config dict of an object with ``get_config`` (or its registered name)."""
    if obj is None:
        return None
    if isinstance(obj, str):
        return obj
    if hasattr(obj, "get_config") and not inspect.isfunction(obj):
        return {"class_name": type(obj).__name__, "config": obj.get_config()}
    return getattr(obj, "__name__", repr(obj))
