"""``python -m gxnb_spiders.cluster``: put work on the cluster's queues.

    python -m gxnb_spiders.cluster crawl dt lyghz      # these portals' crawls, now
    python -m gxnb_spiders.cluster crawl --all         # every enabled portal of the registry
    python -m gxnb_spiders.cluster read [--portal dt] [--limit 1000]   # re-read archived reports
    python -m gxnb_spiders.cluster make-bucket         # GXNB_RAW_URL's bucket, once, at set-up
"""
from __future__ import annotations

import argparse
import sys


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m gxnb_spiders.cluster", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="what", required=True)
    crawl = sub.add_parser("crawl", help="enqueue portals' crawls")
    crawl.add_argument("ids", nargs="*", help="portal ids of the registry")
    crawl.add_argument("--all", action="store_true", help="every enabled portal of the registry")
    read = sub.add_parser("read", help="enqueue re-reads of archived reports (current revisions)")
    read.add_argument("--portal")
    read.add_argument("--limit", type=int)
    sub.add_parser("make-bucket", help="create GXNB_RAW_URL's bucket if missing (waits for the S3 server)")
    args = ap.parse_args(argv)
    if args.what == "make-bucket":
        return make_bucket()

    from gxnb_spiders import registry
    from gxnb_spiders.cluster.app import queue
    from gxnb_spiders.cluster.tasks import crawl_portal, enqueue_reads

    try:
        if args.what == "crawl":
            rows = registry.load()
            known = {r["id"] for r in rows}
            ids = [r["id"] for r in rows if r["enabled"]] if args.all else args.ids
            unknown = [i for i in ids if i not in known]
            if unknown or not ids:
                print(f"crawl: {'unknown portal(s): ' + ', '.join(unknown) if unknown else 'no portal named'} "
                      f"(registry {registry.registry_path()})", file=sys.stderr)
                return 2
            for pid in ids:
                crawl_portal.apply_async((pid,), queue=queue("crawl"))
            print(f"enqueued {len(ids)} crawl(s) on {queue('crawl')}")
        else:
            n = enqueue_reads(args.portal, args.limit)
            print(f"enqueued {n} read(s) on {queue('read')}")
    except registry.RegistryError as exc:
        print(exc, file=sys.stderr)
        return 2
    except Exception as exc:  # broker or database unreachable
        print(f"{args.what}: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    return 0


def make_bucket(wait: float = 120.0) -> int:
    import time
    from urllib.parse import urlsplit

    import boto3
    from botocore.exceptions import BotoCoreError, ClientError

    from gxnb_spiders import config

    url = config.raw_dir(config.project_settings())  # GXNB_RAW_URL (settings.py)
    bucket = urlsplit(url).netloc if url.startswith("s3://") else ""
    if not bucket:
        print(f"make-bucket: GXNB_RAW_URL is not an s3://bucket/prefix location: {url!r}", file=sys.stderr)
        return 2
    client = boto3.session.Session().client("s3")
    deadline = time.monotonic() + wait
    while True:
        try:
            names = {b["Name"] for b in client.list_buckets().get("Buckets", [])}
            if bucket not in names:
                client.create_bucket(Bucket=bucket)
            print(f"bucket {bucket} ready at {client.meta.endpoint_url}")
            return 0
        except (BotoCoreError, ClientError) as exc:
            if time.monotonic() > deadline:
                print(f"make-bucket: {client.meta.endpoint_url}: {exc}", file=sys.stderr)
                return 1
            time.sleep(2)


if __name__ == "__main__":
    sys.exit(main())
