"""Every scene's poster still, in both themes, is exactly its reference picture
(tests/reference/<scene>_<theme>.png): the renderer is deterministic here, so a wrong number,
a missing line of text or a point moved by one pixel fails. After an intended change,
`pytest tests/test_references.py --update-references` writes the new stills and, for each
that changed, a picture of old | new | differences in tests/reference/changes/ (look at
them, then commit the references)."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from scenes import CATALOGUE
from scenes.theme import THEMES
from tests.scenetools import reference_difference

CASES = [(name, theme) for name in CATALOGUE for theme in THEMES]


@pytest.mark.parametrize(("name", "theme"), CASES, ids=[f"{n}-{t}" for n, t in CASES])
def test_the_still_is_its_reference(name, theme, still, update_references):
    found = reference_difference(
        still(CATALOGUE[name].load(), theme=theme), f"{name}_{theme}", update_references
    )
    assert found.identical, found.describe()


def test_the_comparison_sees_a_one_pixel_change(tmp_path, still):
    """The check cannot go blind: the tangency still with one channel of one pixel changed by
    one level fails against the reference, and says where."""
    image = still(CATALOGUE["tangency"].load())
    assert reference_difference(image, "tangency_dark", update=False).identical
    pixels = np.asarray(Image.open(image).convert("RGB")).copy()
    pixels[100, 200] = pixels[100, 200] ^ 1  # one channel of one pixel, by one level
    Image.fromarray(pixels).save(tmp_path / "one.png")
    one = reference_difference(tmp_path / "one.png", "tangency_dark", update=False)
    assert not one.identical and one.pixels == 1 and one.box == (200, 100, 200, 100)
