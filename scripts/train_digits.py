#!/usr/bin/env python
"""Train the numeric-cell recognizer (extract/ocr/digits.py) on synthetic renderings.

    python scripts/train_digits.py --out extract/ocr/models/

Deterministic from --seed (data); needs torch (requirements-train.txt) and TLWG fonts.
Writes digits.onnx, digits.json and digits-report.md into --out.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extract.ocr import digits as D  # noqa: E402
from extract.ocr.digits_train import synth  # noqa: E402


def _gen_chunk(args):
    seed, n, families, degrade, dpi = args
    rng = random.Random(seed)
    import numpy as _np

    _np.random.seed(seed % (1 << 31))
    xs, ys = [], []
    for _ in range(n):
        s = synth.make_sample(rng, families=families, degrade=degrade and rng.random() < 0.92, dpi=dpi)
        lines = D.preprocess(s.crop)
        if len(lines) != 1:
            continue
        xs.append(lines[0].astype(np.float16))
        ys.append(D.tokenize(D.canonical(s.text)))
    return xs, ys


def generate(seed: int, n: int, workers: int):
    chunk = 2000
    jobs = [(seed * 100003 + i, min(chunk, n - i * chunk), synth.TRAIN_FAMILIES, True, None) for i in range((n + chunk - 1) // chunk)]
    xs, ys = [], []
    with mp.Pool(workers) as pool:
        for a, b in pool.imap(_gen_chunk, jobs):
            xs += a
            ys += b
    return xs, ys


def build_model(n_classes: int):
    import torch.nn as nn

    def cbr(i, o):
        return [nn.Conv2d(i, o, 3, padding=1, bias=False), nn.BatchNorm2d(o), nn.ReLU(inplace=True)]

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.cnn = nn.Sequential(
                *cbr(1, 16), nn.MaxPool2d(2),  # 16 x W/2
                *cbr(16, 48), nn.MaxPool2d(2),  # 8 x W/4
                *cbr(48, 96), *cbr(96, 96), nn.MaxPool2d((2, 1)),  # 4
                *cbr(96, 128), nn.MaxPool2d((2, 1)),  # 2
            )
            self.head = nn.Sequential(
                nn.Conv1d(256, 160, 3, padding=1), nn.ReLU(inplace=True), nn.Dropout(0.1),
                nn.Conv1d(160, 160, 3, padding=2, dilation=2), nn.ReLU(inplace=True), nn.Dropout(0.1),
                nn.Conv1d(160, n_classes, 1),
            )

        def forward(self, x):
            y = self.cnn(x)
            b, c, h, w = y.shape
            return self.head(y.reshape(b, c * h, w))  # [B, C, T]

    return Net()


def batches(xs, ys, bs, rng):
    order = sorted(range(len(xs)), key=lambda i: (xs[i].shape[1] + rng.random() * 24))
    bl = [order[i : i + bs] for i in range(0, len(order), bs)]
    rng.shuffle(bl)
    return bl


def collate(idx, xs, ys):
    import torch

    W = max(xs[i].shape[1] for i in idx)
    W = -(-W // D.WIDTH_STEP) * D.WIDTH_STEP
    x = np.zeros((len(idx), 1, D.INPUT_HEIGHT, W), np.float32)
    for j, i in enumerate(idx):
        x[j, 0, :, : xs[i].shape[1]] = xs[i]
    tl = [-(-xs[i].shape[1] // 4) for i in idx]
    tgt = [t for i in idx for t in ys[i]]
    return torch.from_numpy(x), torch.tensor(tgt, dtype=torch.long), torch.tensor(tl), torch.tensor([len(ys[i]) for i in idx])


def train(xs, ys, minutes: float, seed: int, log):
    import torch

    torch.manual_seed(seed)
    model = build_model(len(D.TOKENS) + 1)
    nparams = sum(p.numel() for p in model.parameters())
    log(f"model params: {nparams}")
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)
    ctc = torch.nn.CTCLoss(blank=0, zero_infinity=True)
    rng = random.Random(seed)
    bs = 48
    steps_per_epoch = (len(xs) + bs - 1) // bs
    t0 = time.time()
    budget = minutes * 60
    step = 0
    ep = 0
    # cosine-ish schedule over the time budget
    while time.time() - t0 < budget:
        model.train()
        tot, nb = 0.0, 0
        for idx in batches(xs, ys, bs, rng):
            frac = (time.time() - t0) / budget
            if frac >= 1:
                break
            lr = 2e-3 * min(1.0, (step + 1) / 300) * (0.5 * (1 + np.cos(np.pi * min(frac, 1.0))) * 0.97 + 0.03)
            for g in opt.param_groups:
                g["lr"] = lr
            x, tgt, tl, ll = collate(idx, xs, ys)
            # light online augmentation: random horizontal stretch / vertical shift
            if rng.random() < 0.3:
                x = torch.roll(x, shifts=rng.choice([-2, -1, 1, 2]), dims=2)
            out = model(x)  # B C T
            lp = out.permute(2, 0, 1).log_softmax(2)
            loss = ctc(lp, tgt, tl, ll)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            opt.step()
            tot += float(loss.detach())
            nb += 1
            step += 1
            if step % 200 == 0:
                log(f"  step {step} ep {ep} loss {tot / nb:.4f} lr {lr:.5f} t={time.time() - t0:.0f}s")
        ep += 1
        log(f"epoch {ep} done ({nb}/{steps_per_epoch} batches) loss {tot / max(nb, 1):.4f} t={time.time() - t0:.0f}s")
    return model, time.time() - t0, step, ep


def export(model, out: Path):
    import torch

    model.eval()
    x = torch.zeros(2, 1, D.INPUT_HEIGHT, 96)
    torch.onnx.export(model, x, str(out / D.MODEL_FILE), input_names=["x"], output_names=["logits"],
                      dynamic_axes={"x": {0: "b", 3: "w"}, "logits": {0: "b", 2: "t"}}, dynamo=False, opset_version=13)


def eval_sets(seed: int, n_per: int):
    """Raw crops for evaluation: (name, family-group, dpi, degraded, samples)."""
    sets = []
    k = 0
    for grp, fams in (("heldout", synth.HELDOUT_FAMILIES), ("train-fonts", synth.TRAIN_FAMILIES)):
        for dpi in synth.DPIS:
            for deg in (True, False):
                rng = random.Random(seed * 7919 + 1000 + k)
                np.random.seed((seed * 31 + k) % (1 << 31))
                k += 1
                ss = [synth.make_sample(rng, families=fams, dpi=dpi, degrade=deg) for _ in range(n_per)]
                sets.append((grp, dpi, deg, ss))
    return sets


def evaluate(reader, sets, log):
    rows = []
    char_tot = Counter()
    char_ok = Counter()
    conf = defaultdict(Counter)
    hi = [0, 0]
    all_res = []
    t_read = 0.0
    n_read = 0
    for grp, dpi, deg, ss in sets:
        t = time.time()
        res = reader.read([s.crop for s in ss])
        t_read += time.time() - t
        n_read += len(ss)
        ok = 0
        for s, r in zip(ss, res):
            gt = D.canonical(s.text)
            e = r.text == gt
            ok += e
            all_res.append((grp, dpi, deg, s, r, e))
            if r.confidence >= 0.9:
                hi[0] += 1
                hi[1] += e
            # per-char accuracy via alignment (only when lengths agree: positional; else count all as wrong)
            gtt = [D.TOKENS[i - 1] for i in D.tokenize(gt)]
            try:
                prt = [D.TOKENS[i - 1] for i in D.tokenize(r.text)]
            except KeyError:
                prt = []
            for j, c in enumerate(gtt):
                char_tot[c] += 1
                p = prt[j] if len(prt) == len(gtt) else "?"
                char_ok[c] += p == c
                if c in D.THAI_DIGITS or c in D.ARABIC_DIGITS:
                    conf[c][p] += 1
        rows.append((grp, dpi, deg, len(ss), ok))
        log(f"  eval {grp:11s} {dpi}dpi degraded={deg}: {ok}/{len(ss)} = {ok / len(ss):.4f}")
    return rows, char_tot, char_ok, conf, hi, all_res, t_read / max(n_read, 1)


def tesseract_compare(all_res, n, seed):
    import pytesseract

    rng = random.Random(seed)
    pick = [a for a in all_res if a[0] == "heldout"]
    rng.shuffle(pick)
    pick = pick[:n]
    tes_ok = ours_ok = 0
    by = defaultdict(lambda: [0, 0, 0])
    for grp, dpi, deg, s, r, e in pick:
        try:
            t = pytesseract.image_to_string(s.crop, lang="tha", config="--psm 7").strip()
        except Exception:
            t = ""
        te = D.canonical(t) == D.canonical(s.text)
        tes_ok += te
        ours_ok += e
        by[dpi][0] += 1
        by[dpi][1] += te
        by[dpi][2] += e
    return len(pick), tes_ok, ours_ok, by


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=Path("extract/ocr/models"))
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--n-train", type=int, default=60000)
    ap.add_argument("--minutes", type=float, default=14.0, help="training time budget (wall clock)")
    ap.add_argument("--n-eval", type=int, default=300, help="crops per (font group, dpi, degraded) eval cell")
    ap.add_argument("--n-tess", type=int, default=200)
    ap.add_argument("--workers", type=int, default=2)
    a = ap.parse_args()

    import torch

    torch.set_num_threads(2)
    a.out.mkdir(parents=True, exist_ok=True)
    logf = open(a.out / "digits-train.log", "w")

    def log(m):
        print(m, flush=True)
        logf.write(m + "\n")
        logf.flush()

    T0 = time.time()
    random.seed(a.seed)
    np.random.seed(a.seed)
    xs, ys = generate(a.seed, a.n_train, a.workers)
    t_gen = time.time() - T0
    log(f"generated {len(xs)} training lines (of {a.n_train} drawn) in {t_gen:.0f}s")
    model, t_train, steps, eps = train(xs, ys, a.minutes, a.seed, log)
    export(model, a.out)
    meta = {
        "version": 1,
        "tokens": list(D.TOKENS),
        "blank": 0,
        "input_height": D.INPUT_HEIGHT,
        "stride": 4,
        "seed": a.seed,
        "train_fonts": list(synth.TRAIN_FAMILIES),
        "heldout_fonts": list(synth.HELDOUT_FAMILIES),
        "n_train": len(xs),
        "steps": steps,
        "confidence": "min over best-path time steps of the winning softmax probability",
    }
    (a.out / D.META_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    size = (a.out / D.MODEL_FILE).stat().st_size
    log(f"exported {D.MODEL_FILE} ({size / 1e6:.2f} MB); train {t_train:.0f}s, {steps} steps, {eps} epochs")

    reader = D.DigitReader(a.out)
    sets = eval_sets(a.seed + 1, a.n_eval)
    rows, char_tot, char_ok, conf, hi, all_res, per_crop = evaluate(reader, sets, log)
    ntes, tes_ok, ours_ok, by = tesseract_compare(all_res, a.n_tess, a.seed)

    # timing: 400 cells in one call, single thread
    import cv2

    cv2.setNumThreads(1)
    crops = [s.crop for _, _, _, s, _, _ in all_res[:400]]
    reader.read(crops)
    t = time.time()
    reader.read(crops)
    t400 = time.time() - t
    cv2.setNumThreads(-1)

    R = []
    R.append("# Digit reader (numeric table cells) - training report\n")
    R.append(f"Generated by `python scripts/train_digits.py --out {a.out}` (seed {a.seed}).\n")
    R.append("## Data and model\n")
    R.append(f"- Training lines: {len(xs)} synthetic cell crops (drawn {a.n_train}; crops whose preprocessing did not yield exactly one line are dropped), generated in {t_gen:.0f}s.")
    R.append(f"- Training fonts (regular + bold): {', '.join(synth.TRAIN_FAMILIES)}. **Held out**: {', '.join(synth.HELDOUT_FAMILIES)} (regular + bold).")
    R.append("- Sizes: 9-13.5 pt (Laksaman, the TH Sarabun metric clone: 12-17 pt) at 150/200/300 dpi; degradations: thickness (erode/dilate), rotation +-2.5 deg, ruling-line pieces at edges, low contrast, blur, gaussian noise, binarization, JPEG q40-75, random whitespace/offset; 8% clean.")
    R.append(f"- Model: CNN (5 conv) + dilated 1-D conv head, CTC, {sum(p.numel() for p in model.parameters())} params, ONNX {size / 1e6:.2f} MB, run with cv2.dnn.")
    R.append(f"- Training: {t_train / 60:.1f} min wall on 2 threads, {steps} steps of batch 48 ({eps} epoch(s)). Total script time is in the log.")
    R.append(f"- Inference speed: {t400 * 1000:.0f} ms for 400 cells in one `read` call on 1 OpenCV thread (incl. preprocessing).\n")
    R.append("## Held-out accuracy (exact match of whole cell text)\n")
    R.append("| fonts | dpi | degraded | n | exact |")
    R.append("|---|---|---|---|---|")
    for grp, dpi, deg, n, ok in rows:
        R.append(f"| {grp} | {dpi} | {deg} | {n} | {ok / n:.4f} |")
    for grp in ("heldout", "train-fonts"):
        n = sum(r[3] for r in rows if r[0] == grp)
        ok = sum(r[4] for r in rows if r[0] == grp)
        R.append(f"\n- {grp} all: {ok}/{n} = {ok / n:.4f}")
    for dpi in synth.DPIS:
        n = sum(r[3] for r in rows if r[1] == dpi and r[2])
        ok = sum(r[4] for r in rows if r[1] == dpi and r[2])
        R.append(f"- {dpi} dpi degraded (both font groups): {ok}/{n} = {ok / n:.4f}")
    R.append(f"- Confidence >= 0.9: {hi[0]}/{sum(r[3] for r in rows)} readings, exact {hi[1]}/{hi[0]} = {hi[1] / max(hi[0], 1):.4f}")
    # confidence calibration table
    R.append("\n| confidence >= | coverage | exact |")
    R.append("|---|---|---|")
    for th in (0.0, 0.5, 0.7, 0.8, 0.9, 0.95, 0.98):
        sel = [e for *_, r, e in [(x[0], x[1], x[2], x[3], x[4], x[5]) for x in all_res] if r.confidence >= th]
        R.append(f"| {th} | {len(sel) / len(all_res):.3f} | {sum(sel) / max(len(sel), 1):.4f} |")
    R.append("\n## Per-token accuracy (positional, counted wrong when lengths differ)\n")
    R.append("| token | n | acc |")
    R.append("|---|---|---|")
    for c in D.TOKENS:
        if char_tot[c]:
            R.append(f"| `{c}` | {char_tot[c]} | {char_ok[c] / char_tot[c]:.4f} |")
    R.append("\n## Digit confusion (rows = truth, cols = read; `?` = length mismatch)\n")
    cols = list(D.THAI_DIGITS) + list(D.ARABIC_DIGITS) + ["?"]
    R.append("| | " + " | ".join(cols) + " | other |")
    R.append("|" + "---|" * (len(cols) + 2))
    for c in list(D.THAI_DIGITS) + list(D.ARABIC_DIGITS):
        cc = conf[c]
        other = sum(v for k, v in cc.items() if k not in cols)
        R.append(f"| {c} | " + " | ".join(str(cc.get(k, 0)) for k in cols) + f" | {other} |")
    R.append(f"\n## Tesseract (`-l tha --psm 7`) on {ntes} of the same held-out-font crops\n")
    R.append(f"- Tesseract exact: {tes_ok}/{ntes} = {tes_ok / max(ntes, 1):.4f}; this model on the same crops: {ours_ok}/{ntes} = {ours_ok / max(ntes, 1):.4f}")
    for dpi in sorted(by):
        n, t_, o = by[dpi]
        R.append(f"- {dpi} dpi: Tesseract {t_}/{n}, model {o}/{n}")
    R.append("\n## Sample errors (held-out fonts)\n")
    errs = [x for x in all_res if not x[5] and x[0] == "heldout"][:30]
    for grp, dpi, deg, s, r, e in errs:
        R.append(f"- {dpi}dpi {s.family} deg={deg}: truth `{s.text}` read `{r.text}` conf {r.confidence:.3f}")
    (a.out / "digits-report.md").write_text("\n".join(R) + "\n", encoding="utf-8")
    log(f"total {time.time() - T0:.0f}s; report written")


if __name__ == "__main__":
    main()
