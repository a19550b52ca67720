"""`extract synth`: write synthetic plan forms with exact ground truth."""
from __future__ import annotations

import argparse
import os
import sys

from .degrade import Degradation
from .document import KINDS, DocSpec, PageSpec, generate_set, make_samples, random_doc_specs
from .layout import FONTS


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", required=True, help="output folder")
    parser.add_argument("--seed", type=int, default=0, help="seed of the whole set (default 0)")
    parser.add_argument("--samples", action="store_true", help="write the project's sample set and exit")
    parser.add_argument("--count", type=int, default=1, help="number of documents (default 1)")
    parser.add_argument("--pages", type=int, default=1, help="pages per document (default 1; png is always 1)")
    parser.add_argument("--kind", choices=KINDS + ("random",), default="png",
                        help="png, tiff, pdf-scan, pdf-text, or random (a varied benchmark set)")
    parser.add_argument("--dpi", type=int, default=200, help="raster resolution (default 200)")
    parser.add_argument("--font", default=None, help=f"one of {', '.join(FONTS)} (default: varies by page)")
    parser.add_argument("--digits", choices=("thai", "arabic"), default="thai")
    parser.add_argument("--ruling", choices=("full", "horizontal"), default="full")
    parser.add_argument("--degrade", action="store_true", help="random scan degradations per page")


def run(args: argparse.Namespace) -> int:
    try:
        if args.samples:
            paths = make_samples(args.out)
        elif args.kind == "random":
            paths = generate_set(args.out, args.seed,
                                 random_doc_specs(args.seed, args.count, dpis=(args.dpi,), max_pages=max(1, args.pages),
                                                  fonts=[args.font] if args.font else None,
                                                  degrade_p=1.0 if args.degrade else 0.0))
        else:
            if args.font and args.font not in FONTS:
                print(f"extract synth: unknown font {args.font!r} (choose from {', '.join(FONTS)})", file=sys.stderr)
                return 2
            specs = []
            for i in range(args.count):
                npages = 1 if args.kind == "png" else max(1, args.pages)
                pages = []
                for j in range(npages):
                    pseed = args.seed * 100_003 + i * 101 + j
                    deg = (Degradation.random(pseed + 7, dpi=args.dpi) if args.degrade
                           else Degradation(dpi=args.dpi))
                    pages.append(PageSpec(seed=pseed, font=args.font or FONTS[(i + j) % len(FONTS)],
                                          digits=args.digits, ruling=args.ruling, degradation=deg))
                specs.append(DocSpec(f"synth-{args.seed}-{i:04d}", args.kind, tuple(pages)))
            paths = generate_set(args.out, args.seed, specs)
    except (ValueError, OSError) as e:
        print(f"extract synth: {e}", file=sys.stderr)
        return 2
    for p in paths:
        print(f"{p}\t{os.path.getsize(p)} bytes")
    return 0


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="extract synth", description=__doc__)
    add_arguments(p)
    return run(p.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
