/*
 * 脱敏 and 套用: every kind found (and its look-alikes left alone), the
 * masked text equal to the original outside the spans, consistent
 * placeholders, the byte-exact restore and its refusals, and fill.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sucai/mask.h"

static unsigned all_kinds(void)
{
    return (1u << SC_MK_COUNT) - 1;
}

/* Is `what` (first occurrence) masked as one span of kind k? */
static int masked_as(const char *text, const char *what, enum sc_mask_kind k)
{
    struct sc_mask_opts o = { all_kinds(), 0 };
    struct sc_mask_result r;
    struct sc_diag d = { 0 };
    assert_int_equal(sc_mask_run(text, strlen(text), &o, &r, &d), SC_OK);
    const char *p = strstr(text, what);
    assert_non_null(p);
    size_t s = (size_t)(p - text), e = s + strlen(what);
    int ok = 0;
    for (size_t i = 0; i < r.n; i++)
        if (r.spans[i].start == s && r.spans[i].end == e && r.spans[i].kind == k)
            ok = 1;
    sc_mask_result_release(&r);
    return ok;
}

/* Is any character of `what` masked as kind k? */
static int touched(const char *text, const char *what, enum sc_mask_kind k)
{
    struct sc_mask_opts o = { all_kinds(), 0 };
    struct sc_mask_result r;
    struct sc_diag d = { 0 };
    assert_int_equal(sc_mask_run(text, strlen(text), &o, &r, &d), SC_OK);
    const char *p = strstr(text, what);
    assert_non_null(p);
    size_t s = (size_t)(p - text), e = s + strlen(what);
    int hit = 0;
    for (size_t i = 0; i < r.n; i++)
        if (r.spans[i].start < e && s < r.spans[i].end && r.spans[i].kind == k)
            hit = 1;
    sc_mask_result_release(&r);
    return hit;
}

static void test_structured(void **state)
{
    (void)state;
    assert_true(masked_as("联系电话17526461788。", "17526461788", SC_MK_PHONE));
    assert_true(masked_as("电话：0731-84888888。", "0731-84888888", SC_MK_PHONE));
    assert_true(masked_as("公民身份号码440305197001130360。", "440305197001130360", SC_MK_IDCARD));
    assert_true(masked_as("身份证号码：31010419630109900X）", "31010419630109900X", SC_MK_IDCARD));
    assert_true(masked_as("发送至dangzhengban616@example.com。", "dangzhengban616@example.com",
                          SC_MK_EMAIL));
    assert_true(masked_as("号牌为赣G·MKULQ。", "赣G·MKULQ", SC_MK_PLATE));
    assert_true(masked_as("号牌为粤BD12345。", "粤BD12345", SC_MK_PLATE));
    assert_true(masked_as("账号6222021234567890128。", "6222021234567890128", SC_MK_BANKCARD));
    /* look-alikes: a wrong check digit, a longer number, a year, a code */
    assert_false(touched("号码440305197001130361。", "440305197001130361", SC_MK_IDCARD));
    assert_false(touched("编号175264617881234。", "175264617881234", SC_MK_PHONE));
    assert_false(touched("2023年增长6.2%，京津冀协同。", "京津冀", SC_MK_PLATE));
    assert_false(touched("账号6222021234567890127。", "6222021234567890127", SC_MK_BANKCARD));
}

