"""Demo 招商引资 for 孝义 and 屯留: a year of activity up to the loading day, through the services.

The articles' figures stay exact (孝义 53 projects / 552.7亿元, 屯留's four steps 29 / 54.7亿元), so
no project is added: the leads are the zones' pre-signing projects, which get their 招商方式,
source and target here; a few of 孝义's move on a step within the year. Everything else — the
招商产业目录, the 目标企业, the 班子成员's monthly trips, visits, talks, agreements, 推介会 and the
平台公司 — is recorded as the zone's 招商专员 would. Seeded randomness: the same day loads the same data.
"""

from __future__ import annotations

import calendar
import datetime
import hashlib
import random
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from kaifaqu.enterprises.credit_code import make_credit_code
from kaifaqu.enterprises.models import Enterprise, IndustryClass
from kaifaqu.investment import services
from kaifaqu.investment.models import Activity, InvestmentMode, Lead, PlatformCompany, Target, TargetIndustry
from kaifaqu.projects import lifecycle
from kaifaqu.projects.models import Project, Stage, StageChange
from kaifaqu.projects.services import project_move_stage
from kaifaqu.zones import roles
from kaifaqu.zones.models import Unit, Zone
from kaifaqu.zones.services import membership_set

Kind = Activity.Kind
Size = Target.Size
Status = Target.Status
Source = Lead.Source

# The 班子 of each committee besides its demo login (leader-xiaoyi / leader-tunliu): people, no login.
# (username, name, title); the last of 孝义's misses a trip now and then, so the monthly list has names.
OTHER_LEADERS = {
    "xiaoyi": (
        ("banzi-xiaoyi-2", "李志强", "党工委副书记、管委会常务副主任"),
        ("banzi-xiaoyi-3", "张伟", "管委会副主任"),
    ),
    "tunliu": (("banzi-tunliu-2", "刘洋", "管委会副主任"),),
}
OTHER_LEADER_USERNAMES = tuple(username for people in OTHER_LEADERS.values() for username, *_ in people)
# (zone, month index 0..10 counted from the oldest, leader index): the trips not made.
MISSED_TRIPS = {("xiaoyi", 3, 2), ("xiaoyi", 8, 2), ("xiaoyi", 6, 1), ("tunliu", 4, 1)}

# 招商产业目录: (name, GB/T 4754 大类, focus).
INDUSTRIES = {
    "xiaoyi": (
        ("氢能", "44", "焦炉煤气制氢、氢燃料电池电堆及关键零部件、储氢加氢装备、氢能重卡"),
        ("现代煤化工", "26", "焦炉煤气综合利用、煤基烯烃、合成氨—尿素、LNG联产"),
        ("碳基新材料", "28", "碳纤维及复合材料、工程塑料、尼龙新材料"),
        ("铝镁新材料", "32", "氧化铝精深加工、镁铝合金、铝基催化剂、航空航天镁基材料"),
        ("新能源材料", "38", "锂电池正极材料、电解液、储能系统集成"),
        ("装备制造", "35", "煤化工装备、矿山机械、氢能装备配套"),
        ("数字经济", "65", "智慧物流平台、工业互联网、园区数字化"),
        ("白酒食品", "15", "清香型白酒、食品精深加工"),
    ),
    "tunliu": (
        ("新能源", "38", "风电装备零部件、光伏组件配套、储能电池PACK"),
        ("固废综合利用", "42", "煤矸石、建筑垃圾、废旧锂电池资源化"),
        ("生物医药", "27", "中药配方颗粒、原料药、医用防护用品"),
        ("装备制造", "35", "智能矿山装备、液压支架再制造、应急救援装备"),
        ("新材料", "30", "新型建材、食品包装材料"),
        ("现代物流", "59", "冷链物流、电商分拨、智慧仓储"),
        ("信息技术", "65", "数据中心、工业互联网、软件外包"),
    ),
}

HQ_CODES = {
    "北京市": "110108",
    "上海市": "310115",
    "天津市": "120116",
    "广东省深圳市": "440305",
    "广东省广州市": "440106",
    "广东省佛山市": "440606",
    "江苏省苏州市": "320505",
    "江苏省常州市": "320411",
    "江苏省无锡市": "320214",
    "江苏省徐州市": "320311",
    "浙江省杭州市": "330106",
    "浙江省台州市": "331002",
    "山东省滨州市": "371602",
    "山东省泰安市": "370902",
    "河南省郑州市": "410105",
    "湖南省长沙市": "430104",
    "陕西省西安市": "610113",
}


