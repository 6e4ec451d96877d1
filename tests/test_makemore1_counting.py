"""Chapter 4.1, sections 1-3: the chapter's names and what the pages say about them, the count
heatmap and the sample tables, and the "Draw my counts" / "Sample from my model" demos."""

from __future__ import annotations

import pytest
import torch

from solutions import makemore_bigrams as solutions
from tests.wrong_answers import makemore1_counting as wrong
from utils.demos.makemore_bigrams import counting as demo
from utils.experiments.makemore_bigrams import counting as experiments
from utils.figures.makemore_bigrams import counting as figures

REFERENCE = vars(solutions)
SSA = experiments.chapter_names().source.startswith("the 32,000 most common")


def test_the_reference_model_is_counts_of_the_chapters_names():
    model = experiments.reference_model()
    words = experiments.chapter_names().words
    assert model.N.sum().item() == sum(len(w) + 1 for w in words)
    assert model.N[0].sum().item() == model.N[:, 0].sum().item() == len(words)
    assert model.N[0, 0].item() == 0
    assert torch.allclose(model.P.sum(1), torch.ones(len(model.stoi)))


@pytest.mark.skipif(not SSA, reason="the pages' numbers are measured on the offline SSA names")
def test_the_numbers_the_pages_state_are_those_of_the_offline_names():
    """Sections 1-3 quote these; if the data layer's list changes, the prose must too."""
    names = experiments.chapter_names()
    stats = experiments.name_stats(names)
    assert stats.count == 32_000
    assert names.words[:5] == ("james", "john", "robert", "michael", "mary")
    assert (min(stats.lengths), max(stats.lengths)) == (2, 14)
    assert round(sum(k * n for k, n in stats.lengths.items()) / stats.count, 2) == 6.25
    assert stats.lengths[2] == 65 and {"mariaguadalupe", "michaelanthony"} <= set(stats.longest)
    assert list(stats.first_letters.items())[:5] == [("a", 3430), ("m", 2601), ("j", 2565),
                                                     ("k", 2444), ("s", 2378)]
    assert list(stats.last_letters.items())[:3] == [("a", 8939), ("n", 5521), ("e", 5129)]
    model = experiments.reference_model()
    N, stoi = model.N, model.stoi
    assert N.sum().item() == 232_118 and (N == 0).sum().item() == 118
    assert experiments.top_bigrams(N, model.itos, 5) == [("a.", 8939), ("n.", 5521),
                                                         ("an", 5426), ("e.", 5129),
                                                         ("ar", 3622)]
    assert [N[0, stoi[c]].item() for c in "xuq"] == [66, 74, 119]
    assert N[stoi["q"], 0].item() == 15
    assert N[stoi["q"]].sum().item() == 459 and N[stoi["q"], stoi["u"]].item() == 429
    assert all(N[stoi[a], stoi[b]].item() == 0 for a, b in ("bf", "cb", "fz"))
    assert round(model.P[0, stoi["a"]].item(), 3) == 0.107
    assert [round(solutions.bigram_probs(N, s)[stoi["q"], stoi["u"]].item(), 3)
            for s in (0, 1, 10, 100)] == [0.935, 0.885, 0.602, 0.167]
    names15 = experiments.samples(solutions.sample_names, model.P, model.itos, 15, 2147483647)
    assert names15[:5] == ["cexze", "comakurarorikaynnelllimittain", "llayn", "ka", "da"]
    assert "moliellavo" in names15
    many = experiments.samples(solutions.sample_names, model.P, model.itos, 2000, 0)
    assert round(sum(map(len, many)) / 2000, 1) == 6.5
    assert sum(w in set(names.words) for w in many) == 280
    uniform = experiments.samples(solutions.sample_names, experiments.uniform_model(27),
                                  model.itos, 2000, 0)
    assert round(sum(map(len, uniform)) / 2000, 1) == 26.7


def test_counts_and_probabilities_give_the_same_draws():
    """Section 3 says torch.multinomial normalizes a row of counts itself."""
    model = experiments.reference_model()
    for s in (0, 1):
        from_probs = experiments.samples(solutions.sample_names,
                                         solutions.bigram_probs(model.N, s), model.itos, 300, 3)
        from_counts = experiments.samples(solutions.sample_names, (model.N + s).float(),
                                          model.itos, 300, 3)
        assert from_probs == from_counts


def test_one_draw_without_replacement_is_the_same_draw():
    """Why sample_names with replacement=False is among the right answers."""
    model = experiments.reference_model()
    assert wrong.sample_without_replacement(model.P, 50, torch.Generator().manual_seed(1),
                                            model.itos) == \
        solutions.sample_names(model.P, 50, torch.Generator().manual_seed(1), model.itos)


def test_the_heatmap_labels_every_cell_with_its_bigram_and_count():
    stoi, itos = solutions.build_vocab(["emma", "olivia", "ava"])
    N = solutions.bigram_counts(["emma", "olivia", "ava"], stoi)
    fig = figures.count_heatmap(N, itos, "test").to_dict()
    trace = fig["data"][0]
    v = len(stoi)
    assert trace["type"] == "heatmap" and len(trace["z"]) == v
    assert trace["text"][stoi["a"]][0] == "a.<br>3"
    assert trace["text"][0][stoi["e"]] == ".e<br>1"
    assert list(trace["x"]) == [itos[i] for i in range(v)]
    assert fig["layout"]["yaxis"]["autorange"] == "reversed"  # row 0 ('.') on top
    reference = figures.reference_heatmap().to_dict()
    assert len(reference["data"][0]["z"]) == 27
    assert figures.short_source(experiments.chapter_names().source) in \
        reference["layout"]["title"]["text"]


