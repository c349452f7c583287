"""liftsafe.ergonomics: workplace lifting risk (revised NIOSH lifting equation, LiFFT, L5/S1).

Python API (all values in the job's unit system: metric = cm/kg, US = in/lb):

    from liftsafe.ergonomics.niosh import assess_lift, assess_task, LiftingTask, HandLocation
    from liftsafe.ergonomics.composite import Job, assess_job
    from liftsafe.ergonomics.whatif import what_if
    from liftsafe.ergonomics.lifft import lifft, LifftTask
    from liftsafe.ergonomics.spine_load import l5s1_compression
    from liftsafe.ergonomics.jobfile import load_job_file

See docs/ergonomics.md for definitions, formulas, sources and limits.
"""
