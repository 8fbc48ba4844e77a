"""Answer labels the publications use are accepted by the codebooks."""

from __future__ import annotations

import pandas as pd

from peoscales import peo


def test_2022_employer_labels_of_seed_004_are_known() -> None:
    # Seed 004 lists its respondents as "Gemeentelijke toegang 6, Specialistische jeugdhulp
    # 3, Gecertificeerde instelling 5, Vrij toegankelijke jeugdhulp 1".
    answers = (
        ["Gemeentelijke toegang"] * 6
        + ["Specialistische jeugdhulp"] * 3
        + ["Gecertificeerde instelling"] * 5
        + ["Vrij toegankelijke jeugdhulp"]
    )
    table = peo.frequency_table(
        pd.DataFrame({"employer": answers}), "employer", codebook="2022-04", lang="en"
    )
    n = table.table["n"]
    assert (
        int(n["Municipal access (social (neighbourhood) team, youth and family centre, etc.)"]) == 6
    )
    assert int(n["Certified institution (compulsory framework)"]) == 5
    assert int(n["Other, namely..."]) == 1  # "Vrij toegankelijke jeugdhulp": not a 2022 option
    assert table.n_base == 15