@dataclass(frozen=True)
class TargetSpec:
    name: str
    hq: str
    industry: str
    size: str
    status: str  # where it stands now (a lead's target: 洽谈中, or 已落地 once signed)
    reason: str
    lead: str = ""  # the pre-signing project it became
    mode: str = "产业链招商"
    source: str = Source.EVENT  # the lead's source (event: the 推介会 it was first met at)
    note: str = ""


T = TargetSpec
TARGETS = {
    "xiaoyi": (
        T(
            "北京氢源动力科技有限公司",
            "北京市",
            "氢能",
            Size.LEADER,
            Status.NEGOTIATING,
            "燃料电池电堆龙头，可就近利用园区焦炉煤气副产氢",
            "氢燃料电池零部件项目",
            "产业链招商",
        ),
        T(
            "北京京能氢储投资有限公司",
            "北京市",
            "氢能",
            Size.CHINA_500,
            Status.NEGOTIATING,
            "央企背景氢能投资平台，拟合作建设氢能重卡示范线",
            mode="基金招商",
        ),
        T(
            "上海联氢能源装备股份有限公司",
            "上海市",
            "氢能",
            Size.LISTED,
            Status.CONTACTED,
            "储氢瓶和加氢站成套设备，补齐储运环节",
        ),
        T("深圳中科氢储技术有限公司", "广东省深圳市", "氢能", Size.MEDIUM, Status.CONTACTED, "固态储氢材料"),
        T(
            "苏州国氢新能源汽车有限公司",
            "江苏省苏州市",
            "氢能",
            Size.LARGE,
            Status.DROPPED,
            "氢燃料物流车整车",
            note="企业已选址长三角，暂不考虑北方布局",
        ),
        T("上海氢途物流科技有限公司", "上海市", "氢能", Size.SMALL, Status.UNTOUCHED, "氢能重卡运营场景"),
        T(
            "上海申化新材料集团有限公司",
            "上海市",
            "现代煤化工",
            Size.CHINA_500,
            Status.NEGOTIATING,
            "煤基高端化学品，可延伸园区焦炉煤气产业链",
            mode="产业链招商",
        ),
        T("北京中能煤基新材料有限公司", "北京市", "现代煤化工", Size.LARGE, Status.CONTACTED, "煤制乙二醇技术"),
        T(
            "江苏恒瑞碳纤维科技有限公司",
            "江苏省苏州市",
            "碳基新材料",
            Size.LISTED,
            Status.NEGOTIATING,
            "碳纤维原丝到复合材料全链条，配套嘉能碳纤维原料",
            "碳纤维复合材料项目",
            "以商招商",
            Source.ENTERPRISE,
        ),
        T(
            "浙江中塑工程塑料有限公司",
            "浙江省杭州市",
            "碳基新材料",
            Size.PRIVATE_500,
            Status.NEGOTIATING,
            "改性工程塑料，以园区苯、烯烃为原料",
            "工程塑料项目",
            "产业链招商",
        ),
        T("杭州碳谷新材料有限公司", "浙江省杭州市", "碳基新材料", Size.MEDIUM, Status.UNTOUCHED, "石墨烯导电浆料"),
        T(
            "奥镁集团有限公司",
            "北京市",
            "铝镁新材料",
            Size.LEADER,
            Status.NEGOTIATING,
            "铝基新材料龙头，利用园区氧化铝就地转化",
            "奥镁集团100万吨铝基新材料项目",
            "产业链招商",
            Source.PERSON,
        ),
        T(
            "山东华铝新材料集团有限公司",
            "山东省滨州市",
            "铝镁新材料",
            Size.PRIVATE_500,
            Status.NEGOTIATING,
            "多品种氧化铝，拟与信发合作",
            "100万吨多品种氧化铝系列项目",
            "以商招商",
            Source.ENTERPRISE,
        ),
        T(
            "西安航镁轻合金科技有限公司",
            "陕西省西安市",
            "铝镁新材料",
            Size.MEDIUM,
            Status.NEGOTIATING,
            "航空航天镁合金构件",
            "航空航天镁基材料应用项目",
            "专业招商",
        ),
        T(
            "上海催化新材料股份有限公司",
            "上海市",
            "铝镁新材料",
            Size.LISTED,
            Status.NEGOTIATING,
            "铝基催化剂载体",
            "铝基催化剂系列项目",
            "场景招商",
        ),
        T(
            "湖南长远锂电材料有限公司",
            "湖南省长沙市",
            "新能源材料",
            Size.LISTED,
            Status.NEGOTIATING,
            "三元正极材料，配套泽洋电联剂",
            "锂电池正极材料项目",
            "产业链招商",
            Source.PLATFORM,
        ),
        T(
            "常州储能电池系统有限公司",
            "江苏省常州市",
            "新能源材料",
            Size.LARGE,
            Status.DROPPED,
            "储能系统集成",
            note="项目已落地外省",
        ),
        T("苏州精工智能装备有限公司", "江苏省苏州市", "装备制造", Size.MEDIUM, Status.UNTOUCHED, "煤化工智能巡检装备"),
        T("天津重装矿山机械有限公司", "天津市", "装备制造", Size.LARGE, Status.CONTACTED, "矿山机械区域维修中心"),
        T(
            "深圳链达供应链科技有限公司",
            "广东省深圳市",
            "数字经济",
            Size.MEDIUM,
            Status.NEGOTIATING,
            "零碳物流数字化平台",
            "零碳物流智慧运营管理平台项目",
            "场景招商",
            Source.PLATFORM,
        ),
        T("杭州数智园区科技有限公司", "浙江省杭州市", "数字经济", Size.SMALL, Status.CONTACTED, "化工园区智慧管理"),
        T("深圳云算数据科技有限公司", "广东省深圳市", "数字经济", Size.MEDIUM, Status.CONTACTED, "边缘数据中心"),
        T(
            "北京华酿酒业投资有限公司",
            "北京市",
            "白酒食品",
            Size.LARGE,
            Status.NEGOTIATING,
            "清香型白酒产业投资，与羊羔酒业协同",
            "5万吨清香型白酒产业园项目",
            "以商招商",
            Source.ENTERPRISE,
        ),
    ),
    "tunliu": (
        T(
            "苏州阳光屋顶能源科技有限公司",
            "江苏省苏州市",
            "新能源",
            Size.MEDIUM,
            Status.NEGOTIATING,
            "工业厂房屋顶分布式光伏",
            "分布式光伏发电项目",
            "场景招商",
        ),
        T(
            "江苏风华能源装备股份有限公司",
            "江苏省无锡市",
            "新能源",
            Size.LISTED,
            Status.NEGOTIATING,
            "风电轴承、法兰等零部件",
            "风电装备零部件制造项目",
            "产业链招商",
        ),
        T(
            "深圳储能芯电池有限公司",
            "广东省深圳市",
            "新能源",
            Size.LARGE,
            Status.NEGOTIATING,
            "储能电池PACK与系统集成",
            "储能电池PACK生产线项目",
            "产业链招商",
            Source.PERSON,
        ),
        T(
            "常州宏铝光伏边框有限公司",
            "江苏省常州市",
            "新能源",
            Size.MEDIUM,
            Status.LANDED,
            "光伏组件铝边框",
            "光伏组件边框生产项目",
            "产业链招商",
        ),
        T("深圳光储智能装备有限公司", "广东省深圳市", "新能源", Size.MEDIUM, Status.CONTACTED, "光储充一体化装备"),
        T("苏州新能储能科技有限公司", "江苏省苏州市", "新能源", Size.SMALL, Status.UNTOUCHED, "工商业储能"),
        T(
            "北京中环固废资源科技有限公司",
            "北京市",
            "固废综合利用",
            Size.LARGE,
            Status.NEGOTIATING,
            "工业固废综合利用整体解决方案",
            "工业固废综合利用项目",
            "专业招商",
        ),
        T(
            "浙江绿筑新型建材有限公司",
            "浙江省杭州市",
            "新材料",
            Size.PRIVATE_500,
            Status.NEGOTIATING,
            "煤矸石烧结砖和新型墙材",
            "煤矸石制新型建材项目",
            "成本招商",
        ),
        T(
            "广东循源锂电回收科技有限公司",
            "广东省佛山市",
            "固废综合利用",
            Size.MEDIUM,
            Status.NEGOTIATING,
            "废旧动力电池梯次利用和再生",
            "废旧锂电池回收项目",
            "产业链招商",
        ),
        T(
            "广东康本中药科技有限公司",
            "广东省广州市",
            "生物医药",
            Size.LARGE,
            Status.NEGOTIATING,
            "中药配方颗粒，利用上党中药材资源",
            "中药配方颗粒生产项目",
            "产业链招商",
            Source.PERSON,
        ),
        T(
            "浙江康润原料药有限公司",
            "浙江省台州市",
            "生物医药",
            Size.LISTED,
            Status.NEGOTIATING,
            "特色原料药产能转移",
            "生物医药原料药项目",
            "专业招商",
        ),
        T(
            "江苏康护医疗用品有限公司",
            "江苏省苏州市",
            "生物医药",
            Size.MEDIUM,
            Status.NEGOTIATING,
            "医用防护用品",
            "医用防护用品生产项目",
            "驻地招商",
        ),
        T(
            "北京生物制药科技有限公司",
            "北京市",
            "生物医药",
            Size.MEDIUM,
            Status.DROPPED,
            "生物制剂",
            note="环评条件不具备，暂缓",
        ),
        T(
            "徐州智矿装备有限公司",
            "江苏省徐州市",
            "装备制造",
            Size.LARGE,
            Status.NEGOTIATING,
            "智能综采装备，服务长治煤矿",
            "智能矿山装备制造项目",
            "场景招商",
        ),
        T(
            "河南中原液压再制造有限公司",
            "河南省郑州市",
            "装备制造",
            Size.LARGE,
            Status.NEGOTIATING,
            "液压支架再制造",
            "液压支架再制造项目",
            "场景招商",
        ),
        T(
            "北京安泰应急装备有限公司",
            "北京市",
            "装备制造",
            Size.MEDIUM,
            Status.NEGOTIATING,
            "矿山应急救援装备",
            "应急救援装备生产项目",
            "专业招商",
        ),
        T(
            "上海电机再制造服务有限公司",
            "上海市",
            "装备制造",
            Size.MEDIUM,
            Status.NEGOTIATING,
            "高效电机再制造",
            "电机维修再制造项目",
            "以商招商",
            Source.PERSON,
        ),
        T(
            "山东泰安矿机配件有限公司",
            "山东省泰安市",
            "装备制造",
            Size.MEDIUM,
            Status.LANDED,
            "矿用机械配件",
            "矿用机械配件生产项目",
            "驻地招商",
        ),
        T(
            "江苏宜兴环保设备有限公司",
            "江苏省无锡市",
            "装备制造",
            Size.MEDIUM,
            Status.LANDED,
            "污水处理成套设备",
            "污水处理设备生产项目",
            "专业招商",
        ),
        T(
            "浙江绿包新材料有限公司",
            "浙江省杭州市",
            "新材料",
            Size.SMALL,
            Status.NEGOTIATING,
            "可降解食品包装",
            "食品包装材料项目",
            "产业链招商",
        ),
        T(
            "杭州工联网络科技有限公司",
            "浙江省杭州市",
            "信息技术",
            Size.MEDIUM,
            Status.NEGOTIATING,
            "工业互联网平台",
            "工业互联网平台项目",
            "场景招商",
        ),
        T(
            "深圳数港云计算有限公司",
            "广东省深圳市",
            "信息技术",
            Size.LARGE,
            Status.NEGOTIATING,
            "区域数据中心",
            "数据中心机房建设项目",
            "成本招商",
        ),
        T(
            "北京启航软件服务有限公司",
            "北京市",
            "信息技术",
            Size.MEDIUM,
            Status.LANDED,
            "软件外包交付中心",
            "软件信息服务外包项目",
            "专业招商",
        ),
        T(
            "杭州递达供应链管理有限公司",
            "浙江省杭州市",
            "现代物流",
            Size.MEDIUM,
            Status.LANDED,
            "电商区域分拨",
            "电商物流分拨中心项目",
            "平台招商",
            Source.PLATFORM,
        ),
    ),
}

