"""liftsafe: a lifting-safety coach.

Public API (see README.md):

    from liftsafe.pipeline import analyze_video, analyze_keypoints
"""

__version__ = "0.1.0"
