import pytest
import tensorbridge.engine as tf


@pytest.fixture(autouse=True)
def _seed():
    tf.random.set_seed(1234)
    yield
