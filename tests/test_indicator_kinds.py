"""Kinds and years of indicators from what a text states about them: the frame a document
declares (its period, the year it reports on, its date, its genre), the aspect of a figure's
clause, the time a paragraph or heading sets, goals named as such, tables a crawl left as | cells
and statistics tables (hand-written sentences, none from a corpus)."""
from __future__ import annotations

from decimal import Decimal

from extract.indicators import find_indicators
from extract.indicators.frame import document_period


def _one(inds, part):
    found = [x for x in inds if part in x.name]
    assert len(found) == 1, (part, inds)
    return found[0]


def _kind_year(inds, part):
    x = _one(inds, part)
    return x.kind, x.year


# ------------------------------------------------------------------ the document's frame
def test_review_of_the_previous_period_inside_a_plan_is_achieved():
    text = ("某县“十四五”养老服务发展规划\n一、编制背景\n"
            "“十三五”期间,全县紧紧围绕老有所养目标,扎实推进各项工作。"
            "新建农村幸福院36所,培训养老护理员520人次。\n"
            "二、主要目标\n到2025年,养老机构护理型床位占比达到60%。\n")
    inds = find_indicators(text)
    assert _kind_year(inds, "幸福院") == ("baseline", 2020)  # the paragraph's “十三五”期间 holds
    assert _kind_year(inds, "护理员") == ("baseline", 2020)
    assert _kind_year(inds, "护理型床位") == ("target", 2025)


def test_a_report_title_makes_the_figures_achieved_in_the_year_it_names():
    text = "某镇2023年为民办实事完成情况\n全年新建村级卫生室4个,改造农村公路18公里,惠及群众6200人。\n"
    p = document_period(text)
    assert p.report and (p.start, p.end) == (2023, 2023)
    assert all((x.kind, x.year) == ("baseline", 2023) for x in find_indicators(text))


def test_an_execution_report_reports_its_year_and_plans_the_next():
    text = ("某区2022年计划执行情况与2023年计划草案的报告\n"
            "一、2022年计划执行情况\n全区城镇新增就业4100人,城镇登记失业率3.1%。\n"
            "二、2023年主要预期目标\n城镇新增就业4300人以上。\n")
    inds = find_indicators(text)
    got = sorted((x.value, x.kind, x.year) for x in inds if "新增就业" in x.name)
    assert got == [(Decimal(4100), "baseline", 2022), (Decimal(4300), "target", 2023)]
    assert _kind_year(inds, "失业率") == ("baseline", 2022)


def test_a_statistical_bulletin_is_a_report_of_its_year():
    text = "某县2019年国民经济和社会发展统计公报\n年末全县共有卫生技术人员812人,医疗机构床位1030张。\n"
    assert all((x.kind, x.year) == ("baseline", 2019) for x in find_indicators(text))


def test_a_news_lead_that_reports_results_makes_a_report():
    text = ("某市召开新闻发布会\n"
            "记者从市人社局获悉,过去一年全市就业工作取得明显成效,城镇新增就业2.3万人,"
            "发放创业担保贷款1.6亿元。\n")
    assert document_period(text).report
    assert all(x.kind == "baseline" for x in find_indicators(text))


def test_a_dated_page_without_a_period_gives_goals_its_year():
    text = ("本市调整困难群众救助标准\n发布日期:2022-03-08\n"
            "市民政局近日印发通知,农村低保标准由每人每月560元提高到600元。\n")
    x = _one(find_indicators(text), "低保标准")
    assert (x.baseline, x.target, x.target_year) == (Decimal(560), Decimal(600), 2022)


def test_a_page_dated_after_its_year_reports_on_it():
    text = ("某区持续改善民生\n来源:某区融媒体中心 发布时间:2024-01-05\n"
            "2023年,某区民生实事项目全面推进。新建社区食堂12个,改造背街小巷30条。\n")
    p = document_period(text)
    assert p.report and p.end == 2023
    assert all((x.kind, x.year) == ("baseline", 2023) for x in find_indicators(text))


def test_years_in_passing_give_a_five_year_period_only_when_undated():
    text = ("关于调整低保标准的说明\n发布时间:2021-05-10\n本市低保制度始建于1997年。"
            "城市低保标准提高到每人每月700元。\n")
    assert document_period(text).dated == 2021
    assert _one(find_indicators(text), "低保标准").target_year == 2021  # not 2000


