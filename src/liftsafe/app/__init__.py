"""Use-cases shared by the command line (:mod:`liftsafe.cli`) and the web app (:mod:`liftsafe.web`).

Each is a plain function over the analysis core and the store:

* :mod:`.analysis` -- analyse a clip and write its reports;
* :mod:`.training` -- log a session and decide what's next; import a log;
* :mod:`.workplace` -- assess a workplace job (from a job file or a video);
* :mod:`.demo` -- the simulated lifter of ``liftsafe demo``.

The CLI and the web call these and nothing else of the application logic, so the two faces
cannot drift apart.
"""
