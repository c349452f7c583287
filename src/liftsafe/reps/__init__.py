"""liftsafe.reps"""
