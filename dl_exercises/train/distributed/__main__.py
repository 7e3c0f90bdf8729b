"""``python -m dl_exercises.train.distributed JOB SPEC.json``: a child process's entry (``jobs.main``)."""

from .jobs import main

raise SystemExit(main())
