import numpy as np
import pytest

from wordmine.config import CountConfig, DiscoverConfig
from wordmine.counting.engine.counter import count_text
from wordmine.counting.table.keyset import KeySet
from wordmine.io.text import read_blocks, text_source
from wordmine.mining.discover import _back_check, cut_and_count, discover, remove_redundant

SAMPLE_NAMES = ["story", "technical", "everyday"]


def corpus_of(text: str, order: int = 4):
    return count_text([text], CountConfig(order=order, jobs=1))


def fragments_as_words(corpus, solid_keys, order):
    solid = {k: KeySet(v) for k, v in solid_keys.items()}
    fragments = cut_and_count(corpus.stream, solid, corpus.counts.bits, order, 1)
    units = corpus.vocab.units
    found = {}
    for length, keys in fragments.keys.items():
        for ids, n in zip(corpus.counts.decode(length, corpus.counts.find(length, keys)).tolist(),
                          fragments.counts[length].tolist()):
            found["".join(units[u] for u in ids)] = n
    for word, (n, _, _) in fragments.long.items():
        found["".join(units[u] for u in word)] = n
    return found


def test_overlapping_solid_ngrams_join_but_adjacent_ones_do_not():
    corpus = corpus_of("各项目，各项，项目，各项目，目标各项")
    vocab, counts = corpus.vocab, corpus.counts
    key = lambda text: counts.encode(len(text), np.array([[vocab.get(c) for c in text]]))
    solid = {2: np.sort(np.concatenate([key("各项"), key("项目")])), 3: np.zeros(0, np.uint64)}
    found = fragments_as_words(corpus, solid, 3)
    # 各项+项目 overlap on 项: one fragment 各项目. 目标 is not solid: 目|标 cut.
    assert found == {"各项目": 2, "各项": 2, "项目": 1, "目": 1, "标": 1}


def test_back_check_needs_every_window_solid():
    solid = KeySet(np.array([(1 << 32) | (2 << 16) | 3, (2 << 32) | (3 << 16) | 4], np.uint64))
    assert _back_check((1, 2, 3, 4), 3, solid, 16)
    assert not _back_check((1, 2, 3, 5), 3, solid, 16)


def test_redundant_word_gives_its_count_to_its_parts():
    words = {(1,): 100, (2,): 100, (3,): 100, (4,): 100, (1, 2): 50, (3, 4): 50, (1, 2, 3, 4): 2}
    kept = remove_redundant(words, 1000)
    assert (1, 2, 3, 4) not in kept and kept[(1, 2)] == 52 and kept[(3, 4)] == 52
    strong = dict(words)
    strong[(1, 2, 3, 4)] = 40
    assert remove_redundant(strong, 1000)[(1, 2, 3, 4)] == 40


def test_exact_output_on_a_toy_corpus():
    text = "，".join(s + v + o for s in ["黑猫", "白狗", "小鸟"] for v in ["喜欢", "讨厌"]
                    for o in ["鱼", "骨头", "米粒"])
    found = discover(corpus_of(text, 3), DiscoverConfig(order=3, min_count=3, cohesion=(2.0, 4.0)))
    assert sorted(zip(found.words, found.count.tolist())) == [
        ("喜欢", 9), ("小鸟", 6), ("白狗", 6), ("米粒", 6), ("讨厌", 9), ("骨头", 6), ("黑猫", 6)]
    # 喜欢 is followed by 鱼/骨/米 three times each: right entropy ln 3
    assert found.right_entropy[found.words.index("喜欢")] == pytest.approx(np.log(3))


def test_words_longer_than_the_order_come_from_fragments():
    rng = np.random.default_rng(0)
    fillers = list("的了是在有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理府研质")
    name = "瞿墨蘅苍"
    text = "".join(name if rng.random() < 0.005 else rng.choice(fillers) for _ in range(40000))
    found = discover(corpus_of(text, 3), DiscoverConfig(order=3))
    # Four units, one more than the longest n-gram scored: it can only come from a fragment.
    assert found.words[0] == name and found.count[0] == text.count(name)


def test_empty_and_unitless_corpora_give_no_words():
    assert len(discover(corpus_of(""), DiscoverConfig())) == 0
    assert len(discover(corpus_of("，。！？…… ——"), DiscoverConfig())) == 0


def test_known_words_are_dropped_with_new_only():
    text = "，".join(s + v + o for s in ["黑猫", "白狗", "小鸟"] for v in ["喜欢", "讨厌"]
                    for o in ["鱼", "骨头", "米粒"])
    config = DiscoverConfig(order=3, min_count=3, cohesion=(2.0, 4.0))
    found = discover(corpus_of(text, 3), config, known_words={"喜欢", "讨厌", "骨头"})
    assert sorted(found.words) == ["小鸟", "白狗", "米粒", "黑猫"]


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_every_planted_word_is_in_the_top_50_of_its_sample(samples, name):
    planted = (samples / f"{name}.planted").read_text(encoding="utf-8").split()
    assert len(planted) >= 8
    corpus = count_text(read_blocks([text_source(str(samples / f"{name}.txt"))]), CountConfig(jobs=1))
    top = discover(corpus, DiscoverConfig()).words[:50]
    assert [w for w in planted if w not in top] == []
