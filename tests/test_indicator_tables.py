"""Flattened tables whose columns are categories (funding tables), hand-written."""
from __future__ import annotations

from decimal import Decimal

from extract.indicators import find_indicators

FUNDING = ("某市人民政府办公室关于印发2022年民生实事的通知\n"
           "附件 2022年某市民生实事项目资金安排表 单位:万元\n"
           "项目名称 合计 中央财政 省级财政 市县财政 目标任务 牵头单位 备注\n"
           "合计 52000.\n5 30000 15000 7000.5\n"
           "一、教育惠民项目\n20000 12000\n8000 为农村学校改善办学条件. 市教育局\n"
           "二、困难群众救助\n"
           "0 ―\n6 岁残疾儿童康复救助项目\n3000 2000 1000 为 0 ― 6 岁残疾儿童提供康复救助. 市残联\n"
           "三、养老服务项目\n32000.5 18000 7000 7000.5 2023\n")


def _values(inds, part):
    return [(x.name, x.target) for x in inds if x.name.startswith(part)]


def test_funding_table_rows_times_columns():
    inds = [x for x in find_indicators(FUNDING) if x.table]
    assert all(x.unit == "万元" and x.kind == "target" and x.target_year == 2022 for x in inds)
    assert _values(inds, "教育惠民项目") == [("教育惠民项目合计", Decimal(20000)),
                                             ("教育惠民项目中央财政", Decimal(12000)),
                                             ("教育惠民项目省级财政", Decimal(8000))]
    # the total row is named by the table; a figure broken after its decimal point is joined
    total = _values(inds, "某市民生实事项目资金安排表")
    assert total[0] == ("某市民生实事项目资金安排表合计", Decimal("52000.5")) and len(total) == 4
    # a name broken over lines keeps its range (0―6岁); the row's figures stop at its total
    row = "困难群众救助0―6岁残疾儿童康复救助项目"
    assert _values(inds, row) == [(row + "合计", Decimal(3000)), (row + "中央财政", Decimal(2000)),
                                  (row + "省级财政", Decimal(1000))]
    assert [v for _, v in _values(inds, "养老服务项目")] == [Decimal("32000.5"), Decimal(18000), Decimal(7000),
                                                           Decimal("7000.5")]


def test_funding_table_cells_give_no_sentence_indicators():
    inds = find_indicators(FUNDING)
    assert not [x for x in inds if not x.table and x.unit in ("岁", "")]
    assert len([x for x in inds if not x.table]) == 0, [x for x in inds if not x.table]


def test_table_needs_a_declared_unit_and_two_columns():
    text = "一、教育惠民项目\n合计 中央财政\n20000 12000\n"
    assert [x for x in find_indicators(text) if x.table] == []