# Leads without a target (the zone's own enterprises' projects, or brought by the 平台公司): mode, source.
OTHER_LEADS = {
    "xiaoyi": {},
    "tunliu": {
        "冷链物流园项目": ("平台招商", Source.PLATFORM),
        "智慧物流仓储中心项目": ("平台招商", Source.PLATFORM),
        "建筑垃圾资源化利用项目": ("平台招商", Source.PLATFORM),
        "余热余压利用项目": ("委托招商", Source.PERSON),
        "安全应急产业园项目": ("平台招商", Source.PLATFORM),
        "特色小米深加工项目": ("以商招商", Source.PERSON),
        "节能环保设备制造项目": ("产业链招商", Source.EVENT),
        "酿造调味品生产项目": ("其他", Source.PERSON),
    },
}
REFERRERS = ("郭志强（长治市在京商会）", "孙丽（山西省驻沪办）", "周涛（晋商联合会）", "吴昊（县招商顾问）")

PLATFORMS = {
    "xiaoyi": {
        "name": "孝义经济开发区建设投资有限公司",
        "enterprise": "孝义经济开发区建设投资有限公司",
        "established_on": datetime.date(2018, 6, 18),
        "registered_capital": Decimal("100000"),
        "duties": "招商运营、基础设施建设、标准化厂房代建、园区服务（管运分离）",
        "commissioned": ("东义铝镁合金产业园建设项目", "一果食品深加工项目"),
    },
    "tunliu": {
        "name": "屯留经济技术开发区投资运营有限公司",
        "enterprise": None,
        "established_on": datetime.date(2021, 9, 6),
        "registered_capital": Decimal("50000"),
        "duties": "招商运营、园区开发建设、标准化厂房代建",
        "commissioned": ("安全应急产业园项目", "冷链物流园项目"),
    },
}

