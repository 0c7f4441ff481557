"""The machine's GEMM ceilings and decoding's share of the int8 one (issue #18, ``speed.py``).

**Ceilings.** CTranslate2 has no Python GEMM call. Its int8 GEMM is MKL's on Intel CPUs and
oneDNN's on others (``CT2_VERBOSE=1`` says "GEMM_S8 backend: MKL" or "DNNL"). Its shared
library exports the MKL routines (``cblas_gemm_s8u8s32``, ``cblas_sgemm``), called here
through ctypes with CTranslate2's own ``set_num_threads`` at every core; oneDNN's are not
exported, so oneDNN's int8 GEMM is reached through torch (``torch._int_mm`` and the
``onednn``/``x86``/``fbgemm`` quantized ``Linear``). ``torch.matmul`` float32 is what plain
transformers runs. All on large square matrices; the int8 ceiling is the best int8 rate.

**Decoding's share.** Batches of 16 NTREX-128 sentences, beam 4, exactly ``length`` target
pieces, through the same CTranslate2 settings the engine uses, timed; the useful work is
counted with :func:`flops_per_sentence` (stated in ``FLOPS_NOTE``), and the achieved rate is
divided by the int8 ceiling. Variants show what each engine setting buys.
"""

from __future__ import annotations

import ctypes
import os
import statistics
import time
from pathlib import Path

FLOPS_NOTE = ("FLOPs per sentence (a multiply-add = 2): encoder S*Le*(8d^2+4d*f) + Le*4*S^2*d; cross-attention "
              "keys/values Ld*4d^2*S (once); per target step and beam hypothesis Ld*(12d^2+4d*f) + 2d*V "
              "(V = the output vocabulary actually scored: the vmap's English pieces) + attention "
              "Ld*4d*(t+S); S source pieces, T target pieces, beam B; per target token = total / T")


def flops_per_sentence(cfg: dict, src_len: int, tgt_len: int, beam: int, vocab: int) -> float:
    """The useful FLOPs of one sentence (``FLOPS_NOTE``); ``cfg`` is the model's config.json."""
    d, le, ld = cfg["d_model"], cfg["encoder_layers"], cfg["decoder_layers"]
    fe, fd = cfg["encoder_ffn_dim"], cfg["decoder_ffn_dim"]
    s, t = src_len, tgt_len
    encoder = s * le * (8 * d * d + 4 * d * fe) + le * 4 * s * s * d
    cross_kv = ld * 4 * d * d * s
    steps = t * (ld * (12 * d * d + 4 * d * fd) + 2 * d * vocab)
    attention = ld * 4 * d * (t * (t + 1) / 2 + t * s)
    return encoder + cross_kv + beam * (steps + attention)


def ct2_library() -> ctypes.CDLL:
    """CTranslate2's own shared library (already loaded by ``import ctranslate2``)."""
    import ctranslate2

    libs = Path(ctranslate2.__file__).resolve().parent.parent / "ctranslate2.libs"
    found = sorted(libs.glob("libctranslate2*.so*")) or sorted(Path(ctranslate2.__file__).parent.glob("*.so*"))
    return ctypes.CDLL(str(found[0]))


def _best_rate(fn, flop: float, repeats: int) -> float:
    fn()  # warm-up: packing buffers, thread pool
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return flop / best


INT = ctypes.c_int64  # MKL_INT: CTranslate2's MKL is the ILP64 interface (checked on the first product)


