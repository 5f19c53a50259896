"""Plan metadata (extract/plan_meta/): title, 文号, issuer, date, parent plans, jurisdiction.

Unit tests run read_plan_meta on texts written here with the agency names marked by hand
(agency recognition is tested in test_agencies.py); pipeline tests run the whole pipeline
on texts with real region names.
"""
from __future__ import annotations

import re

import pytest

from extract import plan_meta as pm
from extract.gazetteer import Gazetteer
from extract.nlp import process
from extract.structure import parse_structure

NOTICE = """当前位置:首页
某某市人民政府关于印发某某市“十三五”推进基本公共服务均等化规划的通知
文号: 某政发〔2019〕7号
各县、区人民政府:
现将《某某市“十三五”推进基本公共服务均等化规划》印发给你们,请认真贯彻执行。
某某市人民政府
2019年3月5日
某某市“十三五”推进基本公共服务均等化规划
本规划依据国家《“十三五”推进基本公共服务均等化规划》《某某省“十三五”推进基本公共服务均等化规划》编制。
一、发展基础
按照《基本公共服务领域改革方案》(国办发〔2018〕6号)要求,合理划分事权。
根据《某某市教育发展规划》,加快建设学校。
"""


def spans_of(text: str, *names: str) -> list[tuple[int, int]]:
    """Every occurrence of the given agency names (longest first where they overlap)."""
    found = []
    for name in sorted(names, key=len, reverse=True):
        for m in re.finditer(re.escape(name), text):
            if not any(s < m.end() and m.start() < e for s, e in found):
                found.append(m.span())
    return sorted(found)


def meta_of(text: str, *agencies: str) -> tuple[pm.PlanMeta, int | None]:
    return pm.read_plan_meta(text, parse_structure(text), spans_of(text, *agencies))


def value(text: str, span) -> str:
    return text[span[0]:span[1]]


# ---------------------------------------------------------------------------------------------
# a notice that forwards the plan
# ---------------------------------------------------------------------------------------------
def test_notice_gives_title_number_issuer_date_and_parents():
    meta, issuer = meta_of(NOTICE, "某某市人民政府")
    assert meta.title.value == "某某市“十三五”推进基本公共服务均等化规划"
    # the plan's own title line, not the notice line, is the evidence
    assert NOTICE.rfind("\n", 0, meta.title.span[0]) + 1 == meta.title.span[0]
    assert meta.document_number.value == "某政发〔2019〕7号"
    assert value(NOTICE, meta.issuer_span) == "某某市人民政府" and issuer is not None
    assert meta.issuer_span[0] == NOTICE.index("某某市人民政府关于")
    assert meta.issued.value == "2019-03-05"
    titles = [c.title for c in meta.implements]
    assert titles == ["“十三五”推进基本公共服务均等化规划", "某某省“十三五”推进基本公共服务均等化规划"]
    assert meta.implements[0].national and not meta.implements[1].national
    for c in meta.implements:
        assert value(NOTICE, c.span) == c.title


def test_document_number_only_from_header():
    f = pm.find_document_number(NOTICE, pm.header_end(parse_structure(NOTICE), NOTICE))
    assert f.value == "某政发〔2019〕7号"
    body_only = "一、总则\n按照《某方案》(国办发〔2018〕6号)要求。\n"
    assert pm.find_document_number(body_only, pm.header_end(parse_structure(body_only), body_only)) is None


def test_forwarding_sentence_names_the_title_of_a_notice_without_its_title_line():
    text = ("各区人民政府,市政府各部门:\n现将《某某市养老服务体系建设实施方案》印发给你们,请认真贯彻执行。\n"
            "某某市人民政府办公室\n2021年4月6日\n为加快养老服务发展,制定本方案。\n一、总体要求\n")
    meta, _ = meta_of(text, "某某市人民政府办公室")
    assert meta.title.value == "某某市养老服务体系建设实施方案"
    assert value(text, meta.title.span) == meta.title.value
    assert value(text, meta.issuer_span) == "某某市人民政府办公室"
    assert meta.issued.value == "2021-04-06"


def test_title_broken_over_two_lines_is_joined_when_the_notice_confirms_it():
    text = ("某某州教育局:\n《某某州推进城乡学前教育普及普惠实施方案》已经州人民政府同意,现印发给你们。\n"
            "某某州人民政府办公室\n2020年5月9日\n某某州推进城乡学前教育\n普及普惠实施方案\n"
            "为贯彻落实国家部署,制定本方案。\n一、工作目标\n")
    meta, _ = meta_of(text, "某某州人民政府办公室", "某某州教育局")
    assert meta.title.value == "某某州推进城乡学前教育普及普惠实施方案"
    assert value(text, meta.title.span).replace("\n", "") == meta.title.value


def test_title_broken_over_lines_beats_a_notice_that_drops_a_character():
    text = ("某市人民政府办公室关于印发贯彻落实某省规划实施方案的通知\n\n某市人民政府办公室\n2017年1月2日\n"
            "贯彻落实某省\n\n规划的实施方案\n\n为认真贯彻落实《某省规划》,现提出如下实施方案。\n一、总体要求\n")
    meta, _ = meta_of(text, "某市人民政府办公室")
    assert meta.title.value == "贯彻落实某省规划的实施方案"