static void test_persons(void **state)
{
    (void)state;
    assert_true(masked_as("宁夏吴忠市红寺堡区残联理事长马广步、电子科技大学教授徐鹏等3名代表发言。",
                          "马广步", SC_MK_PERSON));
    assert_true(masked_as("电子科技大学教授徐鹏等3名代表发言。", "徐鹏", SC_MK_PERSON));
    assert_true(masked_as("联系人：李晓燕，联系电话。", "李晓燕", SC_MK_PERSON));
    assert_true(masked_as("当事人刘志强，公民身份号码。", "刘志强", SC_MK_PERSON));
    assert_true(masked_as("组长王建国，成员李明、张伟、赵强。", "张伟", SC_MK_PERSON));
    assert_true(masked_as("组长王建国，成员李明、张伟、赵强。", "赵强", SC_MK_PERSON));
    assert_true(masked_as("1996年，王桂珍同志当选书记。后来王桂珍带头试种。", "王桂珍", SC_MK_PERSON));
    /* every occurrence of a name found once */
    const char *t = "张明同志主持会议。会后张明走访企业。";
    struct sc_mask_result r;
    struct sc_diag d = { 0 };
    assert_int_equal(sc_mask_run(t, strlen(t), NULL, &r, &d), SC_OK);
    assert_string_equal(r.text.data, "XX同志主持会议。会后XX走访企业。");
    sc_mask_result_release(&r);
    /* words that start with a surname are no names */
    assert_false(touched("各地应当高度重视，国家表示支持。", "应当", SC_MK_PERSON));
    assert_false(touched("马上就办，高度重视。", "马上", SC_MK_PERSON));
}

static void test_places_orgs(void **state)
{
    (void)state;
    const char *t = "宁夏吴忠市红寺堡区残联理事长马广步发言。";
    assert_true(masked_as(t, "宁夏", SC_MK_PLACE));
    assert_true(masked_as(t, "吴忠市", SC_MK_PLACE));
    assert_true(masked_as(t, "红寺堡区", SC_MK_PLACE));
    assert_true(masked_as("在广东省惠州市自然资源局工作。", "惠州市", SC_MK_PLACE));
    assert_false(touched("在广东省惠州市自然资源局工作。", "自然资源局", SC_MK_ORG));
    assert_true(masked_as("记者从航天科技集团了解到。", "航天科技集团", SC_MK_ORG));
    assert_true(masked_as("衡阳市金雁粮食购销有限公司负责收购。", "衡阳市金雁粮食购销有限公司",
                          SC_MK_ORG));
    assert_true(masked_as("电子科技大学教授徐鹏。", "电子科技大学", SC_MK_ORG));
    /* kinds of organisations, not names */
    assert_false(touched("期货公司应当依法经营，行业协会加强自律。", "期货公司", SC_MK_ORG));
    assert_false(touched("该公司表示，本公司将配合。", "该公司", SC_MK_ORG));
}

static void test_numbers(void **state)
{
    (void)state;
    const char *t = "2023年北京市经济总量达4.4万亿元，增长8.2%、超过6000亿元，投资1,200万元。";
    assert_true(masked_as(t, "4.4", SC_MK_NUMBER));
    assert_true(masked_as(t, "1,200", SC_MK_NUMBER));
    assert_true(masked_as(t, "6000", SC_MK_NUMBER));
    assert_false(touched(t, "2023", SC_MK_NUMBER));
    assert_false(touched("3月4日17:30，第19届，S2线，T+0交易，2#楼。", "19", SC_MK_NUMBER));
    assert_false(touched("3月4日17:30，第19届，S2线，T+0交易，2#楼。", "17:30", SC_MK_NUMBER));
    assert_false(touched("3月4日17:30，第19届，S2线，T+0交易，2#楼。", "S2", SC_MK_NUMBER));
    /* figures are opt-in */
    struct sc_mask_result r;
    struct sc_diag d = { 0 };
    assert_int_equal(sc_mask_run(t, strlen(t), NULL, &r, &d), SC_OK);
    for (size_t i = 0; i < r.n; i++)
        assert_int_not_equal(r.spans[i].kind, SC_MK_NUMBER);
    sc_mask_result_release(&r);
}

