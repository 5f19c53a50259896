"""Numeric indicators: measures with baseline and target values, units, comparators and years.

Works on the clean text of :mod:`extract.normalize` (Simplified, ASCII digits and punctuation)
and returns clean offsets. One :class:`Indicator` per measure statement:

* ``X达到95%以上`` / ``X保持在4.2%以内`` / ``X不低于90%`` -- a name, a trigger verb
  (``data/indicator_triggers.tsv``), a number and a unit (``data/indicator_units.tsv``);
  comparator words before or after the figure (``data/indicator_comparators.tsv``);
* ``新增公共租赁住房14504套`` (verb-object-value), ``培养800名适配工程师`` (value before its
  object), ``80%的乡镇综合文化站达到…`` (value-的-object);
* figures in Chinese numerals (``一所``, ``两个``, ``百分之九十``) and figures the crawl broke
  (``49. 2%``, ``62826.`` / ``5万元`` over a line break);
* ``X由2010年的86.8%提高到93.4%`` (also ``由每年660元增加到每年726元``, ``由X的50%提高到100%``,
  a to-value without its unit) -- one statement with a from-value (always achieved: a
  baseline) and a to-value (a target in a goal section; in the review of the past period it
  is an achieved figure too, so two baselines are returned);
* ``A和B分别达到x和y`` / ``A、B分别达到x、y`` -- one indicator per named measure, the shared
  tail of the names completed (``高血压和糖尿病患者规范化管理率`` → ``高血压患者规范化管理率``);
* ranges ``5%-10%`` / ``20-30名`` -- two indicators, ``>=`` low end and ``<=`` high end;
* flattened goal tables (header ``指标 单位 2015年 2020年 属性``, or a line of bare years
  ``2014 2015 … 2018``; one row per line or one cell per line): each year column is a
  figure of its year, achieved before the document's present, a goal after it;
* flattened category tables (funding tables: ``单位:万元``, columns ``合计 中央财政 省级财政``):
  one indicator per row and column (``data/indicator_table_columns.tsv``);
* tables a crawl left as lines of ``|`` cells: the header's column titles give each
  column's figures their kind (``项目内容`` goals, ``年度完成情况`` achieved).

Kind and year follow what the text states, most specific first (:mod:`frame`, :mod:`years`):

* the document's frame, from what it declares about itself (:class:`frame.Period`): the
  period it plans for (``“十四五”`` → 2021-2025 in its title or preamble, a range
  ``(2022-2023年)``, one year in its title or tied to its subject in its lead:
  ``2021年…民生实事项目``), the year it reports on (``2022年…完成情况``, ``统计公报``, a lead that
  ``取得…成效``, a page dated after the one year it is about), the date it carries
  (``发布日期:…``: the present of a page that declares no period), else the latest
  five-year period it names or its latest ``到YYYY年`` (an end only); a header that sums up a
  period (``总结“十二五”期间…取得的成绩``) reviews it;
* a figure's year: its own cue, the nearest cue before it in its sentence (years, ranges,
  ``“十三五”期间`` → 2020, dates an adverbial introduces: ``截止2015年12月31日``, ``今年`` /
  ``去年`` from the page's date, ``“2020十件民生实事”``), else the time its paragraph or its
  headings set (``“十三五”期间,…`` opening a paragraph, ``一、2022年…执行情况``); without one,
  the frame's: a goal the period's end, an achieved figure the year before the period (a
  report: its year). Reference years (``比2010年``, ``与去年相比``) and titles in 《》 are no cues;
* its kind: a from-value or a figure inside an achieved ``在…实现…基础上`` is achieved; a
  figure that is the goal itself (``超额完成5500万人的目标任务``) is a goal; a year before the
  document's present is achieved (a 十四五 plan's 2020, a report's previous years); else the
  aspect marker nearest before it (``截至 / 目前 / 以来 / 已 / 实现了 / 取得`` against
  ``力争 / 计划 / 将 / 确保 / 到2025年``); else its section (a review: ``发展基础``, ``情况``,
  ``背景`` headings, a table's column of results; a table's column of goals); else what the
  document declares (a report: achieved; otherwise a goal).

Not indicators: years and dates, ordinals (第N), item numbers, document numbers and phone
numbers (no unit), denominators (每3万人), ages qualifying a group (0-6岁儿童), counts of an
enumeration (等5项标准, 东部、西部、北部三个片区), numbered slogans (“四个全面”) and quoted names
that open with their number (“15分钟健身圈”), counts of plan structure (8个领域, 80个服务项目,
22项量化指标), gaps to a target (高出年度计划目标2.7个百分点), Chinese counts that determine a
measure with its own figure (两项社会保险合计基金收入…), table footnotes (注:1.指…), scopes
(3公里范围内), numbers before a word that starts with a unit character (``450000 支持…``,
``20万人口以上``), figures inside 《》 and damaged (``?``) text. Crawl damage mended: a decimal
broken over a line or a space (``49. 2%``), thousands separated by a space (``1 122个``), a line
break between a measure and its figure (``新增城镇就业\n8000 人``).

Modules, one job each: ``record`` (the Indicator), ``data`` (the vocabularies), ``spans``
(clauses, sentences), ``numbers`` (figures with unit and comparator), ``names`` (measure
names), ``frame`` (what a document declares about its time and genre), ``years`` (time cues,
aspect, kind), ``sentences`` (the sentence parser), ``tables`` (goal and statistics tables),
``category_tables`` (funding tables), ``pipe_tables`` (the columns of ``|`` tables),
``document`` (a whole document).

Public API: :class:`Indicator`, :func:`find_indicators`, :func:`plan_period`.
"""
from __future__ import annotations

from .document import find_indicators
from .record import Indicator
from .frame import plan_period

__all__ = ["Indicator", "find_indicators", "plan_period"]