def mkl_gemms(n: int, threads: int, repeats: int, m: int | None = None, k: int | None = None) -> dict[str, float]:
    """GFLOP/s of MKL int8 (s8u8s32) and float32 GEMM, m x k by k x n, as CTranslate2's library runs them."""
    import numpy as np

    lib = ct2_library()
    set_threads = getattr(lib, "_ZN11ctranslate215set_num_threadsEm", None)
    if set_threads is not None:
        set_threads.argtypes = (ctypes.c_size_t,)
        set_threads(threads)
    m, k = m or n, k or n
    rng = np.random.default_rng(0)
    out: dict[str, float] = {}
    ptr = ctypes.c_void_p
    if hasattr(lib, "cblas_gemm_s8u8s32"):
        a = rng.integers(0, 127, (m, k), dtype=np.uint8)
        b = rng.integers(-127, 127, (k, n), dtype=np.int8)
        c = np.zeros((m, n), dtype=np.int32)
        co = np.zeros(1, dtype=np.int32)
        gemm = lib.cblas_gemm_s8u8s32
        gemm.argtypes = [ctypes.c_int] * 4 + [INT] * 3 + [ctypes.c_float, ptr, INT, ctypes.c_int8,
                         ptr, INT, ctypes.c_int8, ctypes.c_float, ptr, INT, ptr]
        args = (101, 111, 111, 173, m, n, k, 1.0, a.ctypes.data, k, 0, b.ctypes.data, n, 0, 0.0,
                c.ctypes.data, n, co.ctypes.data)  # row major, no transposes, fixed offset 0
        gemm(*args)
        if int(c[0, 0]) != int(a[0].astype(np.int64) @ b[:, 0].astype(np.int64)):  # not the ILP64 interface
            raise RuntimeError("cblas_gemm_s8u8s32 gave a wrong product: unexpected MKL interface")
        out["int8 MKL cblas_gemm_s8u8s32"] = _best_rate(lambda: gemm(*args), 2.0 * m * n * k, repeats) / 1e9
    if hasattr(lib, "cblas_sgemm"):
        fa, fb = rng.standard_normal((m, k), dtype=np.float32), rng.standard_normal((k, n), dtype=np.float32)
        fc = np.zeros((m, n), dtype=np.float32)
        sgemm = lib.cblas_sgemm
        sgemm.argtypes = [ctypes.c_int] * 3 + [INT] * 3 + [ctypes.c_float, ptr, INT, ptr, INT, ctypes.c_float, ptr, INT]
        fargs = (101, 111, 111, m, n, k, 1.0, fa.ctypes.data, k, fb.ctypes.data, n, 0.0, fc.ctypes.data, n)
        out["float32 MKL cblas_sgemm"] = _best_rate(lambda: sgemm(*fargs), 2.0 * m * n * k, repeats) / 1e9
    return out


def torch_gemms(n: int, threads: int, repeats: int, device: str = "cpu") -> dict[str, float]:
    """GFLOP/s of torch float32 matmul and int8 ``torch._int_mm`` (float16 too on CUDA)."""
    import torch

    torch.set_num_threads(threads)
    out: dict[str, float] = {}
    sync = torch.cuda.synchronize if device == "cuda" else (lambda: None)
    dtypes = [torch.float32] + ([torch.float16] if device == "cuda" else [])
    for dtype in dtypes:
        a, b = torch.randn(n, n, device=device, dtype=dtype), torch.randn(n, n, device=device, dtype=dtype)
        out[f"{str(dtype).split('.')[1]} torch.matmul"] = _best_rate(
            lambda a=a, b=b: (a @ b, sync()), 2.0 * n**3, repeats) / 1e9
    try:
        a8 = torch.randint(-127, 127, (n, n), dtype=torch.int8, device=device)
        b8 = torch.randint(-127, 127, (n, n), dtype=torch.int8, device=device)
        out["int8 torch._int_mm"] = _best_rate(lambda: (torch._int_mm(a8, b8), sync()), 2.0 * n**3, repeats) / 1e9
    except (RuntimeError, AttributeError):  # not built for this device
        pass
    if device == "cpu":  # int8 x uint8 through torch's quantized engines (oneDNN: CTranslate2's backend on AMD)
        import warnings

        import torch.ao.nn.quantized as nnq

        warnings.filterwarnings("ignore", message=".*quantize_per_tensor.*")  # deprecated in torch, still there

        for engine in [e for e in ("onednn", "x86", "fbgemm") if e in torch.backends.quantized.supported_engines]:
            torch.backends.quantized.engine = engine
            linear = nnq.Linear(n, n, bias_=False, dtype=torch.qint8)
            linear.set_weight_bias(torch.quantize_per_tensor(torch.randn(n, n), 0.05, 0, torch.qint8), None)
            x = torch.quantize_per_tensor(torch.randn(n, n), 0.05, 128, torch.quint8)
            out[f"int8 torch quantized Linear ({engine})"] = _best_rate(
                lambda linear=linear, x=x: linear(x), 2.0 * n**3, repeats) / 1e9
    return out