/* The masked text equals the original outside the spans; restore is exact. */
static void round_trip(const char *t, int distinct)
{
    struct sc_mask_opts o = { all_kinds(), distinct };
    struct sc_mask_result r;
    struct sc_diag d = { 0 };
    size_t len = strlen(t);
    assert_int_equal(sc_mask_run(t, len, &o, &r, &d), SC_OK);
    struct sc_buf re = SC_BUF_INIT;
    size_t at = 0;
    for (size_t i = 0; i < r.n; i++) {
        sc_buf_add(&re, t + at, r.spans[i].start - at);
        sc_buf_adds(&re, r.spans[i].replacement);
        at = r.spans[i].end;
    }
    sc_buf_add(&re, t + at, len - at);
    assert_int_equal(re.len, r.text.len);
    assert_memory_equal(re.data, r.text.data, re.len);
    struct sc_buf js = SC_BUF_INIT, back = SC_BUF_INIT;
    struct sc_jw w;
    sc_jw_init(&w, &js);
    sc_mask_json(&w, t, len, &r);
    assert_int_equal(sc_jw_finish(&w), SC_OK);
    assert_int_equal(sc_mask_restore(js.data, js.len, NULL, 0, &back, &d), SC_OK);
    assert_int_equal(back.len, len);
    assert_memory_equal(back.data, t, len);
    /* the same with the masked text given separately */
    sc_buf_reset(&back);
    assert_int_equal(sc_mask_restore(js.data, js.len, r.text.data, r.text.len, &back, &d), SC_OK);
    assert_memory_equal(back.data, t, len);
    sc_buf_release(&re);
    sc_buf_release(&js);
    sc_buf_release(&back);
    sc_mask_result_release(&r);
}

static void test_round_trip(void **state)
{
    (void)state;
    round_trip("联系人：李晓燕，电话17526461788。\n在广东省惠州市，\t邮箱a.b@example.org\r\n结束", 0);
    round_trip("联系人：李晓燕，电话17526461788。\n在广东省惠州市，\t邮箱a.b@example.org\r\n结束", 1);
    round_trip("", 0);
    round_trip("没有任何实体的一句话。", 1);
    round_trip("张明同志、王刚同志和张明同志在杭州市、宁波市、杭州市开会。", 1);
}

static void test_placeholders(void **state)
{
    (void)state;
    const char *t = "在杭州市、宁波市和杭州市调研。";
    struct sc_mask_opts o = { 1u << SC_MK_PLACE, 1 };
    struct sc_mask_result r;
    struct sc_diag d = { 0 };
    assert_int_equal(sc_mask_run(t, strlen(t), &o, &r, &d), SC_OK);
    assert_string_equal(r.text.data, "在XX市、YY市和XX市调研。");
    sc_mask_result_release(&r);
    o.distinct = 0;
    assert_int_equal(sc_mask_run(t, strlen(t), &o, &r, &d), SC_OK);
    assert_string_equal(r.text.data, "在XX市、XX市和XX市调研。");
    sc_mask_result_release(&r);
}

static void test_restore_errors(void **state)
{
    (void)state;
    struct sc_buf out = SC_BUF_INIT;
    struct sc_diag d = { 0 };
    assert_int_equal(sc_mask_restore("{", 1, NULL, 0, &out, &d), SC_EPARSE);
    sc_diag_clear(&d);
    assert_int_equal(sc_mask_restore("{\"text\": \"x\"}", 13, NULL, 0, &out, &d), SC_EPARSE);
    assert_non_null(strstr(d.msg, "spans"));
    const char *m = "{\"text\": \"在XX市\", \"spans\": [{\"start\": 1, \"end\": 4, \"kind\": \"place\", "
                    "\"original\": \"杭州市\", \"replacement\": \"XX市\"}]}";
    sc_diag_clear(&d);
    assert_int_equal(sc_mask_restore(m, strlen(m), NULL, 0, &out, &d), SC_OK);
    assert_string_equal(out.data, "在杭州市");
    sc_buf_reset(&out);
    sc_diag_clear(&d);
    assert_int_equal(sc_mask_restore(m, strlen(m), "在ZZ市", strlen("在ZZ市"), &out, &d), SC_EPARSE);
    assert_non_null(strstr(d.msg, "span 0"));
    sc_buf_reset(&out);
    sc_diag_clear(&d);
    assert_int_equal(sc_mask_restore(m, strlen(m), "", 0, &out, &d), SC_EPARSE);
    /* an original of the wrong length */
    const char *bad = "{\"text\": \"XX\", \"spans\": [{\"start\": 0, \"end\": 5, \"original\": \"张\", "
                      "\"replacement\": \"XX\"}]}";
    sc_buf_reset(&out);
    sc_diag_clear(&d);
    assert_int_equal(sc_mask_restore(bad, strlen(bad), NULL, 0, &out, &d), SC_EPARSE);
    sc_buf_release(&out);
}

