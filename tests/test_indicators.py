"""Indicator extraction: hand-written sentences for the edge cases, and a few corpus checks."""
from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path

import pytest

from extract.indicators import Indicator, find_indicators, plan_period

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "corpus"

HEAD = "某市“十三五”基本公共服务均等化规划\n"


def plan(goals: str = "", review: str = "") -> str:
    """A tiny plan: a review section (baselines) and a goal section (targets)."""
    return HEAD + "一、发展基础\n" + (review or "无。") + "\n二、主要任务\n" + (goals or "无。") + "\n"


def by_name(inds, part: str) -> list[Indicator]:
    return [x for x in inds if part in x.name]


def one(inds, part: str) -> Indicator:
    found = by_name(inds, part)
    assert len(found) == 1, (part, found)
    return found[0]


# ---------------------------------------------------------------------------------- basics
def test_simple_target_with_year_and_comparator():
    inds = find_indicators(plan("到2020年,义务教育巩固率达到95%以上。"))
    x = one(inds, "义务教育巩固率")
    assert x.name == "义务教育巩固率"
    assert (x.target, x.target_year, x.comparator, x.unit) == (Decimal(95), 2020, ">=", "%")
    assert x.baseline is None and x.kind == "target"
    text = plan("到2020年,义务教育巩固率达到95%以上。")
    assert text[x.name_span[0]:x.name_span[1]] == "义务教育巩固率"
    assert "95%以上" in text[x.span[0]:x.span[1]]


def test_review_section_gives_baselines_of_the_year_before_the_plan():
    inds = find_indicators(plan(review="“十二五”以来,城镇新增就业23.5万人,城镇登记失业率控制在4.2%以内。"))
    x = one(inds, "城镇新增就业")
    assert (x.baseline, x.unit, x.baseline_year, x.target) == (Decimal("23.5"), "万人", 2015, None)
    y = one(inds, "城镇登记失业率")
    assert (y.baseline, y.comparator, y.baseline_year) == (Decimal("4.2"), "<=", 2015)


def test_from_to_in_a_goal_section_is_one_indicator():
    inds = find_indicators(plan("高中阶段毛入学率由2015年的87%提高到92%。"))
    x = one(inds, "毛入学率")
    assert (x.baseline, x.baseline_year, x.target, x.target_year) == (Decimal(87), 2015, Decimal(92), 2020)


def test_from_to_in_the_review_gives_two_baselines():
    inds = find_indicators(plan(review="人均期望寿命从“十一五”末的74岁提高到76.5岁。"))
    xs = by_name(inds, "人均期望寿命")
    got = sorted((x.baseline, x.baseline_year) for x in xs)
    assert got == [(Decimal(74), 2010), (Decimal("76.5"), 2015)]
    assert all(x.target is None and x.unit == "岁" for x in xs)


def test_respectively_two_measures_two_values():
    inds = find_indicators(plan("到2020年,城乡居民养老保险和医疗保险参保率分别达到93.7%和95.5%。"))
    a = one(inds, "养老保险")
    b = one(inds, "医疗保险参保率")
    assert a.target == Decimal("93.7") and b.target == Decimal("95.5")
    assert a.name.endswith("参保率")  # the shared tail completes the first name


def test_respectively_with_enumeration_comma_and_different_units():
    inds = find_indicators(plan(review="孕产妇死亡率和婴儿死亡率分别下降至12.5/10万、4.8‰。"))
    assert (one(inds, "孕产妇死亡率").baseline, one(inds, "孕产妇死亡率").unit) == (Decimal("12.5"), "/10万")
    assert (one(inds, "婴儿死亡率").baseline, one(inds, "婴儿死亡率").unit) == (Decimal("4.8"), "‰")


def test_two_measures_sharing_one_value():
    inds = find_indicators(plan(review="全县小学入学率和巩固率均达100%。"))
    assert {x.name for x in inds} == {"全县小学入学率", "巩固率"}
    assert all(x.baseline == Decimal(100) for x in inds)


