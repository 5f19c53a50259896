"""Agency recognition and resolution on small texts written for these tests."""
from __future__ import annotations

from extract.nlp import process


def agencies_of(text: str) -> dict[str, tuple[str, str, str, set[str]]]:
    doc = process(text)
    ags, _ = doc._.agencies
    return {a.label: (a.level, a.function, a.region.code, a.alt_labels) for a in ags}


CITY_PLAN = """荆门市人民政府关于印发荆门市基本公共服务规划的通知
荆门市人民政府
2018年9月6日
荆门市基本公共服务规划
一、重点任务
促进义务教育均衡发展。(市教育局牵头,其他有关部门按职责分工负责)
就业服务。(市人社局、市人力资源和社会保障局负责)
规划实施。由市发改委牵头,市发展改革委、市财政局、省统计局配合,各县、区人民政府和县区政府落实。
残联要做好残疾人服务。国务院有关部门给予指导。市政府政务督查室要加强督办。
"""


def test_prefixed_forms_resolve_to_the_plan_region_and_merge_aliases():
    ags = agencies_of(CITY_PLAN)
    edu = ags["荆门市教育局"]
    assert edu[:3] == ("prefectural", "education", "420800")
    hr = ags["荆门市人力资源和社会保障局"]
    assert hr[1] == "human_resources_social_security"
    assert {"市人社局", "市人力资源和社会保障局"} <= hr[3]
    dr = ags["荆门市发展和改革委员会"]
    assert {"市发改委", "市发展改革委"} <= dr[3]


def test_level_prefix_above_the_plan_and_national_and_bare_forms():
    ags = agencies_of(CITY_PLAN)
    assert ags["湖北省统计局"][:3] == ("provincial", "statistics", "420000")
    assert ags["国务院"][:3] == ("national", "government_general", "100000")
    assert ags["荆门市残疾人联合会"][:2] == ("prefectural", "disabled_persons")
    assert ags["荆门市人民政府政务督查室"][1] == "government_general"


def test_classes_of_bodies_are_not_agencies():
    ags = agencies_of(CITY_PLAN)
    assert not any(label.endswith("区人民政府") or "县" in label for label in ags)


def test_same_function_in_two_regions_stays_apart():
    text = ("某规划\n一、任务\n白银市教育局和荆门市教育局分别负责。甘肃省教育厅指导。\n")
    ags = agencies_of(text)
    assert ags["白银市教育局"][2] == "620400"
    assert ags["荆门市教育局"][2] == "420800"
    assert ags["甘肃省教育厅"][:3] == ("provincial", "education", "620000")


def test_provincial_plan_city_prefix_is_generic():
    text = ("山西省基本公共服务均等化规划\n一、实施\n省发展改革委牵头。市、县人民政府要加大投入。"
            "设区市人民政府负责。\n")
    ags = agencies_of(text)
    assert set(ags) == {"山西省发展和改革委员会"}
    assert ags["山西省发展和改革委员会"][:2] == ("provincial", "development_reform")


def test_municipality_city_prefix_is_provincial():
    text = "上海市基本公共服务规划\n一、实施\n由市发展改革委牵头,区政府配合。\n"
    ags = agencies_of(text)
    assert set(ags) == {"上海市发展和改革委员会"}
    assert ags["上海市发展和改革委员会"][:3] == ("provincial", "development_reform", "310000")


def test_traditional_written_forms_are_kept_as_alt_labels():
    text = "荊門市基本公共服務規劃\n一、實施\n市發改委牽頭,殘聯配合。\n"
    ags = agencies_of(text)
    assert "市發改委" in ags["荆门市发展和改革委员会"][3]
    assert "殘聯" in ags["荆门市残疾人联合会"][3]


def test_national_plan_issued_by_the_state_council():
    text = ("国务院关于印发“十三五”推进基本公共服务均等化规划的通知\n国务院\n2017年1月23日\n"
            "“十三五”推进基本公共服务均等化规划\n一、任务\n我国基本公共服务体系初步建立。"
            "教育部、国家发展改革委负责。省级人民政府和市、县人民政府落实。\n")
    doc = process(text)
    assert doc._.plan.jurisdiction.code == "100000"
    ags = {a.label: a for a in doc._.agencies[0]}
    assert set(ags) == {"国务院", "教育部", "国家发展和改革委员会"}
    assert all(a.level == "national" for a in ags.values())


def test_county_plan_prefixes():
    text = ("京山市人民政府关于印发京山市基本公共服务均等化实施方案的通知\n一、任务\n"
            "市教育局牵头,荆门市教育局指导,省教育厅支持。\n")
    ags = agencies_of(text)
    assert ags["京山市教育局"][:3] == ("county", "education", "420882")
    assert ags["荆门市教育局"][:3] == ("prefectural", "education", "420800")
    assert ags["湖北省教育厅"][:3] == ("provincial", "education", "420000")


def test_ambiguous_region_prefix_is_resolved_within_the_plan_region():
    # 朝阳区 is a district of Beijing and of Changchun; in a 长春市 plan it is Changchun's
    text = "长春市人民政府关于印发长春市基本公共服务规划的通知\n一、任务\n朝阳区教育局负责。\n"
    doc = process(text)
    ags = {a.label: a for a in doc._.agencies[0]}
    assert ags["朝阳区教育局"].region.code == "220104"
    assert ags["朝阳区教育局"].level == "county"
