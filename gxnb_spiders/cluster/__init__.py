"""Running gxnb on many machines: Celery workers over RabbitMQ, PostgreSQL for the data and
the per-portal locks, the raw archive on S3-compatible storage.

- ``app.py``    the Celery app: queues ``crawl`` and ``read``, late acknowledgement, beat
- ``tasks.py``  ``crawl_portal`` (one portal's crawl, its own Scrapy process, under the
                portal's lock), ``read_document`` (one archived revision read again and
                kept); beat sends each registry portal's crawl on its schedule
- ``locks.py``  at most one crawl of a portal across the cluster (PostgreSQL advisory lock)
- ``__main__``  ``python -m gxnb_spiders.cluster crawl|read|make-bucket``: put work on the
                queues; create the archive's bucket

Workers: ``celery -A gxnb_spiders.cluster.app worker -Q crawl,read``; schedule:
``celery -A gxnb_spiders.cluster.app beat``; monitor: ``celery -A gxnb_spiders.cluster.app flower``.
"""