# The 推介会 the event-sourced leads were first met at (before the year shown), and the year's own.
EVENTS = {
    "xiaoyi": (
        ("孝义经济开发区（北京）氢能及新材料产业招商推介会", "北京市"),
        ("孝义经济开发区（深圳）数字经济与新能源材料专题推介会", "广东省深圳市"),
    ),
    "tunliu": (
        ("屯留经济技术开发区（苏州）新能源装备产业招商推介会", "江苏省苏州市"),
        ("屯留经济技术开发区（杭州）固废利用与生物医药专题推介会", "浙江省杭州市"),
    ),
}
# Strategic agreements of the year: (month index, target, 万元).
STRATEGIC = {
    "xiaoyi": ((3, "北京京能氢储投资有限公司", 350000), (8, "上海申化新材料集团有限公司", 200000)),
    "tunliu": ((5, "深圳储能芯电池有限公司", 100000),),
}
# 孝义's leads that moved on a step this year: (project, to stage, days before the loading day).
MOVES = (
    ("碳纤维复合材料项目", Stage.INTENT, 150),
    ("氢燃料电池零部件项目", Stage.READY, 90),
    ("黑猫6万吨高端颜料项目", Stage.SIGNED, 40),
)
LOCAL_REGION = {"xiaoyi": "山西省孝义市", "tunliu": "山西省长治市"}  # a local enterprise's agreement
OFFICERS = {"xiaoyi": ("李娜", "王芳", "赵磊"), "tunliu": ("陈晨", "杨洁")}


