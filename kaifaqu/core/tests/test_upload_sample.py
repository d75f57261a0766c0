"""The CSV text check reads only the first 2,048 bytes, which may end inside a character.

Each file is a ledger the way a park office exports it; the rows before the cut are padded with
the trailing spaces Excel leaves in cells so that byte 2,048 falls at every offset inside a
chosen multi-byte character, in every encoding the check accepts.
"""

from __future__ import annotations

import codecs

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from kaifaqu.core.uploads import validate_upload
from kaifaqu.sheets.readers import NOT_CHINESE_TEXT

SAMPLE = 2048  # bytes validate_upload reads
ALLOWED = ("xlsx", "xls", "csv")  # what the import page accepts
HEADER = "序号,项目名称,建设单位,总投资（万元）,项目阶段\n"
ROWS = [
    ("焦炉煤气制氢综合利用项目", "华润新能源（徐州）有限公司", "50000", "在建"),
    ("高端装备制造产业园二期", "开发区城市建设投资集团有限公司", "128000.5", "前期"),
    ("污水处理厂提标改造工程", "开发区水务有限公司", "8600", "竣工"),
    ("智能网联汽车零部件生产基地", "江苏恒远精密科技股份有限公司", "35000", "在建"),
    ("标准化厂房及配套设施", "开发区产业投资发展有限公司", "22000.75", "前期"),
]

# (id, encoding, BOM, the row cut at byte 2,048 (project, builder, amount, stage), the character cut)
CASES = [
    ("utf8-3byte", "utf-8", False, ("冷链物流园区项目", "开发区物流有限公司", "18800", "在建"), "项"),
    ("utf8-4byte", "utf-8", False, ("仓储中心扩建项目", "徐州𠮷利达物流有限公司", "9600", "前期"), "𠮷"),
    ("utf8-emoji", "utf-8", False, ("道路改造工程", "开发区市政公司", "4200", "在建🚧"), "🚧"),
    ("utf8-bom-3byte", "utf-8", True, ("冷链物流园区项目", "开发区物流有限公司", "18800", "在建"), "项"),
    ("utf8-bom-4byte", "utf-8", True, ("仓储中心扩建项目", "徐州𠮷利达物流有限公司", "9600", "前期"), "𠮷"),
    ("gbk-2byte", "gbk", False, ("冷链物流园区项目", "开发区物流有限公司", "18800", "在建"), "项"),
    ("gb18030-2byte", "gb18030", False, ("冷链物流园区项目", "开发区物流有限公司", "18800", "在建"), "项"),
    ("gb18030-4byte", "gb18030", False, ("新材料产业园项目", "江苏𠀀源科技有限公司", "66000", "前期"), "𠀀"),
]
CUTS = [
    pytest.param(encoding, bom, row, target, offset, id=f"{case}-cut{offset}")
    for case, encoding, bom, row, target in CASES
    for offset in range(len(target.encode(encoding)))
]


def line(serial: int, row: tuple[str, ...]) -> str:
    return ",".join((str(serial), *row)) + "\n"


def office_csv(encoding: str, bom: bool, row: tuple[str, ...], target: str, offset: int) -> bytes:
    """A ledger whose byte ``SAMPLE`` lies ``offset`` bytes into ``target`` (0: just before it)."""
    prefix = codecs.BOM_UTF8 if bom else b""

    def before_target(filler: list[str]) -> int:
        cut_row = line(len(filler) + 1, row)
        text = HEADER + "".join(filler) + cut_row[: cut_row.index(target)]
        return len(prefix) + len(text.encode(encoding))

    filler: list[str] = []
    while before_target([*filler, line(len(filler) + 1, ROWS[len(filler) % len(ROWS)])]) <= SAMPLE - offset:
        filler.append(line(len(filler) + 1, ROWS[len(filler) % len(ROWS)]))
    filler[-1] = filler[-1][:-1] + " " * (SAMPLE - offset - before_target(filler)) + "\n"
    tail = [line(len(filler) + 2 + n, values) for n, values in enumerate(ROWS)]
    text = HEADER + "".join(filler) + line(len(filler) + 1, row) + "".join(tail)
    data = prefix + text.encode(encoding)
    # The cut really is where the test says it is, inside the character.
    assert data[SAMPLE - offset :].startswith(target.encode(encoding))
    assert len(data) > SAMPLE
    return data


@pytest.mark.parametrize(("encoding", "bom", "row", "target", "offset"), CUTS)
def test_csv_cut_inside_a_character_is_accepted(encoding, bom, row, target, offset):
    data = office_csv(encoding, bom, row, target, offset)
    upload = SimpleUploadedFile("项目台账.csv", data, content_type="text/csv")
    assert validate_upload(upload, allowed=ALLOWED) == "csv"
    assert upload.read() == data  # rewound for the importer


def test_every_cut_position_is_covered():
    cuts = {(cut.values[0], cut.values[1], len(cut.values[3].encode(cut.values[0])), cut.values[4]) for cut in CUTS}
    widths = [("utf-8", False, 3), ("utf-8", False, 4), ("utf-8", True, 3), ("utf-8", True, 4)]
    widths += [("gbk", False, 2), ("gb18030", False, 2), ("gb18030", False, 4)]
    assert cuts == {(*kind, offset) for kind in widths for offset in range(kind[2])}


def refused(name: str, data: bytes) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        validate_upload(SimpleUploadedFile(name, data, content_type="text/csv"), allowed=ALLOWED)
    assert caught.value.messages == [f"文件“{name}”{NOT_CHINESE_TEXT}"]
    assert caught.value.code == "file_content"
    return caught.value


def test_utf16_export_with_nul_bytes_is_refused():
    # Excel's "Unicode 文本" is UTF-16: every ASCII character comes with a NUL byte.
    refused("台账.csv", (HEADER + "".join(line(n, row) for n, row in enumerate(ROWS, 1))).encode("utf-16"))


def test_a_single_nul_byte_is_refused():
    data = office_csv("utf-8", False, CASES[0][3], "项", 0)
    refused("台账.csv", data[:1000] + b"\x00" + data[1000:])


def test_bytes_that_are_neither_utf8_nor_gbk_are_refused():
    refused("台账.csv", b"\xff\xfe\xfd" * 1000)


def test_latin1_text_is_refused():
    text = "Nº,Société,Montant (F)\n" + "".join(f"{n},Café du Marché {n},{n * 1200}\n" for n in range(1, 200))
    refused("台账.csv", text.encode("latin-1"))


@pytest.mark.parametrize("offset", range(4))
def test_a_bad_byte_in_the_middle_is_refused_even_when_the_end_is_cut(offset):
    # A cut character at the end is forgiven; a stray byte before it is not.
    data = office_csv("utf-8", False, CASES[1][3], "𠮷", offset)
    refused("台账.csv", data[:1000] + b"\xff" + data[1001:])