def test_a_speech_that_sums_up_a_period_reviews_it():
    text = ("同志们:\n今天召开全省托育工作会议,总结“十三五”期间全省托育服务取得的成绩,部署下一步工作。\n"
            "一、“十三五”期间取得的成绩\n全省新增托位5.2万个,建成示范托育机构120家。\n")
    p = document_period(text)
    assert p.report and p.end == 2020
    assert all((x.kind, x.year) == ("baseline", 2020) for x in find_indicators(text))


# ------------------------------------------------------------------ the clause's aspect
def test_aspect_markers_before_a_figure_decide_its_kind():
    text = ("某县“十四五”教育发展规划\n二、主要任务\n"
            "目前全县已建成公办幼儿园41所,力争新增公办幼儿园12所。\n")
    inds = find_indicators(text)
    assert _one(inds, "已建成公办幼儿园").kind == "baseline"
    assert _one(inds, "新增公办幼儿园").kind == "target"


def test_a_marker_inside_a_measure_name_is_no_aspect():
    # 预期 in 人均预期寿命, 计划 in 计划生育: names, not goal words
    text = "某市“十三五”卫生规划\n一、发展基础\n人均预期寿命达到79.2岁,计划生育率保持在96%。\n"
    inds = find_indicators(text)
    assert _kind_year(inds, "人均预期寿命") == ("baseline", 2015)
    assert _one(inds, "生育率").kind == "baseline"


def test_a_figure_that_is_the_goal_itself_is_a_target():
    text = ("某市就业工作综述\n今年以来全市就业工作取得积极进展。截至9月底,城镇新增就业3.6万人,"
            "超额完成3万人的年度目标任务。\n")
    inds = find_indicators(text)
    got = sorted((x.value, x.kind) for x in inds)
    assert got == [(Decimal(3), "target"), (Decimal("3.6"), "baseline")]


def test_a_year_before_the_present_is_achieved_whatever_the_section():
    text = ("某区“十四五”民政事业规划\n二、主要目标\n"
            "到2020年底,全区养老床位达到3100张;到2025年,养老床位达到4200张。\n")
    got = sorted((x.value, x.kind, x.year) for x in find_indicators(text))
    assert got == [(Decimal(3100), "baseline", 2020), (Decimal(4200), "target", 2025)]


def test_this_year_and_last_year_follow_the_page_date():
    text = ("发布时间:2021-02-20\n某县政府工作报告摘要\n去年全县城镇新增就业5200人。"
            "今年城镇新增就业5500人以上的目标将全力完成。\n")
    inds = find_indicators(text)
    got = sorted((x.value, x.kind, x.year) for x in inds)
    assert got == [(Decimal(5200), "baseline", 2020), (Decimal(5500), "target", 2021)]


def test_a_reference_year_with_xiangbi_is_no_cue():
    text = "某县2016年民生工程实施方案\n与去年相比,今年新增民生工程5项,城镇新增就业3000人。\n"
    inds = find_indicators(text)
    assert all(x.kind == "target" and x.year == 2016 for x in inds)


def test_a_dated_adverbial_gives_its_year():
    text = ("某市“十三五”老龄事业规划\n一、面临的形势\n截止2015年12月31日,全市60周岁以上老年人口52.3万人。"
            "预测到2020年,老年人口将达到63万人左右。\n")
    inds = find_indicators(text)
    got = sorted((x.value, x.kind, x.year) for x in inds)
    assert got == [(Decimal("52.3"), "baseline", 2015), (Decimal(63), "target", 2020)]


def test_a_heading_with_a_year_scopes_its_section():
    text = ("某县政府工作报告\n一、2020年工作回顾\n(一)社会事业\n全县新建农村公路46公里。\n"
            "二、2021年工作安排\n(一)社会事业\n新建农村公路50公里。\n")
    got = sorted((x.value, x.kind, x.year) for x in find_indicators(text))
    assert got == [(Decimal(46), "baseline", 2020), (Decimal(50), "target", 2021)]


