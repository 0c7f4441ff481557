"""A CTranslate2 conversion in less memory: one weight quantized at a time, its float32 pages
handed back as soon as it is done.

transformers loads a ``.safetensors`` checkpoint as views of one private memory map of the
file, and CTranslate2's converter quantizes the weights while all of them stay mapped: every
float32 page it reads stays resident until the end, so converting tc-big (963 MB of float32
weights) peaked at 1.66 GB. Here, first, the mapped pages no variable of the spec covers are
handed back to the kernel (``madvise(MADV_DONTNEED)``): the checkpoint's separate query, key
and value weights, read once to build the fused copies the spec holds. Then CTranslate2's own
quantization (``LayerSpec._quantize``, given a filter naming one variable) runs on one
variable at a time, smallest first (the shared embedding, the largest, last, when the rest is
gone), and after each the whole pages inside its float32 tensor are handed back: nothing reads
them again (the spec holds the int8 copy now), and a page of a private file map handed back
would be read from the file again if anything did. Pages a variable still to be written
covers are kept. The model written is byte for byte the one the usual path writes
(``tests/test_speed_round2.py``); the peaks are in ``benchmarks/README.md``. Linux only;
elsewhere, the usual path.
"""

from __future__ import annotations

import ctypes
import functools
import mmap
import sys
from typing import Any

ENABLED = sys.platform.startswith("linux")
MADV_DONTNEED = 4  # Linux


def weight_mappings() -> list[tuple[int, int]]:
    """Address ranges of this process's private memory maps of ``*.safetensors`` files."""
    ranges = []
    with open("/proc/self/maps", encoding="utf-8", errors="replace") as fh:
        for line in fh:
            parts = line.split(maxsplit=5)
            if len(parts) == 6 and parts[1].endswith("p") and parts[5].strip().endswith(".safetensors"):
                start, end = (int(x, 16) for x in parts[0].split("-"))
                ranges.append((start, end))
    return ranges


def _span(value: Any) -> tuple[int, int] | None:
    """The memory a variable's torch tensor covers, or None for any other variable."""
    tensor = getattr(value, "tensor", None)
    if tensor is None or not hasattr(tensor, "data_ptr"):
        return None
    start = tensor.data_ptr()
    return start, start + tensor.numel() * tensor.element_size()


def quantize_low_memory(spec: Any, quantization: str | None) -> int:
    """``spec._quantize(quantization)``, one variable at a time, handing back each one's float32
    pages once it is quantized; returns the bytes handed back."""
    quantize = type(spec)._quantize
    maps = weight_mappings()
    if not maps:  # not loaded from a memory map: nothing to hand back
        quantize(spec, quantization)
        return 0
    libc = ctypes.CDLL(None, use_errno=True)
    libc.madvise.argtypes = (ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int)
    trim = getattr(libc, "malloc_trim", None)  # glibc: freed temporaries go back to the system too
    pending = {name: value for name, value in spec.variables().items() if _span(value) is not None}
    given = _hand_back_unused(libc, maps, pending)
    for name in sorted(pending, key=lambda name: pending[name].num_bytes()):
        before = pending.pop(name)
        old_tensor, span = before.tensor, _span(before)  # held: its map stays mapped meanwhile
        quantize(spec, quantization, variable_filter=lambda n, name=name: n == name)
        after = spec.variables().get(name)
        if _span(after) == span:
            pending[name] = after  # kept as it was (a float32 norm on int8): still to be written
        else:
            given += _hand_back(libc, span, maps, pending)
        del old_tensor, before, after
        if trim is not None:
            trim(0)
    return given


def _hand_back_unused(libc: Any, maps: list[tuple[int, int]], pending: dict) -> int:
    """Hand back the mapped pages no variable of the spec covers: the checkpoint's separate query,
    key and value weights, which the spec holds fused into new tensors, were read once to fuse them."""
    page, given = mmap.PAGESIZE, 0
    spans = sorted(filter(None, map(_span, pending.values())))
    for a, b in maps:
        cursor = a
        for s, e in [sp for sp in spans if sp[0] < b and a < sp[1]] + [(b, b)]:
            first, last = -(-cursor // page) * page, min(s, b) // page * page
            if last > first and libc.madvise(first, last - first, MADV_DONTNEED) == 0:
                given += last - first
            cursor = max(cursor, e)
    return given


def _hand_back(libc: Any, span: tuple[int, int], maps: list[tuple[int, int]], pending: dict) -> int:
    """``madvise(MADV_DONTNEED)`` the whole pages inside ``span`` when they lie in a weights map and
    no variable still to be written covers them; the bytes handed back."""
    page = mmap.PAGESIZE
    first, last = -(-span[0] // page) * page, span[1] // page * page
    if last <= first or not any(a <= first and last <= b for a, b in maps):
        return 0
    if any(s < last and first < e for s, e in filter(None, map(_span, pending.values()))):
        return 0
    return last - first if libc.madvise(first, last - first, MADV_DONTNEED) == 0 else 0


def use_low_memory(spec: Any) -> None:
    """Make ``spec.optimize`` quantize through :func:`quantize_low_memory`."""
    if ENABLED:
        spec._quantize = functools.partial(_quantize_entry, spec)


def _quantize_entry(spec: Any, quantization: str | None, variable_filter=None) -> None:
    if variable_filter is not None:  # a caller with its own filter: CTranslate2's own path
        type(spec)._quantize(spec, quantization, variable_filter)
        return
    quantize_low_memory(spec, quantization)
