"""``keras.layers``: core, merge, normalization, convolution, pooling, reshaping, embedding
and recurrent layers, and ``Input``."""

from .base import Input as _Input
from .base import InputLayer, KerasTensor, Layer
from .convolutional import (
    Conv1D,
    Conv2D,
    Conv2DTranspose,
    Convolution1D,
    Convolution2D,
    Convolution2DTranspose,
    DepthwiseConv2D,
    SeparableConv2D,
)
from .core import (
    ELU,
    Activation,
    ActivityRegularization,
    Dense,
    Dropout,
    Flatten,
    GaussianDropout,
    GaussianNoise,
    LeakyReLU,
    Permute,
    ReLU,
    RepeatVector,
    Reshape,
    Softmax,
)
from .embedding import Embedding, Masking
from .merge import (
    Add,
    Average,
    Concatenate,
    Dot,
    Maximum,
    Minimum,
    Multiply,
    Subtract,
    add,
    average,
    concatenate,
    dot,
    maximum,
    minimum,
    multiply,
    subtract,
)
from .normalization import BatchNormalization, LayerNormalization
from .pooling import (
    AveragePooling1D,
    AveragePooling2D,
    AvgPool1D,
    AvgPool2D,
    GlobalAveragePooling1D,
    GlobalAveragePooling2D,
    GlobalAvgPool1D,
    GlobalAvgPool2D,
    GlobalMaxPool1D,
    GlobalMaxPool2D,
    GlobalMaxPooling1D,
    GlobalMaxPooling2D,
    MaxPool1D,
    MaxPool2D,
    MaxPooling1D,
    MaxPooling2D,
)
from .recurrent import GRU, LSTM, SimpleRNN
from .reshaping import (
    Cropping1D,
    Cropping2D,
    SpatialDropout1D,
    SpatialDropout2D,
    UpSampling1D,
    UpSampling2D,
    ZeroPadding1D,
    ZeroPadding2D,
)
from .wrappers import Bidirectional, TimeDistributed

Input = _Input

__all__ = ["ELU", "LeakyReLU", "ReLU", "Softmax", "Activation", "ActivityRegularization",
           "Add", "Average", "BatchNormalization",
           "Concatenate", "Dense", "Dot", "Dropout", "Flatten", "GaussianDropout",
           "GaussianNoise", "Input", "InputLayer", "KerasTensor", "Layer", "LayerNormalization",
           "Maximum", "Minimum", "Multiply", "Permute", "RepeatVector", "Reshape", "Subtract",
           "add", "average", "concatenate", "dot", "maximum", "minimum", "multiply", "subtract",
           "get", "serialize", "deserialize",
           # convolution, pooling, reshaping
           "AveragePooling1D", "AveragePooling2D", "AvgPool1D", "AvgPool2D", "Conv1D", "Conv2D",
           "Conv2DTranspose", "Convolution1D", "Convolution2D", "Convolution2DTranspose",
           "Cropping1D", "Cropping2D", "DepthwiseConv2D", "GlobalAveragePooling1D",
           "GlobalAveragePooling2D", "GlobalAvgPool1D", "GlobalAvgPool2D", "GlobalMaxPool1D",
           "GlobalMaxPool2D", "GlobalMaxPooling1D", "GlobalMaxPooling2D", "MaxPool1D",
           "MaxPool2D", "MaxPooling1D", "MaxPooling2D", "SeparableConv2D", "SpatialDropout1D",
           "SpatialDropout2D", "UpSampling1D", "UpSampling2D", "ZeroPadding1D", "ZeroPadding2D",
           # sequences
           "Bidirectional", "Embedding", "GRU", "LSTM", "Masking", "SimpleRNN",
           "TimeDistributed"]

_CLASSES = {name: obj for name, obj in dict(globals()).items()
            if isinstance(obj, type) and issubclass(obj, Layer)}


def register(cls):
    """Make a custom layer class known to ``deserialize`` / ``load_model``."""
    _CLASSES[cls.__name__] = cls
    return cls


def get(class_name, custom_objects=None):
    cls = (custom_objects or {}).get(class_name) or _CLASSES.get(class_name)
    if cls is None:
        from .._registry import unknown

        raise unknown("layer class", class_name, _CLASSES)
    return cls


def serialize(layer):
    return {"class_name": type(layer).__name__, "config": layer.get_config()}


def deserialize(config, custom_objects=None):
    import inspect

    cls = get(config["class_name"], custom_objects)
    if "custom_objects" in inspect.signature(cls.from_config).parameters:
        return cls.from_config(config["config"], custom_objects=custom_objects)
    return cls.from_config(config["config"])