def ceilings(spec: dict) -> dict:
    """The child job: every ceiling, and MKL int8 at one worker's decoding shape."""
    import torch

    threads = spec.get("threads") or os.cpu_count() or 1
    n, repeats, device = spec.get("n", 2048), spec.get("repeats", 5), spec.get("device", "auto")
    if device == "auto":
        device = "cuda" if torch.cuda.is_available() else "cpu"
    rates = torch_gemms(n, threads, repeats, device)
    if device == "cpu":
        rates.update(mkl_gemms(n, threads, repeats))
        d, f, rows = spec.get("d", 512), spec.get("f", 2048), spec.get("rows", 32)
        small = mkl_gemms(f, 1, repeats * 4, m=rows, k=d)["int8 MKL cblas_gemm_s8u8s32"]
        rates[f"int8 MKL {rows}x{d}x{f}, 1 thread (one worker's FFN step)"] = small
    int8 = {k: v for k, v in rates.items() if k.startswith("int8") and "thread" not in k}
    return {"threads": threads, "n": n, "gflops": {k: round(v, 1) for k, v in rates.items()},
            "int8_ceiling": round(max(int8.values()), 1) if int8 else None,
            "int8_ceiling_from": max(int8, key=int8.get) if int8 else None}


# ---------------------------------------------------------------- decoding at batch 16, beam 4

VARIANTS = {
    # name: (inter_threads, intra_threads, max_batch_size per call or "split", batch_type, vmap, attention, beam)
    "engine default: workers x 1 thread, vmap, attention": ("cores", 1, "split", "examples", True, True, 4),
    "1 worker x all threads": (1, "cores", 0, "examples", True, True, 4),
    "no vmap (full shared vocabulary)": ("cores", 1, "split", "examples", False, True, 4),
    "no attention returned": ("cores", 1, "split", "examples", True, False, 4),
    "split by tokens (batch_type tokens)": ("cores", 1, "tokens", "tokens", True, True, 4),
    "greedy (beam 1)": ("cores", 1, "split", "examples", True, True, 1),
}


def decoding(spec: dict) -> dict:
    """The child job: time ``VARIANTS`` on the same batches (interleaved repeats), count FLOPs."""
    import json

    import ctranslate2

    from translate.engines import load_engine

    cores = spec.get("threads") or os.cpu_count() or 1
    engine = load_engine(spec["folder"], "ctranslate2", device=spec.get("device", "auto"))
    cfg = json.loads((Path(spec["folder"]) / "config.json").read_text())
    vmap_file = engine.folder / "vmap.txt"
    vmap_size = len(vmap_file.read_text(encoding="utf-8").split()) if vmap_file.is_file() else cfg["vocab_size"]
    lines = spec["lines"]
    sources = sorted((engine.tokenizer.source(s) for s in lines), key=len)
    batches = [sources[i : i + 16] for i in range(0, len(sources), 16)]
    length, chosen = spec["length"], spec.get("variants") or list(VARIANTS)
    translators: dict[tuple, object] = {}
    times: dict[str, list[float]] = {name: [] for name in chosen}
    for _ in range(spec.get("repeats", 3)):
        for name in chosen:
            inter, intra, mbs, btype, vmap, attention, beam = VARIANTS[name]
            inter, intra = (cores if inter == "cores" else inter), (cores if intra == "cores" else intra)
            if engine.device != "cpu":
                inter, intra = 1, cores
            key = (inter, intra)
            if key not in translators:
                translators[key] = ctranslate2.Translator(str(engine.folder), device=engine.device,
                                                          compute_type=engine.quantization,
                                                          inter_threads=inter, intra_threads=intra)
            translator = translators[key]
            started = time.perf_counter()
            for batch in batches:
                size = (-(-len(batch) // inter) if mbs == "split" else
                        -(-sum(map(len, batch)) // inter) if mbs == "tokens" else mbs)
                results = translator.translate_batch(
                    batch, beam_size=beam, max_decoding_length=length, min_decoding_length=length,
                    return_attention=attention, use_vmap=vmap and vmap_file.is_file(), max_batch_size=size,
                    batch_type=btype, asynchronous=True)
                [r.result() for r in results]
            times[name].append(time.perf_counter() - started)
    out = {}
    for name in chosen:
        beam, vocab = VARIANTS[name][6], (vmap_size if VARIANTS[name][4] else cfg["vocab_size"])
        flop = sum(flops_per_sentence(cfg, len(s), length, beam, vocab) for s in sources)
        median = statistics.median(times[name])
        out[name] = {"median_s": round(median, 3), "min_s": round(min(times[name]), 3),
                     "max_s": round(max(times[name]), 3), "runs": len(times[name]),
                     "tok_s": round(len(sources) * length / median, 1), "gflops": round(flop / median / 1e9, 1),
                     "gflop_per_token": round(flop / (len(sources) * length) / 1e9, 4)}
    return {"sentences": len(sources), "batches": len(batches), "vmap_size": vmap_size, "variants": out,
            "cores": cores, "device": engine.device}