def test_a_notice_cited_as_basis_is_not_the_plans_notice():
    text = ("各县人民政府:\n《某州中小学校舍提升行动方案》已经州政府同意,现印发给你们。\n"
            "某州人民政府办公室\n2022年3月1日\n某州中小学校舍提升行动方案\n"
            "根据《某省人民政府办公厅关于印发某省中小学校舍提升行动方案的通知》要求,结合我州实际,制定本方案。\n"
            "一、目标\n")
    meta, _ = meta_of(text, "某州人民政府办公室", "某省人民政府办公厅")
    assert meta.title.value == "某州中小学校舍提升行动方案"
    assert value(text, meta.issuer_span) == "某州人民政府办公室"
    assert [c.title for c in meta.implements] == ["某省中小学校舍提升行动方案"]


def test_notice_of_several_plans_takes_the_one_whose_title_line_follows():
    text = ("某市人民政府办公室关于印发就业促进工程、住房保障工程2021年工作要点的通知\n"
            "各有关单位:\n现将《就业促进工程2021年工作要点》《住房保障工程2021年工作要点》印发给你们。\n"
            "某市人民政府办公室\n2021年3月3日\n就业促进工程2021年工作要点\n一、稳定就业\n")
    meta, _ = meta_of(text, "某市人民政府办公室")
    assert meta.title.value == "就业促进工程2021年工作要点"
    assert meta.issued.value == "2021-03-03"


def test_notice_with_numbered_points_is_signed_after_them():
    text = ("某市人民政府办公厅关于印发某市2019年重点民生项目责任分解方案的通知\n各区人民政府:\n"
            "经市人民政府同意,现将《某市2019年重点民生项目责任分解方案》印发给你们,并就有关事项通知如下。\n"
            "一、请各责任单位细化工作措施。\n二、请于每季度末报送进展。\n"
            "某市人民政府办公厅\n2019年2月20日\n某市2019年重点民生项目责任分解方案\n一、教育\n")
    meta, _ = meta_of(text, "某市人民政府办公厅", "某市人民政府")
    assert meta.title.value == "某市2019年重点民生项目责任分解方案"
    assert value(text, meta.issuer_span) == "某市人民政府办公厅"
    assert meta.issued.value == "2019-02-20"


# ---------------------------------------------------------------------------------------------
# title lines
# ---------------------------------------------------------------------------------------------
def test_attachment_and_table_titles():
    text = ("某县人民政府办公室关于做好2022年民生实事工作的通知\n各乡镇人民政府:\n现将有关事项通知如下。\n"
            "附件:2022年为民办实事项目责任分解表\n某县人民政府办公室\n2022年1月8日\n附件\n"
            "2022年为民办实事项目责任分解表\n序号 项目 责任单位\n")
    meta, _ = meta_of(text, "某县人民政府办公室")
    assert meta.title.value == "2022年为民办实事项目责任分解表"
    assert not value(text, meta.title.span).startswith("附件")
    table = "附件2 某县2021年教育项目资金安排表 单位:万元\n项目 合计 县级财政\n"
    meta, _ = meta_of(table)
    assert meta.title.value == "某县2021年教育项目资金安排表"


def test_file_name_title_line_loses_its_extension():
    text = "2020年某区重点民生项目任务一览表.docx\n序号 项目名称 牵头单位\n1 新建幼儿园 区教育局\n"
    meta, _ = meta_of(text)
    assert meta.title.value == "2020年某区重点民生项目任务一览表"
    assert value(text, meta.title.span) == meta.title.value


def test_title_line_with_edition_or_period():
    text = "某省基本公共服务标准(2023年版)\n为推进基本公共服务均等化,制定本标准。\n一、幼有所育\n"
    assert meta_of(text)[0].title.value == "某省基本公共服务标准(2023年版)"
    text = "某市养老服务设施布局规划(2021—2035年)\n第一章 总则\n"
    assert meta_of(text)[0].title.value == "某市养老服务设施布局规划(2021—2035年)"


def test_an_unconfirmed_title_line_far_from_the_start_is_not_the_title():
    lines = [f"第{n}项工作已经完成,群众满意度较高。" for n in range(10)]
    text = "\n".join(lines + ["某县基本公共服务标准", "具体内容见下表。"]) + "\n"
    assert meta_of(text)[0].title is None
    assert meta_of("某县基本公共服务标准\n" + text)[0].title.value == "某县基本公共服务标准"



def test_a_menu_item_is_not_a_title_and_a_metadata_label_names_one():
    menu = "发展规划\n工作要点\n本站介绍了全市重点工作进展情况。\n"
    assert meta_of(menu)[0].title is None
    table = ("索引号: 11330000/2021-00012 发布机构: 某市人民政府\n"
             "标题: 某市养老服务设施专项规划 发文字号: 某政发〔2021〕第3号\n"
             "各区人民政府:\n为完善养老服务,制定本规划。\n一、现状\n")
    meta, _ = meta_of(table, "某市人民政府")
    assert meta.title.value == "某市养老服务设施专项规划"
    assert meta.document_number.value == "某政发〔2021〕第3号"
    assert value(table, meta.issuer_span) == "某市人民政府"


