"""Slow, obviously correct oracles, written from the specifications, never from the package.

One module per metric family (``pate``, ``vus``, ``etapr``, ``affiliation``, ``nab``)
and one for the buffer-size rule (``buffer_size``). One calling convention,
the metrics' own: labels and scores (or predictions) first, then keyword
options named as in the metric (``naive_vus(y_true, y_score, window=4)``);
the bodies may rename them to the paper's symbols. Nothing here imports
``pate``: the tests compare the fast implementations against these.
"""
