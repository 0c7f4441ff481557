"""``python -m translate`` with every segment's output length pinned (``batch.py --length``).

    python benchmarks/pinned_cli.py LENGTH run ARTICLE ...     # as `python -m translate run ARTICLE ...`

Random weights never stop on their own, so each segment decodes to the length cap, which grows
with the longest source of its batch. With ``LENGTH``, every segment writes exactly that many
target pieces (``max_length = min_length = LENGTH``), as a trained model writing an English
sentence of that length would: the same work whatever the batch, so the comparison measures what
the batch saves (start-up, model load, fuller batches), not the cap. In-process workers only:
a Ray actor imports the pipeline anew, without the pin.
"""

from __future__ import annotations

import functools
import sys


def main() -> None:
    length, argv = int(sys.argv[1]), sys.argv[2:]
    from translate import pipeline

    pipeline.translate_document = functools.partial(pipeline.translate_document, max_length=length, min_length=length)
    from translate.cli import cli  # translate.batch.work binds the pinned function when the batch imports it

    cli.main(argv, prog_name="translate")


if __name__ == "__main__":
    main()
