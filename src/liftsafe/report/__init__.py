"""liftsafe.report"""
