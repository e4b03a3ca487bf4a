"""`opsgate demo`: a professional-services firm's month, through all four workflows."""
