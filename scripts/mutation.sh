#!/usr/bin/env bash
# Mutation testing of the core modules with mutmut 3 (`pip install -e '.[dev]'`): per module, the
# score (killed / tested) and the surviving mutants. Not part of the normal test run (too slow).
#
#   scripts/mutation.sh                 # every core module, one after the other
#   scripts/mutation.sh forcing textio  # only these
#   JOBS=4 scripts/mutation.sh          # mutmut's --max-children (default: 2)
#   RETEST=1 scripts/mutation.sh forcing # after adding tests: re-run only the last run's survivors
#                                       # (and mutants with no test) against the current tests
#   TIMEOUT_CONSTANT=10 TIMEOUT_MULTIPLIER=30   # a mutant still running after (its tests' baseline
#                                       # time + 10 s) * 30 counts as killed by timeout
#
# Each module runs in its own scratch copy (build/mutation/<module>/: the package, tests/,
# glossaries/ and a pyproject.toml holding only that module's [tool.mutmut] table), so the working
# tree is never touched and runs of different modules never share mutmut's cache. Each run starts
# over (mutmut's cache re-tests a mutant only when its function changed, not when the tests did,
# so a kept cache would report survivors that a new test kills; KEEP=1 reuses it). mutmut puts
# the mutated copy (mutants/) first on sys.path, ahead of the editable install; a module whose
# tests kill nothing is flagged (a stale import of the original code lets every mutant survive).
# Results: build/mutation/<module>/report.txt and, together, build/mutation/summary.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT=${MUTATION_DIR:-$ROOT/build/mutation}
JOBS=${JOBS:-2}
export TRANSLATE_SHARED=${TRANSLATE_SHARED:-$ROOT/../shared}

# module | files to mutate | the focused tests that guard them | pytest -k expression (optional)
MODULES=(
  "textio|translate/textio.py|tests/test_textio.py|"
  "segment|translate/text/segment.py|tests/test_segment.py|"
  "publish|translate/review/publish.py|tests/test_publish.py tests/test_docx.py::test_publish_writes_article_docx_with_word_styles_and_the_markdowns_paragraphs tests/test_docx.py::test_draft_article_docx_carries_the_watermark|"
  "qa_numbers|translate/review/qa.py translate/text/numbers.py|tests/test_qa.py tests/test_numbers.py tests/test_numbers_cases.py|"
  "forcing|translate/engines/forcing.py|tests/test_forcing.py tests/test_forcing_plan.py tests/test_forcing_decode.py tests/test_promises.py::test_satisfied_terms_are_the_terms_the_prefix_holds_as_often_as_the_source tests/test_promises.py::test_a_model_that_repeats_a_forced_term_writes_it_once tests/test_promises.py::test_a_term_the_model_wrote_itself_is_locked_into_the_prefix|not random_weight and not ctranslate2"
  "review_log|translate/review/log.py translate/review/events.py|tests/test_review.py tests/test_review_integrity.py tests/test_review_events.py tests/test_review_log_cases.py|not sigkill and not concurrent"
  "suppression|translate/engines/processors.py|tests/test_processors.py|"
  "glossary_match|translate/glossary/match.py|tests/test_glossary.py tests/test_glossary_data.py tests/test_glossary_modes.py tests/test_arabic.py|not cli and not CLI and not both_backends and not report_on_the_shipped"
)

python -c "import importlib.util, sys; sys.exit(importlib.util.find_spec('mutmut') is None)" || { echo "mutmut is not installed: pip install -e '.[dev]'" >&2; exit 2; }
wanted=("$@")
mkdir -p "$OUT"

