"""The PEO codebooks: required items, verbatim texts, answer scales, groupings, links."""

from __future__ import annotations

import numpy as np
import pytest

from peoscales.errors import DefinitionError, InstrumentNotFoundError, ParameterError
from peoscales.instruments.loader import parse_definition
from peoscales.instruments.model import normalize_label
from peoscales.peo import get_codebook, list_waves

REQUIRED = [
    "employer",
    "experience",
    "space_own_judgement",
    "space_do_what_is_needed",
    "space_invest_in_relationship",
    "space_reflect",
    "equipped",
    "pct_direct_contact",
    "pct_indirect_work",
    "rules_negative_influence",
    "work_pleasure",
    "stay_one_year",
    "space_overall",
]

# Quoted from seed report 001, Bijlage 1 (line breaks of the PDF joined).
VERBATIM_2021 = {
    "employer": "Ik ben werkzaam bij:",
    "experience": "Aantal jaar werkzaam in de jeugdhulp:",
    "work_pleasure": "Op een schaal van 1-10, in hoeverre heb je plezier in je werk? "
    "(1 staat voor helemaal geen plezier, 10 voor ontzettend veel plezier)",
    "space_reflect": "De ruimte die ik binnen mijn werktijd heb om al dan niet met collega’s "
    "te reflecteren op mijn werk, ervaar ik als ruim onvoldoende/onvoldoende/voldoende/ruim "
    "voldoende (/goed). (Ruimte om te reflecteren)",
    "space_overall": "Mijn professionele ruimte is:",
    "superfluous_rule": "Welke regel of procedure is wat jou betreft overbodig en kan op "
    "korte termijn worden afgeschaft?",
}


def test_waves_are_listed():
    waves = list_waves()
    assert waves.index.tolist() == ["2020-05", "2021-09", "2022-04"]
    assert waves.loc["2021-09", "name"] == "peo_2021_09"


@pytest.mark.parametrize("wave", ["2021-09", "2022-04"])
def test_required_items(wave):
    book = get_codebook(wave)
    missing = [i for i in REQUIRED if i not in book.items]
    assert not missing
    assert book.kind == "codebook" and book.wave == wave


def test_get_codebook_by_name_and_instance():
    book = get_codebook("peo_2021_09")
    assert get_codebook(book) is book
    assert get_codebook("2021-09") is book


def test_unknown_wave_names_the_waves():
    with pytest.raises(InstrumentNotFoundError, match=r"2021-10.*Waves: '2020-05'"):
        get_codebook("2021-10")
    with pytest.raises(ParameterError, match="wave must be"):
        get_codebook(2021)  # type: ignore[arg-type]


def test_instrument_is_not_a_codebook():
    from peoscales import get_instrument

    with pytest.raises(ParameterError, match="not a codebook"):
        get_codebook(get_instrument("brs"))


@pytest.mark.parametrize("item_id, text", sorted(VERBATIM_2021.items()))
def test_2021_texts_are_verbatim(item_id, text):
    assert get_codebook("2021-09").items[item_id].question("nl") == text


def test_2021_thematic_module_is_complete():
    book = get_codebook("2021-09")
    factors = [i for i in book.items if i.startswith("limit_") and i.endswith("_insufficient")]
    # a-k ratings plus the "Anders, namelijk" text
    assert len(factors) == 12
    aspects = [i for i in book.items if i.startswith("influence_") and i.endswith("_sufficient")]
    assert len([a for a in aspects if not a.endswith("_insufficient")]) == 8
    for branch, codes in (("insufficient", (1.0, 2.0)), ("sufficient", (3.0, 4.0))):
        item = book.items[f"limit_skj_{branch}"]
        assert item.asked_if is not None
        assert item.asked_if.item == "space_overall" and item.asked_if.codes == codes
    combined = book.items["limit_skj"]
    assert combined.combines == ("limit_skj_insufficient", "limit_skj_sufficient")
    # "Anders" adjustable is asked only of who rated the "Anders" factor
    assert book.items["adjustable_other_sufficient"].asked_if.item == "limit_other_sufficient"
    # as printed, the questionnaire ends after question 5 for the insufficient branch
    assert book.items["superfluous_rule"].asked_if.codes == (3.0, 4.0)


def test_answer_scales_and_nonsubstantive():
    book = get_codebook("2021-09")
    chance = book.response_scale_of("stay_one_year")
    assert [o.label("nl") for o in chance.options][-1] == "weet niet"
    assert chance.nonsubstantive_codes == (9.0,)
    assert 9.0 not in chance.substantive_codes
    space = book.response_scale_of("space_own_judgement")
    assert [o.label("nl") for o in space.options] == [
        "ruim onvoldoende",
        "onvoldoende",
        "voldoende",
        "ruim voldoende",
    ]
    assert space.kind == "ordinal"
    assert book.response_scale_of("employer").kind == "nominal"
    assert book.response_scale_of("work_pleasure").kind == "numeric"
    # The report's table labels are accepted as aliases
    assert space.label_map()[normalize_label("Ruim onvold")] == 1.0
    assert chance.label_map()[normalize_label("Weet ik niet")] == 9.0
    employer = book.response_scale_of("employer").label_map()
    assert (
        employer[normalize_label("Gemeentelijke lokale teams (sociaal (wijk)team, CJG, etc)")] == 3
    )


