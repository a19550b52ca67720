import time

import pytest

from extract.normalize import Lexicon, clean_thai, code_depth, correct_text, default_lexicon, parent_code, split_activity_code


@pytest.mark.parametrize(
    "text,code,rest",
    [
        ("๒.๓.๑ วิทยากรระดับชั้น", "2.3.1", "วิทยากรระดับชั้น"),
        ("๒.๓.๑วิทยากร", "2.3.1", "วิทยากร"),
        ("๒.๓.๑. วิทยากร", "2.3.1", "วิทยากร"),
        ("๒ . ๓ วิทยากร", "2.3", "วิทยากร"),
        ("(๑) สหกรณ์ภาคการเกษตร", "(1)", "สหกรณ์ภาคการเกษตร"),
        ("( ๒ ) สหกรณ์นอกภาคการเกษตร", "(2)", "สหกรณ์นอกภาคการเกษตร"),
        ("๑) ประชุม", "1)", "ประชุม"),
        ("๑ การวางแผนการปฏิบัติงาน", "1", "การวางแผนการปฏิบัติงาน"),
        ("๑. สหกรณ์", "1", "สหกรณ์"),
        ("๑๐. สหกรณ์และกลุ่มเกษตรกร", "10", "สหกรณ์และกลุ่มเกษตรกร"),
        ("4.1 วิเคราะห์ ๑๐ ครั้ง", "4.1", "วิเคราะห์ ๑๐ ครั้ง"),
        ("๑๐ ครั้ง", "", "๑๐ ครั้ง"),
        ("๑๒ เดือน", "", "๑๒ เดือน"),
        ("๕๐ แห่ง/๑ กลุ่ม", "", "๕๐ แห่ง/๑ กลุ่ม"),
        ("๒๕๖๖ ปีงบประมาณ", "", "๒๕๖๖ ปีงบประมาณ"),
        ("๑,๗๕๐", "", "๑,๗๕๐"),
        ("๑.๒.๓.๔ เกินสามระดับ", "", "๑.๒.๓.๔ เกินสามระดับ"),
        ("แผนงานด้านการส่งเสริม", "", "แผนงานด้านการส่งเสริม"),
        ("", "", ""),
        ("๑", "", "๑"),
    ],
)
def test_split_activity_code(text, code, rest):
    assert split_activity_code(text) == (code, rest)


def test_parent_and_depth():
    assert parent_code("2.3.1") == "2.3" and parent_code("2.3") == "2" and parent_code("2") == ""
    assert parent_code("(1)", ["1", "2", "2.3", "2.3.1"]) == "2.3.1"
    assert parent_code("(2)", ["2.3.1", "(1)"]) == "2.3.1"
    assert parent_code("1)", ["(1)"]) == "" and parent_code("") == ""
    assert [code_depth(c) for c in ["", "1", "2.3", "2.3.1"]] == [0, 1, 2, 3]
    assert code_depth("(1)", "2.3.1") == 4 and code_depth("(1)", "2") == 2 and code_depth("(1)") == 4


@pytest.mark.parametrize(
    "raw,clean",
    [
        ("กํา", "กำ"),
        ("ก่ํา", "ก่ำ"),
        ("กํ่า", "ก่ำ"),
        ("สําน ักงาน", "สำนักงาน"),
        ("เ ป็น", "เป็น"),
        ("เเผนงาน", "แผนงาน"),
        ("ประ\u200bชุม\ufeff", "ประชุม"),
        ("  สหกรณ์\t\n๑๒  ", "สหกรณ์ ๑๒"),
        ("กลุ่ม A ๑", "กลุ่ม A ๑"),
        ("ทำ ให้", "ทำ ให้"),
        ("ท ำ", "ทำ"),
        ("", ""),
    ],
)
def test_clean_thai(raw, clean):
    assert clean_thai(raw) == clean


def test_clean_thai_idempotent():
    for s in ["สําน ักงาน  เ ป็น", "ก่ํา\u200b"]:
        assert clean_thai(clean_thai(s)) == clean_thai(s)


@pytest.mark.parametrize(
    "raw,fixed",
    [
        ("แนบงาน", "แผนงาน"),
        ("แนบงานพื้นฐาน : ด้านการสร้างความสามารถในการแข่งขัน", "แผนงานพื้นฐาน : ด้านการสร้างความสามารถในการแข่งขัน"),
        ("รวมงบประมาณทั้งสิน ๕๐,๒๐๐.๐๐ บาท", "รวมงบประมาณทั้งสิ้น ๕๐,๒๐๐.๐๐ บาท"),
        ("วัตถุประสงศ์", "วัตถุประสงค์"),
        ("กิจกรรมหลก", "กิจกรรมหลัก"),
        ("สํานักงาน", "สำนักงาน"),
    ],
)
def test_correct_text_fixes(raw, fixed):
    out, flags = correct_text(raw)
    assert out == fixed
    if clean_thai(raw) != fixed:
        assert "text_corrected" in flags