static void test_kinds_parse(void **state)
{
    (void)state;
    unsigned m;
    struct sc_diag d = { 0 };
    assert_int_equal(sc_mask_kinds_parse("person,place,org,number,phone,idcard,email,plate", &m, &d),
                     SC_OK);
    assert_int_equal(m, (1u << SC_MK_BANKCARD) - 1);
    assert_int_equal(sc_mask_kinds_parse("persons", &m, &d), SC_EINVAL);
    assert_non_null(strstr(d.msg, "'persons'"));
    struct sc_mask_result r;
    sc_diag_clear(&d);
    assert_int_equal(sc_mask_run("\xff", 1, NULL, &r, &d), SC_EINVAL);
    sc_mask_result_release(&r);
}

static void fill_is(const char *tmpl, const char *profile, const char *want, size_t unfilled)
{
    struct sc_fill_result r;
    struct sc_diag d = { 0 };
    assert_int_equal(sc_fill_run(tmpl, strlen(tmpl), profile, strlen(profile), &r, &d), SC_OK);
    assert_string_equal(r.text.data, want);
    size_t n = 0;
    for (size_t i = 0; i < r.n; i++)
        n += r.slots[i].value == NULL;
    assert_int_equal(n, unfilled);
    sc_fill_result_release(&r);
}

static void test_fill(void **state)
{
    (void)state;
    const char *p = "{\"unit\": \"海淀区发改委\", \"place\": \"海淀区\", \"person\": \"张明\", "
                    "\"date\": \"2024年5月8日\", \"number\": \"3\"}";
    fill_is("XX发改委关于做好XX区防汛工作的通知", p, "海淀区发改委关于做好海淀区防汛工作的通知", 0);
    fill_is("联系人：XX，XX同志负责", p, "联系人：张明，张明同志负责", 0);
    fill_is("XXXX年XX月XX日", p, "2024年5月8日", 0);
    fill_is("全年完成X项，XX局牵头", p, "全年完成3项，海淀区发改委牵头", 0);
    fill_is("请XX于XX前报送", p, "请XX于XX前报送", 2);
    fill_is("X射线检查", p, "X射线检查", 0);
    /* missing values leave their slots */
    fill_is("XX区", "{\"unit\": \"某局\"}", "XX区", 1);
    struct sc_fill_result r;
    struct sc_diag d = { 0 };
    assert_int_equal(sc_fill_run("XX", 2, "{\"company\": \"x\"}", 16, &r, &d), SC_EINVAL);
    assert_non_null(strstr(d.msg, "company"));
    sc_fill_result_release(&r);
    sc_diag_clear(&d);
    assert_int_equal(sc_fill_run("XX", 2, "[1]", 3, &r, &d), SC_EINVAL);
    sc_fill_result_release(&r);
    sc_diag_clear(&d);
    assert_int_equal(sc_fill_run("XX", 2, "{\"unit\": 3}", 11, &r, &d), SC_EINVAL);
    sc_fill_result_release(&r);
    sc_diag_clear(&d);
    assert_int_equal(sc_fill_run("XX", 2, "{", 1, &r, &d), SC_EPARSE);
    sc_fill_result_release(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_structured),     cmocka_unit_test(test_persons),
        cmocka_unit_test(test_places_orgs),    cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_round_trip),     cmocka_unit_test(test_placeholders),
        cmocka_unit_test(test_restore_errors), cmocka_unit_test(test_kinds_parse),
        cmocka_unit_test(test_fill),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
