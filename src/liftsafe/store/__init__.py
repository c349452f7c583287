"""liftsafe.store"""
