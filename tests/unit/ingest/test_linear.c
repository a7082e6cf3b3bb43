/*
 * Every reader of untrusted text is linear: each input here is 1 M
 * pathological characters (a line of 1,000,000 '[', a link opener without
 * its ')' repeated, nested brackets, HTML comments and quotes never closed,
 * backtick runs of every length, paywall markers by the thousand in one
 * line, headings on every line, a 目录 of 100,000 entries ...) and is read
 * by a child process under a generous alarm. A linear reader takes well
 * under a second (a few under the sanitizers); the quadratic paths these
 * replace took 13 s for 100,000 '[' and would take hours for 1 M, so only
 * they reach the alarm. Nothing times the readers: the alarm is a bound
 * far above linear, far below quadratic.
 */
#include "ingest_test.h"

#include "sucai/gongwen.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#define N 1000000
#define ALARM_S 120

enum reader { MD, TXT, GONGWEN };

/* Read (decode, or parse) text in a child under the alarm; the child's
 * exit status is 0 when the reader answered, whatever it answered. */
static void read_under_alarm(const char *what, enum reader r, const char *text, size_t len)
{
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        alarm(ALARM_S);
        struct sc_diag d = { 0 };
        if (r == GONGWEN) {
            struct sc_parsed p;
            sc_gongwen_parse(text, len, NULL, &p, &d);
            sc_parsed_release(&p);
        } else {
            struct sc_ingested in;
            sc_ingested_init(&in);
            sc_ingest_bytes(r == MD ? "x.md" : "x.txt", text, len, &in, &d);
            sc_ingested_release(&in);
        }
        _exit(0);
    }
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    if (WIFSIGNALED(st) && WTERMSIG(st) == SIGALRM)
        fail_msg("%s: not done after %d s: a quadratic path", what, ALARM_S);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
        fail_msg("%s: the reader died (status %d)", what, st);
}

/* The title line, then unit repeated to N characters (code points), then
 * tail; the text is built in b. */
static void repeat(struct sc_buf *b, const char *head, const char *unit, const char *tail)
{
    sc_buf_reset(b);
    sc_buf_adds(b, head);
    size_t ucp = sc_utf8_count(unit, strlen(unit)), cp = 0;
    while (cp < N) {
        sc_buf_adds(b, unit);
        cp += ucp;
    }
    sc_buf_adds(b, tail);
    assert_int_equal(sc_buf_err(b), SC_OK);
}

static void markdown(void **state)
{
    (void)state;
    static const char *const units[] = {
        "[",    /* brackets never closed */
        "![",   /* images never closed */
        "[a](", /* link destinations never closed */
        "<!--", /* comments never closed */
        "<b \"", /* a quoted attribute never closed */
        "<a",   "*a",  "_a_ ", "&#",  "|", "\\[", "](", "~~a",
    };
    struct sc_buf b = SC_BUF_INIT;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        repeat(&b, "标题\n", units[i], "\n");
        read_under_alarm(units[i], MD, b.data, b.len);
    }
    /* nested: N/2 '[' then N/2 ']' (every '[' matched, far away) */
    sc_buf_reset(&b);
    sc_buf_adds(&b, "标题\n");
    for (size_t i = 0; i < N / 2; i++)
        sc_buf_addc(&b, '[');
    for (size_t i = 0; i < N / 2; i++)
        sc_buf_addc(&b, ']');
    sc_buf_adds(&b, "(x)\n");
    read_under_alarm("nested brackets", MD, b.data, b.len);
    /* backtick runs of every length, none closed */
    sc_buf_reset(&b);
    sc_buf_adds(&b, "标题\n");
    for (size_t k = 1; b.len < N; k++) {
        for (size_t t = 0; t < k; t++)
            sc_buf_addc(&b, '`');
        sc_buf_addc(&b, 'a');
    }
    sc_buf_addc(&b, '\n');
    read_under_alarm("backtick runs", MD, b.data, b.len);
    /* block markup on every line */
    static const char *const lines[] = { "# 标题\n", "> 引\n", "- 项\n", "```\n", "|a|b|\n",
                                         "[\n" };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        repeat(&b, "标题\n", lines[i], "");
        read_under_alarm(lines[i], MD, b.data, b.len);
    }
    sc_buf_release(&b);
}

static void text_files(void **state)
{
    (void)state;
    struct sc_buf b = SC_BUF_INIT;
    static const char *const units[] = { "\r", "\xe2\x80\x8b", "\xef\xbc\xa1", "中 ", "\t" };
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        repeat(&b, "标题\n", units[i], "\n");
        read_under_alarm("txt", TXT, b.data, b.len);
    }
    /* undecodable bytes all along */
    repeat(&b, "标题\n", "\x80" "a", "");
    read_under_alarm("bad bytes", TXT, b.data, b.len);
    sc_buf_release(&b);
}

static void gongwen(void **state)
{
    (void)state;
    struct sc_buf b = SC_BUF_INIT;
    /* paywall markers by the ten thousand in one line */
    repeat(&b, "标题\n", "##paidbegin##甲##paidend##", "\n");
    read_under_alarm("markers in one line", GONGWEN, b.data, b.len);
    static const char *const units[] = { "一、\n", "（一）甲\n", "1.甲\n", "第一条 甲\n",
                                         "一是甲；", "\n",     "……",      "微信：XX\n" };
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        repeat(&b, "标题\n", units[i], "\n");
        read_under_alarm(units[i], GONGWEN, b.data, b.len);
    }
    /* a 目录 of 100,000 entries, each found in the body */
    sc_buf_reset(&b);
    sc_buf_adds(&b, "汇编\n目录\n");
    for (int i = 0; i < 100000; i++)
        sc_buf_addf(&b, "标题%d\t%d\n", i, i + 1);
    for (int i = 0; i < 100000; i++)
        sc_buf_addf(&b, "标题%d\n正文。\n", i);
    assert_int_equal(sc_buf_err(&b), SC_OK);
    read_under_alarm("a long 目录", GONGWEN, b.data, b.len);
    sc_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(markdown),
        cmocka_unit_test(text_files),
        cmocka_unit_test(gongwen),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
