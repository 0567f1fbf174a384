"""Queries of the services, by capability: functions taking the caller's Session and returning rows or small results."""