# ---------------------------------------------------------------------------------------------
# news reports of a plan
# ---------------------------------------------------------------------------------------------
def test_news_report_of_a_joint_plan():
    text = ("某省就业服务规划印发\n来源:某某日报 2022-06-01\n"
            "本报讯 省人力资源社会保障厅等12部门日前共同印发了《某省“十四五”就业服务规划》。"
            "《规划》依据《“十四五”就业促进规划》编制,提出到2025年城镇新增就业300万人。\n")
    meta, issuer = meta_of(text, "省人力资源社会保障厅")
    assert meta.title.value == "某省“十四五”就业服务规划"
    assert value(text, meta.issuer_span) == "省人力资源社会保障厅等12部门"
    assert issuer is None and len(meta.issuer_members) == 1  # a group, whose member is the bureau
    assert meta.issued is None  # the report's own date is not the plan's
    assert [c.title for c in meta.implements] == ["“十四五”就业促进规划"]


def test_news_report_passive_and_headline_forms():
    text = "记者昨日从某市民政局了解到,《某市“十四五”养老服务规划》日前正式发布。\n规划提出新增床位。\n"
    meta, issuer = meta_of(text, "某市民政局")
    assert meta.title.value == "某市“十四五”养老服务规划"
    assert meta.issuer_span is None and issuer is None  # the source of the news is not the issuer
    text = "某市“十四五”文化发展规划出炉\n记者了解到,到2025年全市建成公共图书馆20座。\n"
    assert meta_of(text)[0].title.value == "某市“十四五”文化发展规划"


def test_news_report_with_the_issue_date_and_a_national_issuer():
    text = "新华社北京电 国务院于2021年3月2日印发《某某行动计划(2021—2025年)》,部署五项任务。\n"
    meta, issuer = meta_of(text, "国务院")
    assert meta.title.value == "某某行动计划(2021—2025年)"
    assert value(text, meta.issuer_span) == "国务院" and issuer is not None
    assert meta.issued.value == "2021-03-02"


def test_news_report_that_lost_its_title_brackets():
    text = "本报讯 省政府日前印发“某省农村养老服务提升计划”,明确三年内建成互助养老点1000个。\n"
    meta, issuer = meta_of(text, "省政府")
    assert meta.title.value == "某省农村养老服务提升计划"
    assert value(text, meta.issuer_span) == "省政府" and issuer is not None
    # a quoted period name is not a title: “十四五” opens a title that goes on
    assert meta_of("国务院印发“十四五”养老规划要点解读\n专家认为前景广阔。\n", "国务院")[0].issuer_span is None


def test_a_parent_cited_as_released_is_not_the_title():
    text = "根据国务院印发《某某发展规划》的部署,我市编制了本年度工作安排。\n一、目标\n"
    assert meta_of(text, "国务院")[0].title is None


def test_a_joint_issue_said_of_the_plan_without_an_object():
    text = ("某省养老服务体系建设规划\n"
            "《某省养老服务体系建设规划》(以下简称《规划》)报经省人民政府同意后,由省民政厅等9部门于2023年5月联合印发。\n"
            "词条信息\n颁布时间:2023年5月30日\n")
    meta, _ = meta_of(text, "省民政厅", "省人民政府")
    assert value(text, meta.issuer_span) == "省民政厅等9部门"
    assert meta.issued.value == "2023-05-30"


# ---------------------------------------------------------------------------------------------
# issuers and dates
# ---------------------------------------------------------------------------------------------
def test_co_issuer_group_in_a_notice_title_with_chinese_numerals():
    text = ("某市发展和改革委员会、某市教育局等十五部门关于印发《某市“十四五”托育服务发展规划》的通知\n"
            "各区县人民政府:\n《某市“十四五”托育服务发展规划》已经市政府研究同意,现印发给你们。\n"
            "某市发展和改革委员会 某市教育局\n某市民政局\n2023年2月1日\n")
    names = ("某市发展和改革委员会", "某市教育局", "某市民政局", "某市人民政府")
    meta, issuer = meta_of(text, *names)
    assert value(text, meta.issuer_span) == "某市发展和改革委员会、某市教育局等十五部门"
    assert issuer is None and len(meta.issuer_members) == 2
    assert meta.issued.value == "2023-02-01"
    groups = pm.co_issuer_groups(text, spans_of(text, *names))
    assert [value(text, g.span) for g in groups] == ["某市发展和改革委员会、某市教育局等十五部门"]


def test_stacked_co_signers_are_not_a_sole_issuer():
    text = ("各有关单位:\n现将《某区托育服务实施方案》印发给你们。\n某区卫生健康局 某区教育局\n某区财政局\n"
            "2021年7月1日\n一、目标\n")
    meta, _ = meta_of(text, "某区卫生健康局", "某区教育局", "某区财政局")
    assert meta.issuer_span is None
    assert meta.issued.value == "2021-07-01"


def test_a_notice_names_its_sender_in_a_decision():
    text = ("省直各单位:\n《某省“十三五”发展规划纲要》(以下简称《纲要》)已由省人代会通过。"
            "省政府决定,做好《纲要》实施工作,把各项任务落实到省直单位。特此通知如下:\n"
            "一、任务清单\n")
    meta, issuer = meta_of(text, "省政府")
    assert value(text, meta.issuer_span) == "省政府" and issuer is not None
    assert [c.title for c in meta.implements] == ["某省“十三五”发展规划纲要"]


