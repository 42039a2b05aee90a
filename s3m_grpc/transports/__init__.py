"""Transports carry one unary call over gRPC or REST; all speak the same message types."""
