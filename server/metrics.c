/*
 * GET /metrics in the Prometheus text format (version 0.0.4): requests by
 * route and status, a latency histogram per route, bytes sent, requests in
 * flight, and the library's size. Counters are relaxed atomics bumped once
 * per request when it completes, so recording costs a few adds.
 */
#include "server_int.h"

#include <string.h>

/* The index's lag behind the store (documents stored but not yet
 * searchable), if the search part provides it. */

static const int status_codes[M_NSTATUS - 1] = { 200, 201, 204, 304, 400, 401, 403, 404, 405, 409,
                                                 413, 414, 415, 429, 431, 500, 501, 503, 0 };

/* Upper bounds in microseconds; the last bucket is +Inf. */
static const uint64_t bucket_us[M_NBUCKETS] = { 250,   500,   1000,   2500,   5000,    10000,
                                                25000, 50000, 100000, 250000, 1000000, 5000000 };

static size_t status_slot(int status)
{
    for (size_t i = 0; i < M_NSTATUS - 1 && status_codes[i]; i++)
        if (status_codes[i] == status)
            return i;
    return M_NSTATUS - 1; /* other */
}

void metrics_record(struct metrics *m, enum route r, int status, uint64_t us, uint64_t bytes)
{
    if ((unsigned)r >= R_COUNT)
        r = R_NOT_FOUND;
    atomic_fetch_add_explicit(&m->count[r][status_slot(status)], 1, memory_order_relaxed);
    size_t b = 0;
    while (b < M_NBUCKETS && us > bucket_us[b])
        b++;
    atomic_fetch_add_explicit(&m->hist[r][b], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&m->sum_us[r], us, memory_order_relaxed);
    atomic_fetch_add_explicit(&m->bytes_out, bytes, memory_order_relaxed);
}

static uint64_t load(_Atomic uint64_t *v)
{
    return atomic_load_explicit(v, memory_order_relaxed);
}

void metrics_render(struct sc_server *srv, struct sc_buf *b)
{
    struct metrics *m = &srv->metrics;
    sc_buf_adds(b, "# HELP sucai_http_requests_total HTTP requests by route and status.\n"
                   "# TYPE sucai_http_requests_total counter\n");
    for (int r = 0; r < R_COUNT; r++)
        for (size_t s = 0; s < M_NSTATUS; s++) {
            uint64_t n = load(&m->count[r][s]);
            if (!n)
                continue;
            if (s == M_NSTATUS - 1)
                sc_buf_addf(b, "sucai_http_requests_total{route=\"%s\",status=\"other\"} %llu\n",
                            route_name((enum route)r), (unsigned long long)n);
            else
                sc_buf_addf(b, "sucai_http_requests_total{route=\"%s\",status=\"%d\"} %llu\n",
                            route_name((enum route)r), status_codes[s], (unsigned long long)n);
        }
    sc_buf_adds(b, "# HELP sucai_http_request_duration_seconds Time from the request line to "
                   "the response, by route.\n"
                   "# TYPE sucai_http_request_duration_seconds histogram\n");
    for (int r = 0; r < R_COUNT; r++) {
        uint64_t total = 0, cum = 0;
        for (size_t k = 0; k <= M_NBUCKETS; k++)
            total += load(&m->hist[r][k]);
        if (!total)
            continue;
        const char *name = route_name((enum route)r);
        for (size_t k = 0; k < M_NBUCKETS; k++) {
            cum += load(&m->hist[r][k]);
            sc_buf_addf(b,
                        "sucai_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %llu\n",
                        name, (double)bucket_us[k] / 1e6, (unsigned long long)cum);
        }
        sc_buf_addf(b,
                    "sucai_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %llu\n",
                    name, (unsigned long long)total);
        sc_buf_addf(b, "sucai_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n", name,
                    (double)load(&m->sum_us[r]) / 1e6);
        sc_buf_addf(b, "sucai_http_request_duration_seconds_count{route=\"%s\"} %llu\n", name,
                    (unsigned long long)total);
    }
    sc_buf_addf(b,
                "# HELP sucai_http_response_bytes_total Bytes of response bodies sent.\n"
                "# TYPE sucai_http_response_bytes_total counter\n"
                "sucai_http_response_bytes_total %llu\n",
                (unsigned long long)load(&m->bytes_out));
    sc_buf_addf(b,
                "# HELP sucai_http_requests_in_flight Requests being served.\n"
                "# TYPE sucai_http_requests_in_flight gauge\n"
                "sucai_http_requests_in_flight %lld\n",
                (long long)atomic_load_explicit(&m->in_flight, memory_order_relaxed));
    sc_buf_addf(b,
                "# HELP sucai_uptime_seconds Seconds since the server started.\n"
                "# TYPE sucai_uptime_seconds gauge\n"
                "sucai_uptime_seconds %lld\n",
                (long long)(time(NULL) - srv->started));
    struct sc_stats st;
    struct sc_diag d = { 0 };
    if (server_stats(srv, &st, &d) == SC_OK) {
        sc_buf_addf(b,
                    "# HELP sucai_documents Documents in the library.\n"
                    "# TYPE sucai_documents gauge\nsucai_documents %lld\n"
                    "# HELP sucai_characters Characters of text in the library.\n"
                    "# TYPE sucai_characters gauge\nsucai_characters %lld\n"
                    "# HELP sucai_sources Source files imported.\n"
                    "# TYPE sucai_sources gauge\nsucai_sources %lld\n"
                    "# HELP sucai_store_bytes Size of the store.\n"
                    "# TYPE sucai_store_bytes gauge\nsucai_store_bytes %lld\n"
                    "# HELP sucai_index_bytes Size of the search index.\n"
                    "# TYPE sucai_index_bytes gauge\nsucai_index_bytes %lld\n",
                    (long long)st.documents, (long long)st.chars, (long long)st.sources,
                    (long long)st.store_bytes, (long long)st.index_bytes);
    }
    sc_buf_addf(b,
                "# HELP sucai_index_lag_documents Documents stored but not yet searchable.\n"
                "# TYPE sucai_index_lag_documents gauge\nsucai_index_lag_documents %lld\n",
                (long long)sc_index_lag(srv->lib));
}

void h_metrics(struct sc_req *req, struct sc_resp *r)
{
    r->status = 200;
    r->type = "text/plain; version=0.0.4; charset=utf-8";
    metrics_render(req->srv, &r->body);
}
