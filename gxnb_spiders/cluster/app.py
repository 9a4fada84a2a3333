"""The Celery app of a gxnb cluster. Everything comes from the environment (read in
``gxnb_spiders/config.py``), so every machine runs the same image with its own addresses:

- ``GXNB_BROKER_URL``     RabbitMQ (default ``amqp://guest:guest@127.0.0.1:5672//``)
- ``GXNB_DATABASE_URL``   PostgreSQL, shared by every machine (the data)
- ``GXNB_LOCK_URL``       where the portal locks live (default: GXNB_DATABASE_URL)
- ``GXNB_RAW_URL``        ``s3://bucket/prefix``, the shared raw archive (+ ``AWS_*``)
- ``GXNB_QUEUE_PREFIX``   prefix of the queue names (tests and benchmarks run side by side)
- ``GXNB_CRAWL_TIMEOUT``  seconds one portal's crawl may take (default 6 h)
- ``GXNB_REGISTRY``       the portal registry; beat enqueues each portal on its schedule

Why these options: a task is acknowledged only once it is done (``acks_late``) and put
back on its queue when the worker running it dies (``reject_on_worker_lost``), so a
killed machine loses no crawl; a worker takes one task at a time (prefetch 1), so a long
crawl never holds back others' work; results are not kept (the database is the result);
events are sent so Flower can show the queues and the workers.
"""
from __future__ import annotations

from datetime import datetime, timezone

from celery import Celery
from celery.signals import before_task_publish
from kombu import Queue

from gxnb_spiders.config import from_environment


def queue(kind: str) -> str:
    """The name of the ``crawl`` or ``read`` queue (read now: a test sets the prefix late)."""
    return from_environment("GXNB_QUEUE_PREFIX") + kind


CRAWL_QUEUE, READ_QUEUE = queue("crawl"), queue("read")

app = Celery("gxnb", include=["gxnb_spiders.cluster.tasks"])
app.conf.update(
    broker_url=from_environment("GXNB_BROKER_URL"),
    broker_connection_retry_on_startup=True,
    task_queues=(Queue(CRAWL_QUEUE), Queue(READ_QUEUE)),
    task_default_queue=READ_QUEUE,
    task_routes={"gxnb.crawl_portal": {"queue": CRAWL_QUEUE},
                 "gxnb.read_document": {"queue": READ_QUEUE}},
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    task_ignore_result=True,
    task_serializer="json",
    accept_content=["json"],
    worker_send_task_events=True,
    task_send_sent_event=True,
    timezone="UTC",  # the registry's schedules are UTC
)

SCHEDULED_EXPIRES = 20 * 3600


@before_task_publish.connect
def _stamp_crawls(sender=None, body=None, **_):
    """A crawl sent without ``not_before`` (beat's, ``python -m gxnb_spiders.cluster crawl``)
    carries the moment it was sent (naive UTC, as the store's times): a crawl of the portal
    that finished after that moment makes it "done already", so a message that waited
    behind a backlog, or came again after its crawl was done, crawls nothing twice."""
    if sender != "gxnb.crawl_portal" or not (isinstance(body, tuple) and len(body) == 3):
        return
    args, kwargs, _ = body
    if len(args) < 2 and not kwargs.get("not_before"):
        kwargs["not_before"] = datetime.now(timezone.utc).replace(tzinfo=None).isoformat()


@app.on_after_configure.connect
def _schedule_portals(sender, **_):
    """Beat (``celery -A gxnb_spiders.cluster.app beat``, one per cluster) sends
    ``crawl_portal`` for each enabled portal of the registry on its own cron ``schedule``
    (UTC). The registry is read when beat starts: restart beat after editing it. A crawl
    not started within SCHEDULED_EXPIRES seconds of its time is dropped (the next one
    covers it) rather than piling up behind a long backlog."""
    from celery.schedules import crontab

    from gxnb_spiders import registry

    for row in registry.load():
        if row["enabled"]:
            minute, hour, day, month, weekday = row["schedule"].split()
            sender.add_periodic_task(
                crontab(minute=minute, hour=hour, day_of_month=day, month_of_year=month, day_of_week=weekday),
                sender.signature("gxnb.crawl_portal", args=(row["id"],)), name=f"crawl {row['id']}",
                expires=SCHEDULED_EXPIRES)
