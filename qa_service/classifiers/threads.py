"""The classifier's numbers must not depend on how many cores the process was given.

Torch splits matrix products and reductions across its intra-op threads, and the order of a float
sum changes with the split: the same call classified with one thread and with four differs in the
last digits of a probability, enough to flip a rounded score ("a call processed twice ends the
same" must hold on a one-thread Celery worker and on the embedded path with every core). So the
classifier's forward passes run at a fixed thread count, :data:`CLASSIFIER_THREADS`, whatever
``QA_CPU_THREADS`` gives the speech models, and the process's own count is put back afterwards.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

#: Intra-op threads of every classifier forward pass (encoder and heads). One: the encoder's
#: inputs are a call's utterances, small enough that more threads save little (see bench/classify.py).
CLASSIFIER_THREADS = 1

_lock = threading.Lock()


@contextmanager
def fixed_torch_threads(threads: int = CLASSIFIER_THREADS) -> Iterator[None]:
    """Run the block with torch at ``threads`` intra-op threads, then restore the previous count.

    Torch's count is per process, so classifications in two threads take turns.
    """
    import torch

    with _lock:
        before = torch.get_num_threads()
        if before != threads:
            torch.set_num_threads(threads)
        try:
            yield
        finally:
            if before != threads:
                torch.set_num_threads(before)
