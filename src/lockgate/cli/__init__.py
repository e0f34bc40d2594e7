"""lockgate.cli"""
