"""Lists of responsible bodies: labelled fields, task tables, a declared convention; the lead
statements and provisions made from them. Every text here is written for these tests."""
from __future__ import annotations

from extract.nlp import process


def owners(text: str) -> list[tuple[str, list[str], list[str]]]:
    """(provision title, lead labels, support labels) of every lead statement, by position."""
    doc = process(text)
    ags = doc._.agencies[1]
    index = {c.span: c for c in doc._.commitments}
    out = []
    for st in doc._.leads:
        c = next((c for c in doc._.commitments if c.span[0] <= st.match[0] < c.span[1]), None)
        out.append((c.label if c else None, [ags[i].label for i in st.leads], [ags[i].label for i in st.supports]))
    assert index is not None
    return out


HEAD = "荆门市人民政府关于印发荆门市民生实事实施方案的通知\n荆门市人民政府\n2021年3月1日\n"


def test_labelled_fields_lead_then_responsible_units_support():
    text = HEAD + ("一、重点任务\n1.建设社区食堂。新建食堂20个。(牵头单位:市民政局;责任单位:市财政局、市商务局)\n"
                   "2.扩大技能培训。(责任单位:市人社局、市教育局)\n")
    got = owners(text)
    assert got[0] == ("建设社区食堂", ["荆门市民政局"], ["荆门市财政局", "荆门市商务局"])
    assert got[1] == ("扩大技能培训", ["荆门市人力资源和社会保障局", "荆门市教育局"], [])


def test_declared_convention_first_listed_leads():
    text = HEAD + ("以下各项任务的责任单位中,列第一位的为牵头单位。\n一、重点任务\n"
                   "1.扩大技能培训。(责任单位:市人社局、市教育局、市财政局)\n")
    assert owners(text)[-1] == ("扩大技能培训", ["荆门市人力资源和社会保障局"],
                                ["荆门市教育局", "荆门市财政局"])


def test_traditional_labels_and_an_unclosed_field():
    text = ("荊門市人民政府關於印發荊門市民生實事實施方案的通知\n一、任務\n"
            "(一)促進充分就業,新增就業1萬人。(牽頭單位:市人社局\n(二)提高低保標準。(配合單位:市財政局)\n")
    got = owners(text)
    assert got[0] == ("促进充分就业,新增就业1万人", ["荆门市人力资源和社会保障局"], [])
    assert got[1][1:] == ([], ["荆门市财政局"])


def test_task_table_with_one_cell_per_line():
    text = HEAD + ("附件\n民生实事任务分解表\n序号\n民生实事\n责任单位\n完成时限\n"
                   "1\n改造老旧小区30个。\n市住建局\n市城管执法指挥部\n12月底前\n"
                   "2\n新建公办幼儿园5所。\n市教育局\n9月底前\n")
    got = owners(text)
    assert got == [("改造老旧小区30个", ["荆门市住房和城乡建设局", "荆门市城管执法指挥部"], []),
                   ("新建公办幼儿园5所", ["荆门市教育局"], [])]


def test_flattened_table_row_with_leader_lead_and_supporting_units():
    text = HEAD + ("项目分解表序号项目名称主要内容分管领导牵头单位配合单位"
                   "1提升养老服务为全市老年人提供助餐服务。王小明民政局高新区各街道、东宝区\n")
    got = owners(text)
    assert got[-1][1] == ["荆门市民政局"]
    assert got[-1][0].startswith("提升养老服务")
    assert got[-1][2] == ["荆门市高新区管理委员会", "东宝区人民政府"]


def test_numbered_rows_whose_last_cell_follows_the_text():
    text = HEAD + ("资金计划表\n项目名称 合计 目标任务 牵头单位 备注\n一、社保项目\n"
                   "(一)居民养老保险项目\n1200 800\n为参保居民发放基础养老金. 市人社局\n"
                   "(二)困难群众救助项目\n500\n为困难群众发放救助金. 市民政局 ―\n")
    got = owners(text)
    assert [(g[0], g[1]) for g in got] == [("居民养老保险项目", ["荆门市人力资源和社会保障局"]),
                                           ("困难群众救助项目", ["荆门市民政局"])]


def test_a_sentence_about_responsible_units_is_not_a_table_header():
    text = HEAD + "一、要求\n各责任单位要认真研究、细化措施,按时完成任务。请各牵头单位于月底前报送。\n"
    assert process(text)._.roles.statements == []


def test_an_assignment_closes_the_text_before_it_in_a_flattened_line():
    text = ("江苏省人民政府关于印发分工方案的通知\n一、分工\n[接上页] 推进脱贫工程。(省扶贫办牵头负责) "
            "优化收入分配,调节过高收入。(省税务局、财政厅按职责分工负责) (5)推进住房建设 加大公租房供给。"
            "(省住房城乡建设厅牵头负责)\n")
    got = owners(text)
    assert got[0] == ("推进脱贫工程", ["江苏省扶贫开发办公室"], [])
    assert got[1][0] == "优化收入分配,调节过高收入"
    assert set(got[1][1]) == {"江苏省税务局", "江苏省财政厅"}
    assert got[2][0].startswith("推进住房建设")


def test_a_goal_with_an_owner_is_a_provision_even_under_a_goals_heading():
    text = HEAD + "一、主要目标分工\n1.城镇新增就业1万人。\n责任单位:市人社局。\n"
    assert owners(text) == [("城镇新增就业1万人", ["荆门市人力资源和社会保障局"], [])]


def test_a_body_marked_as_lead_inside_a_list_leads_it():
    text = HEAD + "一、重点任务\n1.建设社区食堂。(责任单位:市财政局、市民政局(牵头)、市商务局)\n"
    assert owners(text)[-1] == ("建设社区食堂", ["荆门市民政局"], ["荆门市财政局", "荆门市商务局"])


def test_a_body_that_coordinates_a_task_leads_it():
    text = HEAD + "一、重点任务\n1.推进医养结合。市卫健委统筹推进医养结合,市民政局配合。\n"
    assert owners(text)[-1][:2] == ("推进医养结合", ["荆门市卫生健康委员会"])


def test_bracketed_labels_and_a_lead_marked_without_parentheses():
    text = HEAD + ("一、重点任务\n1.改造老旧小区。【责任单位】市住建局牵头,市财政局、市城管局配合\n"
                   "2.发展托育服务。市卫健委为牵头单位,市教育局参与。\n")
    got = owners(text)
    assert got[0] == ("改造老旧小区", ["荆门市住房和城乡建设局"], ["荆门市财政局", "荆门市城市管理局"])
    assert got[1][:2] == ("发展托育服务", ["荆门市卫生健康委员会"])