def test_most_limiting_accepts_both_branch_wordings_and_table_labels():
    labels = get_codebook("2021-09").response_scales["most_limiting"].label_map()
    assert labels[normalize_label("Eisen die gesteld worden aan tijdregistratie")] == 2
    assert (
        labels[
            normalize_label("Eisen die vanuit mijn organisatie worden gesteld aan tijdregistratie")
        ]
        == 2
    )
    assert (
        labels[normalize_label("Verschillende in eisen/ voorwaarden tussen gemeenten in regio")]
        == 4
    )
    assert labels[normalize_label("Aandacht kostenbesparingen gemeentelijk/regionaal beleid")] == 7


def test_groupings_of_the_reports():
    book = get_codebook("2021-09")
    space = book.response_scale_of("space_reflect").groupings["dichotomy"]
    assert [g.label() for g in space.groups] == ["(ruim) onvoldoende", "(ruim) voldoende"]
    assert space.apply(np.array([1, 2, 3, 4, np.nan])).codes.tolist() == [0, 0, 1, 1, -1]
    pleasure = book.response_scale_of("work_pleasure").groupings["bands"]
    assert [g.label() for g in pleasure.groups] == ["1-5", "6-7", "8-10"]
    assert pleasure.apply(np.arange(1, 11)).codes.tolist() == [0] * 5 + [1] * 2 + [2] * 3
    pct = book.response_scale_of("pct_direct_contact").groupings["bands"]
    assert [g.label() for g in pct.groups] == ["20% of minder", "30-40%", "50-60%", "70% of meer"]
    whole = pct.apply(np.arange(0, 101)).codes
    assert (whole >= 0).all()  # every whole percentage falls in exactly one band
    assert pct.apply(np.array([10, 20, 30, 40, 50, 60, 70, 100])).codes.tolist() == [
        0,
        0,
        1,
        1,
        2,
        2,
        3,
        3,
    ]
    exp = book.response_scale_of("experience").groupings["experience_3"]
    assert exp.apply(np.array([1, 2, 3, 4])).codes.tolist() == [0, 1, 1, 1]
    future = book.response_scale_of("stay_one_year").groupings["future3"]
    assert future.apply(np.array([1, 2, 3, 9, 4, 5])).codes.tolist() == [0, 0, 1, 1, 2, 2]


def test_same_as_links_resolve_and_are_symmetric():
    books = {w: get_codebook(w) for w in list_waves().index}
    links = 0
    for wave, book in books.items():
        for item in book.items.values():
            for link in item.same_as:
                other_wave, _, other_id = link.partition(":")
                assert other_id in books[other_wave].items, link
                back = books[other_wave].items[other_id].same_as
                assert f"{wave}:{item.id}" in back, (wave, item.id, link)
                links += 1
    assert links >= 2 * 14
    assert "2020-05:equipped" in books["2021-09"].items["equipped"].same_as


def test_2022_shares_the_2021_fixed_texts():
    a, b = get_codebook("2021-09"), get_codebook("2022-04")
    for item_id in REQUIRED:
        assert a.items[item_id].question() == b.items[item_id].question()
    assert (
        normalize_label("Gespecialiseerde jeugdhulp") in b.response_scale_of("employer").label_map()
    )


def test_2020_items_of_tables_1_to_18():
    book = get_codebook("2020-05")
    assert len([i for i in book.items.values() if i.number]) == 18
    assert len(book.response_scale_of("work_field").options) == 6
    assert book.items["workload"].question() == "Is de door mij ervaren werkdruk"
    client = book.response_scale_of("client_contact_remote")
    assert len(client.nonsubstantive_codes) == 1


BASE = """
name = "cb"
kind = "codebook"
[response_scales.a]
kind = "ordinal"
options = [{ code = 1, nl = "x" }, { code = 2, nl = "y" }]
[response_scales.t]
kind = "text"
[[items]]
id = "q1"
response_scale = "a"
nl = "Vraag 1"
"""


def test_loader_reads_row_other_of_and_combines():
    book = parse_definition(
        BASE
        + """
[[items]]
id = "q1_text"
response_scale = "t"
other_of = "q1"
row = { nl = "Anders (graag specificeren)", en = "Other (please specify)" }
[[items]]
id = "q2"
response_scale = "a"
combines = ["q1"]
"""
    )
    assert book.items["q1_text"].other_of == "q1"
    assert book.items["q1_text"].row["en"] == "Other (please specify)"
    assert book.items["q2"].combines == ("q1",)


@pytest.mark.parametrize(
    "extra, message",
    [
        (
            '[[items]]\nid = "q2"\nresponse_scale = "t"\nother_of = "nope"\n',
            r"other_of.*'nope' is not an item",
        ),
        (
            '[[items]]\nid = "q2"\nresponse_scale = "t"\ncombines = ["q1"]\n',
            r"combines.*response scales \['a'\]",
        ),
        (
            '[[items]]\nid = "q2"\nresponse_scale = "a"\ncombines = "q1"\n',
            r"combines.*must be a list",
        ),
        (
            '[[items]]\nid = "q2"\nresponse_scale = "a"\nother_of = 3\n',
            r"other_of.*must be an item id",
        ),
    ],
)
def test_loader_rejects_bad_new_fields(extra, message):
    with pytest.raises(DefinitionError, match=message):
        parse_definition(BASE + extra)
