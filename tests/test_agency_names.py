"""The agency name grammar: stems, suffixes, prefixes, party organs, lists of responsible units.

Every text here is written for these tests."""
from __future__ import annotations

from extract.agency_names import AgencyVocabulary
from extract.nlp import process


def labels(text: str) -> dict[str, tuple[str, str, str]]:
    doc = process(text)
    return {a.label: (a.level, a.function, a.region.code) for a in doc._.agencies[0]}


def core(text: str):
    g = AgencyVocabulary.load().grammar
    cores = g.cores(text)
    assert len(cores) == 1, cores
    return cores[0].form


def test_composed_names_expand_their_stems_and_suffix():
    assert core("文体广新局").full == "文化体育广播电视新闻出版局"
    f = core("文体旅局")
    assert (f.full, f.function) == ("文化体育旅游局", "culture_tourism")
    f = core("教育体育局")
    assert (f.full, f.function) == ("教育体育局", "education")
    f = core("卫健委")
    assert (f.full, f.function) == ("卫生健康委员会", "health")
    f = core("国家医保局")
    assert (f.full, f.function, f.national) == ("国家医疗保障局", "health", True)
    f = core("商务和投资促进局")
    assert f.function == "other"


def test_one_body_written_three_ways_is_one_canonical_name():
    text = "荆门市基本公共服务规划\n一、任务\n市发改委牵头。市发展改革委配合。市发展和改革委员会督办。\n"
    ags = labels(text)
    assert set(ags) == {"荆门市发展和改革委员会"}


def test_suffix_that_begins_a_word_is_not_a_suffix():
    g = AgencyVocabulary.load().grammar
    for text in ("推动教育部门改革", "形成文体新局面", "财政委托管理", "民生办实事"):
        assert g.cores(text) == [], text


def test_bare_names_belong_to_the_plan_but_classes_of_bodies_do_not():
    text = ("萧县人民政府关于印发萧县民生实事实施方案的通知\n一、任务\n(一)建设养老食堂。(牵头单位:民政局、医保局)\n"
            "(二)各级教育局、县级财政局要配合。打造“网上就业局”。\n")
    ags = labels(text)
    assert ags["萧县民政局"] == ("county", "civil_affairs", "341322")
    assert ags["萧县医疗保障局"][1] == "health"
    assert not any("教育局" in a or "财政局" in a or "就业局" in a for a in ags)


def test_a_provincial_department_without_region_is_the_province_s():
    text = "荆门市人民政府关于印发方案的通知\n一、任务\n由教育厅指导,市教育局牵头。\n"
    ags = labels(text)
    assert ags["湖北省教育厅"][:2] == ("provincial", "education")


def test_autonomous_region_word_and_government_departments():
    text = ("广西壮族自治区人民政府关于印发方案的通知\n一、任务\n自治区应急厅负责。"
            "自治区人民政府办公厅督办。\n")
    ags = labels(text)
    assert ags["广西壮族自治区应急管理厅"][:2] == ("provincial", "emergency")
    assert "广西壮族自治区人民政府办公厅" in ags
    text = "武汉市人民政府关于印发方案的通知\n一、任务\n市人民政府金融工作局牵头,市金融工作局配合。\n"
    assert set(labels(text)) == {"武汉市人民政府", "武汉市金融工作局"}


def test_party_organs_are_marked_but_the_committee_itself_is_not_a_body():
    doc = process("白银市人民政府关于印发方案的通知\n一、任务\n市委宣传部、中共白银市委政法委负责。市委、市政府领导。\n")
    ags = {a.label: a for a in doc._.agencies[0]}
    assert ags["中共白银市委宣传部"].party
    assert ags["中共白银市委政法委员会"].party
    assert not any(label.endswith("市委员会") for label in ags)
    assert not ags["白银市人民政府"].party


def test_names_broken_by_crawl_blanks_are_found_whole():
    doc = process("广西壮族自治区人民政府关于印发方案的通知\n一、任务\n自治区卫生健 康委 负责。\n")
    m = next(m for m in doc._.agency_mentions if m.text.endswith("康委"))
    assert m.text == "自治区卫生健康委"  # normalization joins CJK across the blank
    assert doc._.norm.raw[slice(*doc._.norm.raw_span(m.start, m.end))] == "自治区卫生健 康委"


def test_weak_names_and_sub_units_only_in_lists_of_responsible_units():
    text = ("大竹县人民政府办公室关于民生实事的通知\n一、任务\n(一)迁建县政务服务中心,建成县残疾人综合服务中心。"
            "(责任单位:县代建中心、县护城河指挥部、五星街道、经开区)\n")
    doc = process(text)
    ags = {a.label: a for a in doc._.agencies[0]}
    assert "大竹县代建中心" in ags and "大竹县护城河指挥部" in ags
    assert ags["大竹县五星街道办事处"].level == "township"
    assert ags["大竹县经开区管理委员会"].function == "government_general"
    assert not any("残疾人综合服务中心" in label for label in ags)  # a building, outside the list


def test_two_character_county_name_before_a_level_word():
    text = "萧县人民政府关于印发萧县实施方案的通知\n一、任务\n萧县民政局负责,和县教育局协助。市区和县教育局落实。\n"
    ags = labels(text)
    assert ags["萧县民政局"][2] == "341322"
    assert ags["和县教育局"][2] == "340523"  # another county of the province
    assert len([a for a in ags if a.endswith("教育局")]) == 1  # 市区和县教育局: a class of bodies


def test_a_remark_inside_a_list_names_no_sub_unit():
    text = ("武汉市人民政府办公厅关于印发分解方案的通知\n一、目标\n(一)地区生产总值增长7.5%。"
            "(牵头单位:市发改委;责任单位:各区人民政府〈含开发区、风景区〉,市统计局)\n")
    assert set(labels(text)) == {"武汉市人民政府办公厅", "武汉市发展和改革委员会", "武汉市统计局"}


def test_a_zone_committee_or_town_government_named_with_its_own_word():
    text = ("黔东南州人民政府关于印发方案的通知\n各县(市)人民政府,凯里高新技术产业开发区管委会、各省级经济开发区管委会:\n"
            "一、任务\n推进示范区管委会建设。\n")
    ags = labels(text)
    assert ags["黔东南苗族侗族自治州凯里高新技术产业开发区管理委员会"][:2] == ("prefectural", "government_general")
    assert len([a for a in ags if "管理委员会" in a]) == 1


def test_party_organs_are_typed_as_party_bodies_in_the_graph():
    from graph.rdf import plan_quads

    doc = process("白银市人民政府关于印发方案的通知\n一、任务\n1.加强宣传。(市委宣传部牵头,市教育局配合)\n")
    types = {(q.subject.value.rsplit("/", 1)[-1], q.object.value.rsplit("#", 1)[-1])
             for q in plan_quads(doc, "t.txt") if q.predicate.value.endswith("rdf-syntax-ns#type")}
    party = {s for s, t in types if t == "PartyBody"}
    agencies = {s for s, t in types if t == "Agency"}
    assert len(party) == 1 and party <= agencies
    assert len(agencies) == 3  # the government, the party organ, the education bureau


def test_a_chain_of_region_names_before_a_body_is_part_of_its_name():
    doc = process("长春市人民政府关于印发方案的通知\n吉林省长春市人民政府\n2021年3月1日\n一、任务\n"
                  "国家标准委、国家卫生健康委负责。\n")
    ags = {a.label: a for a in doc._.agencies[0]}
    gov = ags["长春市人民政府"]
    assert "吉林省长春市人民政府" in gov.alt_labels
    assert ags["国家标准化管理委员会"].level == "national"
