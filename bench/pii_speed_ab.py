"""PII detection speed, interleaved: this tree against a git revision, in one process, on one core.

    python bench/pii_speed_ab.py [--rev HEAD] [--rounds 3] [--chunk 100]

``bench/pii_bench.py`` times each system in its own pass, so a machine whose speed drifts by a tenth
from minute to minute (as shared VMs do) can put a tenth between two identical releases. Here the
revision's ``src/govai`` is unpacked with ``git archive`` under another package name (``govai_rev``),
both detectors are loaded into the same process, and chunks of texts alternate between them (the
order flipping each round); each side's CPU time is summed. Drift then falls on both sides alike, and
the ratio is the figure to read. Whichever detector is loaded first runs a few per cent slower here
(where its model and lists land in memory), so the comparison is run twice, in two processes, once with
each loaded first, and the two ratios are averaged. Texts: every hand-written set in bench/data and the
shared dev set.
"""

from __future__ import annotations

import argparse
import glob
import io
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED_DEV = REPO.parent / "shared" / "evalsets" / "pii" / "pii-dev.jsonl"


def unpack_revision(rev: str, into: Path) -> None:
    """``src/govai`` at ``rev`` as the package ``govai_rev`` under ``into``."""
    archive = subprocess.run(["git", "-C", str(REPO), "archive", rev, "src/govai"], check=True,
                             capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    (into / "src" / "govai").rename(into / "govai_rev")
    for path in (into / "govai_rev").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"\bgovai(?=[.\s])", "govai_rev", text).replace('"govai.', '"govai_rev.')
        path.write_text(text, encoding="utf-8")


def texts() -> list[str]:
    """Every hand-written set's texts but the hold-outs still kept blind for their score, and the shared dev set."""
    from govai.pii.train_name_model import BLIND

    paths = sorted(p for p in glob.glob(str(REPO / "bench" / "data" / "pii-*.jsonl")) if Path(p).stem not in BLIND)
    if SHARED_DEV.exists():
        paths.append(str(SHARED_DEV))
    return [json.loads(line)["text"] for p in paths for line in Path(p).read_text(encoding="utf-8").splitlines()
            if line.strip()]


def one_run(rev: str, rounds: int, chunk: int, baseline_first: bool) -> dict[str, float]:
    """CPU seconds per text for each side, in this process."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    with tempfile.TemporaryDirectory() as tmp:
        unpack_revision(rev, Path(tmp))
        sys.path.insert(0, tmp)
        from govai_rev.pii.detector import Detector as Baseline  # type: ignore[import-not-found]

        from govai.pii.detector import Detector

        if baseline_first:
            baseline = Baseline().warm_up()
            detectors = {"tree": Detector().warm_up(), "rev": baseline}
        else:
            detectors = {"tree": Detector().warm_up(), "rev": Baseline().warm_up()}
        corpus = texts()
        chunks = [corpus[i : i + chunk] for i in range(0, len(corpus), chunk)]
        spent = dict.fromkeys(detectors, 0.0)
        for round_ in range(rounds):
            order = list(detectors.items()) if round_ % 2 == 0 else list(reversed(detectors.items()))
            for part in chunks:
                for name, detector in order:
                    start = time.process_time()
                    many = getattr(detector, "detect_many", None)  # a release before it: one text at a time
                    for _ in many(part) if many else map(detector.detect, part):
                        pass
                    spent[name] += time.process_time() - start
    return {name: seconds / (rounds * len(corpus)) for name, seconds in spent.items()} | {"texts": len(corpus)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rev", default="HEAD", help="The baseline revision (default: HEAD, the previous release).")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--chunk", type=int, default=100, help="Texts per turn.")
    parser.add_argument("--one", choices=("baseline-first", "tree-first"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one_run(args.rev, args.rounds, args.chunk, args.one == "baseline-first")))
        return 0
    runs = {}
    for order in ("tree-first", "baseline-first"):
        out = subprocess.run([sys.executable, __file__, "--rev", args.rev, "--rounds", str(args.rounds), "--chunk",
                              str(args.chunk), "--one", order], check=True, capture_output=True, text=True).stdout
        runs[order] = json.loads(out.strip().splitlines()[-1])
    n = int(runs["tree-first"]["texts"])
    print(f"{n} texts x {args.rounds} rounds, interleaved in chunks of {args.chunk}, one core, CPU time:")
    ratios = []
    for order, r in runs.items():
        ratios.append(r["rev"] / r["tree"])
        print(f"  {order:15} this tree {1 / r['tree']:6.1f} texts/s   {args.rev} {1 / r['rev']:6.1f} texts/s   "
              f"ratio {ratios[-1]:.3f}")
    print(f"  this tree runs at {sum(ratios) / 2:.3f} of {args.rev}'s speed (mean of both load orders)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
