"""``keras.models``: Model, Sequential, persistence and JSON helpers."""

from .model import Model
from .saving import (
    deserialize_model,
    load_model,
    model_from_json,
    model_from_yaml,
    save_model,
    serialize_model,
)
from .sequential import Sequential

__all__ = ["Model", "Sequential", "load_model", "save_model", "model_from_json",
           "model_from_yaml", "serialize_model", "deserialize_model", "clone_model"]


def clone_model(model):
    """A new model with the same architecture and fresh weights."""
    from .saving import model_from_dict, model_to_dict

    return model_from_dict(model_to_dict(model))