# ------------------------------------------------------------------ tables
def test_a_pipe_table_column_of_results_is_achieved():
    text = ("某区2022年民生实事完成情况\n"
            "序号 | 项目内容 | 完成情况 | 责任单位 |\n"
            "1 | 新增托位300个 | 新增托位320个 | 区卫健局 |\n"
            "2 | 改造老旧小区5个 | 改造老旧小区5个 | 区住建局 |\n")
    got = sorted((x.value, x.kind, x.year) for x in find_indicators(text) if "托位" in x.name)
    assert got == [(Decimal(300), "target", 2022), (Decimal(320), "baseline", 2022)]


def test_a_statistics_table_gives_one_indicator_per_year():
    text = ("某省残疾人事业统计数据(2017-2020年)完成情况\n指 标\n2017 2018 2019 2020\n"
            "康复机构 (个)\n410 432 455 470\n")
    inds = find_indicators(text)
    got = sorted((x.year, x.value, x.kind) for x in inds if "康复机构" in x.name)
    assert got == [(2017, 410, "baseline"), (2018, 432, "baseline"), (2019, 455, "baseline"),
                   (2020, 470, "baseline")]


def test_a_later_deadline_sets_the_goal_after_a_review_marker():
    text = ("某市“十四五”教育规划\n一、总体要求\n"
            "党的十八大以来,全市教育事业快速发展,到2025年,学前教育毛入园率达到95%。\n")
    assert _kind_year(find_indicators(text), "毛入园率") == ("target", 2025)


def test_completing_a_share_of_the_plan_is_achieved():
    text = "某县2020年计划执行情况\n全年完成固定资产投资86亿元,完成年度计划的103%。\n"
    assert all(x.kind == "baseline" for x in find_indicators(text))


def test_a_two_year_scheme_declares_its_range():
    text = "某县托育服务提升实施方案(2022-2023年)\n一、工作目标\n新增普惠托位600个。\n"
    assert _kind_year(find_indicators(text), "托位") == ("target", 2023)


def test_the_innermost_heading_that_names_a_review_or_aims_decides():
    text = ("某市“十四五”健康规划\n一、规划背景\n(一)发展基础\n全市每千人口执业医师达到3.1人。\n"
            "(二)面临形势\n全市常住人口老龄化率达到18%,预计到2025年将超过21%。\n"
            "二、“十三五”规划主要目标完成情况\n婴儿死亡率降至3.2‰。\n")
    inds = find_indicators(text)
    assert _one(inds, "执业医师").kind == "baseline"
    assert _one(inds, "老龄化率").kind == "baseline"  # 面临形势: the situation the plan starts from
    assert _one(inds, "婴儿死亡率").kind == "baseline"  # 目标完成情况: a review of the goals
    assert [(x.kind, x.year) for x in inds if x.value == 21] == [("target", 2025)]  # a forecast


def test_a_title_line_the_outline_does_not_number_sets_the_time_of_its_paragraphs():
    text = ("某自治区政府工作报告(摘要)\n回顾了“十三五”时期的工作,提出了“十四五”时期的主要任务。\n"
            "成就显著“十三五”\n五年来,全区经济社会发展取得新成效。全区一般公共预算收入由980亿元增加到1460亿元,"
            "年均增长8.3%。\n")
    inds = find_indicators(text)
    got = sorted((x.value, x.kind, x.year) for x in inds)
    assert got == [(Decimal("8.3"), "baseline", 2020), (Decimal(980), "baseline", 2015),
                   (Decimal(1460), "baseline", 2020)]
    assert _one(inds, "年均增长").name == "全区一般公共预算收入年均增长"


def test_a_text_without_plans_that_covers_a_span_up_to_now_reports():
    text = ("托育服务发展综述\n改革开放以来,我省托育服务快速发展。2000年全省托育机构仅有120家,"
            "这个数字在2022年达到3600家,托位数从2000年的0.8万个提高到2022年的14万个。\n")
    assert document_period(text).report
    assert all(x.kind == "baseline" for x in find_indicators(text))


