/*
 * Unit tests for Markdown intake (lib/ingest/markdown.c): what markup goes,
 * what text stays (公文 labels above all), the title hint, and a golden
 * sample covering every construct at once.
 */
#include "ingest_test.h"

static void expect_md(const char *md, const char *want)
{
    struct sc_ingested in;
    sc_ingested_init(&in);
    const char *got = t_ok(&in, "x.md", md, strlen(md));
    if (strcmp(got, want) != 0)
        fail_msg("markdown:\n%s\n--- got:\n%s\n--- want:\n%s", md, got, want);
    assert_int_equal(in.format, SC_FORMAT_MD);
    sc_ingested_release(&in);
}

static void headings_and_title(void **state)
{
    (void)state;
    expect_md("# 标题 #\n## 一、总体要求\n###### 六级\n#没有空格不是标题\n",
              "标题\n一、总体要求\n六级\n#没有空格不是标题\n");
    struct sc_ingested in;
    sc_ingested_init(&in);
    const char md[] = "前言\n## 二级\n# 关于**印发**方案的通知\n# 第二个一级标题\n";
    t_ok(&in, "x.md", md, strlen(md));
    assert_string_equal(in.title_hint, "关于印发方案的通知");
    /* setext level-1 heading */
    const char setext[] = "实施方案\n====\n\n正文\n---\n";
    t_ok(&in, "x.md", setext, strlen(setext));
    assert_string_equal(in.text.data, "实施方案\n\n正文\n");
    assert_string_equal(in.title_hint, "实施方案");
    /* front matter: dropped, its title used when there is no heading */
    const char fm[] = "---\ntitle: \"工作总结\"\ndate: 2024-01-01\n---\n正文第一段\n";
    t_ok(&in, "x.md", fm, strlen(fm));
    assert_string_equal(in.text.data, "正文第一段\n");
    assert_string_equal(in.title_hint, "工作总结");
    /* no heading at all: no hint */
    t_ok(&in, "x.md", "只有正文\n", strlen("只有正文\n"));
    assert_null(in.title_hint);
    sc_ingested_release(&in);
}

static void labels_kept_bullets_stripped(void **state)
{
    (void)state;
    expect_md("1. 第一项\n2) 第二项\n一、总体要求\n（一）工作目标\n- 要点甲\n* 要点乙\n+ 要点丙\n"
              "  - 嵌套要点\n- [x] 已完成\n- [ ] 未完成\n-\n-1 不是列表\n",
              "1. 第一项\n2) 第二项\n一、总体要求\n（一）工作目标\n要点甲\n要点乙\n要点丙\n"
              "嵌套要点\n已完成\n未完成\n-1 不是列表\n");
}

static void emphasis_and_code(void **state)
{
    (void)state;
    expect_md("**加粗** *斜体* ***都有*** __下划__ _单_ ~~删除~~\n",
              "加粗 斜体 都有 下划 单 删除\n");
    /* CJK punctuation next to the markers still closes them */
    expect_md("**“一网通办”**改革，*（试行）*办法\n", "“一网通办”改革，（试行）办法\n");
    /* intraword underscores, single tildes, lone stars stay */
    expect_md("snake_case_name 1~3月 a * b 2**\n", "snake_case_name 1~3月 a * b 2**\n");
    expect_md("用 `make *all*` 构建，``a ` b``\n", "用 make *all* 构建，a ` b\n");
    expect_md("未闭合的 `反引号\n", "未闭合的 `反引号\n");
    expect_md("\\*不是强调\\* \\# \\[x\\] 反斜杠\\\\\n", "*不是强调* # [x] 反斜杠\\\n");
}

