#!/usr/bin/env python3
"""probe.py: the timed HTTP parts of bench/cluster/run.sh.

  probe.py lat URL PATHS ROUNDS TOTALS_OUT
      ROUNDS passes over PATHS, one request at a time on one keep-alive
      connection; prints "p50_ms p95_ms n errors" (median over the rounds
      of each round's percentile) and writes path<TAB>total to TOTALS_OUT.
  probe.py seq URL N T0 TIMEOUT
      polls URL's search every 50 ms until X-Sucai-Seq >= N; prints the
      seconds since T0 (epoch seconds, taken before the node was started)
      and the total of the probe query, or "timeout SEQ".
  probe.py fresh SUCAI LIB CACHE DIR N URL...
      N new one-page documents, each holding a word no document has, each
      imported alone by the CLI; for each, every node is searched every
      20 ms until it finds the word. Prints the samples (seconds from the
      CLI's return = the commit, and from the CLI's start) and a summary line.
"""
import http.client
import json
import math
import random
import statistics
import subprocess
import sys
import time
from urllib.parse import quote, urlsplit

PROBE_Q = '/api/v1/search?q=' + quote('通知') + '&limit=1'


class Node:
    """One keep-alive connection, made again after an error."""

    def __init__(self, url):
        u = urlsplit(url)
        self.host, self.port = u.hostname, u.port
        self.conn = None

    def get(self, path, timeout=10):
        for attempt in (0, 1):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
                self.conn.request('GET', path)
                r = self.conn.getresponse()
                return r.status, r.getheader('X-Sucai-Seq'), r.read()
            except (OSError, http.client.HTTPException):
                if self.conn is not None:
                    self.conn.close()
                self.conn = None
                if attempt:
                    raise
        return None


def pct(xs, p):
    """nearest-rank percentile of a non-empty list"""
    s = sorted(xs)
    return s[min(len(s), max(1, math.ceil(p / 100 * len(s)))) - 1]


def total_of(body):
    try:
        return json.loads(body).get('total')
    except ValueError:
        return None


def lat(url, paths_file, rounds, totals_out):
    paths = [l.rstrip('\n') for l in open(paths_file, encoding='utf-8') if l.strip()]
    node = Node(url)
    p50s, p95s, errors, n = [], [], 0, 0
    totals = {}
    for _ in range(int(rounds)):
        ts = []
        for p in paths:
            t = time.perf_counter()
            status, _, body = node.get(p)
            ts.append(time.perf_counter() - t)
            n += 1
            if status != 200:
                errors += 1
            totals[p] = total_of(body)
        p50s.append(pct(ts, 50) * 1000)
        p95s.append(pct(ts, 95) * 1000)
    with open(totals_out, 'w', encoding='utf-8') as f:
        for p in paths:
            f.write(f'{p}\t{totals[p]}\n')
    print(f'{statistics.median(p50s):.2f} {statistics.median(p95s):.2f} {n} {errors}')


def seq(url, want, t0, timeout):
    node = Node(url)
    want, t0, timeout = int(want), float(t0), float(timeout)
    last = None
    while time.time() - t0 < timeout:
        try:
            status, s, body = node.get(PROBE_Q, timeout=5)
            if status == 200 and s is not None:
                last = int(s)
                if last >= want:
                    print(f'{time.time() - t0:.2f} {total_of(body)}')
                    return
        except OSError:
            pass
        time.sleep(0.05)
    print(f'timeout {last}')


# rare ideographs: a random 4 of them is in no real document
POOL = [chr(c) for c in range(0x9B00, 0x9FA0)]


def fresh(sucai, lib, cache, folder, n, urls):
    nodes = [Node(u) for u in urls]
    rnd = random.Random()
    from_commit, from_start, cli, lost = [], [], [], 0
    for i in range(int(n)):
        while True:  # a word no node finds yet
            word = ''.join(rnd.choice(POOL) for _ in range(4))
            if total_of(nodes[0].get('/api/v1/search?q=' + quote(word))[2]) == 0:
                break
        path = f'{folder}/fresh-{i:03d}.txt'
        with open(path, 'w', encoding='utf-8') as f:
            f.write(f'关于{word}事项的通知（第{i + 1}号）\n\n各单位：\n'
                    f'为做好{word}工作，现就有关事项通知如下。\n一、{word}要落实到位。\n')
        q = '/api/v1/search?q=' + quote(word)
        t_start = time.time()
        subprocess.run([sucai, '-L', lib, '--cache', cache, 'import', '--quiet', path], check=True)
        t_commit = time.time()
        cli.append(t_commit - t_start)
        pending = list(range(len(nodes)))
        while pending:
            for k in list(pending):
                try:
                    if total_of(nodes[k].get(q)[2]) == 1:
                        now = time.time()
                        from_commit.append(now - t_commit)
                        from_start.append(now - t_start)
                        pending.remove(k)
                except OSError:
                    pass
            if pending and time.time() - t_commit > 10:
                lost += len(pending)
                break
            if pending:
                time.sleep(0.02)
    for a, b in zip(from_commit, from_start):
        print(f'sample {a:.3f} {b:.3f}')
    print('summary', ' '.join(f'{pct(from_commit, p):.3f}' for p in (50, 95, 99)),
          ' '.join(f'{pct(from_start, p):.3f}' for p in (50, 95, 99)),
          f'{max(from_commit):.3f}', f'{statistics.median(cli):.3f}', len(from_commit), lost)


if __name__ == '__main__':
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == 'lat':
        lat(*args)
    elif cmd == 'seq':
        seq(*args)
    elif cmd == 'fresh':
        fresh(args[0], args[1], args[2], args[3], args[4], args[5:])
    else:
        sys.exit(f'probe.py: unknown command {cmd}')
