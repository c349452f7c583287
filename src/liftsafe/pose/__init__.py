"""liftsafe.pose"""
