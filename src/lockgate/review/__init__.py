"""lockgate.review"""
