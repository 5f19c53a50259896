"""Years and kinds of indicators: the period a document declares, annual plans, reports of
results, review chapters the outline does not number (hand-written sentences)."""
from __future__ import annotations

from decimal import Decimal

from extract.indicators import find_indicators, plan_period
from extract.indicators.frame import document_period


def _one(inds, part):
    found = [x for x in inds if part in x.name]
    assert len(found) == 1, (part, inds)
    return found[0]


def test_annual_plan_title_gives_its_year_to_targets():
    text = "某县2019年民生实事项目安排\n一、教育\n新建乡镇幼儿园3所,城镇新增就业2000人。\n"
    assert plan_period(text) == (2019, 2019)
    x = _one(find_indicators(text), "幼儿园")
    assert (x.kind, x.target_year) == ("target", 2019)


def test_a_report_of_results_gives_achieved_figures_of_the_year_it_reports():
    text = ("某区民生工作综述\n2020年,全区民生实事圆满完成。全年完成城镇新增就业5100人,"
            "发放困难群众救助资金320万元,惠及困难群众2300人。\n")
    p = document_period(text)
    assert p.report and (p.start, p.end) == (2020, 2020)
    inds = find_indicators(text)
    assert inds and all(x.kind == "baseline" and x.baseline_year == 2020 for x in inds)


def test_a_plan_word_keeps_a_news_report_a_plan():
    text = "记者获悉,2021年该县计划投入资金3.2亿元,新建公办幼儿园5所,完成农村危房改造800户。\n"
    p = document_period(text)
    assert not p.report and (p.start, p.end) == (2021, 2021)
    assert all(x.kind == "target" and x.target_year == 2021 for x in find_indicators(text))


def test_no_year_named_leaves_years_unknown():
    text = "某县扎实推进民生工程\n全县发放城乡低保资金1200万元,惠及困难群众1.1万人,建成敬老院2所,目前已投用。\n"
    assert plan_period(text) == (None, None)
    inds = find_indicators(text)
    assert inds and all(x.kind == "baseline" and x.year is None for x in inds)


def test_a_year_named_in_passing_gives_its_five_year_period():
    text = "(3)完善社会救助\n在2012年建成救助体系基础上,继续改造城市棚户区住房1200万平方米。(省住建厅负责)\n"
    assert plan_period(text) == (2011, 2015)
    assert _one(find_indicators(text), "棚户区").target_year == 2015


def test_review_chapter_that_the_outline_does_not_number():
    text = ("某市“十三五”基本公共服务均等化规划\n第一章 规划背景\n第一节 发展基础\n"
            "“十二五”时期,全市各项社会事业加快发展,人民生活水平明显改善。各类教育迅速发展,"
            "学前三年毛入园率达到96%,九年义务教育巩固率达到98.5%。\n"
            "第二节 面临形势\n今后五年,人口老龄化加快,公共服务需求持续增长,群众期待更高。\n"
            "第二章 总体要求\n到2020年,九年义务教育巩固率达到99%以上,基本公共服务体系更加完善。\n")
    inds = find_indicators(text)
    assert _one(inds, "毛入园率").kind == "baseline" and _one(inds, "毛入园率").baseline_year == 2015
    got = sorted((x.kind, x.year, x.value) for x in inds if "巩固率" in x.name)
    assert got == [("baseline", 2015, Decimal("98.5")), ("target", 2020, Decimal(99))]
def test_from_value_in_an_annual_plan_is_the_year_before():
    text = "某县2019年民生实事项目安排\n一、救助\n将困难群众救助标准由每年600元提高到每年660元。\n"
    x = _one(find_indicators(text), "救助标准")
    assert (x.baseline, x.baseline_year, x.target, x.target_year) == (Decimal(600), 2018, Decimal(660), 2019)


