from extract.tables.grid import cluster_positions, group_rules, rules_to_grid
from extract.tables.lines import Seg
from extract.types import BBox, Rule


def box_rules(x0, y0, xs, ys):
    """A full grid with columns at xs and rows at ys."""
    h = [Rule(xs[0], y, xs[-1], y) for y in ys]
    v = [Rule(x, ys[0], x, ys[-1]) for x in xs]
    return h, v


def test_cluster_positions():
    assert cluster_positions([10, 11, 12, 50, 51], [1, 1, 1, 1, 3], 3) == [11.0, 50.75]


def test_two_tables_are_separated():
    dpi = 100
    h1, v1 = box_rules(0, 0, [50, 200, 300, 400], [50, 80, 110, 140])
    h2, v2 = box_rules(0, 0, [100, 250, 350], [300, 330, 360, 390, 420])
    grids = rules_to_grid(h1 + h2, v1 + v2, dpi)
    assert len(grids) == 2
    a, b = grids
    assert (a.n_rows, a.n_cols) == (3, 3) and (b.n_rows, b.n_cols) == (4, 2)
    assert a.col_edges == [50, 200, 300, 400] and b.row_edges == [300, 330, 360, 390, 420]
    assert all(c.row_span == 1 and c.col_span == 1 for g in grids for c in g.cells)


def test_lone_frame_is_not_a_table():
    h, v = box_rules(0, 0, [50, 400], [50, 200])
    assert rules_to_grid(h, v, 100) == []


def test_stacked_horizontals_become_a_horizontally_ruled_table():
    dpi = 100
    h = [Seg(y, 50, 650, 1) for y in (100, 130, 160, 190)]
    groups = group_rules(h, [], dpi)
    assert len(groups) == 1 and groups[0].needs_columns
    # words in two columns: 60..200 and 400..500
    words = []
    for y in (110, 140, 170):
        words += [BBox(60, y, 200, y + 12), BBox(400, y, 500, y + 12)]
    grids = rules_to_grid(h, [], dpi, words=words)
    g = grids[0]
    assert g.ruled == "horizontal" and g.n_cols == 2 and 200 < g.col_edges[1] < 400


def test_stray_vertical_stroke_is_not_a_column():
    from extract.tables.grid import drop_stray_columns
    from extract.tables.lines import Seg

    rows = [float(y) for y in range(0, 1100, 100)]          # 10 rows
    cols = [0.0, 200.0, 300.0, 400.0]
    v = [Seg(0, 0, 1000), Seg(200, 0, 1000), Seg(400, 0, 1000),
         Seg(300, 400, 500)]                                 # x=300: one row only (a signature stroke)
    assert drop_stray_columns(rows, cols, v, 100.0) == [0.0, 200.0, 400.0]
    v.append(Seg(300, 100, 1000))                            # a real rule from the sub-header down
    assert drop_stray_columns(rows, cols, v, 100.0) == cols
    assert drop_stray_columns(rows[:5], cols, v[:4], 100.0) == cols   # short tables are left alone
