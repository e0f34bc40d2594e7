"""lockgate.store"""