def test_ranges_give_low_and_high_end():
    inds = find_indicators(plan("每年选派20-30名骨干医师进修,待遇水平提高5%-10%。"))
    doctors = sorted((x.target, x.comparator) for x in inds if x.unit == "名")
    assert doctors == [(Decimal(20), ">="), (Decimal(30), "<=")]
    pct = sorted((x.target, x.comparator) for x in inds if x.unit == "%")
    assert pct == [(Decimal(5), ">="), (Decimal(10), "<=")]


@pytest.mark.parametrize("sentence,value,comparator,unit", [
    ("社会体育指导员占常住人口比例不低于2‰。", "2", ">=", "‰"),
    ("土地出让净收益用于住房保障的比例不少于10%。", "10", ">=", "%"),
    ("院前急救平均反应时间不超过12分钟。", "12", "<=", "分钟"),
    ("急救站点平均服务半径≤3.5公里。", "3.5", "<=", "公里"),
    ("广播电视人口综合覆盖率超过99%。", "99", ">=", "%"),
    ("新建社区文化活动中心40个以上。", "40", ">=", "个"),
    ("养老床位建设规模达到16万张左右。", "16", "=", "万张"),
    ("人均体育场地面积达到1.8平方米。", "1.8", "=", "平方米"),
    ("启动实施基础教育建设项目800多项。", "800", ">=", "项"),
    ("惠及城乡群众30余万人。", "30", ">=", "万人"),
    ("城镇登记失业率控制在4.5%以内。", "4.5", "<=", "%"),
    ("每千名老人拥有养老床位35张。", "35", "=", "张"),
])
def test_comparators_and_units(sentence, value, comparator, unit):
    inds = find_indicators(plan(sentence))
    assert len(inds) == 1, inds
    x = inds[0]
    assert (x.target, x.comparator, x.unit) == (Decimal(value), comparator, unit)


def test_value_before_its_object_and_value_de_object():
    text = plan("全市新建44个急救分站,培养800名辅助器具适配工程师,80%的乡镇综合文化站达到三级标准。")
    inds = find_indicators(text)
    assert one(inds, "急救分站").target == Decimal(44)
    assert one(inds, "适配工程师").unit == "名"
    x = one(inds, "乡镇综合文化站")
    assert (x.target, x.unit) == (Decimal(80), "%")


def test_list_of_objects_each_with_its_own_count():
    inds = find_indicators(plan("每个县建设1所综合医院、1所中医医院和1所妇幼保健院。"))
    names = sorted(x.name for x in inds)
    assert len(names) == 3
    assert any("综合医院" in n for n in names) and any("中医医院" in n for n in names)
    assert any("妇幼保健院" in n for n in names)


def test_shared_object_after_two_values():
    inds = find_indicators(plan("建成农村30分钟、城市15分钟医疗服务圈。"))
    assert sorted(x.target for x in inds) == [Decimal(15), Decimal(30)]
    assert all("医疗服务圈" in x.name for x in inds)


def test_units_people_households_area_beds():
    text = plan("新增公共租赁住房1.2万套,完成农村危房改造3.5万户,发放创业担保贷款15亿元,"
                "医疗卫生机构床位达到15000张,人均床位30张/千人。")
    units = {x.name: x.unit for x in find_indicators(text)}
    assert units["新增公共租赁住房"] == "万套"
    assert units["完成农村危房改造"] == "万户"
    assert units["发放创业担保贷款"] == "亿元"
    assert units["医疗卫生机构床位"] == "张"
    assert units["人均床位"] == "张/千人"


