"""Which figures are indicator values, and their names and comparators, on texts as crawls leave
them (hand-written sentences, none from a corpus)."""
from __future__ import annotations

from decimal import Decimal

from extract.indicators import find_indicators

HEAD = "某县2021年民生实事项目\n"


def _values(text):
    return sorted((x.name, x.value, x.unit) for x in find_indicators(HEAD + text))


def test_gap_to_a_target_is_no_indicator():
    inds = find_indicators(HEAD + "全县地区生产总值增长8.1%,高出年度计划目标1.6个百分点;城镇登记失业率2.9%,"
                                  "低于市下达控制目标0.6个百分点。\n")
    assert sorted(x.value for x in inds) == [Decimal("2.9"), Decimal("8.1")]


def test_a_chinese_count_that_determines_a_measure_is_no_indicator():
    inds = find_indicators(HEAD + "三项救助资金合计支出2.4亿元,两项补贴分别惠及1.2万人和0.8万人。\n")
    assert sorted(x.value for x in inds) == [Decimal("0.8"), Decimal("1.2"), Decimal("2.4")]


def test_a_quoted_name_that_opens_with_its_number_is_no_indicator():
    inds = find_indicators(HEAD + "建设“10分钟便民生活圈”,“15分钟健身圈”社区覆盖率达到95%。\n")
    assert [(x.value, x.unit) for x in inds] == [(Decimal(95), "%")]


def test_counts_of_a_plans_indicators_are_plan_structure():
    inds = find_indicators(HEAD + "方案设置22项量化指标,其中约束性指标7项。全年新建公厕30座。\n")
    assert [(x.value, x.unit) for x in inds] == [(Decimal(30), "座")]


def test_wan_alone_is_a_unit_only_at_a_clause_end():
    inds = find_indicators(HEAD + "全县常住人口58.6万,预计帮助1200万群众改善居住条件。\n")
    assert [(x.value, x.unit) for x in inds] == [(Decimal("58.6"), "万")]


def test_thousands_separated_by_a_space():
    got = _values("新建农村公路1 250公里,改造危房2 036户。\n")
    assert sorted((v, u) for _, v, u in got) == [(Decimal(1250), "公里"), (Decimal(2036), "户")]


def test_three_digit_cells_of_a_table_row_stay_apart():
    text = "某县2021年民生实事资金安排(万元)\n项目名称 合计 县级财政\n学校改造 300 500\n"
    assert not [x for x in find_indicators(text) if x.value == Decimal(300500)]


def test_a_line_break_between_a_measure_and_its_figure_is_mended():
    got = _values("新增城镇就业\n3500 人,开展免费职业培训\n2000 人次。\n")
    assert ("新增城镇就业", Decimal(3500), "人") in got
    assert any("职业培训" in n and v == 2000 and u == "人次" for n, v, u in got)


def test_a_clause_without_its_measure_goes_on_with_the_previous_one():
    inds = find_indicators(HEAD + "社会消费品零售总额年均增长8%以上,2021年达到360亿元。"
                                  "实施无障碍改造120处、3600平方米。\n")
    names = {x.value: x.name for x in inds}
    assert "社会消费品零售总额" in names[Decimal(360)]
    assert "无障碍改造" in names[Decimal(3600)]


def test_a_remark_in_brackets_does_not_open_a_name():
    inds = find_indicators(HEAD + "建成养老机构6家(含公建民营)、床位820张。\n")
    assert [x.name for x in inds if x.value == Decimal(820)] == ["床位"]


def test_a_bound_word_after_a_change_verb_gives_the_comparator():
    inds = find_indicators(HEAD + "农村低保标准由每人每月480元提高到不低于520元。\n")
    assert [(x.baseline, x.target, x.comparator) for x in inds] == [(Decimal(480), Decimal(520), ">=")]


def test_dates_ordinals_and_page_furniture_are_no_indicators():
    text = ("某县2021年民生实事项目\n发布日期:2021-02-03 浏览次数:1268 第1页 / 共3页\n"
            "联系电话:0371-5561234\n一、新建第二幼儿园,新增学位360个。\n")
    assert [(x.value, x.unit) for x in find_indicators(text)] == [(Decimal(360), "个")]


def test_a_long_list_sentence_is_read_in_linear_time():
    import time

    def run(n):
        text = HEAD + "一、主要任务\n" + ",".join(f"到{2021 + i % 5}年新建村级服务站{i % 90 + 1}个" for i in range(n)) + "。\n"
        t0 = time.perf_counter()
        found = find_indicators(text)
        return time.perf_counter() - t0, len(found)

    small, n_small = run(1000)
    large, n_large = run(8000)
    assert (n_small, n_large) == (1000, 8000)
    assert large < 10 * max(small, 0.05) + 2  # 8x the text: far from the 64x of a quadratic reading


def test_wanyi_is_a_multiplier():
    inds = find_indicators(HEAD + "全县金融机构存款余额达到1.2万亿元。\n")
    assert [(x.value, x.unit) for x in inds] == [(Decimal("1.2"), "万亿元")]


def test_a_change_of_the_previous_measure_is_named_after_it():
    text = HEAD + "一般公共预算收入8.6亿元,下降3%;社会消费品零售总额96亿元,增长5.2%。\n"
    inds = find_indicators(text)
    names = {x.value: x.name for x in inds}
    assert names[Decimal(3)] == "一般公共预算收入下降" and names[Decimal("5.2")] == "社会消费品零售总额增长"
    x = next(i for i in inds if i.value == Decimal("5.2"))
    assert text[x.name_span[0]:x.name_span[1]] == "社会消费品零售总额96亿元,增长"


def test_a_change_between_units_of_different_size_keeps_each_unit():
    inds = find_indicators(HEAD + "城市绿道总长从原来的860公里增加到1.2万公里。\n")
    assert sorted((x.value, x.unit) for x in inds) == [(Decimal("1.2"), "万公里"), (Decimal(860), "公里")]


def test_a_count_of_places_where_a_measure_is_taken_is_no_indicator():
    inds = find_indicators(HEAD + "在12个村新建文化广场3.6万平方米;在85所小学增设课后托管班。\n")
    assert sorted((x.value, x.unit) for x in inds) == [(Decimal("3.6"), "万平方米"), (Decimal(85), "所")]


def test_counts_of_numbers_in_a_headline_are_no_indicators():
    inds = find_indicators("规划里的12个数字\n到2025年,全市人均体育场地面积达到2.8平方米。\n")
    assert [(x.value, x.unit) for x in inds] == [(Decimal("2.8"), "平方米")]


def test_a_bare_action_verb_takes_the_object_after_the_figure_as_its_measure():
    inds = find_indicators(HEAD + "完成不少于80个智慧安防小区建设,开展胃肠癌筛查2万例以上,新建商务楼宇3幢。\n")
    got = {x.value: (x.name, x.unit) for x in inds}
    assert "智慧安防小区" in got[Decimal(80)][0]
    assert got[Decimal(2)][1] == "万例" and got[Decimal(3)][1] == "幢"


def test_years_of_schooling_in_a_list_with_fenbie():
    inds = find_indicators(HEAD + "学前三年毛入园率和新增劳动力人均受教育年限分别达到92%和13.8年。\n")
    assert sorted((x.value, x.unit) for x in inds) == [(Decimal("13.8"), "年"), (Decimal(92), "%")]
