"""``python -m replicas [--port 8800]``: serve every replica until Ctrl-C."""
import argparse
import time

from replicas.server import ReplicaServer, all_sites


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8800)
    args = ap.parse_args()
    sites = all_sites()
    with ReplicaServer(sites, args.host, args.port) as srv:
        from replicas import challenges  # GXNB_REPLICA_CHALLENGE=ruishu:www.dt.gov.cn,…
        srv.filters.extend(challenges.from_env())
        print(f"replicas of {', '.join(sorted({s.name for s in sites}))} at {srv.url}")
        print(f"use: GXNB_REPLICA_PROXY={srv.url} scrapy crawl <spider>")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
