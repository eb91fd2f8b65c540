"""`python -m bench`: N concurrent citizens run the whole journey against gunicorn + PostgreSQL + simulators;
then opening day (bench/opening.py): N families arriving over two instances against the platform's quotas.

Loopback only, bounded in journeys and seconds. Needs PostgreSQL (TEST_DATABASE_URL, or --database-url,
default postgresql+psycopg://postgres@127.0.0.1:5432/test): a throw-away schema is created and dropped.
"""

from __future__ import annotations

import argparse
import os

from bench.opening import render_opening, run_opening_day
from bench.report import render
from bench.run import run
from bench.stack import GUNICORN


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--citizens", type=int, default=16, help="concurrent citizens (default 16)")
    parser.add_argument("--journeys", type=int, default=300, help="journeys to run at most (default 300)")
    parser.add_argument("--max-seconds", type=float, default=90, help="stop starting journeys after (default 90)")
    parser.add_argument("--latency-ms", type=int, default=300, help="API Particulier's injected latency (300)")
    parser.add_argument("--modality", choices=("france_connect", "identite"), default="france_connect")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="gunicorn workers (cores)")
    parser.add_argument("--threads", type=int, default=32, help="threads per worker (default 32, as gunicorn.conf.py)")
    parser.add_argument("--hang-citizens", type=int, default=200,
                        help="scenario 2: citizens asking for their data while API Particulier hangs (0: skip)")
    parser.add_argument("--calm-journeys", type=int, default=10,
                        help="journeys of one citizen alone after the load: the prefill without queueing (10)")
    parser.add_argument("--worker-class", default="gthread", help="gunicorn worker class (default gthread)")
    parser.add_argument("--bare-seconds", type=float, default=10, help="duration of the bare-Flask yardstick")
    parser.add_argument("--database-url", default="", help="PostgreSQL URL (default: TEST_DATABASE_URL)")
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
                        help="the service's REDIS_URL, as in production (default: REDIS_URL, or the local Redis); "
                             "'' for none: each process then keeps its own circuits and runs its own task queue")
    parser.add_argument("--families", type=int, default=200,
                        help="opening day: families arriving over two instances (default 200; 0: skip)")
    parser.add_argument("--arrival-seconds", type=float, default=0,
                        help="opening day: the arrivals spread over this many seconds (default 0.3 s per family)")
    parser.add_argument("--burst", type=int, default=120,
                        help="opening day: then this many signed-in families consent within 2 s (default 120)")
    parser.add_argument("--outage-citizens", type=int, default=120,
                        help="opening day: then this many families consent over both instances while API Particulier "
                             "hangs (default 120, as in issue 18; 0: skip)")
    parser.add_argument("--redis-outage", type=int, default=120,
                        help="opening day: then this many families consent while the bench's own Redis is killed "
                             "for 10 s (default 120; 0: skip, and use the machine's Redis)")
    parser.add_argument("--opening-only", action="store_true", help="run the opening-day scenario alone")
    parser.add_argument("--opening-workers", type=int, default=2, help="opening day: gunicorn workers per instance")
    parser.add_argument("--job-threads", type=int, default=8, help="opening day: threads of each task worker")
    parser.add_argument("--gunicorn", default=GUNICORN,
                        help="gunicorn of the install that serves the service, the simulators and the yardstick "
                             "(default: this venv's; `make bench` gives a production install, without the dev tools)")
    args = parser.parse_args()
    if not args.opening_only:
        print(render(run(args)), flush=True)
    if args.families:
        args.arrival_seconds = args.arrival_seconds or 0.3 * args.families
        args.run_id = None
        print(render_opening(run_opening_day(args)), flush=True)


if __name__ == "__main__":
    main()
