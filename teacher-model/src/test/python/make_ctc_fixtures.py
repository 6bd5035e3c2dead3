"""Reference values for io.signstream.teacher.ctc.CtcLoss, produced by PyTorch's own ctc_loss.

Run with Debian's torch (apt-get install python3-torch), i.e. the system interpreter:
    /usr/bin/python3 teacher-model/src/test/python/make_ctc_fixtures.py teacher-model/src/test/resources/ctc
The JSON files it writes are committed; the Java tests read them and never need Python.

Each case holds float32 logits [B][T][C] and the float32 log-softmax of them (what the model feeds CTC),
then torch's results twice: computed in float64 from those exact float32 log-probs (the tight reference)
and in float32 (what torch itself would report at training precision). Gradients are taken with respect
to the LOGITS, because torch's ctc_loss backward returns (softmax - posterior) for log_probs, which only
equals the true partial derivative after log_softmax's backward; the logits gradient is unambiguous.
"""
import json
import sys
from pathlib import Path

import torch
import torch.nn.functional as F


def run(logits32, targets, input_lengths, reduction, zero_infinity, dtype):
    logits = logits32.to(dtype).detach().requires_grad_(True)
    log_probs = F.log_softmax(logits, dim=-1)
    flat = torch.tensor([label for t in targets for label in t], dtype=torch.long)
    target_lengths = torch.tensor([len(t) for t in targets], dtype=torch.long)
    loss = F.ctc_loss(log_probs.transpose(0, 1), flat, torch.tensor(input_lengths, dtype=torch.long),
                      target_lengths, blank=0, reduction=reduction, zero_infinity=zero_infinity)
    loss.sum().backward()
    return loss.detach(), logits.grad.detach()


def case(name, batch, frames, classes, input_lengths, targets, seed, scale=2.0):
    gen = torch.Generator().manual_seed(seed)
    logits32 = (torch.randn(batch, frames, classes, generator=gen) * scale).float()
    log_probs32 = F.log_softmax(logits32, dim=-1)
    out = {
        "name": name,
        "batch": batch, "frames": frames, "classes": classes,
        "inputLengths": input_lengths, "targets": targets,
        "logits": logits32.tolist(),
        "logProbs": log_probs32.tolist(),
    }
    for dtype, tag in ((torch.float64, "float64"), (torch.float32, "float32")):
        none_loss, _ = run(logits32, targets, input_lengths, "none", True, dtype)
        mean_loss, mean_grad = run(logits32, targets, input_lengths, "mean", True, dtype)
        sum_loss, sum_grad = run(logits32, targets, input_lengths, "sum", True, dtype)
        raw_loss, _ = run(logits32, targets, input_lengths, "none", False, dtype)
        out[tag] = {
            "lossPerSample": none_loss.tolist(),
            "lossPerSampleWithoutZeroInfinity": [x if x != float("inf") else "Infinity" for x in raw_loss.tolist()],
            "lossMean": mean_loss.item(),
            "lossSum": sum_loss.item(),
            "gradLogitsMean": mean_grad.tolist(),
            "gradLogitsSum": sum_grad.tolist(),
        }
    return out


def main():
    target_dir = Path(sys.argv[1] if len(sys.argv) > 1 else "teacher-model/src/test/resources/ctc")
    target_dir.mkdir(parents=True, exist_ok=True)
    cases = [
        case("single-short", 1, 5, 4, [5], [[1, 2]], seed=1),
        case("repeats", 2, 12, 6, [12, 9], [[3, 3, 1], [2, 2, 2]], seed=2),
        case("variable-lengths", 4, 20, 8, [20, 13, 7, 16], [[1, 2, 3, 4], [5, 5], [7], [2, 6, 2, 6, 1]], seed=3),
        case("empty-target", 2, 6, 5, [6, 4], [[], [4]], seed=4),
        # Sample 0 needs 5 frames (3 labels + 2 repeats) but has 4: an impossible alignment.
        case("impossible", 2, 8, 5, [4, 8], [[1, 1, 1], [2, 3]], seed=5),
        case("exact-fit", 1, 6, 4, [6], [[1, 1, 2, 2]], seed=6),
        case("large-vocab", 2, 40, 60, [40, 31], [list(range(1, 16)), [59, 59, 3, 40, 2, 2, 7]], seed=7, scale=4.0),
        case("peaked", 2, 16, 7, [16, 16], [[1, 2, 3], [4, 4, 5]], seed=8, scale=12.0),
    ]
    for c in cases:
        (target_dir / f"{c['name']}.json").write_text(json.dumps(c))
    (target_dir / "index.json").write_text(json.dumps({
        "generator": "src/test/python/make_ctc_fixtures.py",
        "torch": torch.__version__,
        "cases": [c["name"] for c in cases],
    }, indent=1))
    print(f"wrote {len(cases)} cases to {target_dir} with torch {torch.__version__}")


if __name__ == "__main__":
    main()
