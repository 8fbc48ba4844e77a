"""Categories of the demo data set's demographic columns, in display order."""

from __future__ import annotations

GENDERS = ("vrouw", "man")
EDUCATION = ("mbo", "hbo", "wo")
CARE_TYPES = ("jeugd-ggz", "jeugdhulp", "jeugdbescherming", "overig")
