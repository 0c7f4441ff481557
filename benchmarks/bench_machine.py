"""The machine a benchmark ran on, in one line and as a dict (every benchmark prints it)."""

from __future__ import annotations

import os
import platform
import time
from datetime import UTC, datetime
from pathlib import Path

FLAGS = ("avx2", "avx512f", "avx512_vnni", "avx512_bf16", "amx_int8", "amx_bf16")
# CPU milliseconds of `sum(range(10**7))` on the 2-core Xeon/EPYC guests of this project when
# nothing else runs: 150-200. Slower means the host is shared or throttled, whatever the load average.
CALIBRATION_IDLE_MS = 200
CALIBRATION_SLOW_MS = 400


def calibration_ms() -> float:
    """CPU milliseconds of one fixed pure-Python loop: how fast this core is right now."""
    started = time.process_time()
    sum(range(10**7))
    return round((time.process_time() - started) * 1000, 1)


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
            "load_before": [round(x, 1) for x in os.getloadavg()], "calibration_ms": [calibration_ms()]}


def finish(info: dict) -> dict:
    """Record the load average and the calibration loop after the measurements."""
    info["load_after"] = [round(x, 1) for x in os.getloadavg()]
    info["calibration_ms"] = [*info.get("calibration_ms", []), calibration_ms()]
    return info


def machine_line(info: dict) -> str:
    libs = ", ".join(f"{k} {v}" for k, v in info["versions"].items())
    after = f", after {info['load_after']}" if "load_after" in info else ""
    calibration = ""
    if info.get("calibration_ms"):
        calibration = (f"; calibration loop {' / '.join(f'{ms:.0f}' for ms in info['calibration_ms'])} ms "
                       f"(idle: {CALIBRATION_IDLE_MS} or less)")
    return (f"machine: {info['cpu']}, {info['cores']} cores ({', '.join(info['flags']) or 'no AVX flags read'}); "
            f"Python {info['python']}, {libs}; {info['date']}; load average before {info['load_before']}{after}"
            f"{calibration}")


def busy_warning(info: dict) -> str | None:
    """A warning when other processes were running when it started (1-minute load average above
    half a core; the load after counts the benchmark's own processes, so it is shown, not judged),
    or when the calibration loop ran slower than :data:`CALIBRATION_SLOW_MS` before or after."""
    if info["load_before"][0] > 0.5:
        return ("WARNING: measured on a busy machine (load average above): times are inflated and ratios "
                "noisy; rerun on an idle machine for figures to quote")
    if max(info.get("calibration_ms") or [0.0]) > CALIBRATION_SLOW_MS:
        return (f"WARNING: this machine ran slow (calibration loop above {CALIBRATION_SLOW_MS} ms, idle "
                f"{CALIBRATION_IDLE_MS} or less): times are inflated and noisy; ratios of interleaved runs hold better")
    return None