def test_dates_from_labels_signatures_and_pages():
    labelled = "发文日期: 2018年09月06日\n生成日期 2018年10月01日\n一、总则\n"
    assert pm.find_issued(labelled, pm.header_end(parse_structure(labelled), labelled)).value == "2018-09-06"
    # a signature date written without 日, and in Chinese numerals
    for text in ("某办公室\n                2017年12月22\n\n一、总体要求\n",
                 "某县人民政府\n二〇一七年十二月二十二日\n\n一、总体要求\n"):
        meta, _ = meta_of(text, "某办公室", "某县人民政府")
        assert meta.issued.value == "2017-12-22"
    assert pm.cn_number("十") == 10 and pm.cn_number("二十") == 20 and pm.cn_number("三十一") == 31
    # a page that is the plan: its publication label, also written 2024-02-19
    page = "某县2024年十件民生实事\n发表时间:2023-11-08 09:30 信息来源:某县政府办\n一、教育\n"
    assert meta_of(page)[0].issued.value == "2023-11-08"
    # a page that is not a plan (no title) keeps no date
    news = "我区民生事业稳步推进\n来源:区新闻中心 发布时间:2021-01-06 06:26\n全区完成民生实事。\n"
    assert meta_of(news)[0].issued is None


def test_issuer_from_a_source_label_of_the_plans_own_page_only():
    text = "某县2024年十件民生实事\n发表时间:2023-11-08 信息来源:某县政府办\n一、教育\n"
    meta, issuer = meta_of(text, "某县政府办")
    assert value(text, meta.issuer_span) == "某县政府办" and issuer is not None
    news = "全区民生实事全面完成\n来源:区融媒体中心 发布时间:2021-01-06\n全区新建学校3所。\n"
    assert meta_of(news, "区融媒体中心")[0].issuer_span is None


# ---------------------------------------------------------------------------------------------
# parent plans
# ---------------------------------------------------------------------------------------------
def test_implements_only_basis_not_every_citation():
    got = pm.find_implements(NOTICE, pm.header_end(parse_structure(NOTICE), NOTICE))
    assert [c.title for c in got] == ["“十三五”推进基本公共服务均等化规划", "某某省“十三五”推进基本公共服务均等化规划"]


def test_implements_unwraps_forwarding_notice():
    text = ("为认真贯彻落实某省人民政府办公厅《关于印发<某省“十三五”推进基本公共服务均等化规划>的通知》"
            "(某政办发〔2017〕137号)精神,现提出如下实施方案。\n一、总体要求\n")
    got = pm.find_implements(text, pm.header_end(parse_structure(text), text))
    assert [c.title for c in got] == ["某省“十三五”推进基本公共服务均等化规划"]
    assert text[got[0].span[0]:got[0].span[1]] == got[0].title


def test_implements_every_trigger_of_a_sentence_and_parent_documents():
    text = ("为贯彻落实国务院关于教育的决策部署,根据《某省人民政府办公厅关于分解落实〈政府工作报告〉的通知》要求,"
            "按照《某县2021年政府工作报告》安排,依据《某省教育事业发展规划(2016—2020年)》,制定本方案。\n"
            "一、目标\n根据《某县学校布局规划》,新建学校。\n")
    got = [c.title for c in pm.find_implements(text, pm.header_end(parse_structure(text), text))]
    assert got == ["某省人民政府办公厅关于分解落实〈政府工作报告〉的通知", "某县2021年政府工作报告",
                   "某省教育事业发展规划(2016—2020年)"]


def test_implements_not_a_law_nor_the_plan_itself():
    text = ("依据《中华人民共和国教育法》和《某市教育发展规划》,制定《某区教育发展规划》。\n"
            "《某区教育发展规划》依据《某区国民经济和社会发展规划纲要》编制。\n")
    got = pm.find_implements(text, len(text), own_title="某区教育发展规划")
    assert [c.title for c in got] == ["某市教育发展规划", "某区国民经济和社会发展规划纲要"]


# ---------------------------------------------------------------------------------------------
# jurisdiction
# ---------------------------------------------------------------------------------------------
def test_self_level_hint():
    assert pm.self_level_hint("我省率先实施。全省城乡居民。我市") == "provincial"
    assert pm.self_level_hint("本市基本公共服务。全市") == "prefectural"
    assert pm.self_level_hint("该县计划投入资金。全州") == "county"  # a tie goes to the more local level
    assert pm.self_level_hint("没有自称") is None


@pytest.mark.parametrize("text, expected", [
    # a county plan that compares itself with the province: the county it names
    ("秭归县今年安排民生工程30项,该县财政投入增长一成,居全省前列。全县新增就业2000人。\n", "秭归县"),
    # a district named only by its short name, inside the city the text names
    ("全区新建学校3所,区政府督办。西陵新貌工程、宜昌港改造完成。全区城镇新增就业1.5万人。\n", "西陵区"),
    # a title that opens with a two-character county name
    ("萧县2023年民生实事\n一、就业\n全县城镇新增就业5000人。\n", "萧县"),
])
def test_jurisdiction_from_the_text(text, expected):
    doc = process(text)
    assert doc._.plan.jurisdiction is not None and doc._.plan.jurisdiction.name == expected


def test_a_county_plan_that_never_names_its_county_gets_no_jurisdiction():
    text = "全县新增就业2000人。全县新建学校3所。全县养老床位增加500张。与湖北省全省平均水平相比仍有差距。\n"
    assert process(text)._.plan.jurisdiction is None


def test_jurisdiction_of_a_national_issuer_is_the_country():
    doc = process("国务院近日印发《某某服务保障规划》,明确了兜底责任。\n")
    assert doc._.plan.jurisdiction.code == "100000"
    assert "全国" in Gazetteer.load().get("100000").alt


