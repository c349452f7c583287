"""liftsafe.training"""