def test_the_name_figures_add_up_to_the_names():
    count = len(experiments.chapter_names().words)
    lengths = figures.name_lengths().to_dict()["data"][0]
    assert sum(lengths["y"]) == count
    first, last = figures.first_and_last_letters().to_dict()["data"]
    assert sum(first["y"]) == sum(last["y"]) == count and len(first["x"]) == 26


def test_the_smoothing_figure_flattens_the_row_as_smoothing_grows():
    fig = figures.smoothing_row("q", (0, 1, 100))
    peaks = [max(trace.y) for trace in fig.data]
    assert len(fig.data) == 3 and peaks[0] > peaks[1] > peaks[2]
    assert all(abs(sum(trace.y) - 1) < 1e-5 for trace in fig.data)


def test_the_sample_table_shows_both_models_side_by_side():
    fig = figures.reference_samples(6, 11).to_dict()
    cells = fig["data"][0]["cells"]["values"]
    assert len(cells) == 2 and all(len(column) == 6 for column in cells)
    table = figures.samples_table({"a": ["", "bo", "x" * 50]}, "t").to_dict()
    assert table["data"][0]["cells"]["values"] == [["''", "bo", "x" * 30 + "… (50 letters)"]]


def test_draw_counts_returns_the_learners_counts_as_plain_data():
    data = demo.draw_counts(REFERENCE)
    N, itos, source = demo.validated_counts(data)
    assert torch.equal(torch.tensor(N), experiments.reference_model().N)
    assert itos[0] == "." and itos[26] == "z" and source
    namespace = {**REFERENCE, "bigram_counts": wrong.counts_transposed}
    transposed, _, _ = demo.validated_counts(demo.draw_counts(namespace))
    assert torch.equal(torch.tensor(transposed), experiments.reference_model().N.T)
    with pytest.raises(ValueError):
        demo.draw_counts({**REFERENCE, "bigram_counts": lambda words, stoi: torch.zeros(
            (5, 5), dtype=torch.int64)})


@pytest.mark.parametrize("bad", [None, {"N": [[1]], "itos": [".", "a"]},
                                 {"N": [[1, -1], [0, 0]], "itos": [".", "a"]},
                                 {"N": [[1.5, 0], [0, 0]], "itos": [".", "a"]}])
def test_bad_counts_from_the_sandbox_are_refused(bad):
    with pytest.raises(ValueError):
        demo.validated_counts(bad)


def test_sample_my_model_draws_the_references_names_with_the_reference():
    data = demo.sample_my_model(REFERENCE, n=7, seed=42)
    assert demo.validated_samples(data, 7) is data
    model = experiments.reference_model()
    assert data["model"] == experiments.samples(solutions.sample_names, model.P, model.itos,
                                                7, 42)
    assert data["model"] != data["uniform"]
    with pytest.raises(ValueError):
        demo.validated_samples(data, 8)
    for bad in ({"n": 0}, {"n": experiments.MAX_SAMPLES + 1}, {"seed": -1}):
        with pytest.raises(ValueError):
            demo.sample_my_model(REFERENCE, **{"n": 3, "seed": 1, **bad})


def test_the_notebook_stand_ins_fall_back_to_the_reference_while_unwritten():
    def unwritten(*args, **kwargs):
        raise NotImplementedError()

    counts = figures.your_counts({**REFERENCE, "bigram_counts": unwritten})
    assert counts.layout.title.text == figures.reference_heatmap().layout.title.text
    assert "Your" in figures.your_counts(REFERENCE).layout.title.text
    drawn = figures.your_samples({**REFERENCE, "sample_names": unwritten}, n=4, seed=3)
    assert "reference" in drawn.layout.title.text
    assert "your code" in figures.your_samples(REFERENCE, n=4, seed=3).layout.title.text


def test_the_notebook_stand_ins_run_only_functions_that_pass_their_checks():
    """A notebook has no sandbox: a crashing bigram_counts would stop "Run all" at the figure,
    and a sample_names that never stops would hang it. The stand-ins use the reference instead,
    and say whose code ran."""
    def crashes(words, stoi):
        return {}[words[0]]

    def never_stops(P, n, generator, itos):
        names = []
        for _ in range(n):
            ix, chars = 0, []
            while True:  # no break at '.'
                ix = torch.multinomial(P[ix], 1, replacement=True, generator=generator).item()
                chars.append(itos[ix])
        return names

    counts = figures.your_counts({**REFERENCE, "bigram_counts": crashes})
    assert counts.layout.title.text == figures.reference_heatmap().layout.title.text
    drawn = figures.your_samples({**REFERENCE, "sample_names": never_stops}, n=4, seed=3)
    assert "the reference's sample_names" in drawn.layout.title.text
    assert "your build_vocab" in drawn.layout.title.text