# ---------------------------------------------------------------------------- not indicators
@pytest.mark.parametrize("sentence", [
    "2017年12月22日印发。",  # a date
    "索引号: 01123621-1/2018-06296,文号: 某政发〔2018〕14号。",  # document numbers
    "拨打“12333”服务热线咨询。",  # phone number
    "分别居全省第6、第5位。",  # ordinals
    "本规划涵盖教育、就业等8个领域,确定了80个基本公共服务项目。",  # plan structure
    "统一学校建设、教育装备等5项标准。",  # count of an enumeration
    "5岁以下儿童和0-6岁儿童纳入健康管理。",  # ages qualifying a group
    "每新增5-10万人,增设社区卫生服务中心。",  # a denominator
    "企业退休人员基本养老金连续5年上调。",  # duration, not a measure
    "贯彻《全民健身计划(2016-2020年)》要求。",  # inside a title
])
def test_not_indicators(sentence):
    assert find_indicators(plan(sentence)) == []


def test_table_footnotes_are_skipped():
    text = plan("注:1.指每周参加体育锻炼3次及以上、每次30分钟及以上的人数。\n2.指参保人数占应参保人数的90%。")
    assert find_indicators(text) == []


def test_chinese_numeral_after_at_least():
    inds = find_indicators(plan("确保零就业家庭至少有一人就业。"))
    x = one(inds, "零就业家庭")
    assert (x.target, x.unit, x.comparator) == (Decimal(1), "人", ">=")


# ---------------------------------------------------------------------------- years & period
def test_plan_period_from_title_and_fallback():
    assert plan_period(HEAD + "一、总则\n") == (2016, 2020)
    assert plan_period("某省基本公共服务规划(2021-2025年)\n一、总则\n") == (2021, 2025)
    # no title: the latest five-year period the text names
    assert plan_period("一、背景\n到“十二五”期末已建立体系。展望“十四五”,任务艰巨。") == (2021, 2025)


def test_year_cues():
    text = plan("到2018年,全市学前三年毛入园率达到85%。“十三五”期间,新增养老床位2万张。"
                "实施特殊教育提升计划(2017-2019年),新建校舍4.5万平方米。")
    inds = find_indicators(text)
    assert one(inds, "毛入园率").target_year == 2018
    assert one(inds, "养老床位").target_year == 2020
    assert one(inds, "校舍").target_year == 2019


def test_past_cue_in_a_goal_section_and_reference_year_ignored():
    text = plan("2015年,老年人健康管理率达到86%,比2010年提高6个百分点。")
    inds = find_indicators(text)
    x = next(i for i in inds if i.unit == "%")
    assert (x.name, x.kind, x.baseline_year) == ("老年人健康管理率", "baseline", 2015)
    y = next(i for i in inds if i.unit == "个百分点")
    assert y.baseline_year == 2015 and "老年人健康管理率" in y.name


# ---------------------------------------------------------------------------- goal tables
def test_goal_table_one_row_per_line():
    text = HEAD + ("一、主要目标\n指标 单位 2015年 2020年 属性\n九年义务教育巩固率 % 93 95 约束性\n"
                   "城镇新增就业人数 万人 [255.9] >250 预期性\n基本养老保险参保率 % 80 90以上 约束性\n二、教育\n")
    inds = find_indicators(text)
    assert all(x.table for x in inds) and len(inds) == 3
    x = one(inds, "巩固率")
    assert (x.baseline, x.baseline_year, x.target, x.target_year, x.unit) == \
        (Decimal(93), 2015, Decimal(95), 2020, "%")
    assert one(inds, "参保率").comparator == ">="
    assert one(inds, "就业人数").target == Decimal(250)


def test_goal_table_one_cell_per_line_with_unit_in_name():
    cells = ["指标", "2015年", "2020年", "属性", "孕产妇死亡率(/10万)", "20.1", "18", "预期性",
             "高中阶段教育毛入学率(%)", "87", "—", "约束性"]
    text = HEAD + "一、主要目标\n" + "\n".join(cells) + "\n二、教育\n"
    inds = find_indicators(text)
    x = one(inds, "孕产妇死亡率")
    assert (x.unit, x.baseline, x.target) == ("/10万", Decimal("20.1"), Decimal(18))
    y = one(inds, "毛入学率")
    assert (y.baseline, y.target, y.kind) == (Decimal(87), None, "baseline")


