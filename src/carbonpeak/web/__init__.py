"""The web UI (Chinese first, English available), served with the API by one application."""
