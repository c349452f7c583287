"""liftsafe.ergonomics"""
