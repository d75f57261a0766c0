"""Text longer than its field is refused with the count, never cut quietly (issue 17, item 10)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from kaifaqu.indicators.models import Indicator, IndicatorReport, IndicatorValue
from kaifaqu.indicators.services import report_return, report_save_figures
from kaifaqu.projects.models import local_today
from kaifaqu.services.models import ServiceRequest
from kaifaqu.services.services import request_rate

TODAY = local_today()
LONG = "说" * 301


def test_a_long_indicator_note_is_refused_naming_the_indicator(admin_user, xiaoyi):
    tax = Indicator.objects.get(name="税收收入")
    with pytest.raises(ValidationError) as refused:
        report_save_figures(
            user=admin_user,
            owner=xiaoyi,
            year=TODAY.year,
            month=1,
            figures={tax.pk: {"value": Decimal(100), "note": LONG}},
            status=IndicatorReport.Status.DRAFT,
        )
    assert "税收收入的说明不能超过300个字（现有301个字）" in str(refused.value)
    assert not IndicatorValue.objects.exists()


def test_a_long_return_reason_is_refused_and_the_report_stays_submitted(admin_user, xiaoyi):
    report = IndicatorReport.objects.create(
        zone=xiaoyi, region=xiaoyi.region, year=TODAY.year, month=1, status=IndicatorReport.Status.SUBMITTED
    )
    with pytest.raises(ValidationError) as refused:
        report_return(user=admin_user, report=report, comment=LONG)
    assert "退回原因不能超过300个字（现有301个字）" in str(refused.value)
    report.refresh_from_db()
    assert report.status == IndicatorReport.Status.SUBMITTED


def test_a_long_rating_comment_is_refused_and_the_request_stays_resolved(admin_user, xiaoyi, xiaoyi_enterprise):
    request = ServiceRequest.objects.create(
        zone=xiaoyi,
        enterprise=xiaoyi_enterprise,
        title="用地指标",
        category="land",
        received_on=TODAY,
        due_on=TODAY,
        status=ServiceRequest.Status.RESOLVED,
    )
    with pytest.raises(ValidationError) as refused:
        request_rate(user=admin_user, request=request, satisfaction=5, comment=LONG)
    assert "评价意见不能超过300个字（现有301个字）" in str(refused.value)
    request.refresh_from_db()
    assert request.status == ServiceRequest.Status.RESOLVED and request.satisfaction is None
