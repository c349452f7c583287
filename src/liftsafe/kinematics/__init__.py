"""liftsafe.kinematics"""
