"""``translate batch --ray local``: Ray actors that load the model once give the documents the
single-machine path gives. Ray starts in seconds: the tests here are few."""

from __future__ import annotations

import json

from click.testing import CliRunner
from helpers import skip_for_missing_tool
from test_batch import articles, manifests, translations

from translate.cli import cli


def need_ray():
    try:
        import ray  # noqa: F401
    except ImportError:
        skip_for_missing_tool("Ray is not installed", "pip install -e '.[dev]' (or pip install 'ray>=2.9')")


def test_ray_local_gives_the_single_machine_translations(default_model, tmp_path):
    need_ray()
    import ray

    a, b = articles(tmp_path / "in", 2, lines=6)
    common = ["--no-glossary", "--beam", "2"]
    here = CliRunner().invoke(cli, ["batch", str(a), str(b), *common])
    assert here.exit_code == 0, here.output
    single = {d: translations(d) for d in ("art0", "art1")}
    before = manifests()

    report = tmp_path / "ray.json"
    result = CliRunner().invoke(cli, ["batch", str(a), str(b), *common, "--ray", "local", "--workers", "2",
                                      "--threads", "1", "--force", "--report", str(report)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-2] == "2 articles: 2 done (12 segments), 0 skipped (up to date), 0 failed"
    assert all(manifests()[d] != before[d] for d in before)  # written again, by this process
    assert {d: translations(d) for d in ("art0", "art1")} == single
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["settings"]["ray"] == "local" and data["settings"]["workers"] == 2
    assert not ray.is_initialized()  # the batch started Ray, so it shut it down

    # up to date: nothing to translate, so Ray is not even started
    again = CliRunner().invoke(cli, ["batch", str(a), str(b), *common, "--ray", "local"])
    assert again.stdout.splitlines()[-1] == "2 articles: 0 done (0 segments), 2 skipped (up to date), 0 failed"
