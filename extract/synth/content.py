"""Content of a synthetic action-plan form: title block, activity rows, numbers that add up.

Everything is drawn from ``numpy.random.default_rng(seed)``; no global state.
Numbers are kept as Arabic-digit strings/Decimals internally and converted to Thai digits only
when a cell's text is produced (``to_digits``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Optional

import numpy as np

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
_TO_THAI = str.maketrans("0123456789", THAI_DIGITS)
_TO_ARABIC = str.maketrans(THAI_DIGITS, "0123456789")

MONTH_ABBR = ["ต.ค.", "พ.ย.", "ธ.ค.", "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย."]
N_COLS = 28
HEADER_ROWS = 3
COL_ACTIVITY, COL_TARGET, COL_TARGET_BUDGET, COL_RESPONSIBLE = 0, 1, 2, 27
TOTAL_TEXT = "รวมแผนการใช้จ่ายงบประมาณ (บาท)"


def work_col(m: int) -> int:
    """Column of the work cell of fiscal month ``m`` (0 = October)."""
    return 3 + 2 * m


def budget_col(m: int) -> int:
    return 4 + 2 * m


def to_digits(s: str, digits: str) -> str:
    return s.translate(_TO_THAI) if digits == "thai" else s.translate(_TO_ARABIC)


def to_arabic(s: str) -> str:
    return s.translate(_TO_ARABIC)


def fmt_amount(v: Decimal, decimals: bool) -> str:
    """Arabic-digit amount with thousands commas (``13,650`` / ``13,650.00``)."""
    if decimals or v != v.to_integral_value():
        return f"{v:,.2f}"
    return f"{int(v):,}"


def month_iso(fiscal_year_be: int, m: int) -> str:
    """Gregorian ``YYYY-MM`` of fiscal month ``m`` (0 = October) of BE fiscal year."""
    ce = fiscal_year_be - 544 if m < 3 else fiscal_year_be - 543
    return f"{ce:04d}-{(m + 9) % 12 + 1:02d}"


PROVINCES = [
    "กระบี่", "กาญจนบุรี", "กาฬสินธุ์", "กำแพงเพชร", "ขอนแก่น", "จันทบุรี", "ฉะเชิงเทรา", "ชลบุรี", "ชัยนาท",
    "ชัยภูมิ", "ชุมพร", "เชียงราย", "เชียงใหม่", "ตรัง", "ตราด", "ตาก", "นครนายก", "นครปฐม", "นครพนม",
    "นครราชสีมา", "นครศรีธรรมราช", "นครสวรรค์", "นนทบุรี", "นราธิวาส", "น่าน", "บึงกาฬ", "บุรีรัมย์",
    "ปทุมธานี", "ประจวบคีรีขันธ์", "ปราจีนบุรี", "ปัตตานี", "พระนครศรีอยุธยา", "พะเยา", "พังงา", "พัทลุง",
    "พิจิตร", "พิษณุโลก", "เพชรบุรี", "เพชรบูรณ์", "แพร่", "ภูเก็ต", "มหาสารคาม", "มุกดาหาร", "แม่ฮ่องสอน",
    "ยโสธร", "ยะลา", "ร้อยเอ็ด", "ระนอง", "ระยอง", "ราชบุรี", "ลพบุรี", "ลำปาง", "ลำพูน", "เลย", "ศรีสะเกษ",
    "สกลนคร", "สงขลา", "สตูล", "สมุทรปราการ", "สมุทรสงคราม", "สมุทรสาคร", "สระแก้ว", "สระบุรี", "สิงห์บุรี",
    "สุโขทัย", "สุพรรณบุรี", "สุราษฎร์ธานี", "สุรินทร์", "หนองคาย", "หนองบัวลำภู", "อ่างทอง", "อำนาจเจริญ",
    "อุดรธานี", "อุตรดิตถ์", "อุทัยธานี", "อุบลราชธานี",
]

PROJECTS = [
    "ส่งเสริมและพัฒนาสหกรณ์/กลุ่มเกษตรกรให้มีความเข้มแข็งตามศักยภาพ",
    "ส่งเสริมการดำเนินธุรกิจของสหกรณ์และกลุ่มเกษตรกร",
    "พัฒนาศักยภาพการดำเนินงานของสหกรณ์ภาคการเกษตร",
    "ส่งเสริมการแก้ไขปัญหาหนี้สินของสมาชิกสหกรณ์",
    "ยกระดับมาตรฐานสหกรณ์และกลุ่มเกษตรกร",
]
PLANS = [
    "ด้านการสร้างความสามารถในการแข่งขัน",
    "ด้านการพัฒนาและเสริมสร้างศักยภาพทรัพยากรมนุษย์",
    "ด้านการสร้างโอกาสและความเสมอภาคทางสังคม",
    "ด้านการปรับสมดุลและพัฒนาระบบการบริหารจัดการภาครัฐ",
]
OUTPUTS = [
    "สหกรณ์และกลุ่มเกษตรกรได้รับการส่งเสริมและพัฒนาให้มีความเข้มแข็งตามศักยภาพ",
    "สหกรณ์ได้รับการส่งเสริมและพัฒนาการดำเนินธุรกิจ",
    "สมาชิกสหกรณ์ได้รับการพัฒนาความรู้ด้านการสหกรณ์",
]
MAIN_ACTIVITIES = [
    "ส่งเสริมและพัฒนาสหกรณ์และกลุ่มเกษตรกร",
    "แนะนำส่งเสริมและกำกับดูแลสหกรณ์",
    "พัฒนาระบบบัญชีและการควบคุมภายในของสหกรณ์",
]
SUB_ACTIVITIES = [
    "ส่งเสริมและพัฒนาสหกรณ์/กลุ่มเกษตรกรให้มีความเข้มแข็งตามศักยภาพ",
    "ส่งเสริมสหกรณ์/กลุ่มเกษตรกรผ่านมาตรฐาน",
    "ส่งเสริมให้สหกรณ์มีระดับความเข้มแข็งในระดับ ๑ และระดับ ๒",
    "ติดตามการดำเนินงานและแก้ไขปัญหาสหกรณ์",
]
OBJECTIVES = [
    "เพื่อแนะนำ ส่งเสริม สนับสนุน พัฒนาและกำกับสหกรณ์/กลุ่มเกษตรกรให้มีความเข้มแข็ง",
    "เพื่อให้สหกรณ์และกลุ่มเกษตรกรสามารถดำเนินงานได้อย่างมีประสิทธิภาพ",
    "เพื่อยกระดับความเข้มแข็งของสหกรณ์และกลุ่มเกษตรกรตามศักยภาพ",
]
UNITS = ["กลุ่มส่งเสริมสหกรณ์ ๑", "กลุ่มส่งเสริมสหกรณ์ ๒", "กลุ่มจัดตั้งและส่งเสริมสหกรณ์",
         "กลุ่มส่งเสริมและพัฒนาธุรกิจสหกรณ์", "ฝ่ายบริหารทั่วไป", "กลุ่มตรวจการสหกรณ์"]
FIRST_NAMES = ["อนมร", "ดลิตา", "ธนกร", "อุษิตา", "ประเสริฐศักดิ์", "สมชาย", "วิไลวรรณ", "ฉวีพร", "จันจิรา",
               "อนุชา", "กิตติพงษ์", "ศิริพร", "ปิยะนุช", "สุนทร", "วราภรณ์", "ชนิดา", "ณัฐพล", "พรทิพย์"]
LAST_NAMES = ["สิงห์พันธ์", "รัตนกุล", "สมบัติ", "ใจเจริญ", "พงษ์ชัย", "หอมเดช", "อนุสร", "ศรีสุข", "บุญมา",
              "แก้วประเสริฐ", "ทองดี", "จันทร์เพ็ญ", "วงศ์สวัสดิ์", "มณีรัตน์"]
POSITIONS = ["ผู้อำนวยการกลุ่มส่งเสริมสหกรณ์ ๑", "นักวิชาการสหกรณ์ชำนาญการ", "นักวิชาการสหกรณ์ปฏิบัติการ",
             "เจ้าพนักงานส่งเสริมสหกรณ์อาวุโส", "ผู้อำนวยการกลุ่มส่งเสริมสหกรณ์ ๒"]
RESPONSIBLE_SHORT = ["กสส.๑", "กสส.๒", "กจส.", "กพส.", "ฝบท.", "จพง.", "นวส.", "ผอ.กลุ่ม", "ทุกกลุ่ม",
                     "จชส.อ.", "นส.ป.ก.", "กสส.๓", "คณะทำงาน"]

SECTIONS = [
    "แผนงานด้านการส่งเสริมและพัฒนาองค์กร",
    "การส่งเสริมสหกรณ์/กลุ่มเกษตรกรผ่านมาตรฐาน",
    "การส่งเสริมให้สหกรณ์มีระดับความเข้มแข็งในระดับ ๑ และระดับ ๒",
    "แผนงานด้านการพัฒนาธุรกิจสหกรณ์",
]
BUDGET_SECTIONS = ["แผนการใช้จ่ายงบประมาณ", "แผนการใช้จ่ายงบประมาณ กสส.๓", "แผนการใช้จ่ายงบประมาณ (งบดำเนินงาน)"]
STEP_HEADINGS = ["การวางแผนการปฏิบัติงาน", "การดำเนินงานตามแผน", "การตรวจสอบ ติดตามและรายงานผล",
                 "การประเมินผล และการปรับปรุงการดำเนินงาน"]
STEP_ITEMS = [
    "ร่วมกับกลุ่มงานวิชาการวิเคราะห์ระดับชั้นความเข้มแข็ง กำหนดเป้าหมายในการรักษาและยกระดับชั้นความเข้มแข็งสหกรณ์/กลุ่มเกษตรกร",
    "จัดทำแผนในการแนะนำส่งเสริม โดยการบูรณาการกับหน่วยงานที่เกี่ยวข้อง",
    "จัดประชุมระหว่างกลุ่มงานวิชาการและกลุ่มส่งเสริมสหกรณ์",
    "จัดประชุมเชิงปฏิบัติการประเมินมาตรฐานสหกรณ์/กลุ่มเกษตรกร ของกรมส่งเสริมสหกรณ์ แก่บุคลากรของสหกรณ์และกลุ่มเกษตรกร",
    "เจ้าหน้าที่ส่งเสริมเข้าแนะนำส่งเสริมตามแผนที่กำหนด กรณีพบประเด็นที่มีปัญหาให้เสนอรายงานต่อฝ่ายทะเบียนสหกรณ์",
    "เจ้าหน้าที่ส่งเสริมติดตามผลการดำเนินงานของสหกรณ์/กลุ่มเกษตรกรในที่ประชุมคณะกรรมการเป็นประจำทุกเดือน",
    "ติดตามและรายงานผลในที่ประชุมกลุ่มส่งเสริมสหกรณ์",
    "รายงานการประเมินมาตรฐานสหกรณ์/กลุ่มเกษตรกรในระบบการประเมิน หลังวันประชุมใหญ่ ไม่เกิน ๒ วันทำการ",
    "วิเคราะห์ผลสำเร็จของการดำเนินงาน ปัญหาอุปสรรค",
    "ปรับปรุงแก้ไขวิธีการที่ไม่เป็นไปตามเป้าหมาย",
    "เข้าร่วมประชุมคณะกรรมการ เข้าแนะนำส่งเสริมสหกรณ์/กลุ่มเกษตรกร แนะนำแนวทางการทำงาน",
    "ยกระดับชั้นความเข้มแข็งสหกรณ์ที่อยู่ในระดับชั้น ๓ จำนวน ๑๑ แห่ง",
    "สหกรณ์ภาคการเกษตร",
    "สหกรณ์นอกภาคการเกษตร",
    "กลุ่มเกษตรกร",
]
BUDGET_ITEMS = [
    "ประชุมผู้ส่งเสริมสหกรณ์",
    "เป็นค่าใช้จ่ายในการเดินทางไปราชการเพื่อออกพื้นที่แนะนำส่งเสริมสหกรณ์และกลุ่มเกษตรกรให้ได้รับการพัฒนาให้มีความเข้มแข็งตามศักยภาพ",
    "ค่าน้ำมันเชื้อเพลิง",
    "ค่าวัสดุสำนักงาน",
    "จัดประชุมเชิงปฏิบัติการคณะกรรมการดำเนินการสหกรณ์",
    "ค่าเบี้ยเลี้ยงและค่าที่พัก",
    "ค่าจ้างเหมาบริการทำความสะอาด",
    "ค่าตอบแทนการปฏิบัติงานนอกเวลาราชการ",
]
WORK_UNITS = ["ครั้ง", "แห่ง", "เดือน", "ราย", "กลุ่ม", "คน", "เรื่อง"]


@dataclass
class Row:
    """One body row of the activity table."""

    kind: str                                   # "section" | "item" | "total"
    code: str = ""                              # Arabic digits: "2.3.1", "(1)", ""
    text: str = ""                              # activity text without the code
    target_count: Optional[int] = None
    unit: str = ""
    target_budget: Optional[Decimal] = None
    work: list = field(default_factory=lambda: [None] * 12)      # int | None per fiscal month
    budget: list = field(default_factory=lambda: [None] * 12)    # Decimal | None per fiscal month
    blank: str = "-"                            # how an unplanned month is written: "-" or ""
    responsible: str = ""
    heading: bool = False                       # numbered step without numbers ("๑ การวางแผน...")


@dataclass
class Form:
    seed: int
    fiscal_year: int
    province: str
    agency: str
    header: dict
    rows: list
    digits: str = "thai"
    decimals: bool = False
    signatures: list = field(default_factory=list)   # [(role, name, position)]

    def d(self, s: str) -> str:
        return to_digits(s, self.digits)

    @property
    def title(self) -> str:
        return self.d(f"แผนปฏิบัติงานและงบประมาณรายจ่ายประจำปีงบประมาณ พ.ศ. {self.fiscal_year}")

    def header_lines(self) -> list[tuple[str, str]]:
        h = self.header
        return [("งาน/โครงการ", h["project"]), ("แผนงานพื้นฐาน", h["plan"]), ("ผลผลิต/โครงการ", h["output"]),
                ("กิจกรรมหลัก", h["main_activity"]), ("กิจกรรมรอง", h["sub_activity"]),
                ("วัตถุประสงค์", h["objective"]), ("หน่วยงานที่รับผิดชอบ", h["responsible_unit"]),
                ("ผู้รับผิดชอบ", h["responsible_person"])]

    def recompute_total(self) -> None:
        """Make the total row the exact column sums of the item rows (call after editing rows)."""
        items = [r for r in self.rows if r.kind == "item"]
        total = next(r for r in self.rows if r.kind == "total")
        total.budget = []
        for m in range(12):
            vals = [r.budget[m] for r in items if r.budget[m] is not None]
            total.budget.append(sum(vals, Decimal(0)) if vals else None)
        tb = [r.target_budget for r in items if r.target_budget is not None]
        total.target_budget = sum(tb, Decimal(0)) if tb else Decimal(0)

    def drop_last_item(self) -> bool:
        """Remove the last removable body row (keeps >= 2 budget items); False when nothing left."""
        budget_items = [r for r in self.rows if r.kind == "item" and r.target_budget is not None]
        for i in range(len(self.rows) - 1, -1, -1):
            r = self.rows[i]
            if r.kind == "item" and (r.target_budget is None or len(budget_items) > 2):
                del self.rows[i]
                self.recompute_total()
                return True
        return False


def _amount(rng: np.random.Generator, lo: int, hi: int, step: int = 50) -> Decimal:
    return Decimal(int(rng.integers(lo // step, hi // step + 1)) * step)


def _active_months(rng: np.random.Generator) -> list[int]:
    pat = rng.choice(["all", "range", "quarterly", "random", "from_nov"])
    if pat == "all":
        return list(range(12))
    if pat == "from_nov":
        return list(range(1, 12))
    if pat == "quarterly":
        start = int(rng.integers(0, 3))
        return list(range(start, 12, 3))
    if pat == "range":
        a = int(rng.integers(0, 6))
        b = int(rng.integers(a + 2, 13))
        return list(range(a, b))
    k = int(rng.integers(2, 9))
    return sorted(int(x) for x in rng.choice(12, size=k, replace=False))


def _work_item(rng, code: str, text: str, digits_unit: Optional[str] = None) -> Row:
    months = _active_months(rng)
    unit = digits_unit or str(rng.choice(WORK_UNITS, p=[0.45, 0.25, 0.1, 0.05, 0.05, 0.05, 0.05]))
    per = 1 if rng.random() < 0.7 else int(rng.integers(1, 6))
    work = [None] * 12
    for m in months:
        work[m] = per if rng.random() < 0.85 else int(rng.integers(1, 9))
        if unit == "เดือน":
            work[m] = 1
    blank = "-" if rng.random() < 0.6 else ""
    resp = str(rng.choice(RESPONSIBLE_SHORT)) if rng.random() < 0.85 else ""
    return Row("item", code=code, text=text, target_count=sum(w for w in work if w), unit=unit,
               target_budget=None, work=work, budget=[None] * 12, blank=blank, responsible=resp)


def _budget_item(rng, code: str, text: str, decimals: bool) -> Row:
    row = _work_item(rng, code, text)
    months = [m for m in range(12) if row.work[m] is not None]
    if rng.random() < 0.25:  # a pure money line: no work counts, unit "เดือน"
        row.unit = "เดือน"
        row.work = [None] * 12 if rng.random() < 0.5 else [None if m not in months else 1 for m in range(12)]
        row.target_count = len(months)
    hi = 9_950 if decimals else 14_950
    base = _amount(rng, 300, hi)
    budget: list = [None] * 12
    for m in months:
        v = base if rng.random() < 0.7 else _amount(rng, 300, hi)
        if decimals and rng.random() < 0.1:
            v += Decimal(int(rng.choice([25, 50, 75]))) / 100
        budget[m] = v
    row.budget = budget
    row.target_budget = sum((v for v in budget if v is not None), Decimal(0))
    row.blank = "-" if rng.random() < 0.4 else ""
    return row


def make_form(seed: int, *, digits: str = "thai", n_items: Optional[int] = None) -> Form:
    """A realistic form. ``n_items``: number of item rows (headings included); sections and the
    total row come on top (body = n_items + 1-2 sections + 1 total, 8-14 rows by default)."""
    if digits not in ("thai", "arabic"):
        raise ValueError(f"digits must be 'thai' or 'arabic', not {digits!r}")
    rng = np.random.default_rng(seed)
    fy = int(rng.integers(2560, 2570))
    province = str(rng.choice(PROVINCES))
    agency = f"สำนักงานสหกรณ์จังหวัด{province}"
    person = f"{rng.choice(['นาย', 'นาง', 'นางสาว'])}{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    header = {
        "fiscal_year": fy, "agency": agency,
        "project": str(rng.choice(PROJECTS)), "plan": str(rng.choice(PLANS)), "output": str(rng.choice(OUTPUTS)),
        "main_activity": str(rng.choice(MAIN_ACTIVITIES)), "sub_activity": str(rng.choice(SUB_ACTIVITIES)),
        "objective": str(rng.choice(OBJECTIVES)), "responsible_unit": str(rng.choice(UNITS)),
        "responsible_person": f"{person} {rng.choice(POSITIONS)}",
    }
    decimals = bool(rng.random() < 0.3)
    if n_items is None:
        n_items = int(rng.integers(6, 12))
    n_items = max(2, int(n_items))
    n_budget = max(2, min(n_items - (1 if n_items > 3 else 0), int(rng.integers(2, 5))))
    n_work = n_items - n_budget

    rows: list[Row] = []
    if n_work > 0:
        rows.append(Row("section", text=str(rng.choice(SECTIONS))))
        step = int(rng.integers(1, 4))
        left = n_work
        items = list(rng.permutation(len(STEP_ITEMS)))
        sub = 1
        while left > 0:
            if left >= 2 or sub == 1:
                if sub > 1:
                    step += 1
                rows.append(Row("item", code=str(step), text=STEP_HEADINGS[(step - 1) % len(STEP_HEADINGS)],
                                heading=True, blank=""))
                left -= 1
                sub = 1
            for _ in range(min(left, int(rng.integers(1, 4)))):
                code = f"{step}.{sub}"
                if sub > 1 and rng.random() < 0.2:
                    code = f"{step}.{sub - 1}.{int(rng.integers(1, 4))}"
                else:
                    sub += 1
                rows.append(_work_item(rng, code, STEP_ITEMS[int(items[len(rows) % len(items)])]))
                left -= 1
    rows.append(Row("section", text=str(rng.choice(BUDGET_SECTIONS))))
    order = list(rng.permutation(len(BUDGET_ITEMS)))
    for i in range(n_budget):
        rows.append(_budget_item(rng, f"({i + 1})", BUDGET_ITEMS[int(order[i % len(order)])], decimals))
    rows.append(Row("total", text=TOTAL_TEXT, blank=""))
    sigs = []
    for role in ["ผู้เสนอแผน", "ผู้รับผิดชอบโครงการ", "ผู้อนุมัติแผน"]:
        name = f"{rng.choice(['นาย', 'นาง', 'นางสาว'])}{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        pos = f"สหกรณ์จังหวัด{province}" if role == "ผู้อนุมัติแผน" else str(rng.choice(POSITIONS))
        sigs.append((role, name, pos))
    form = Form(seed=seed, fiscal_year=fy, province=province, agency=agency, header=header, rows=rows,
                digits=digits, decimals=decimals, signatures=sigs)
    form.recompute_total()
    return form


# ---------------------------------------------------------------- table cells

@dataclass
class CellSpec:
    row: int
    col: int
    row_span: int
    col_span: int
    text: str
    kind: str          # header | text | number | dash | empty
    value: Optional[str]
    role: str          # activity | target | target_budget | work | budget | responsible | header


def _blank(text: str, role: str, r: int, c: int) -> CellSpec:
    return CellSpec(r, c, 1, 1, text, "dash" if text == "-" else "empty", None, role)


def table_cells(form: Form) -> list[CellSpec]:
    """Every cell of the activity table grid exactly once (row-major), header rows first."""
    d = form.d
    cells = [CellSpec(0, 0, 3, 1, "กิจกรรม/ขั้นตอนของกิจกรรม", "header", None, "header"),
             CellSpec(0, 1, 2, 2, "เป้าหมาย", "header", None, "header")]
    for q in range(4):
        cells.append(CellSpec(0, 3 + 6 * q, 1, 6, d(f"ไตรมาส {q + 1}"), "header", None, "header"))
    cells.append(CellSpec(0, 27, 3, 1, "ผู้รับผิดชอบ", "header", None, "header"))
    for m in range(12):
        cells.append(CellSpec(1, work_col(m), 1, 2, MONTH_ABBR[m], "header", None, "header"))
    cells += [CellSpec(2, 1, 1, 1, "งาน", "header", None, "header"),
              CellSpec(2, 2, 1, 1, "งบ", "header", None, "header")]
    for m in range(12):
        cells += [CellSpec(2, work_col(m), 1, 1, "งาน", "header", None, "header"),
                  CellSpec(2, budget_col(m), 1, 1, "งบ", "header", None, "header")]

    def num(r, c, v, role, dec):
        a = fmt_amount(v, dec) if isinstance(v, Decimal) else str(v)
        return CellSpec(r, c, 1, 1, d(a), "number", a.replace(",", ""), role)

    for i, row in enumerate(form.rows):
        r = HEADER_ROWS + i
        if row.kind == "section":
            cells.append(CellSpec(r, 0, 1, N_COLS, d(row.text), "text", None, "activity"))
            continue
        label = d(f"{row.code} {row.text}" if row.code else row.text)
        cells.append(CellSpec(r, 0, 1, 1, label, "text", None, "activity"))
        if row.kind == "total" or row.heading:
            blank = ""
        else:
            blank = row.blank
        if row.target_count and row.kind == "item" and not row.heading:
            cells.append(CellSpec(r, 1, 1, 1, d(f"{row.target_count} {row.unit}"), "text",
                                  str(row.target_count), "target"))
        else:
            cells.append(_blank("", "target", r, 1))
        if row.target_budget is not None:
            cells.append(num(r, 2, row.target_budget, "target_budget", form.decimals))
        else:
            cells.append(_blank(blank, "target_budget", r, 2))
        for m in range(12):
            w = row.work[m] if row.kind == "item" else None
            cells.append(num(r, work_col(m), w, "work", False) if w is not None
                         else _blank(blank if row.kind == "item" else "", "work", r, work_col(m)))
            b = row.budget[m]
            cells.append(num(r, budget_col(m), b, "budget", form.decimals) if b is not None
                         else _blank(blank, "budget", r, budget_col(m)))
        cells.append(CellSpec(r, 27, 1, 1, d(row.responsible) if row.kind == "item" else "",
                              "text" if row.responsible and row.kind == "item" else "empty", None, "responsible"))
    return cells