for row in "${MODULES[@]}"; do
  IFS='|' read -r name files tests kexpr <<<"$row"
  if [ ${#wanted[@]} -gt 0 ] && [[ ! " ${wanted[*]} " == *" $name "* ]]; then continue; fi
  work="$OUT/$name"
  # a fresh copy of the sources, and of mutmut's state unless KEEP=1 or RETEST=1
  retest=()
  if [ "${RETEST:-0}" = 1 ] && [ -f "$work/results.txt" ]; then
    mapfile -t retest < <(grep -E ': (survived|no tests)$' "$work/results.txt" | sed 's/^ *//; s/: .*//')
    [ ${#retest[@]} -eq 0 ] && { echo "== $name: no survivor to re-test"; continue; }
  elif [ "${KEEP:-0}" != 1 ]; then
    rm -rf "$work"
  fi
  mkdir -p "$work"
  rm -rf "$work/translate" "$work/tests" "$work/glossaries" "$work/scripts"
  cp -r translate tests glossaries scripts "$work/"
  find "$work" -name __pycache__ -prune -exec rm -rf {} +
  quoted() { printf '"%s", ' "$@" | sed 's/, $//'; }
  {
    echo "[tool.mutmut]"
    echo 'source_paths = ["translate"]'
    echo "only_mutate = [$(quoted $files)]"
    echo 'also_copy = ["glossaries", "scripts"]'
    echo "pytest_add_cli_args_test_selection = [$(quoted $tests)]"
    if [ -n "$kexpr" ]; then echo "pytest_add_cli_args = [\"-p\", \"no:cacheprovider\", \"-k\", \"$kexpr\"]"
    else echo 'pytest_add_cli_args = ["-p", "no:cacheprovider"]'; fi
    # fork: each mutant's child is forked from mutmut's own process, which ran the tests to collect
    # stats. A child that then builds a Marian model hangs on a torch lock the fork copied (and
    # pytest-timeout would count it killed), so no row runs a test that builds one.
    # ISOLATION=forkserver forks from a server that has only collected the tests; not the default:
    # on qa_numbers it reported its first 58 mutants as timeouts after 0 s.
    echo "process_isolation = \"${ISOLATION:-fork}\""
    # mutmut's wall limit is (the tests' time + constant) * multiplier; its defaults (1 s, 15x)
    # count a mutant as killed by timeout when a loaded machine is merely slow
    echo "timeout_constant = ${TIMEOUT_CONSTANT:-10}"
    echo "timeout_multiplier = ${TIMEOUT_MULTIPLIER:-30}"
    # pytest's own table here, so that pytest stops looking upwards: the project's addopts run the
    # suite on every core (pytest-xdist), and a mutant stopped early under xdist exits 2, which
    # mutmut reads as "interrupted", not "killed"
    echo "[tool.pytest.ini_options]"
    echo 'testpaths = ["tests"]'
    echo 'addopts = "-p no:xdist -p no:benchmark"'
    echo "timeout = 300"
  } > "$work/pyproject.toml"
  echo "== $name: $files (tests: $tests)"
  if [ ${#retest[@]} -gt 0 ]; then  # the new tests go into mutmut's copy too
    rm -rf "$work/mutants/tests" && cp -r tests "$work/mutants/tests"
    # and mutmut must learn again which tests reach which function: its kept map would not
    # run a new test against the mutants it kills
    rm -f "$work/mutants/mutmut-stats.json"
    find "$work/mutants/tests" -name __pycache__ -prune -exec rm -rf {} +
  fi
  (cd "$work" && nice -n 19 python -m mutmut run --max-children "$JOBS" "${retest[@]}" > run.log 2>&1) || true
  [ ${#retest[@]} -gt 0 ] && cp "$work/results.txt" "$work/results.before.txt"
  (cd "$work" && python -m mutmut results --all true > results.txt 2>&1) || true
  python - "$work" "$name" "$files" <<'EOF'
import re, sys
from collections import Counter
from pathlib import Path
work, name, files = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
rows = [l.strip().rsplit(": ", 1) for l in (work / "results.txt").read_text().splitlines() if ": " in l]
status = {k: v for k, v in rows if k.startswith("translate.")}
before = work / "results.before.txt"  # RETEST: the mutants not re-run keep their earlier verdict
if before.is_file():
    earlier = dict(l.strip().rsplit(": ", 1) for l in before.read_text().splitlines() if ": " in l)
    status = {k: earlier.get(k, v) if v == "not checked" else v for k, v in status.items()}
    before.unlink()
count = Counter(status.values())
killed = count["killed"] + count["timeout"]
tested = sum(n for s, n in count.items() if s not in ("skipped", "not checked"))
survivors = sorted(k for k, v in status.items() if v in ("survived", "no tests"))
score = 100 * killed / tested if tested else 0.0
report = [f"{name}: {killed}/{tested} killed ({score:.1f}%)  [{files}]  " + ", ".join(f"{s} {n}" for s, n in sorted(count.items()))]
if tested and not killed:  # every mutant survived: the tests ran the original code, not mutants/
    report[0] += "  <- NOTHING KILLED: do the tests import translate from mutants/? (run.log)"
if count["check was interrupted by user"]:  # pytest exited 2: a collection error, or -x under xdist
    report[0] += "  <- INTERRUPTED runs: see run.log (they count as not killed)"
if count["timeout"]:  # counted as killed; a timeout after 0 s is the runner failing, not the mutant
    report[0] += f"  <- {count['timeout']} TIMEOUTS counted as killed: check them (run.log; ISOLATION=fork)"
report += [f"    survived: {k}" for k in survivors]
report += [f"    timeout: {k}" for k, v in sorted(status.items()) if v == "timeout"]
(work / "report.txt").write_text("\n".join(report) + "\n")
print("\n".join(report))
EOF
  tail -n +1 "$work/report.txt" | head -1
done
echo
# the summary: the last result of every module run so far (this run's and earlier ones')
cat "$OUT"/*/report.txt > "$OUT/summary.txt" 2>/dev/null || true
echo "== per module (build/mutation/summary.txt; 'mutmut show NAME' in build/mutation/<module>/ for a diff)"
cat "$OUT/summary.txt"