static void links_images_html(void **state)
{
    (void)state;
    expect_md("见[通知](https://a.gov.cn/x_(1).html \"标题\")和[附件][ref]。\n",
              "见通知和附件。\n");
    expect_md("![图1 流程图](img/a.png)\n图下方文字![](b.png)继续\n", "图下方文字继续\n");
    expect_md("访问 <https://www.gov.cn> 或 <mailto:a@b.cn>\n",
              "访问 https://www.gov.cn 或 mailto:a@b.cn\n");
    expect_md("<div align=\"center\">居中<br/>文字</div>\n<p>段落</p>\n", "居中文字\n段落\n");
    /* not tags: comparisons and 书名号 */
    expect_md("当 a<b 且 c>d 时，《条例》<第三条>\n", "当 a<b 且 c>d 时，《条例》<第三条>\n");
    expect_md("&lt;&amp;&gt; &#20013;&#x6587; &nbsp;&hellip; &bogus; &#0;\n",
              "<&> 中文  … &bogus; \xEF\xBF\xBD\n");
    expect_md("[id]: https://example.org\n[^1]: 脚注。\n正文\n", "[^1]: 脚注。\n正文\n");
    expect_md("<!-- 注释 -->可见\n<!--\n多行\n注释\n-->\n后文\n", "可见\n后文\n");
}

static void blocks(void **state)
{
    (void)state;
    expect_md("> 引用\n> > 嵌套引用\n>\n> 继续\n", "引用\n嵌套引用\n\n继续\n");
    expect_md("```c\nint *p = `x`; /* **不处理** */\n\n```\n之后\n",
              "int *p = `x`; /* **不处理** */\n\n之后\n");
    expect_md("~~~\n# 不是标题\n~~~~\n", "# 不是标题\n");
    expect_md("---\n***\n- - -\n___\n正文\n", "正文\n");
    expect_md("第一段\n\n\n\n第二段\n\n", "第一段\n\n第二段\n");
    expect_md("行尾硬换行  \n反斜杠换行\\\n结束", "行尾硬换行\n反斜杠换行\n结束\n");
}

static void tables(void **state)
{
    (void)state;
    expect_md("| 任务 | 单位 |\n|:---|:---:|\n| **平台** | `局` |\n| a \\| b | |\n\n表后\n",
              "任务\t单位\n平台\t局\na | b\t\n\n表后\n");
    expect_md("甲 | 乙\n---|---\n1 | 2\n", "甲\t乙\n1\t2\n");
    /* a pipe without a delimiter row is just text */
    expect_md("选项 A | 选项 B\n", "选项 A | 选项 B\n");
}

static void encodings_and_refusals(void **state)
{
    (void)state;
    /* Markdown in GBK: decoded first */
    const char gbk[] = "# \xB9\xA4\xD7\xF7\xD7\xDC\xBD\xE1\r\n**\xD5\xFD\xCE\xC4**\r\n";
    struct sc_ingested in;
    sc_ingested_init(&in);
    t_ok(&in, "x.md", gbk, sizeof gbk - 1);
    assert_string_equal(in.text.data, "工作总结\n正文\n");
    assert_string_equal(in.encoding, "GB18030");
    assert_string_equal(in.title_hint, "工作总结");
    sc_ingested_release(&in);
    struct sc_diag d;
    t_refused("x.md", "![只有图](a.png)\n---\n", 20, SC_EPARSE, "no text", &d);
    t_refused("x.md", "  \n\n", 4, SC_EPARSE, "empty file", &d);
    t_refused("x.md", "a\0b", 3, SC_EPARSE, "binary file (NUL byte at byte 1)", &d);
}

static void golden_sample(void **state)
{
    (void)state;
    size_t len;
    char *md = t_read_data("sample.md", &len);
    struct sc_ingested in;
    sc_ingested_init(&in);
    t_ok(&in, "sample.md", md, len);
    assert_string_equal(in.title_hint, "关于推进数字政府建设的实施方案");
    t_golden("sample.md", in.text.data, in.text.len);
    /* the points the sample exists for */
    assert_non_null(strstr(in.text.data, "\n1. 到2025年"));
    assert_non_null(strstr(in.text.data, "\n任务\t牵头单位\t完成时限\n"));
    assert_null(strstr(in.text.data, "arch.png"));
    assert_null(strstr(in.text.data, "```"));
    assert_null(strstr(in.text.data, "前置元数据"));
    sc_ingested_release(&in);
    free(md);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(headings_and_title),
        cmocka_unit_test(labels_kept_bullets_stripped),
        cmocka_unit_test(emphasis_and_code),
        cmocka_unit_test(links_images_html),
        cmocka_unit_test(blocks),
        cmocka_unit_test(tables),
        cmocka_unit_test(encodings_and_refusals),
        cmocka_unit_test(golden_sample),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