def test_the_year_a_goal_changes_a_figure_from_is_achieved():
    text = ("某区规划解读\n2015年,全区常住人口城镇化率达到56.2%。规划提出,到2020年,"
            "森林覆盖率由2015年的41%提高到45%,城镇化率达到62%。\n")
    got = sorted((x.value, x.kind, x.year) for x in find_indicators(text) if "城镇化率" in x.name)
    assert got == [(Decimal("56.2"), "baseline", 2015), (Decimal(62), "target", 2020)]


def test_a_change_per_person_of_the_previous_measure_is_named_after_it():
    text = ("某省调整低保标准\n城镇低保标准从原来每人每月600元提高到每月630元,每人平均增长30元,增幅5%。\n")
    names = {x.value: x.name for x in find_indicators(text)}
    assert names[Decimal(30)].startswith("城镇低保标准") and names[Decimal(5)].startswith("城镇低保标准")


def test_a_plan_that_will_achieve_something_in_its_period_stays_a_plan():
    text = ("某市“十四五”文化事业发展规划\n“十四五”时期,全市公共文化服务要取得新突破。\n"
            "一、主要目标\n人均公共文化设施面积达到0.35平方米。\n")
    p = document_period(text)
    assert not p.report and (p.start, p.end) == (2021, 2025)
    assert _kind_year(find_indicators(text), "公共文化设施面积") == ("target", 2025)


def test_a_lead_that_reports_promises_fulfilled_makes_a_report():
    text = ("某省政府工作报告解读\n记者从政府工作报告中了解到,过去一年全省12件民生实事全部兑现,群众得到实惠。\n"
            "2023年全省新增公办幼儿园学位3.2万个。改造提升乡镇敬老院86所。\n")
    inds = find_indicators(text)
    assert all((x.kind, x.year) == ("baseline", 2023) for x in inds if x.value in (Decimal("3.2"), 86))


def test_what_a_plan_says_a_measure_should_reach_is_a_goal():
    text = ("某省卫生统计公报解读\n2022年全省人均预期寿命达到79.1岁。《某省“十四五”卫生健康规划》提出,"
            "到2025年全省人均预期寿命应达到79.5岁。\n")
    got = sorted((x.value, x.kind, x.year) for x in find_indicators(text))
    assert got == [(Decimal("79.1"), "baseline", 2022), (Decimal("79.5"), "target", 2025)]


def test_a_news_page_declares_its_period_in_its_title_not_its_body():
    text = ("某市卫健委发布统计公报:2022年全市人均预期寿命80岁\n"
            "某市卫健委近日发布的统计公报显示,2022年全市婴儿死亡率为2.9‰。这一数据已接近“十四五”规划提出的目标,"
            "规划提出到2025年婴儿死亡率应低于3.5‰。\n")
    p = document_period(text)
    assert (p.start, p.end) == (2022, 2022)
    got = sorted((x.value, x.kind, x.year) for x in find_indicators(text) if "婴儿死亡率" in x.name)
    assert got == [(Decimal("2.9"), "baseline", 2022), (Decimal("3.5"), "target", 2025)]


def test_a_title_that_says_all_was_completed_makes_a_report():
    text = ("某省:全面完成30项民生实事\n2024年01月20日 来源:某省日报\n"
            "某省第十四届人民代表大会第二次会议开幕。2023年,全省城镇新增就业18.2万人,建成社区老年食堂160个。\n")
    p = document_period(text)
    assert p.report
    assert all((x.kind, x.year) == ("baseline", 2023) for x in find_indicators(text) if x.value != 30)


def test_a_review_of_a_year_after_a_dateline_makes_a_report_of_that_year():
    text = ("某市召开人大会议 市长作政府工作报告\n"
            "某日报1月10日讯(记者某某):1月10日上午,某市人大会议开幕,市长作政府工作报告。"
            "报告首先回顾了2022年工作。地区生产总值增长5.1%,城镇新增就业3.4万人。\n")
    p = document_period(text)
    assert p.report and p.end == 2022
    assert all((x.kind, x.year) == ("baseline", 2022) for x in find_indicators(text))


def test_a_plan_news_lead_that_names_its_goals_stays_a_plan():
    text = ("某区域发展规划解读\n该区域常住人口城镇化率达到51.2%。规划提出的主要发展目标包括公共服务能力显著增强,"
            "社会事业取得实质性进展。到2025年,区域常住人口城镇化率达到58%。\n")
    assert not document_period(text).report
