"""Thin routers: validate at the edge, call a service, translate its errors into HTTP codes."""
