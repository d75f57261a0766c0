"""考核 pages (issue 21): schemes, runs and their rankings, hand-entered values, 红黑榜."""

from .honor import honor_add, honor_detail, honor_docx, honor_publish, honor_remove
from .runs import run_detail, run_publish, run_recompute, run_review, run_xlsx, score_docx
from .schemes import (
    honor_generate,
    item_add,
    item_delete,
    item_edit,
    manual_evidence,
    manual_values,
    run_create,
    scheme_detail,
    scheme_edit,
    scheme_list,
)

__all__ = [
    "honor_add",
    "honor_detail",
    "honor_docx",
    "honor_generate",
    "honor_publish",
    "honor_remove",
    "item_add",
    "item_delete",
    "item_edit",
    "manual_evidence",
    "manual_values",
    "run_create",
    "run_detail",
    "run_publish",
    "run_recompute",
    "run_review",
    "run_xlsx",
    "scheme_detail",
    "scheme_edit",
    "scheme_list",
    "score_docx",
]