def test_autonomous_region_speaks_of_itself_as_quanqu():
    text = "自治区人民政府决定,全区实施民生工程。为全区500万农户提供保险,自治区民政厅负责。\n"
    counts = pm.jurisdiction.level_counts(text, [], [])
    assert counts["provincial"] >= 2 and not counts["county"]


# ---------------------------------------------------------------------------------------------
# in the graph: a co-issuer group is the issuer, its members are agencies
# ---------------------------------------------------------------------------------------------
JOINT = """宜昌市发展和改革委员会、宜昌市教育局等十二部门关于印发《宜昌市“十四五”公共服务规划》的通知
各县(市、区)人民政府,市政府各部门:
《宜昌市“十四五”公共服务规划》已经市政府研究同意,现印发给你们,请抓好落实。
宜昌市发展和改革委员会 宜昌市教育局
宜昌市民政局
2022年8月1日
宜昌市“十四五”公共服务规划
一、发展基础
全市城镇新增就业5万人。
"""


def test_co_issuer_group_in_the_graph(tmp_path):
    from graph.build import build
    from graph.store import GraphStore
    from graph.validate import validate

    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "joint.txt").write_text(JOINT, encoding="utf-8")
    store = GraphStore(tmp_path / "store")
    assert not build([tmp_path / "corpus"], store).failures
    rows = list(store.query("""SELECT ?g ?label ?alt ?quote WHERE {
        ?plan pskg:sourceFile "joint.txt" ; pskg:issuedBy ?g .
        ?g a pskg:CoIssuerGroup ; rdfs:label ?label ; skos:altLabel ?alt ; pskg:evidence/pskg:quote ?quote }"""))
    assert len(rows) == 1
    assert rows[0]["label"].value == rows[0]["quote"].value == "宜昌市发展和改革委员会、宜昌市教育局等十二部门"
    members = {r["n"].value for r in store.query("""SELECT ?n WHERE {
        ?g a pskg:CoIssuerGroup ; org:hasMember ?a . ?a a pskg:Agency ; rdfs:label ?n }""")}
    assert members == {"宜昌市发展和改革委员会", "宜昌市教育局"}
    # the group is no agency of its own: listing agencies (without inference) does not show it
    assert not bool(store.query("ASK { ?g a pskg:CoIssuerGroup , pskg:Agency }"))
    conforms, report = validate(store)
    assert conforms, report


# ---------------------------------------------------------------------------------------------
# GB/T 9704 conventions as crawls leave them: closing dates, 文号 placements, titles that are
# the document itself, titles broken over lines
# ---------------------------------------------------------------------------------------------
def test_a_flattened_notice_is_dated_by_the_date_before_its_publication_note():
    text = ("某政发〔2020〕11号 某某县人民政府 关于印发某某县养老服务提升行动计划的通知 各乡镇人民政府:"
            " 现将《某某县养老服务提升行动计划》印发给你们,请遵照执行。 2020 年 6 月 9 日 (此件公开发布)"
            " 某某县养老服务提升行动计划 为加快养老服务发展,制定本计划。\n")
    meta, _ = meta_of(text, "某某县人民政府")
    assert meta.issued.value == "2020-06-09"
    assert meta.document_number.value == "某政发〔2020〕11号"
    assert meta.title.value == "某某县养老服务提升行动计划"


def test_a_date_alone_after_the_notice_body_closes_it_without_a_signing_line():
    text = ("某区人民政府办公室关于分解落实《政府工作报告》的通知\n各街道、区直各部门:\n"
            "现将《政府工作报告》确定的目标任务进行责任分解,请抓好落实。\n2019年2月20日\n"
            "《政府工作报告》目标任务责任分解\n一、稳增长\n")
    meta, issuer = meta_of(text, "某区人民政府办公室")
    assert meta.issued.value == "2019-02-20"
    # the sender of a title that is the document itself
    assert value(text, meta.issuer_span) == "某区人民政府办公室" and issuer is not None
    # the title keeps the brackets of the report it cites
    assert meta.title.value == "《政府工作报告》目标任务责任分解"
    assert [c.title for c in meta.implements] == ["政府工作报告"]


def test_a_news_page_date_alone_on_its_line_is_not_a_closing_date():
    text = "某某日报 第3版\n2022年05月06日\n本报讯 某某市日前印发《某某市托育服务发展规划》。\n"
    meta, _ = meta_of(text)
    assert meta.issued is None


def test_the_date_a_peoples_congress_adopted_the_plan():
    text = ("某某县国民经济和社会发展第十四个五年规划纲要\n(2021年2月3日某某县第十七届\n人民代表大会第五次会议通过)\n"
            "第一章 发展基础\n")
    meta, _ = meta_of(text)
    assert meta.issued.value == "2021-02-03"
    # a standing committee's meeting is not the adoption by a congress
    other = "某某规划\n(2021年2月3日县人民政府第九次常务会议研究)\n第一章 发展基础\n"
    assert meta_of(other)[0].issued is None


