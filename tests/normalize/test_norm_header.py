from pathlib import Path

import pytest

from extract.normalize import parse_title_block
from extract.normalize.header import TITLE_FIELDS

SEED = Path("/work/shared/seed/plan-form-2566-transcribed.txt")

TITLE = """แผนปฏิบัติงานและงบประมาณรายจ่ายประจำปีงบประมาณ พ.ศ. ๒๕๖๖ (Action Plan)
สํานักงานสหกรณ์จังหวัดภูเก็ต
งาน/โครงการ ส่งเสริมและพัฒนาสหกรณ์
แนบงานพื้นฐาน : ด้านการสร้างความสามารถในการแข่งขัน
ผลผลิต/โครงการ : สหกรณ์ได้รับการส่งเสริม
กิจกรรมหลัก : ส่งเสริมและพัฒนาสหกรณ์และกลุ่มเกษตรกร
กิจกรรมรอง: ส่งเสริมสหกรณ์
วัตถุประสงศ์ : เพื่อแนะนำ ส่งเสริม
หน่วยงานที่รับผิดชอบ : กลุ่มส่งเสริมสหกรณ์ ๑
ผู้รับผิดชอม : นางสาวอนมร สิงห์พันธ์
ผู้ปฏิบัติ : นาย ก ตำแหน่ง นว.,
นาย ข ตำแหน่ง นส.ป.ก.
"""


def test_title_block_synthetic():
    d = parse_title_block(TITLE)
    assert set(TITLE_FIELDS) <= set(d)
    assert d["fiscal_year"] == 2566
    assert d["agency"] == "สำนักงานสหกรณ์จังหวัดภูเก็ต"
    assert d["project"] == "ส่งเสริมและพัฒนาสหกรณ์"
    assert d["plan"] == "ด้านการสร้างความสามารถในการแข่งขัน"
    assert d["output"] == "สหกรณ์ได้รับการส่งเสริม"
    assert d["main_activity"] == "ส่งเสริมและพัฒนาสหกรณ์และกลุ่มเกษตรกร"
    assert d["sub_activity"] == "ส่งเสริมสหกรณ์"
    assert d["objective"] == "เพื่อแนะนำ ส่งเสริม"
    assert d["responsible_unit"] == "กลุ่มส่งเสริมสหกรณ์ ๑"
    assert d["responsible_person"] == "นางสาวอนมร สิงห์พันธ์"
    assert d["operators"] == "นาย ก ตำแหน่ง นว., นาย ข ตำแหน่ง นส.ป.ก."


def test_title_block_seed():
    text = SEED.read_text(encoding="utf-8").split("พื้นที่ดำเนินการ")[0]
    d = parse_title_block(text)
    assert d["fiscal_year"] == 2566
    assert d["agency"].startswith("สำนักงาน")
    assert d["plan"] == "ด้านการสร้างความสามารถในการแข่งขัน"
    assert d["project"].startswith("ส่งเสริมและพัฒนา")
    assert d["responsible_unit"] == "กลุ่มส่งเสริมสหกรณ์ ๑"
    assert d["responsible_person"].startswith("นางสาวอนมร")
    assert d["operators"].startswith("นางสาวอนมร") and "หอมเดช" in d["operators"]
    assert "แผนปฏิบัติ" not in (d["operators"] or "")


@pytest.mark.parametrize(
    "text,year",
    [("ปีงบประมาณ ๒๕๖๗", 2567), ("พ.ศ.2565", 2565), ("ประจำปีงบประมาณ พ.ศ. ๒๕๖๖", 2566), ("พ. ศ. ๒๕๖๘", 2568), ("ปี 1999", None)],
)
def test_fiscal_year(text, year):
    assert parse_title_block(text)["fiscal_year"] == year


def test_missing_fields():
    d = parse_title_block("")
    assert all(v is None for v in d.values())
    d = parse_title_block("กิจกรรมหลัก : \nอะไรก็ได้")
    assert d["main_activity"] is None and d["agency"] is None


def test_misread_label_taken_by_its_place_on_the_form():
    text = "\n".join([
        "กิจกรรมรอง : ติดตามการดำเนินงานและแก้ไขปัญหาสหกรณ์",
        "กบรสงย์ : เพื่อให้สหกรณ์และกลุ่มเกษตรกรสามารถดำเนินงานได้อย่างมีประสิทธิภาพ",
        "หน่วยงานที่รับผิดชอบ : กลุ่มส่งเสริมสหกรณ์ ๒",
    ])
    f = parse_title_block(text)
    assert f["objective"] == "เพื่อให้สหกรณ์และกลุ่มเกษตรกรสามารถดำเนินงานได้อย่างมีประสิทธิภาพ"
    assert f["responsible_unit"] == "กลุ่มส่งเสริมสหกรณ์ ๒"
    # not after an unrecognised line, and not a label of a very different length
    assert parse_title_block("ลงชื่อ : ก\nกบรสงย์ : ข")["objective"] is None
    assert parse_title_block("กิจกรรมรอง : ก\nก : ข")["objective"] is None
