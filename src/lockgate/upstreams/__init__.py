"""lockgate.upstreams"""