@pytest.mark.parametrize(
    "ok",
    [
        "และนำ",
        "ส่งเสริมและพัฒนาสหกรณ์/กลุ่มเกษตรกรให้มีความเข้มแข็งตามศักยภาพ",
        "ตำแหน่ง เจ้าหน้าที่งานส่งเสริมสหกรณ์อาวุโส",
        "ชื่อ - สกุล (นางสาวดลิตา รัตนกุล)",
        "นางสาวอุษิตา ใจเจริญ",
        "๓.๒ ติดตามและรายงานผลในที่ประชุมกลุ่มส่งเสริมสหกรณ์",
        "การส่งเสริมสหกรณ์/กลุ่มเกษตรกรผ่านมาตรฐาน",
        "๕๐,๒๐๐.๐๐",
        "Action Plan",
    ],
)
def test_correct_text_leaves_good_text(ok):
    out, flags = correct_text(ok)
    assert out == clean_thai(ok) and flags == []


def test_correct_never_invents():
    lex = Lexicon(["แผนงาน", "ทั้งสิ้น"], ["แผน", "งาน"])
    assert correct_text("ทั้งสิน", lex) == ("ทั้งสิ้น", ["text_corrected"])
    assert correct_text("กขคงจฉ", lex)[0] == "กขคงจฉ"
    # ambiguous: two candidates at the same distance -> no change
    lex2 = Lexicon(["กขค", "กขง"])
    assert lex2.suggest("กขฆ") is None
    assert lex2.suggest("กขค") is None  # already a word


def test_correct_speed_page():
    lex = default_lexicon()
    correct_text("warm up ทั้งสิน", lex)
    cells = [f"๒.{i % 9 + 1} เจ้าหน้าที่ส่งเสริมเข้าแนะนำส่งเสริมตามแผน {i} กรณีพบประเด็นปัญหา" for i in range(400)]
    t = time.perf_counter()
    for c in cells:
        correct_text(c, lex)
    assert time.perf_counter() - t < 8.0


def test_tone_marks_repaired_from_the_dictionary_but_names_and_vowels_left_alone():
    from extract.normalize.text import correct_text

    assert correct_text("ส่งเสริมการแก้ไขปัญหาหนี่สินของสมาชิกสหกรณ์")[0] == "ส่งเสริมการแก้ไขปัญหาหนี้สินของสมาชิกสหกรณ์"
    assert correct_text("ฝ่ายบริหารทัวไป")[0] == "ฝ่ายบริหารทั่วไป"
    assert correct_text("พัฒนาการดำเนินธุรกิ่จ")[0] == "พัฒนาการดำเนินธุรกิจ"
    for name in ("นางสาวศิริพร ทองดี", "นางสาววราภรณ์ ศรีสุข", "ด้านการปรับสมดุลและพัฒนาระบบการบริหารจัดการภาครัฐ"):
        assert correct_text(name)[0] == name


def test_stray_dot_before_a_thai_word_is_dropped():
    from extract.normalize.text import correct_text

    text, flags = correct_text("เพื่อแนะนำ ส่งเสริม สนับสนุน .พัฒนาและกำกับ")
    assert text == "เพื่อแนะนำ ส่งเสริม สนับสนุน พัฒนาและกำกับ" and flags == ["text_corrected"]
    assert correct_text("ก.ค. ๒๕๖๖")[0] == "ก.ค. ๒๕๖๖"


def test_stray_marks_taken_out_when_that_leaves_a_form_word():
    from extract.normalize.text import marks_deleted

    assert marks_deleted("สุนับสนุ่น", "สนับสนุน") and marks_deleted("บริหารุ", "บริหาร")
    assert not marks_deleted("สนับสนุน", "สนับสนุน")          # nothing taken out
    assert not marks_deleted("สนับสนุนา", "สนับสนุน")         # า is a letter, not a mark
    assert not marks_deleted("สุนิับสนุ่น", "สนับสนุน")        # three marks
    assert correct_text("เพื่อแนะนำ ส่งเสริม สุนับสนุ่น พัฒนาและกำกับสหกรณ์")[0] == "เพื่อแนะนำ ส่งเสริม สนับสนุน พัฒนาและกำกับสหกรณ์"
    assert correct_text("ฝ่ายบริหารุทั่วไป")[0] == "ฝ่ายบริหารทั่วไป"
    # a misread letter inside a form phrase split into fragments
    assert correct_text("สมาชิกสหกรณ์ได้รับการพัฒนาดวามรู้ด้านการสหกรณ์")[0] == "สมาชิกสหกรณ์ได้รับการพัฒนาความรู้ด้านการสหกรณ์"
    # names are not dictionary words and stay as read
    assert correct_text("นางณ์ฐพล บุญมา")[0] == "นางณ์ฐพล บุญมา"


def test_trailing_debris_dropped_from_phrases():
    from extract.normalize.text import drop_trailing_debris

    assert drop_trailing_debris("ส่งเสริมและพัฒนาสหกรณ์และกลุ่มเกษตรกร โชมย") == "ส่งเสริมและพัฒนาสหกรณ์และกลุ่มเกษตรกร"
    for keep in ("กลุ่มส่งเสริมสหกรณ์ ๑", "ฝ่ายบริหารทั่วไป", "การประเมินผล และการปรับปรุง", "สหกรณ์ และกลุ่ม",
                 "โชมย"):
        assert drop_trailing_debris(keep) == keep