@pytest.mark.parametrize("header, number", [
    ("索引号: | 00123/2022-1 | 成文日期: | 2022-05-10 |\n文件编号: | 某政办发〔2022〕9号 | 有效性: |\n", "某政办发〔2022〕9号"),
    ("索引号主题分类综合政务\n发布机构某某市人民政府文号某政发〔2013〕5号\n", "某政发〔2013〕5号"),
    ("某某市人民政府关于明确2021年重点工作责任单位的通知某政〔2021〕3号现将重点工作分解如下。\n", "某政〔2021〕3号"),
])
def test_document_number_in_tables_and_flattened_titles(header, number):
    text = header + "一、总体要求\n"
    assert pm.find_document_number(text, len(text) - 7,
                                   [m.end() for m in pm.header.document_titles(text, len(text), pm.header.Citations(text))]
                                   ).value == number


def test_a_number_inside_a_run_of_characters_is_not_the_plans():
    text = "为落实省里的部署某政发〔2013〕5号文件精神,\n一、总体要求\n"
    assert pm.find_document_number(text, text.index("一、")) is None


def test_a_page_title_that_repeats_the_notice_verb_names_the_inner_title():
    text = ("关于印发某某县关于印发某某县教育发展规划的通知.doc\n"
            "某某县人民政府关于印发某某县教育发展规划的通知\n各乡镇:\n现将《某某县教育发展规划》印发给你们。\n"
            "2021年4月1日\n一、发展基础\n")
    meta, issuer = meta_of(text, "某某县人民政府")
    assert meta.title.value == "某某县教育发展规划"
    # the first notice title has no sender before it; the second one does
    assert value(text, meta.issuer_span) == "某某县人民政府" and issuer is not None


def test_the_sender_of_an_opinion_that_is_the_plan_itself():
    text = ("某某省人民政府关于落实《政府工作报告》重点工作分工的意见\n发布日期:2015-03-02\n"
            "各市人民政府:\n现就《政府工作报告》确定的重点工作提出分工意见如下:\n一、主要目标\n")
    meta, issuer = meta_of(text, "某某省人民政府")
    assert meta.title.value == "某某省人民政府关于落实《政府工作报告》重点工作分工的意见"
    assert value(text, meta.issuer_span) == "某某省人民政府" and issuer is not None
    assert meta.issued.value == "2015-03-02"
    assert [c.title for c in meta.implements] == ["政府工作报告"]


def test_an_issuer_label_in_a_table_before_the_pages_source():
    text = ("发布机构某某市人民政府\n某某市城乡居民养老保障规划\n发布日期:2016-05-05 信息来源:某某市人民政府办公室\n"
            "一、总体要求\n")
    meta, _ = meta_of(text, "某某市人民政府", "某某市人民政府办公室")
    assert value(text, meta.issuer_span) == "某某市人民政府"


def test_a_notice_title_beats_an_attachment_line():
    text = ("某某县人民政府关于印发某某县2022年十件民生实事项目的通知\n各乡镇:\n"
            "《某某县2022年十件民生实事项目》已经县人大会议表决通过,现印发给你们。\n附件:某某县2022年十件民生实事项目清单\n"
            "某某县人民政府\n2022年3月1日\n附件\n某某县2022年十件民生实事项目清单\n一、教育\n")
    meta, _ = meta_of(text, "某某县人民政府")
    assert meta.title.value == "某某县2022年十件民生实事项目"


def test_the_first_of_several_titles_a_notice_sends_after_approval():
    text = ("各区人民政府:\n《2021年政府工作报告重点工作责任分解》和《2021年民生实事项目责任分解》已经市政府"
            "讨论确定,现印发给你们。\n某某市人民政府办公室\n2021年3月2日\n一、经济发展\n")
    meta, _ = meta_of(text, "某某市人民政府办公室")
    assert meta.title.value == "2021年政府工作报告重点工作责任分解"


def test_a_news_headline_is_not_a_title():
    text = "某某县今年将办好十件民生实事\n记者从县人代会上获悉,该县将新建停车位500个。\n"
    assert meta_of(text)[0].title is None


def test_a_shortened_file_name_gives_way_to_the_title_the_document_spells_out():
    text = ("某某政务公开工作要点实施方案.docx\n- 文档编号:10001\n- 格式:DOCX\n- 页数:20\n- 大小:30KB\n"
            "- 上传时间:2021-01-01\n某某政务公开工作要点实施方案.docx\n某某政务公开工作要点实施方案\n"
            "某某市2019年政务公开工作要点实施方案\n目标任务\n一、以公开助力稳增长\n")
    meta, _ = meta_of(text)
    assert meta.title.value == "某某市2019年政务公开工作要点实施方案"


def test_a_preamble_names_the_plan_it_is_and_its_basis():
    text = ("某某网讯 “十四五”规划纲要全文发布 发布时间:2021-03-09\n"
            "根据《中共某某市委关于制定某某市国民经济和社会发展第十四个五年规划和二〇三五年远景目标的建议》,"
            "编制《某某市国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要》,主要阐明发展目标。\n")
    meta, _ = meta_of(text)
    assert meta.title.value == "某某市国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要"
    assert [c.title for c in meta.implements] == [
        "中共某某市委关于制定某某市国民经济和社会发展第十四个五年规划和二〇三五年远景目标的建议"]
    assert meta.issued is None  # a reprint's 发布时间 is the site's


def test_a_plan_forwarded_by_another_body_is_issued_by_the_body_forwarded():
    text = "新华社北京3月2日电 记者2日获悉,国务院办公厅日前转发民政部《社区养老服务设施建设方案》。\n"
    meta, issuer = meta_of(text, "国务院办公厅", "民政部")
    assert meta.title.value == "社区养老服务设施建设方案"
    assert value(text, meta.issuer_span) == "民政部" and issuer is not None


