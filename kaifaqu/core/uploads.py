"""Checking uploaded files before anything reads them: size, extension and content type.

The extension alone is not trusted: the first bytes must match the format (xlsx/docx are
zip archives, xls is an OLE compound file, CSV must be text in UTF-8 or GBK).
"""

from __future__ import annotations

import codecs

from django.conf import settings
from django.core.exceptions import ValidationError

from kaifaqu.sheets.readers import NOT_CHINESE_TEXT, misread_as_gbk

ZIP = b"PK\x03\x04"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
KINDS = {
    "xlsx": ("Excel 工作簿", ZIP),
    "docx": ("Word 文档", ZIP),
    "xls": ("Excel 97-2003 工作簿", OLE),
    "csv": ("CSV 文本", None),
    "pdf": ("PDF文档", b"%PDF"),
    "jpg": ("JPEG 图片", b"\xff\xd8\xff"),
    "jpeg": ("JPEG 图片", b"\xff\xd8\xff"),
    "png": ("PNG 图片", b"\x89PNG"),
}


def validate_upload(upload, *, allowed: tuple[str, ...]) -> str:
    """Return the file's kind (its extension) or raise a ``ValidationError`` in Chinese."""
    name = getattr(upload, "name", "") or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    accepted = "、".join(f".{kind}" for kind in allowed)
    if extension not in allowed:
        raise ValidationError(f"文件“{name}”的类型不受支持，请上传 {accepted} 文件。", code="file_type")
    limit = settings.KAIFAQU_UPLOAD_MAX_MB
    if upload.size > limit * 1024 * 1024:
        raise ValidationError(
            f"文件“{name}”有 {upload.size / 1024 / 1024:.1f} MB，超过 {limit} MB 的上限。", code="file_size"
        )
    if upload.size == 0:
        raise ValidationError(f"文件“{name}”是空文件。", code="file_empty")
    head = upload.read(2048)
    upload.seek(0)
    label, magic = KINDS[extension]
    if magic is not None and not head.startswith(magic):
        raise ValidationError(f"文件“{name}”的内容不是{label}（可能改过扩展名或已损坏）。", code="file_content")
    if magic is None and not _is_text(head):
        raise ValidationError(f"文件“{name}”{NOT_CHINESE_TEXT}", code="file_content")
    return extension


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    for encoding in ("utf-8-sig", "gb18030"):
        # The sample is cut at 2,048 bytes, maybe inside a 2-4 byte character. An incremental
        # decoder with final=False holds back an incomplete sequence at the end but still
        # rejects an invalid byte anywhere before it, so no guessing at how much to trim.
        try:
            text = codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        # Nearly any bytes decode as GB18030: Big5 or Shift-JIS must not pass for Chinese.
        return encoding != "gb18030" or not misread_as_gbk(text)
    return False
