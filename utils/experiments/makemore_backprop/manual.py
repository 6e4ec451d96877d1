"""Chapter 4.4's sections 1-2: the batch their figures use and the numbers their prose states
(no drawing).

The batch is a seeded minibatch of 32 contexts from chapter 4.2's training split (makemore's
names.txt when the server has it, else the offline SSA names), with the chapter's sizes (block
3, 10-d embeddings, 64 hidden units) and parameters from `init_params` with Karpathy's seed. It
is drawn once by

    python -m utils.experiments.makemore_backprop.manual

into assets/makemore_backprop/manual_batch.json (a few KB, computed at first use if missing),
so the page and the sandboxed "Compare my gradients" run need neither the names nor the data
folder. The file records which names it came from; a test fails when it is stale.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

import torch
from jaxtyping import Int
from torch import Tensor

from solutions import makemore_backprop as reference
from utils.demos.makemore_backprop_settings import SEED  # the parameters', then the minibatch's
from utils.experiments.saved import saved_json

ROOT = Path(__file__).resolve().parents[3]
BATCH_PATH = ROOT / "assets" / "makemore_backprop" / "manual_batch.json"

BLOCK_SIZE, N_EMBD, N_HIDDEN, BATCH_SIZE = 3, 10, 64, 32


def settings() -> dict:
    """What the saved batch was drawn with (a test compares them with these)."""
    return {"block_size": BLOCK_SIZE, "n_embd": N_EMBD, "n_hidden": N_HIDDEN,
            "batch_size": BATCH_SIZE, "seed": SEED}


@dataclass(frozen=True)
class Setup:
    """The section's batch and parameters, ready to use."""

    Xb: Int[Tensor, "n block"]
    Yb: Int[Tensor, "n"]
    vocab_size: int
    source: str
    itos: dict[int, str]

    def params(self, dtype: torch.dtype = torch.float32) -> dict[str, Tensor]:
        """init_params with the seeded generator (the draws come before the batch's), in
        `dtype`, each a leaf that requires grad."""
        drawn = reference.init_params(self.vocab_size, BLOCK_SIZE, N_EMBD, N_HIDDEN,
                                      torch.Generator().manual_seed(SEED))
        return {k: v.detach().to(dtype).requires_grad_() for k, v in drawn.items()}


def draw_batch() -> dict:
    """The batch (and what it came from) as saved in BATCH_PATH, with the measurements the
    pages quote."""
    from utils.experiments.makemore_mlp.model import names_split  # the data: only here

    data = names_split(BLOCK_SIZE)
    generator = torch.Generator().manual_seed(SEED)
    reference.init_params(len(data.stoi), BLOCK_SIZE, N_EMBD, N_HIDDEN, generator)
    ix = torch.randint(0, data.Xtr.shape[0], (BATCH_SIZE,), generator=generator)
    saved = {"settings": settings(), "source": data.source, "n_words": len(data.words),
             "vocab_size": len(data.stoi), "itos": {str(i): ch for i, ch in data.itos.items()},
             "Xb": data.Xtr[ix].tolist(), "Yb": data.Ytr[ix].tolist()}
    saved["measurements"] = measure(_setup_from(saved))
    return saved


def measure(setup: Setup) -> dict:
    """The numbers sections 1-2 state: the loss at initialisation; how far from zero autograd's
    dlogit_maxes and db1 are (both are zero in exact arithmetic) in float64 and float32; how
    often the batch's contexts repeat a symbol; how the reference's gradients compare with
    autograd's in float32 and float64."""
    out: dict = {}
    for dtype, label in ((torch.float64, "float64"), (torch.float32, "float32")):
        params = setup.params(dtype)
        cache, grads = reference.autograd_gradients(params, setup.Xb, setup.Yb)
        mine = reference_gradients(cache, params, grads, setup.Xb, setup.Yb)
        rows = reference.compare_gradients(mine, grads)
        out[label] = {
            "loss": cache["loss"].item(),
            "max_abs_dlogit_maxes": grads["logit_maxes"].abs().max().item(),
            "max_abs_dlogits": grads["logits"].abs().max().item(),
            "max_abs_db1": grads["b1"].abs().max().item(),
            "max_abs_db2": grads["b2"].abs().max().item(),
            "max_abs_dhpreact": grads["hpreact"].abs().max().item(),
            "max_abs_reference_dlogit_maxes": mine["logit_maxes"].abs().max().item(),
            "not_exact": [r["name"] for r in rows if not r["exact"]],
            "exact": sum(r["exact"] for r in rows),
            "approximate": sum(r["approximate"] for r in rows),
            "names": len(rows),
            "max_diff": max(r["max_diff"] for r in rows),
        }
    counts = torch.bincount(setup.Xb.reshape(-1), minlength=setup.vocab_size)
    top = int(counts[1:].argmax()) + 1  # the most used letter ('.', index 0, pads the starts)
    out["lookups"] = int(setup.Xb.numel())
    out["distinct_symbols"] = int((counts > 0).sum())
    out["dot_lookups"] = int(counts[0])
    out["top_letter"] = setup.itos[top]
    out["top_letter_lookups"] = int(counts[top])
    return out


def reference_gradients(cache: dict[str, Tensor], params: dict[str, Tensor],
                        grads: dict[str, Tensor], Xb: Tensor, Yb: Tensor) -> dict[str, Tensor]:
    """The reference's four stages, each given autograd's upstream gradient."""
    p = {k: v.detach() for k, v in params.items()}
    mine = dict(reference.backward_loss_steps(cache, Yb))
    mine.update(reference.backward_output_layer(cache, p, grads["logits"]))
    mine.update(reference.backward_batchnorm_steps(cache, p, grads["hpreact"]))
    mine.update(reference.backward_embedding(cache, p, grads["hprebn"], Xb))
    return mine


def _setup_from(saved: dict) -> Setup:
    return Setup(torch.tensor(saved["Xb"], dtype=torch.int64),
                 torch.tensor(saved["Yb"], dtype=torch.int64), saved["vocab_size"],
                 saved["source"], {int(i): ch for i, ch in saved["itos"].items()})


@functools.lru_cache(maxsize=1)
def saved_batch() -> dict:
    """The saved batch and measurements (drawn and saved first if the file is missing)."""
    return saved_json(BATCH_PATH, draw_batch)


def setup() -> Setup:
    return _setup_from(saved_batch())


def main() -> None:
    BATCH_PATH.parent.mkdir(parents=True, exist_ok=True)
    BATCH_PATH.write_text(json.dumps(draw_batch(), indent=1))
    print(json.dumps(json.loads(BATCH_PATH.read_text())["measurements"], indent=1))


if __name__ == "__main__":
    main()