def test_deterministic_and_sorted():
    text = plan("到2020年,高血压患者管理率达到35%以上,糖尿病患者管理率达到30%以上。",
                "城镇新增就业23万人。")
    a, b = find_indicators(text), find_indicators(text)
    assert a == b
    assert [x.span for x in a] == sorted(x.span for x in a)


# ---------------------------------------------------------------------------- bundled corpus
def _corpus(doc: str):
    from extract.normalize import normalize_text

    return normalize_text((CORPUS / f"{doc}.txt").read_text(encoding="utf-8")).text


def _find(inds, name: str, value: str):
    return [x for x in inds if name in x.name and x.value == Decimal(value)]


def test_corpus_shanxi_review_from_to_and_respectively():
    text = _corpus("000_d6c6a4d0aa48d11c")
    inds = find_indicators(text)
    assert plan_period(text) == (2016, 2020)
    # 高中阶段毛入学率由2010年的86.8%提高到93.4% (in 发展基础)
    assert [(x.kind, x.baseline_year) for x in _find(inds, "高中阶段毛入学率", "86.8")] == [("baseline", 2010)]
    assert [(x.kind, x.baseline_year) for x in _find(inds, "高中阶段毛入学率", "93.4")] == [("baseline", 2015)]
    # 高血压和糖尿病患者规范化管理率分别达到93.7%和95.5%
    assert _find(inds, "高血压", "93.7") and _find(inds, "糖尿病", "95.5")
    # 到2020年 … 高中阶段教育毛入学率达到95%以上
    t = _find(inds, "高中阶段教育毛入学率", "95")
    assert [(x.kind, x.comparator, x.target_year) for x in t] == [("target", ">=", 2020)]


def test_corpus_jingmen_review_baselines():
    inds = find_indicators(_corpus("002_aab9be7ad895d433"))
    x = _find(inds, "学前三年入园率", "89")
    assert [(i.kind, i.baseline_year, i.unit) for i in x] == [("baseline", 2015, "%")]
    x = _find(inds, "城镇登记失业率", "4.3")
    assert [(i.comparator, i.kind) for i in x] == [("<=", "baseline")]
    # 到2020年,培养…专家15名 (a goal)
    x = _find(inds, "特殊津贴专家", "15")
    assert [(i.kind, i.target_year, i.unit) for i in x] == [("target", 2020, "名")]
    # nothing from the table footnotes (注:… 8.指每周参加体育锻炼3次及以上、每次…30分钟及以上)
    assert not [i for i in inds if "体育锻炼持续时间" in i.name]
    # plan structure counts are not indicators (确定了80个基本公共服务项目)
    assert not [i for i in inds if i.value == Decimal(80) and i.unit == "个"]


def test_corpus_shanghai_targets_with_years():
    inds = find_indicators(_corpus("003_a32ecd13fd3eabd8"))
    x = _find(inds, "急救分站", "44")
    assert [(i.kind, i.target_year, i.unit) for i in x] == [("target", 2020, "个")]
    x = _find(inds, "服务半径", "3.5")
    assert [(i.comparator, i.unit) for i in x] == [("<=", "公里")]
    x = _find(inds, "幼儿园", "90")
    assert [i.target_year for i in x] == [2017]


def test_corpus_zhejiang_period_without_title():
    text = _corpus("004_a935d46978e3f922")
    assert plan_period(text) == (2016, 2020)
    inds = find_indicators(text)
    x = _find(inds, "人均预期寿命", "78.22")
    assert [(i.kind, i.baseline_year, i.unit) for i in x] == [("baseline", 2015, "岁")]
    # 将低保标准150%以内农村困难残疾人家庭…: a qualifier, not an indicator
    assert not [i for i in inds if i.value == Decimal(150)]


def test_corpus_runtime():
    texts = [_corpus(p.stem) for p in sorted(CORPUS.glob("*.txt"))]
    t0 = time.perf_counter()
    for t in texts:
        find_indicators(t)
    assert time.perf_counter() - t0 < 10


