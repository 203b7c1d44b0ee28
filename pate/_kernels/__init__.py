"""numba kernels: jitted loops over plain arrays only (imported lazily, never by ``import pate``)."""
