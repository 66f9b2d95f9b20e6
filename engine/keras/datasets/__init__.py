"""``keras.datasets``: ``<name>.load_data()`` gives ``((x_train, y_train), (x_test, y_test))``."""

from . import boston_housing, cifar10, cifar100, fashion_mnist, imdb, mnist, reuters

__all__ = ["boston_housing", "cifar10", "cifar100", "fashion_mnist", "imdb", "mnist", "reuters"]