# ---------------------------------------------------------------------------------------------
# titles broken over lines, jurisdiction conventions (pipeline, real region names)
# ---------------------------------------------------------------------------------------------
def test_a_title_broken_over_lines_that_opens_with_a_region_is_joined():
    text = ("景德镇市国民经济和社会发展\n第十四个五年规划和\n二〇三五年远景目标纲要\n"
            "“十四五”时期,我市将加快建设。全市新增就业3万人。\n")
    meta = process(text)._.plan.meta
    assert meta.title.value == "景德镇市国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要"
    assert text.startswith(text[meta.title.span[0]:meta.title.span[1]][:13])


def test_lines_before_a_title_that_do_not_open_with_a_region_stay_apart():
    text = "政策文件\n专题专栏目录\n养老服务体系建设实施方案\n为加快养老服务发展,制定本方案。\n一、总体要求\n"
    meta = process(text)._.plan.meta
    assert meta.title.value == "养老服务体系建设实施方案"


@pytest.mark.parametrize("text, expected", [
    # the innermost of a chain of nested names in the title
    ("景德镇市浮梁县“十四五”公共服务规划\n一、发展基础\n全县新增就业3000人。\n", "浮梁县"),
    # the county whose people's congress adopted the plan
    ("(2021年1月12日浮梁县第十七届人民代表大会第五次会议通过)\n目录\n第一章 发展基础\n打造我国重要的瓷茶之乡。\n", "浮梁县"),
])
def test_jurisdiction_conventions(text, expected):
    doc = process(text)
    assert doc._.plan.jurisdiction is not None and doc._.plan.jurisdiction.name == expected


def test_a_national_plan_by_its_period_title_and_no_news_dateline_region():
    doc = process("“十四五”残疾人保障规划\n目录\n第一章 发展基础\n")
    assert doc._.plan.jurisdiction.code == "100000"
    doc = process("新华社南昌3月1日电 记者从有关部门获悉,《托育服务质量提升方案》日前发布。\n")
    assert doc._.plan.jurisdiction is None


# ---------------------------------------------------------------------------------------------
# parents: the basis the plan states, not what others implemented
# ---------------------------------------------------------------------------------------------
def test_a_citation_others_implemented_is_no_parent():
    text = ("第一节 发展基础\n“十二五”时期,全省各地、各部门认真贯彻实施《某省基本公共服务体系“十二五”规划》,"
            "服务水平不断提高。\n")
    assert meta_of(text)[0].implements == []
    basis = "为深入贯彻落实《某省基本公共服务体系“十二五”规划》,制定本方案。\n一、总体要求\n"
    assert [c.title for c in meta_of(basis)[0].implements] == ["某省基本公共服务体系“十二五”规划"]


def test_parent_titles_written_without_brackets_in_the_plans_basis_sentence():
    text = ("本规划依据国家“十四五”公共服务规划和江西省国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要编制。\n"
            "一、发展基础\n")
    meta = process(text)._.plan.meta
    assert [c.title for c in meta.implements] == [
        "“十四五”公共服务规划", "江西省国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要"]
    assert meta.implements[0].national
    # without a period or a region they are no titles
    vague = "本方案依据有关规划和上级要求制定。\n一、总体要求\n"
    assert process(vague)._.plan.meta.implements == []


def test_an_abbreviation_defined_after_the_cited_documents_number():
    text = ("为贯彻落实《某省关于批转促进就业规划(2021—2025年)的通知》(某政发〔2021〕6号,以下简称《规划》)精神,"
            "认真贯彻落实《规划》,提出如下意见。\n一、总体要求\n")
    titles = [c.title for c in meta_of(text)[0].implements]
    assert titles == ["促进就业规划(2021—2025年)"]


# ---------------------------------------------------------------------------------------------
# site chrome: breadcrumbs
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("line, chrome", [
    ("政策数据库 > 地方政策 > 某某市人民政府关于加强养老服务的实施意见", True),
    ("位置:首页 > 发布 > 规划计划", True),
    ("位置优越,交通便利,是区域物流中心。", False),
    ("(二)推进城乡供水一体化>完成管网改造", False),
])
def test_breadcrumbs_are_chrome(line, chrome):
    from extract.normalize import chrome_line

    assert chrome_line(line) is chrome


def test_a_notice_title_broken_before_its_kind_names_the_sender_above_it():
    text = ("5月6日,某某市人民政府发布关于印发某某市托育服务2022年细化措施的通知,提出新增托位。\n"
            "某某市人民政府\n关于印发某某市托育服务2022年细化措施的\n通知\n某政〔2022〕8号\n各县区人民政府:\n"
            "现将《某某市托育服务2022年细化措施》印发给你们,请认真贯彻落实。\n2022年4月28日\n"
            "某某市托育服务2022年细化措施\n一、扩大供给\n")
    meta, issuer = meta_of(text, "某某市人民政府")
    assert meta.title.value == "某某市托育服务2022年细化措施"
    # the news lead's notice title has no sender right before it; the notice's own does
    assert meta.issuer_span[0] == text.index("某某市人民政府\n关于") and issuer is not None
    assert meta.issued.value == "2022-04-28"
    assert meta.document_number.value == "某政〔2022〕8号"