def demo_investment(*, admin, today: datetime.date) -> int:
    """Load 孝义's and 屯留's 招商 (after the demo users: the 班子 are zone members); returns the activities."""
    started = timezone.now()
    count = 0
    for key, name in (("xiaoyi", "孝义经济开发区"), ("tunliu", "屯留经济技术开发区")):
        count += ZoneInvestment(key, Zone.objects.get(name=name), admin, today).load()
    _backdate(started)
    return count


class ZoneInvestment:
    def __init__(self, key: str, zone: Zone, admin, today: datetime.date):
        self.key, self.zone, self.admin, self.today = key, zone, admin, today
        self.rng = random.Random(f"kaifaqu-demo-investment-{key}")
        self.officer = get_user_model().objects.get(username=f"invest-{key}")
        self.projects = {project.name: project for project in Project.objects.filter(zone=zone)}
        self.modes = {mode.name: mode for mode in InvestmentMode.objects.all()}
        self.months = _months(today)
        self.first_met: dict[str, Activity] = {}

    def load(self) -> int:
        self.leaders = self._leaders()
        self.industries = self._industries()
        self.targets = self._targets()
        self.platform = self._platform()
        self._moves()
        before = Activity.objects.filter(zone=self.zone).count()
        self._history()
        self._year()
        self._leads()
        return Activity.objects.filter(zone=self.zone).count() - before

    # ------------------------------------------------------------ who, what is sought, with whom

    def _leaders(self) -> list:
        unit = Unit.objects.get(kind=Unit.Kind.ZONE, zone=self.zone)
        user_model = get_user_model()
        for username, name, title in OTHER_LEADERS[self.key]:
            user, _ = user_model.objects.get_or_create(username=username)
            user.first_name = name
            user.set_unusable_password()  # a 班子成员 on record, not a demo login
            user.save()
            membership_set(user=user, unit=unit, roles=(roles.LEADER,), title=title, leadership=True)
        logins = [user_model.objects.get(username=f"leader-{self.key}")]
        return logins + [user_model.objects.get(username=username) for username, *_ in OTHER_LEADERS[self.key]]

    def _industries(self) -> dict[str, TargetIndustry]:
        classes = IndustryClass.objects.in_bulk([code for _, code, _ in INDUSTRIES[self.key]])
        return {
            name: services.target_industry_save(
                user=self.officer,
                industry=TargetIndustry(zone=self.zone),
                fields={"name": name, "industry_class": classes.get(code), "focus": focus, "order": order},
            )
            for order, (name, code, focus) in enumerate(INDUSTRIES[self.key], start=1)
        }

    def _targets(self) -> dict[str, Target]:
        owners = OFFICERS[self.key]
        targets = {}
        for index, spec in enumerate(TARGETS[self.key]):
            industry = self.industries[spec.industry]
            known = spec.status != Status.UNTOUCHED and index % 3 != 2  # a credit code once met, mostly
            targets[spec.name] = services.target_save(
                user=self.officer,
                target=Target(zone=self.zone),
                fields={
                    "name": spec.name,
                    "credit_code": _credit_code(spec) if known else "",
                    "hq_region": spec.hq,
                    "industry": industry,
                    "industry_class": industry.industry_class,
                    "size": spec.size,
                    "reason": spec.reason,
                    "owner": owners[index % len(owners)],
                    "status": Status.UNTOUCHED,  # activities move it on; its standing is set last
                    "note": spec.note,
                },
            )
        return targets

    def _platform(self) -> PlatformCompany:
        spec = PLATFORMS[self.key]
        enterprise = Enterprise.objects.filter(zone=self.zone, name=spec["enterprise"]).first()
        return services.platform_save(
            user=self.admin,
            platform=PlatformCompany(zone=self.zone),
            fields={
                "name": spec["name"],
                "enterprise": enterprise,
                "established_on": spec["established_on"],
                "registered_capital": spec["registered_capital"],
                "duties": spec["duties"],
            },
            commissioned=[self.projects[name] for name in spec["commissioned"]],
        )

    def _moves(self) -> None:
        """孝义's leads that moved on a step this year, dated after their last step and by today."""
        if self.key != "xiaoyi":
            return
        self.moved_on: dict[str, datetime.date] = {}
        for name, stage, days_ago in MOVES:
            project = self.projects[name]
            last = max(getattr(project, field) for field in lifecycle.STAGE_DATE_FIELDS if getattr(project, field))
            day = min(self.today, max(self.today - datetime.timedelta(days=days_ago), last + datetime.timedelta(7)))
            date_field = lifecycle.DATE_FIELD[stage]
            project_move_stage(user=self.officer, project=project, to_stage=stage, dates={date_field: day})
            project.refresh_from_db()
            self.moved_on[name] = day

    # ------------------------------------------------------------ activities

    def _record(self, kind: str, title: str, day: datetime.date, *, targets=(), leads=(), **fields) -> Activity:
        fields = {"zone": self.zone, "kind": kind, "title": title, "start_on": day, **fields}
        activity = services.activity_save(
            user=self.officer, activity=Activity(), fields=fields, targets=list(targets), leads=list(leads)
        )
        for target in targets:
            self.first_met.setdefault(target.name, activity)
        return activity

    def _history(self) -> None:
        """Before the year shown: the 推介会 where the event-sourced leads were first met, and the
        project agreements of the leads signed then (on their 签约日期)."""
        title, region = EVENTS[self.key][0]
        met = [spec for spec in TARGETS[self.key] if spec.lead and spec.source == Source.EVENT]
        contacted = [self.projects[spec.lead].contact_on for spec in met]
        held_on = min([*contacted, self.today - datetime.timedelta(days=400)])
        self._record(
            Kind.EVENT,
            title,
            held_on,
            region=region,
            leader=self.leaders[0],
            members="管委会班子成员、招商局、各园区负责人",
            targets=[self.targets[spec.name] for spec in met],
            summary=f"推介{self.zone.display_name}重点产业和投资环境，{len(met)}家企业现场对接。",
        )
        for spec in TARGETS[self.key]:
            project = self.projects.get(spec.lead)
            if project is None or project.signed_on is None or project.name in getattr(self, "moved_on", {}):
                continue
            self._agreement(project, self.targets[spec.name], project.signed_on, lead=self.leaders[0])

    def _agreement(self, project: Project, target: Target | None, day: datetime.date, *, lead) -> Activity:
        return self._record(
            Kind.AGREEMENT,
            f"{project.name}投资合作协议签约",
            day,
            region=target.hq_region if target else LOCAL_REGION[self.key],
            leader=lead,
            agreement_kind=Activity.AgreementKind.PROJECT,
            signed_amount=project.total_investment,
            targets=[target] if target else [],
            leads=[project],
            summary=f"签订项目合作协议，总投资{project.total_investment / 10000:g}亿元。",
        )

    def _year(self) -> None:
        """Month by month: each 班子成员's trip, a visit or two, talks; a 推介会, agreements."""
        leads = [(self.targets[spec.name], self.projects[spec.lead]) for spec in TARGETS[self.key] if spec.lead]
        regions = sorted({spec.hq for spec in TARGETS[self.key]})
        officers = "、".join(OFFICERS[self.key])
        for index, (first, last) in enumerate(self.months):
            for number, leader in enumerate(self.leaders):
                if (self.key, index, number) in MISSED_TRIPS or not self._so_far(first, last):
                    continue
                self._trip(leader, first, last, regions, officers)
            for _ in range(self.rng.randint(1, 2)):
                if not self._so_far(first, last):
                    continue
                target, project = self.rng.choice(leads)
                self._record(
                    Kind.VISIT,
                    f"{_short(target.name)}考察团来区考察",
                    self._day(first, last),
                    region=target.hq_region,
                    leader=self.rng.choice(self.leaders),
                    members=officers,
                    targets=[target],
                    leads=[project],
                    summary="实地考察园区和项目选址，座谈对接用地、用能和配套政策。",
                )
            for _ in range(self.rng.randint(1, 3)):
                if self._so_far(first, last):
                    self._talk(leads, first, last)
            for month, name, amount in STRATEGIC[self.key]:
                if month == index:
                    self._strategic(self.targets[name], Decimal(amount), first, last)
            if index == 7:
                self._event(first, last)
        for name, day in getattr(self, "moved_on", {}).items():
            project = self.projects[name]
            target = Target.objects.filter(zone=self.zone, name__in=_lead_targets(self.key, name)).first()
            if project.stage == Stage.SIGNED:
                self._agreement(project, target, day, lead=self.leaders[0])
            else:
                self._record(
                    Kind.TALK,
                    f"与{_short(target.name)}就{project.name}深度洽谈",
                    day,
                    region=target.hq_region,
                    leader=self.leaders[1],
                    depth=Activity.Depth.DEEP,
                    targets=[target],
                    leads=[project],
                    summary=f"就投资规模、用地和建设时序达成一致，项目转入“{project.get_stage_display()}”。",
                )

    def _trip(self, leader, first, last, regions, officers) -> None:
        region = self.rng.choice(regions)
        pool = [target for target in self.targets.values() if target.hq_region == region]
        met = self.rng.sample(pool, min(len(pool), self.rng.randint(1, 3)))
        industry = met[0].industry.name if met else self.rng.choice(list(self.industries))
        day = self._day(first, last)
        self._record(
            Kind.TRIP,
            f"赴{_city(region)}开展{industry}产业招商考察",
            day,
            end_on=min(day + datetime.timedelta(days=self.rng.randint(1, 3)), self.today),
            region=region,
            leader=leader,
            members=officers,
            targets=met,
            leads=[self.projects[spec.lead] for spec in TARGETS[self.key] if spec.lead and spec.name in _names(met)],
            summary=f"拜访{'、'.join(_short(target.name) for target in met)}，介绍园区产业基础和要素保障。",
        )

    def _talk(self, leads, first, last) -> None:
        target, project = self.rng.choice(leads)
        deep = project.stage != Stage.CONTACT or self.rng.random() < 0.3
        self._record(
            Kind.TALK,
            f"与{_short(target.name)}就{project.name}{'深度洽谈' if deep else '初次洽谈'}",
            self._day(first, last),
            region=target.hq_region,
            leader=self.rng.choice(self.leaders),
            depth=Activity.Depth.DEEP if deep else Activity.Depth.FIRST,
            targets=[target],
            leads=[project],
            summary="商议投资规模、建设内容、用地及能耗指标。" if deep else "初步了解企业投资意向和选址要求。",
        )

    def _strategic(self, target: Target, amount: Decimal, first, last) -> None:
        self._record(
            Kind.AGREEMENT,
            f"与{_short(target.name)}签订战略合作协议",
            self._day(first, last),
            region=target.hq_region,
            leader=self.leaders[0],
            agreement_kind=Activity.AgreementKind.STRATEGIC,
            signed_amount=amount,
            targets=[target],
            summary=f"双方在{target.industry}领域开展全面合作，协议投资{amount / 10000:g}亿元。",
        )

    def _event(self, first, last) -> None:
        title, region = EVENTS[self.key][1]
        met = [target for target in self.targets.values() if target.hq_region == region][:4]
        self._record(
            Kind.EVENT,
            title,
            self._day(first, last),
            region=region,
            leader=self.leaders[0],
            members="管委会班子成员、招商局、平台公司",
            targets=met,
            summary=f"组团招商，{len(met)}家企业参会对接。",
        )

    def _so_far(self, first: datetime.date, last: datetime.date) -> bool:
        """This month's activities, as far as the month has gone (a trip of the 3rd is not yet due on the 1st)."""
        if last.month != self.today.month or last.year != self.today.year:
            return True
        return self.rng.random() < last.day / calendar.monthrange(last.year, last.month)[1]

    def _day(self, first: datetime.date, last: datetime.date) -> datetime.date:
        return first + datetime.timedelta(days=self.rng.randint(0, (last - first).days))

    # ------------------------------------------------------------ the leads' 招商 facts

    def _leads(self) -> None:
        """Every project past 谋划 gets its 招商方式 and source; a target's standing is set last."""
        referrers = iter(REFERRERS * 10)
        for spec in TARGETS[self.key]:
            target = self.targets[spec.name]
            if spec.lead:
                project = self.projects[spec.lead]
                self._lead(project, spec.mode, spec.source, target=target, referrers=referrers)
                standing = Status.LANDED if lifecycle.RANK[project.stage] >= lifecycle.RANK[Stage.SIGNED] else None
            else:
                standing = None
            target.refresh_from_db()
            wanted = standing or spec.status
            if wanted != target.status:
                services.target_save(user=self.officer, target=target, fields={"status": wanted})
        for name, (mode, source) in OTHER_LEADS[self.key].items():
            self._lead(self.projects[name], mode, source, referrers=referrers)
        # The rest (signed and later too, so 按招商方式 has no 未填写): the platform's own projects
        # came through it; the zone's enterprises' own expansions extend their chains.
        done = set(Lead.objects.filter(project__zone=self.zone).values_list("project_id", flat=True))
        for project in sorted(self.projects.values(), key=lambda project: project.pk):
            if project.pk in done or project.stage in (Stage.PLANNING, Stage.TERMINATED):
                continue
            if project.enterprise_id and project.enterprise_id == self.platform.enterprise_id:
                self._lead(project, "其他", "", referrers=referrers)  # its own 基础设施: not 招商
            elif project.enterprise_id:
                self._lead(project, "产业链招商", Source.ENTERPRISE, referrers=referrers)
            else:
                self._lead(project, "其他", Source.PERSON, referrers=referrers)

    def _lead(self, project: Project, mode: str, source: str, *, referrers, target: Target | None = None) -> None:
        fields = {"mode": self.modes[mode], "source": source, "target": target}
        if source == Source.PERSON:
            fields["source_person"] = next(referrers)
        elif source == Source.PLATFORM:
            fields["source_platform"] = self.platform
        elif source == Source.ENTERPRISE:
            fields["source_enterprise"] = project.enterprise or _referrer_enterprise(self.zone)
        elif source == Source.EVENT:
            fields["source_activity"] = self.first_met.get(target.name) if target else self._first_event()
        services.lead_save(user=self.officer, project=project, fields=fields)

    def _first_event(self) -> Activity:
        return Activity.objects.filter(zone=self.zone, kind=Kind.EVENT).order_by("start_on", "pk").first()


