"""Commitments from the outline: which provisions, of which kind, spanning which text."""
from extract.commitments import CommitmentIndex, classify, find_commitments
from extract.structure import DomainTagger, parse_structure

TAGGER = DomainTagger([("基本公共教育", "education"), ("住房保障", "housing"), ("就业", "employment")])

TEXT = """某市基本公共服务规划
一、发展基础
基本公共教育方面。全市新建幼儿园20所。
二、重点任务和保障工程
(一)基本公共教育
1.重点任务。
促进义务教育均衡发展。建立城乡统一的经费保障机制。(市教育局牵头)
2.保障工程。
学前教育设施建设。新建幼儿园239所。
(二)基本住房保障
(一)服务项目
1.公共租赁住房。为城镇住房困难家庭提供公共租赁住房。
对符合条件的家庭发放租赁补贴。
(三)就业创业
完善就业服务体系。健全公共就业服务网络。
乡村教师支持计划。落实生活补助。
三、保障措施
()加强监测评估
市发展改革委要会同市统计局开展评估。
"""


def _commitments():
    blocks = parse_structure(TEXT, TAGGER)
    return find_commitments(TEXT, blocks)


def test_kinds_from_own_title_and_enclosing_sections():
    got = [(c.kind, c.label) for c in _commitments()]
    assert got == [
        ("Task", "促进义务教育均衡发展"),
        ("Project", "学前教育设施建设"),
        ("ServiceGuarantee", "公共租赁住房"),
        ("Task", "完善就业服务体系"),
        ("Project", "乡村教师支持计划"),
        ("Task", "加强监测评估"),
    ]


def test_background_sections_hold_no_commitments():
    assert all("方面" not in c.label for c in _commitments())
    assert classify("设施建设", ["发展基础", "规划背景"]) is None
    assert classify("制度更加健全", ["主要目标"]) is None


def test_innermost_section_title_decides():
    # 重点任务 under "重点任务和保障工程" holds tasks, 保障工程 under it holds projects
    assert classify("推进义务教育均衡发展", ["重点任务", "基本公共教育", "重点任务和保障工程"]) == "Task"
    assert classify("发展普惠性幼儿园", ["保障工程", "基本公共教育", "重点任务和保障工程"]) == "Project"
    assert classify("完善公共就业服务", ["基本劳动就业创业"]) == "Task"


def test_item_spans_its_continuation_lines_and_heading_spans_its_running_text():
    cs = {c.label: c for c in _commitments()}
    item = cs["公共租赁住房"]
    assert TEXT[item.span[0]:item.span[1]].endswith("对符合条件的家庭发放租赁补贴。")
    heading = cs["加强监测评估"]  # "()" lost its numeral in the crawl; still a heading
    assert TEXT[heading.span[0]:heading.span[1]].endswith("开展评估。")
    assert cs["促进义务教育均衡发展"].domain == "education"


def test_index_finds_the_commitment_around_an_offset():
    cs = _commitments()
    index = CommitmentIndex(cs)
    at = TEXT.index("(市教育局牵头)")
    assert index.at(at).label == "促进义务教育均衡发展"
    assert index.at(TEXT.index("全市新建幼儿园")) is None


def test_bundled_plans_have_commitments_of_every_kind(built_store):
    store, _ = built_store
    rows = store.select("""SELECT ?file ?kind (COUNT(?c) AS ?n) WHERE {
        ?c pskg:inPlan ?p ; a ?kind . ?p pskg:sourceFile ?file .
        FILTER(?kind IN (pskg:Task, pskg:Project, pskg:ServiceGuarantee)) } GROUP BY ?file ?kind""")
    n = {(r["file"][:3], r["kind"].rsplit("#", 1)[1]): int(r["n"]) for r in rows}
    assert n[("001", "Task")] >= 50  # Baiyin: 52 lead-phrase paragraphs + 加强监测评估
    assert n[("003", "ServiceGuarantee")] >= 20  # Shanghai's 服务项目 items
    assert n[("002", "Project")] >= 20  # Jingmen's 保障措施 works programmes
    labels = {r["l"] for r in store.select("""SELECT ?l WHERE { ?c a pskg:ServiceGuarantee ; rdfs:label ?l }""")}
    assert {"提供义务教育服务和资助", "社会救助", "廉租住房和公共租赁住房"} <= labels
    # no outline provision (they have a lead phrase) from the background and goals chapters
    bad = store.select("""SELECT ?l WHERE { ?c pskg:inPlan ?p ; pskg:leadPhrase ?lp ; rdfs:label ?l .
        FILTER(CONTAINS(?l, "方面") || ?l IN ("指导思想", "基本原则", "主要目标", "设施建设")) }""")
    assert bad == []


def test_commitments_have_plan_section_and_whole_text_evidence(built_store):
    store, _ = built_store
    rows = store.select("""SELECT ?c (COUNT(DISTINCT ?p) AS ?np) (COUNT(DISTINCT ?ev) AS ?ne) WHERE {
        ?c a/rdfs:subClassOf* pskg:Commitment ; pskg:inPlan ?p ; pskg:evidence ?ev ; dct:isPartOf ?s }
        GROUP BY ?c""")
    assert len(rows) > 300
    assert all(r["np"] == "1" and int(r["ne"]) >= 2 for r in rows)
    row = store.select("""SELECT ?q ?path WHERE { ?c rdfs:label "加强监测评估"@zh-Hans ;
        pskg:sectionPath ?path ; pskg:evidence ?ev . ?ev pskg:quote ?q . FILTER(STRLEN(?q) > 20) }""")
    assert row and "市发展改革委要会同市统计局" in row[0]["q"]
    assert row[0]["path"].startswith("切实加强组织领导和统筹协调")
