from django.db import models


class Region(models.Model):
    """An administrative division keyed by its GB/T 2260 six-digit code."""

    class Level(models.TextChoices):
        PROVINCE = "province", "省级"
        CITY = "city", "地级"
        COUNTY = "county", "县级"

    code = models.CharField("区划代码", max_length=6, primary_key=True)
    name = models.CharField("名称", max_length=50)
    level = models.CharField("级别", max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def scope_prefix(self) -> str:
        """The code prefix shared by this region and everything under it (GB/T 2260 is hierarchical)."""
        if self.level == self.Level.PROVINCE:
            return self.code[:2]
        if self.level == self.Level.CITY:
            return self.code[:4]
        return self.code

    @property
    def full_name(self) -> str:
        names = []
        region: Region | None = self
        while region is not None:
            if region.name != "市辖区":
                names.append(region.name)
            region = region.parent
        return "".join(reversed(names))
