/*
 * Distributor boilerplate (lib/gongwen/boiler.c): advertising and contact
 * footers are cut and recorded with a reason; ordinary text that mentions
 * 微信, 公众号, 会员 or a phone number stays.
 */
#include "gw_test.h"

/* Parse text and check which of its lines were cut (1-based numbers). */
static void expect_cut(const char *text, const int64_t *lines, size_t n, struct sc_parsed *p)
{
    gw_parse_ok(text, NULL, p);
    if (p->nboiler != n) {
        for (size_t i = 0; i < p->nboiler; i++)
            print_message("cut line %lld: %s [%s]\n", (long long)p->boiler[i].line,
                          p->boiler[i].text, p->boiler[i].reason);
    }
    assert_int_equal(p->nboiler, n);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(p->boiler[i].line, lines[i]);
        assert_non_null(p->boiler[i].reason);
        for (size_t a = 0; a < p->narticles; a++)
            assert_null(strstr(p->articles[a].text.data, p->boiler[i].text));
    }
}

static void news_mentioning_wechat_stays(void **state)
{
    (void)state;
    static const char text[] =
        "《新闻联播》文字稿（2024年3月1日）\n"
        "今年以来，各地推出便民举措，市民可通过“健康XX”微信公众号一键预约接种。\n"
        "协会会员单位如有疑问，请联系秘书处：010-12345678。\n"
        "联系人：张三，联系电话：0571-87654321，邮箱：office@xx.gov.cn\n"
        "欢迎加入志愿服务队伍，报名请关注微信公众号“XX志愿”。\n"
        "扫描二维码，关注微信公众号，获取更多政策解读。\n"
        "杨柳青年画中，刻工以刀代笔，为画师的线稿增添版味儿。\n"
        "【大美中国】贵州\n";
    struct sc_parsed p;
    expect_cut(text, NULL, 0, &p);
    assert_non_null(strstr(p.articles[0].text.data, "微信公众号一键预约"));
    assert_non_null(strstr(p.articles[0].text.data, "扫描二维码，关注微信公众号"));
    sc_parsed_release(&p);
}

static void distributor_footers_cut(void **state)
{
    (void)state;
    static const char text[] =
        "XX局2023年工作总结\n"
        "今年以来，我们密切联系群众，主动加入共建。\n"
        "\n"
        "【XX公文素材库】每日更新海量材料，一键下载\n"
        "微信：abc_123  QQ：12345678\n"
        "本文档由用户提供并上传，收益归属内容提供方，若内容存在侵权，请进行举报\n"
        "更多资料请关注公众号：XX笔杆子\n"
        "加入会员请联系客服：cwk\n";
    static const int64_t want[] = { 4, 5, 6, 7, 8 };
    struct sc_parsed p;
    expect_cut(text, want, 5, &p);
    /* the last real paragraph, next to the ads and saying 联系 and 加入, stays */
    assert_string_equal(p.articles[0].text.data,
                        "XX局2023年工作总结\n今年以来，我们密切联系群众，主动加入共建。");
    assert_non_null(strstr(p.boiler[0].reason, "ad: 【…素材库】 banner"));
    assert_non_null(strstr(p.boiler[1].reason, "contact id"));
    assert_non_null(strstr(p.boiler[2].reason, "用户提供并上传"));
    assert_non_null(strstr(p.boiler[3].reason, "更多资料请关注"));
    assert_non_null(strstr(p.boiler[4].reason, "contact id"));
    sc_parsed_release(&p);
}

/* Several signals are needed: one distributor word with nothing else is
 * not enough, and a contact id alone is not either. */
static void single_signals_stay(void **state)
{
    (void)state;
    static const char text[] = "标题\n"
                               "本单位建立素材库，收集典型案例。\n"
                               "系统账号：admin01。\n"
                               "每天更新台账，确保数据准确。\n"
                               "结尾。\n";
    struct sc_parsed p;
    expect_cut(text, NULL, 0, &p);
    sc_parsed_release(&p);
}

/* A banner above the title does not become the title. */
static void banner_at_top(void **state)
{
    (void)state;
    static const char text[] = "【XX范文网】更多范文请关注，每天更新，欢迎加入\n"
                               "关于开展安全生产大检查的通知\n"
                               "各单位：现将有关事项通知如下。\n";
    static const int64_t want[] = { 1 };
    struct sc_parsed p;
    expect_cut(text, want, 1, &p);
    assert_string_equal(p.articles[0].title, "关于开展安全生产大检查的通知");
    assert_int_equal(p.articles[0].src_line, 2);
    sc_parsed_release(&p);
}

static void seed_reasons(void **state)
{
    (void)state;
    size_t len;
    char *data = gw_read_shared("corpus/seed/" SEED_NAME, &len);
    struct sc_parsed p;
    assert_int_equal(sc_gongwen_parse(data, len, NULL, &p, NULL), SC_OK);
    assert_int_equal(p.nboiler, 4);
    assert_string_equal(p.boiler[0].text, p.boiler[1].text); /* the banner is repeated */
    assert_true(strncmp(p.boiler[0].reason, "ad: 【…素材库】 banner",
                        strlen("ad: 【…素材库】 banner")) == 0);
    assert_true(strncmp(p.boiler[2].reason, "sales: ", 7) == 0);
    assert_true(strncmp(p.boiler[2].text, "欢迎加入“哒哒素材库svip会员”", 20) == 0);
    assert_true(
        strncmp(p.boiler[3].reason, "ad: 【…代笔】 banner", strlen("ad: 【…代笔】 banner")) == 0);
    sc_parsed_release(&p);
    free(data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(news_mentioning_wechat_stays),
        cmocka_unit_test(distributor_footers_cut),
        cmocka_unit_test(single_signals_stay),
        cmocka_unit_test(banner_at_top),
        cmocka_unit_test(seed_reasons),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
