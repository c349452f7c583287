"""liftsafe.evaluation: running the analysis over labelled clips, scores, calibration."""
