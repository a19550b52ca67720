import functools

import cv2
import numpy as np
import pytest

from extract.tables.deskew import _rot90_matrix, estimate_skew, upright
from extract.tables.orient import (detect_orientation, line_direction, mark_balance, marks_verdict,
                                    orientation_with_confidence)
from extract.types import PageImage, PageSource, Provenance
from tests.tables.synth_forms import hrules_page, plan_page, rotate


@functools.lru_cache(maxsize=None)
def page(dpi):
    return plan_page(dpi)


def prov(g, dpi=150):
    return Provenance("x.png", "0" * 64, 1, PageSource.IMAGE, dpi, g.shape[1], g.shape[0])


@pytest.mark.parametrize("deg", [-3.0, -2.0, -0.5, 0.0, 0.3, 2.0, 3.0])
def test_estimate_skew_accuracy(deg):
    g, _ = rotate(page(150).gray, deg)
    assert abs(estimate_skew(g) - deg) <= 0.1


def test_estimate_skew_horizontal_rules_only_page():
    g, _ = rotate(hrules_page(200).gray, 1.5)
    assert abs(estimate_skew(g) - 1.5) <= 0.1


@pytest.mark.parametrize("k", [1, 2, 3])
def test_rot90_matrix_matches_cv2(k):
    img = np.zeros((30, 50), np.uint8)
    img[7, 11] = 255
    rot = cv2.rotate(img, {1: cv2.ROTATE_90_CLOCKWISE, 2: cv2.ROTATE_180, 3: cv2.ROTATE_90_COUNTERCLOCKWISE}[k])
    x, y, _ = _rot90_matrix(k, 50, 30) @ np.array([11, 7, 1])
    assert rot[int(y), int(x)] == 255


@pytest.mark.parametrize("rot", [90, 180, 270])
def test_upright_given_rotation_maps_back(rot):
    g = page(150).gray
    given = cv2.rotate(g, {90: cv2.ROTATE_90_COUNTERCLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_CLOCKWISE}[rot])
    work = upright(PageImage(prov(given), given), rotation=rot, skew=0.0)
    assert work.gray.shape == g.shape and np.array_equal(work.gray, g)
    for x, y in [(10, 20), (1000, 700)]:
        gx, gy = work.to_original @ np.array([x, y, 1.0])
        assert given[int(round(gy)), int(round(gx))] == g[y, x]
    assert work.rotation == rot


def test_upright_deskews_and_maps_points():
    g = page(150).gray
    given, M = rotate(g, 2.0)
    work = upright(PageImage(prov(given), given), rotation=0)
    assert abs(work.skew_deg - 2.0) < 0.1
    # a point of the drawn page -> given page (M) must equal to_original(working point of that content)
    fwd = np.linalg.inv(np.vstack([work.to_original, [0, 0, 1]]))
    p_given = M @ np.array([500.0, 400.0, 1])
    p_work = fwd @ np.array([*p_given, 1])
    back = work.to_original @ p_work
    assert np.allclose(back, p_given, atol=1e-6)
    # and the working image is level again
    assert abs(estimate_skew(work.gray)) < 0.1


def test_line_direction_guard():
    g = page(150).gray
    assert line_direction(g)[0] == "horizontal"
    assert line_direction(cv2.rotate(g, cv2.ROTATE_90_CLOCKWISE))[0] == "vertical"


def test_orientation_upright_and_upside_down():
    g = page(200).gray
    assert detect_orientation(g) == 0
    assert detect_orientation(cv2.rotate(g, cv2.ROTATE_180)) == 180


def test_orientation_sparse_page_falls_back_to_zero():
    blank = np.full((1200, 1700), 245, np.uint8)
    cv2.line(blank, (100, 100), (1500, 100), 0, 3)
    rot, conf = orientation_with_confidence(blank)
    assert rot == 0 and conf < 0.5


@pytest.mark.parametrize("turn,want", [(None, 0), (cv2.ROTATE_180, 180), (cv2.ROTATE_90_CLOCKWISE, 270),
                                       (cv2.ROTATE_90_COUNTERCLOCKWISE, 90)])
def test_orientation_of_a_generated_scan_by_its_thai_marks(docs, turn, want):
    """A degraded scan from the generator, turned four ways: the Thai marks above the letters say which way
    is up without OSD (confidence 0.9 is the marks' verdict)."""
    g = cv2.imread(str(docs["png"]), cv2.IMREAD_GRAYSCALE)
    im = g if turn is None else cv2.rotate(g, turn)
    assert orientation_with_confidence(im) == (want, 0.9)


def test_thai_marks_ignore_faint_show_through(docs):
    """Show-through of the back of the sheet (upside down, faint) does not outvote the page's own ink."""
    g = cv2.imread(str(docs["png"]), cv2.IMREAD_GRAYSCALE).astype(np.float32)
    back = cv2.rotate(g, cv2.ROTATE_180)
    mixed = np.minimum(g, 255 - 0.3 * (255 - back)).astype(np.uint8)
    above, below = mark_balance(mixed)
    assert above > 2.5 * below and marks_verdict(mixed) == 1
    assert marks_verdict(cv2.rotate(mixed, cv2.ROTATE_180)) == -1
