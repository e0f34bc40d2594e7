"""lockgate.config"""
