"""The PyTorch peer the Python benchmarks compare against (optional)."""


def torch_peer(threads=None, seed=0):
    """``torch`` with its thread count and seed set, or None when it is not
    installed (the comparison is then skipped, and the run says so)."""
    try:
        import torch
    except ImportError:
        print("torch not importable: the PyTorch peer is skipped")
        return None
    if threads:
        torch.set_num_threads(threads)
    torch.manual_seed(seed)
    return torch
