"""liftsafe.technique"""
