"""The machine a benchmark ran on, in one line and as a dict (every benchmark prints it)."""

from __future__ import annotations

import os
import platform
from datetime import UTC, datetime
from pathlib import Path

FLAGS = ("avx2", "avx512f", "avx512_vnni", "avx512_bf16", "amx_int8", "amx_bf16")


def machine_info(libraries: tuple[str, ...] = ("ctranslate2", "torch", "transformers", "sacrebleu")) -> dict:
    """CPU model, cores, ISA flags, library versions (from their metadata: nothing is imported),
    date and load average."""
    from importlib.metadata import PackageNotFoundError, version

    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").is_file() else ""
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")),
               platform.processor() or platform.machine())
    flags = [f for f in FLAGS if f" {f} " in cpuinfo or cpuinfo.endswith(f" {f}")]
    versions = {}
    for name in libraries:
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = "not installed"
    return {"cpu": cpu, "cores": os.cpu_count(), "flags": flags, "python": platform.python_version(),
            "versions": versions, "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "load_before": [round(x, 1) for x in os.getloadavg()]}


def machine_line(info: dict) -> str:
    libs = ", ".join(f"{k} {v}" for k, v in info["versions"].items())
    after = f", after {info['load_after']}" if "load_after" in info else ""
    return (f"machine: {info['cpu']}, {info['cores']} cores ({', '.join(info['flags']) or 'no AVX flags read'}); "
            f"Python {info['python']}, {libs}; {info['date']}; load average before {info['load_before']}{after}")


def busy_warning(info: dict) -> str | None:
    """A warning when other processes were running (1-minute load average above half a core)."""
    loads = [info["load_before"][0], *info.get("load_after", [0.0])[:1]]
    if max(loads) > 0.5:
        return ("WARNING: measured on a busy machine (load average above): times are inflated and ratios "
                "noisy; rerun on an idle machine for figures to quote")
    return None
