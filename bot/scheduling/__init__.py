"""Weekly shows on a timer: APScheduler jobs rebuilt from the database, with start-up catch-up."""