# ---------------------------------------------------------------------------- from-to variants
@pytest.mark.parametrize("sentence,base,target,unit", [
    ("将困难残疾人生活补贴标准由每人每月80元提高到每人每月100元。", "80", "100", "元"),
    ("将稳岗返还比例由企业上年度缴纳失业保险费的40%提高到60%。", "40", "60", "%"),
    ("居民医保财政补助标准由每人每年520元提高至550。", "520", "550", "元"),
])
def test_from_to_with_a_rate_per_period_a_base_or_a_bare_to_value(sentence, base, target, unit):
    inds = find_indicators(plan(sentence))
    assert len(inds) == 1, inds
    x = inds[0]
    assert (x.baseline, x.target, x.unit, x.target_year) == (Decimal(base), Decimal(target), unit, 2020)
    assert not x.name.startswith("将")


# ---------------------------------------------------------------------------- numerals & damage
def test_chinese_numerals_count_their_noun():
    inds = find_indicators(plan("支持每个县建设一所综合福利院,新建两个区域养老服务中心和十二个社区食堂,"
                                "城乡居民参保率达到百分之九十五。"))
    got = {(x.value, x.unit) for x in inds}
    assert got == {(Decimal(1), "所"), (Decimal(2), "个"), (Decimal(12), "个"), (Decimal(95), "%")}
    assert one(inds, "参保率").unit == "%"


@pytest.mark.parametrize("sentence", [
    "协调推进“四个全面”战略布局。",  # a numbered slogan
    "继续做好三支一扶计划。",  # an idiom
    "坚持一个都不能少。",
    "统筹东部、西部、北部三个片区发展。",  # the count of an enumeration
    "全面实施一对夫妇可生育两个孩子政策。",
])
def test_chinese_numerals_that_are_not_indicators(sentence):
    assert find_indicators(plan(sentence)) == []


def test_numbers_damaged_by_the_crawl():
    text = plan("全市养老保险覆盖率达到49. 2%,城镇新增就业457. 3 万人,全年投入资金62826.\n5万元。")
    inds = find_indicators(text)
    assert {(x.value, x.unit) for x in inds} == {(Decimal("49.2"), "%"), (Decimal("457.3"), "万人"),
                                                 (Decimal("62826.5"), "万元")}
    x = one(inds, "投入资金")
    assert text[x.span[0]:x.span[1]].endswith("62826.\n5万元")


def test_an_item_number_before_a_figure_is_not_a_decimal():
    inds = find_indicators(plan("1. 20所学校完成改造。"))
    assert all(x.value != Decimal("1.20") for x in inds)


def test_two_units_of_one_measure_adverbs_and_rates_per_period_left_out_of_names():
    inds = find_indicators(plan(review="全县建档立卡贫困人口820户2650人全部脱贫,3个贫困村全部出列,"
                                       "每年补助困难学生500元,每万人拥有足球场地0.8块。"))
    assert {(x.value, x.unit) for x in inds if "贫困人口" in x.name} == {(Decimal(820), "户"), (Decimal(2650), "人")}
    assert one(inds, "出列").name == "贫困村出列"
    assert one(inds, "补助").name.startswith("补助")
    assert one(inds, "足球场地").unit == "块"


def test_many_indicator_sentences_stay_linear():
    """A generated document of many indicator sentences: each is found once (the patterns do
    not backtrack over the whole text; timing is left to benchmarks)."""
    n = 2000
    body = "".join(f"第{k % 9 + 1}类服务覆盖率达到{k % 90 + 5}.5%,新建学校{k % 7 + 1}所。" for k in range(n))
    inds = find_indicators(plan(body))
    assert len([x for x in inds if x.unit == "%"]) == n
    assert len([x for x in inds if x.unit == "所"]) == n


def test_the_object_of_one_figure_names_the_next():
    inds = find_indicators(plan(review="为820名困难老人每人每月发放护理补贴300元。"))
    assert {(x.value, x.unit) for x in inds} == {(Decimal(820), "名"), (Decimal(300), "元")}
    assert "护理补贴" in [x for x in inds if x.unit == "元"][0].name
