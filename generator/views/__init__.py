"""What each page shows, and its markdown."""