def test_a_gbt_title_broken_after_guanyu_is_joined():
    text = ("某府〔2005〕9号\n关于贯彻落实国务院进一步加强\n职业教育工作决定的意见\n各市人民政府:\n"
            "为贯彻落实《国务院关于进一步加强职业教育工作的决定》,现提出如下意见。\n一、总体要求\n")
    meta, _ = meta_of(text)
    assert meta.title.value == "关于贯彻落实国务院进一步加强职业教育工作决定的意见"
    assert [c.title for c in meta.implements] == ["国务院关于进一步加强职业教育工作的决定"]


def test_a_stray_line_before_a_title_is_not_joined_to_it():
    text = ("行业动态\n\n+\n\n某某市养老服务专项行动方案\n近日,某某市民政局发布关于印发《某某市养老服务专项行动方案》"
            "的通知。\n一、总体要求\n")
    meta, _ = meta_of(text)
    assert meta.title.value == "某某市养老服务专项行动方案"
    assert text[meta.title.span[0]:meta.title.span[1]] == "某某市养老服务专项行动方案"


def test_a_notice_that_is_the_plan_itself_gives_its_title():
    text = ("某某省某某市人民政府关于落实《某某市国民经济和社会发展第十二个五年规划纲要》主要目标任务分工的通知\n"
            "发文字号:某府发[2012]3号\n公布日期:2012-02-10\n各区人民政府:\n"
            "为确保《某某市国民经济和社会发展第十二个五年规划纲要》顺利实施,现将主要目标任务分解落实。\n一、分工原则\n")
    meta, _ = meta_of(text)
    assert meta.title.value == ("某某省某某市人民政府关于落实《某某市国民经济和社会发展第十二个五年规划纲要》"
                                "主要目标任务分工的通知")
    assert meta.issued.value == "2012-02-10"
    # a forwarding notice is never the plan: its title names another document
    forwarding = "某某市人民政府关于印发某某市养老服务办法的通知\n各区:\n现将《某某市养老服务办法》印发给你们。\n一、总则\n"
    assert meta_of(forwarding)[0].title.value == "某某市养老服务办法"


def test_a_news_page_is_not_dated_by_its_publication_label():
    text = ("行业新闻\n某某市社区养老服务提升方案\n发布时间:2020-11-02\n近日,某某市民政局网站发布《某某市社区养老服务"
            "提升方案》。\n一、基本思路\n")
    meta, _ = meta_of(text)
    assert meta.title.value == "某某市社区养老服务提升方案"
    assert meta.issued is None
    portal = "某某县2022年民生实事\n发布时间:2023-01-05 10:00 信息来源:某某县民生办\n一、就业\n"
    assert meta_of(portal)[0].issued.value == "2023-01-05"


def test_the_plan_named_as_its_outline_opens_a_basis_clause():
    text = ("前言\n本规划纲要根据《中共某某市委关于制定国民经济和社会发展第十四个五年规划的建议》编制,是未来五年的蓝图。\n"
            "第一章 发展基础\n")
    assert [c.title for c in meta_of(text)[0].implements] == ["中共某某市委关于制定国民经济和社会发展第十四个五年规划的建议"]


# ---------------------------------------------------------------------------------------------
# portal pages: a lost character after the title, metadata bullets, a page heading above the
# document's own heading, a news headline "某区公布X"
# ---------------------------------------------------------------------------------------------
def test_title_label_with_a_lost_character_names_title_and_issuer():
    text = ("某某县人民政府\n索  引  号:000/2024-1 发文机关:某某县政府办 标      题:某某县学生营养改善计划实施办法? "
            "发布日期:2024年5月6日\n\n某某县学生营养改善计划实施办法?\n\n一是补助对象。全县在校学生。\n")
    meta, _ = meta_of(text, "某某县政府办", "某某县人民政府")
    assert meta.title.value == "某某县学生营养改善计划实施办法"
    assert value(text, meta.issuer_span) == "某某县政府办"
    assert meta.issued.value == "2024-05-06"


def test_metadata_bullets_do_not_push_the_title_out_of_the_lead_lines():
    bullets = "".join(f"• {k}:\n\n{v}\n\n" for k, v in [
        ("信息索引号", "0001/2024-7"), ("体裁分类", "计划"), ("发布机构", "某某区人民政府"),
        ("主题分类", "民生"), ("成文日期", "2024-03-01"), ("公开方式", "主动公开")])
    text = (">> 政务公开 >> 重点实事\n\n" + bullets + "2024年某某区民生实事项目\n\n"
            "2024年某某区民生实事任务分解方案\n\n序号\n\n项目内容\n\n牵头单位\n\n1\n\n新建幼儿园3所。\n\n区教育局\n")
    meta, _ = meta_of(text, "某某区人民政府", "区教育局")
    # the document's own heading, which restates the portal's item heading, is the title
    assert meta.title.value == "2024年某某区民生实事任务分解方案"
    assert value(text, meta.issuer_span) == "某某区人民政府"


def test_news_headline_naming_what_a_district_published():
    text = ("新建公园8处今年完工 某某区公布2025年30件重要民生实事项目\n某某日报 2025-02-11 09:10\n\n"
            "记者获悉,某某区发布2025年30件重要民生实事。\n\n一、教育\n\n1、新增学位800个。\n")
    meta, _ = meta_of(text)
    assert meta.title.value == "2025年30件重要民生实事项目"
    assert meta.issuer_span is None  # a news page names no issuer label
