"""Batch analysis: many clips on local worker processes or a Ray cluster.

* :mod:`~liftsafe.batch.manifest` -- the clips of a folder or a CSV manifest, validated before
  any work starts;
* :mod:`~liftsafe.batch.state` -- content hashes, the analysis fingerprint and the ledger
  that makes a batch resumable; ``summary.csv``;
* :mod:`~liftsafe.batch.work` -- the analysis of one clip as it runs in a worker (a warm
  BlazePose per process);
* :mod:`~liftsafe.batch.engines` -- the local process pool and the Ray engine;
* :mod:`~liftsafe.batch.runner` -- :func:`run_batch`: plan, run, write, summarise;
* :mod:`~liftsafe.batch.isolation` -- one analysis in a child process with memory and time
  limits (used by the web app's job workers);
* :mod:`~liftsafe.batch.db` -- batch results stored as web-app analyses, read back as a table.

The command is :mod:`liftsafe.cli.batch`; the web app's workers are :mod:`liftsafe.web.worker`.

See docs/batch.md.
"""
