"""Lead and supporting agencies from explicit assignment statements."""
import re

from extract.leads import MASK, find_lead_statements, is_plan_duty, sentence_span


def _mentions(text, names):
    """(start, end, id) of each occurrence of the given agency names, id = the name."""
    out = []
    for name in names:
        for m in re.finditer(re.escape(name), text):
            out.append((m.start(), m.end(), name))
    return out


def _leads(text, names):
    return [(st.pattern, st.leads, st.supports) for st in find_lead_statements(text, _mentions(text, names))]


def test_parenthesised_assignment_with_several_leads_and_a_supporter():
    text = "推进公共就业服务。(市人社局、市财政局牵头,市民政局配合,其他有关部门按职责分工负责)"
    assert _leads(text, ["市人社局", "市财政局", "市民政局"]) == [
        ("paren_assignment", ("市人社局", "市财政局"), ("市民政局",))]


def test_by_lead_with_participants():
    text = "建立协调机制,由市发展改革委牵头,市财政局、市统计局共同参与。"
    assert _leads(text, ["市发展改革委", "市财政局", "市统计局"]) == [
        ("by_lead", ("市发展改革委",), ("市财政局", "市统计局"))]


def test_in_concert_and_responsible():
    text = "省发展改革委要会同省统计局等有关部门开展中期评估。省财政局负责资金保障。"
    assert _leads(text, ["省发展改革委", "省统计局", "省财政局"]) == [
        ("in_concert", ("省发展改革委",), ("省统计局",)), ("responsible", ("省财政局",), ())]


def test_subject_with_a_duty():
    text = "加强督查。市政府督查室、市发改委要加强对规划实施情况的检查。"
    assert _leads(text, ["市政府督查室", "市发改委"]) == [("subject_duty", ("市政府督查室", "市发改委"), ())]


def test_generic_actors_are_not_leads():
    # unresolved names are not masked, so no pattern can take them as agencies
    text = "各地要加强领导。有关部门负责落实。(其他有关部门按职责分工负责)县区人民政府负责推进落实。"
    assert _leads(text, []) == []
    # a requirement (要求) is not a duty
    assert _leads("市教育局要求各校落实。", ["市教育局"]) == []


def test_mask_keeps_offsets_and_sentence_span():
    text = "第一句。由市教育局牵头,推进改革;第三句"
    st = find_lead_statements(text, _mentions(text, ["市教育局"]))[0]
    assert text[st.span[0]:st.span[1]] == "由市教育局牵头,推进改革;"
    assert sentence_span(text, 0, 2) == (0, 4)
    assert MASK not in text


def test_plan_duties():
    assert is_plan_duty("市发改委要加强对规划实施情况的检查督办")
    assert is_plan_duty("牵头组织开展中期评估和终期评估")
    assert not is_plan_duty("(市教育局牵头,其他有关部门按职责分工负责)")


def test_bundled_corpus_leads(built_store):
    store, _ = built_store
    rows = store.select("""SELECT ?file ?cl ?al WHERE { ?c pskg:leadAgency ?a ; rdfs:label ?cl .
        ?a rdfs:label ?al . { ?c pskg:inPlan ?p } UNION { BIND(?c AS ?p) ?p a pskg:Plan }
        ?p pskg:sourceFile ?file }""")
    got = {(r["file"][:3], r["cl"], r["al"]) for r in rows}
    assert ("001", "基本养老保险", "白银市人力资源和社会保障局") in got
    assert ("001", "缩小城乡区域服务差距", "白银市财政局") in got
    assert ("001", "缩小城乡区域服务差距", "白银市发展和改革委员会") in got
    # Shanghai: 由市发展改革委牵头 under (一)加强规划实施的组织保障
    assert ("003", "加强规划实施的组织保障", "上海市发展和改革委员会") in got
    # Shanxi: 省发展改革委要会同有关部门…中期评估 is a duty of the plan itself too
    assert any(f == "000" and a == "山西省发展和改革委员会" and "山西" in c for f, c, a in got)
    support = store.select("""SELECT ?cl ?al WHERE { ?c pskg:supportingAgency ?a ; rdfs:label ?cl .
        ?a rdfs:label ?al }""")
    assert {"cl": "加强监测评估", "al": "白银市统计局"} in support
    # every lead has evidence for that statement, and no generic actor became a lead
    missing = store.select("""SELECT ?c WHERE { ?c pskg:leadAgency ?a .
        FILTER NOT EXISTS { ?c pskg:evidence ?ev . ?ev pskg:property pskg:leadAgency } }""")
    assert missing == []
    assert len({r["al"] for r in rows}) >= 15
