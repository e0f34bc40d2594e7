"""lockgate.gateway"""
