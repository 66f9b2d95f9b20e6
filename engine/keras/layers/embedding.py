"""Embedding and Masking: the layers that start a (masked) sequence."""

import numpy as np

from ... import ops
from ...tensor import Tensor
from .. import _validate as _v
from .. import constraints as _constraints
from .. import initializers as _initializers
from .. import regularizers as _regularizers
from .._registry import serialize
from ._util import ArrayInput, owner
from .base import Layer


class Embedding(ArrayInput, Layer):
    """Integer indices (batch, ...) -> rows of an (input_dim, output_dim) table.

    With ``mask_zero=True`` index 0 is padding: the output carries a mask (index != 0)
    that recurrent layers use to skip those steps, and ``input_dim`` must count it.
    """

    def __init__(self, input_dim, output_dim, embeddings_initializer="uniform",
                 embeddings_regularizer=None, activity_regularizer=None,
                 embeddings_constraint=None, mask_zero=False, input_length=None, **kwargs):
        if input_length is not None and "input_shape" not in kwargs and \
                "batch_input_shape" not in kwargs:
            kwargs["input_shape"] = (_v.positive_int("Embedding", "input_length", input_length),)
        super().__init__(**kwargs)
        me = owner(self)
        self.input_dim = _v.positive_int(me, "input_dim", input_dim)
        self.output_dim = _v.positive_int(me, "output_dim", output_dim)
        if embeddings_initializer == "uniform":  # keras' name for RandomUniform(-0.05, 0.05)
            embeddings_initializer = _initializers.RandomUniform(-0.05, 0.05)
        self.embeddings_initializer = _initializers.get(embeddings_initializer)
        self.embeddings_regularizer = _regularizers.get(embeddings_regularizer)
        self.activity_regularizer = _regularizers.get(activity_regularizer)
        self.embeddings_constraint = _constraints.get(embeddings_constraint)
        self.mask_zero = bool(mask_zero)
        self.input_length = None if input_length is None else int(input_length)
        self.embeddings = None

    def build(self, input_shape):
        self.embeddings = self.add_weight(
            "embeddings", (self.input_dim, self.output_dim), self.embeddings_initializer,
            regularizer=self.embeddings_regularizer, constraint=self.embeddings_constraint)
        self.built = True

    def _indices(self, inputs):
        a = inputs._data
        xp = inputs._dev.xp
        if a.dtype.kind == "f":
            idx = a.astype(np.int64)
            if bool((idx != a).any()):
                raise ValueError(f"{owner(self)} expects integer indices but got non-integer "
                                 "values; give word indices (e.g. from texts_to_sequences)")
        else:
            idx = a.astype(np.int64, copy=False)
        if idx.size:
            lo, hi = int(idx.min()), int(idx.max())
            if lo < 0 or hi >= self.input_dim:
                bad = lo if lo < 0 else hi
                raise ValueError(
                    f"{owner(self)}: index {bad} is out of range for input_dim="
                    f"{self.input_dim}; indices must be in [0, {self.input_dim - 1}] (set "
                    "input_dim to the vocabulary size + 1, or cap words with "
                    "Tokenizer(num_words=input_dim))")
        return xp.ascontiguousarray(idx)

    def call(self, inputs):
        y = ops.gather(self.embeddings, self._indices(inputs), axis=0)
        if self.activity_regularizer is not None:
            self._add_activity_loss(self.activity_regularizer, y)
        return y

    def compute_mask(self, inputs, mask=None):
        if not self.mask_zero:
            return None
        return Tensor._make(inputs._data != 0, inputs._dev)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape) + (self.output_dim,)

    def get_config(self):
        cfg = super().get_config()
        cfg.update(input_dim=self.input_dim, output_dim=self.output_dim,
                   embeddings_initializer=serialize(self.embeddings_initializer),
                   embeddings_regularizer=serialize(self.embeddings_regularizer),
                   activity_regularizer=serialize(self.activity_regularizer),
                   embeddings_constraint=serialize(self.embeddings_constraint),
                   mask_zero=self.mask_zero, input_length=self.input_length)
        return cfg

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if config.get("input_length") is not None and config.get("batch_input_shape"):
            config.pop("input_length")
        return super().from_config(config)


class Masking(Layer):
    """Mask the time steps whose features all equal ``mask_value`` (and zero them)."""

    supports_masking = True

    def __init__(self, mask_value=0.0, **kwargs):
        super().__init__(**kwargs)
        self.mask_value = float(mask_value)

    def _keep(self, inputs):
        return ops.reduce_any(ops.not_equal(inputs, self.mask_value), axis=-1)

    def call(self, inputs):
        keep = ops.cast(ops.expand_dims(self._keep(inputs), -1), inputs.dtype)
        return inputs * keep

    def compute_mask(self, inputs, mask=None):
        return self._keep(inputs)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        cfg = super().get_config()
        cfg["mask_value"] = self.mask_value
        return cfg
