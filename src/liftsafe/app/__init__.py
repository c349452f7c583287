"""Use-cases shared by the command line (:mod:`liftsafe.cli`) and the web app (:mod:`liftsafe.web`).

Each is a plain function over the analysis core and the store:

* :mod:`.analysis` -- analyse a clip and write its reports;
* :mod:`.training` -- log a session and decide what's next; list sessions, soreness, today,
  progress; import a log;
* :mod:`.plans` -- save, list and show training plans (the command line's, or a web account's);
* :mod:`.assessment` -- the self-assessment (``assess-me``, the web's assessment);
* :mod:`.logbook` -- import, export and back up a log; custom exercises; the equipment profile;
* :mod:`.joblifts` -- job lifts from specs, job files and filmed lifts;
* :mod:`.workplace` -- assess a workplace job (from a job file or a video);
* :mod:`.database` -- open the store, upgrade and describe the schema;
* :mod:`.demo` -- the simulated lifter of ``liftsafe demo``.

The CLI and the web call these for everything stored, and nothing else of the application
logic, so the two faces cannot drift apart (import-linter contracts in ``pyproject.toml``).
"""