def _referrer_enterprise(zone: Zone) -> Enterprise | None:
    """以商招商: the zone's chain leader (鹏飞 in 孝义) or its first above-scale enterprise."""
    enterprises = Enterprise.objects.filter(zone=zone).order_by("-is_chain_leader", "-is_above_scale", "pk")
    return enterprises.first()


def _lead_targets(key: str, project_name: str) -> list[str]:
    return [spec.name for spec in TARGETS[key] if spec.lead == project_name]


def _names(targets) -> set[str]:
    return {target.name for target in targets}


def _months(today: datetime.date) -> list[tuple[datetime.date, datetime.date]]:
    """The twelve months up to today, oldest first: (first day, last day or today)."""
    result = []
    for back in range(11, -1, -1):
        year, month = divmod(today.year * 12 + today.month - 1 - back, 12)
        first = datetime.date(year, month + 1, 1)
        last = datetime.date(year, month + 1, calendar.monthrange(year, month + 1)[1])
        result.append((first, min(last, today)))
    return result


def _short(name: str) -> str:
    """``北京氢源动力科技有限公司`` → ``北京氢源动力`` (how offices write a company in a title)."""
    for suffix in ("股份有限公司", "集团有限公司", "有限公司"):
        name = name.removesuffix(suffix)
    for trade in ("科技", "技术", "新材料", "能源装备", "投资"):
        if name.endswith(trade) and len(name) > len(trade) + 4:
            name = name.removesuffix(trade)
    return name


def _city(region: str) -> str:
    return region.split("省")[-1] if "省" in region else region


def _credit_code(spec: TargetSpec) -> str:
    digest = hashlib.sha256(spec.name.encode()).hexdigest()
    return make_credit_code(HQ_CODES.get(spec.hq, "110108"), "".join(str(int(char, 16) % 10) for char in digest[:8]))


def _backdate(since: datetime.datetime) -> None:
    """Loaded in one go: each activity entered the evening of its day, each step on its day."""
    tz = timezone.get_current_timezone()
    for pk, day in Activity.objects.filter(created_at__gte=since).values_list("pk", "start_on"):
        when = datetime.datetime.combine(day, datetime.time(18, 0), tzinfo=tz)
        Activity.objects.filter(pk=pk).update(created_at=when, updated_at=when)
    for change in StageChange.objects.filter(created_at__gte=since).exclude(step_date=None).only("id", "step_date"):
        when = datetime.datetime.combine(change.step_date, datetime.time(17, 30), tzinfo=tz)
        StageChange.objects.filter(pk=change.pk).update(created_at=when)
