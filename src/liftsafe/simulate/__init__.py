"""liftsafe.simulate"""
